"""Scoring screens: trees, rounds, a round's results, a unit's scorecard. Thin: parse, check access, call a service.

A service's refusal (a ValidationError in Vietnamese) goes back onto the form that
asked, and the page is shown again with what was typed and status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parplan.forms import PortalForm
from parplan.http import AuthenticatedHttpRequest
from scoring import services
from scoring.access import (
    can_edit_trees,
    can_manage,
    can_self_score,
    get_authority_for_tree_edit,
    get_authority_for_trees,
    get_criterion_for_edit,
    get_round_for_manage,
    get_round_for_results,
    get_score_for_appraisal,
    get_score_for_unit,
    get_tree_for_user,
    get_unit_sheet,
)
from scoring.arithmetic import tree_problems
from scoring.forms import (
    AppraiseForm,
    CriterionForm,
    ExplainForm,
    FinalForm,
    RoundOpenForm,
    ScoreForm,
    SelfScoreForm,
    SurveyForm,
    SurveyImportForm,
    TreeCopyForm,
    TreeForm,
    TreeImportForm,
)
from scoring.importing import tree_import_xlsx
from scoring.models import Score, ScoringRound, ScoringTree, Step
from scoring.selectors import (
    authorities_for_trees,
    own_rounds,
    round_results,
    rounds_for_results,
    tree_items,
    trees_of,
    unit_scores,
)
from scoring.surveys import SurveyImport, survey_import, survey_items, survey_template


def _refused(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the fields it names when the form has them, else above the form."""
    if hasattr(error, "error_dict") and all(name in form.fields for name in error.error_dict):
        form.add_error(None, error)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _submit(form: forms.BaseForm, call: Callable[[], object]) -> bool:
    """Validate `form`, then call the service; False (with the reasons on the form) when either refuses."""
    if not form.is_valid():
        return False
    try:
        call()
    except ValidationError as error:
        _refused(form, error)
        return False
    return True


def _errors_shown(request: AuthenticatedHttpRequest, form: forms.BaseForm) -> None:
    """A refused form's reasons as the page's messages, for a form the page no longer shows."""
    for message in form.errors.as_data().values():
        for error in message:
            for text in error.messages:
                messages.error(request, text)


# --- Home, trees ------------------------------------------------------------------


def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "rounds": rounds_for_results(request.user),
        "own": own_rounds(request.user),
        "authorities": authorities_for_trees(request.user),
    }
    return render(request, "scoring/round_list.html", context)


def tree_list(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    authority = get_authority_for_trees(request.user, code)
    form = TreeForm(request.POST or None)
    if request.method == "POST":
        authority = get_authority_for_tree_edit(request.user, code)
        created: list[ScoringTree] = []

        def create() -> None:
            data = form.cleaned_data
            created.append(
                services.tree_create(
                    authority=authority, year=data["year"], group=data["group"], title=data["title"], items=[],
                    declared_total=data["declared_total"], bonus_cap=data["bonus_cap"],
                    penalty_cap=data["penalty_cap"], user=request.user, check_sums=False,
                )
            )  # fmt: skip

        if _submit(form, create):
            messages.success(request, _("Đã tạo bộ tiêu chí. Thêm tiêu chí hoặc nhập từ tệp .xlsx."))
            return redirect("scoring-tree", created[0].pk)
    context = {
        "authority": authority,
        "trees": trees_of(authority),
        "form": form,
        "can_edit": can_edit_trees(request.user, authority),
    }
    return render(request, "scoring/tree_list.html", context, status=400 if form.errors else 200)


def _tree_page(request: AuthenticatedHttpRequest, tree: ScoringTree, **bound: forms.BaseForm) -> HttpResponse:
    items = tree_items(tree)
    if tree.is_locked:
        # A locked tree's page has no editing forms: a refused edit's reasons are shown above the page.
        for name, form in bound.items():
            if name != "copy_form":
                _errors_shown(request, form)
    context = {
        "tree": tree,
        "items": items,
        "problems": tree_problems(tree, items),
        "can_edit": can_edit_trees(request.user, tree.authority) and not tree.is_locked,
        "can_copy": can_edit_trees(request.user, tree.authority),
        "round": getattr(tree, "round", None),
        "criterion_form": bound.get("criterion_form") or CriterionForm(tree=tree),
        "import_form": bound.get("import_form") or TreeImportForm(),
        "copy_form": bound.get("copy_form") or TreeCopyForm(initial={"year": tree.year + 1}),
        "open_form": bound.get("open_form") or RoundOpenForm(tree=tree),
    }
    return render(request, "scoring/tree_detail.html", context, status=400 if bound else 200)


def tree_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The tree's items and what does not add up; POST adds an item."""
    tree = get_tree_for_user(request.user, pk, edit=request.method == "POST")
    if request.method != "POST":
        return _tree_page(request, tree)
    form = CriterionForm(request.POST, tree=tree)
    if _submit(form, lambda: services.criterion_save(tree=tree, item=form.item(), user=request.user)):
        messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": form.cleaned_data["code"]})
        return redirect("scoring-tree", tree.pk)
    return _tree_page(request, tree, criterion_form=form)


def criterion_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_edit(request.user, pk)
    form = CriterionForm(request.POST, tree=criterion.tree) if request.method == "POST" else CriterionForm.of(criterion)
    if request.method == "POST":
        call = lambda: services.criterion_save(  # noqa: E731
            tree=criterion.tree, item=form.item(), criterion=criterion, user=request.user
        )
        if _submit(form, call):
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": form.cleaned_data["code"]})
            return redirect("scoring-tree", criterion.tree_id)
    context = {"form": form, "criterion": criterion, "tree": criterion.tree}
    return render(request, "scoring/criterion_form.html", context, status=400 if form.errors else 200)


@require_POST
def criterion_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_criterion_for_edit(request.user, pk)
    try:
        services.criterion_delete(criterion=criterion, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa tiêu chí %(code)s.") % {"code": criterion.code})
    return redirect("scoring-tree", criterion.tree_id)


@require_POST
def tree_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tree = get_tree_for_user(request.user, pk, edit=True)
    form = TreeImportForm(request.POST, request.FILES)
    call = lambda: tree_import_xlsx(tree=tree, content=form.cleaned_data["file"], user=request.user)  # noqa: E731
    if _submit(form, call):
        messages.success(request, _("Đã nhập bộ tiêu chí từ tệp."))
        return redirect("scoring-tree", tree.pk)
    return _tree_page(request, tree, import_form=form)


@require_POST
def tree_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tree = get_tree_for_user(request.user, pk, edit=True)
    form = TreeCopyForm(request.POST)
    copies: list[ScoringTree] = []
    call = lambda: copies.append(  # noqa: E731
        services.tree_copy(tree=tree, year=form.cleaned_data["year"], user=request.user)
    )
    if _submit(form, call):
        messages.success(request, _("Đã sao chép bộ tiêu chí sang năm %(year)s.") % {"year": copies[0].year})
        return redirect("scoring-tree", copies[0].pk)
    return _tree_page(request, tree, copy_form=form)


@require_POST
def round_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tree = get_tree_for_user(request.user, pk, edit=True)
    form = RoundOpenForm(request.POST, tree=tree)
    opened: list[ScoringRound] = []

    def open_round() -> None:
        data = form.cleaned_data
        opened.append(
            services.round_open(
                tree=tree, self_until=data["self_until"], appraisal_until=data["appraisal_until"],
                explanation_until=data["explanation_until"], final_until=data["final_until"],
                bands=(data["band_excellent"], data["band_good"], data["band_fair"]), units=list(data["units"]),
                user=request.user,
            )
        )  # fmt: skip

    if _submit(form, open_round):
        messages.success(request, _("Đã mở đợt chấm điểm; bộ tiêu chí đã khóa."))
        return redirect("scoring-results", opened[0].pk)
    return _tree_page(request, tree, open_form=form)


# --- A round --------------------------------------------------------------------


def round_results_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _results_page(request, get_round_for_results(request.user, pk))


def _results_page(
    request: AuthenticatedHttpRequest, scoring_round: ScoringRound, survey_form: SurveyImportForm | None = None
) -> HttpResponse:
    manage = can_manage(request.user, scoring_round)
    context = {
        "round": scoring_round,
        "results": round_results(scoring_round),
        "can_manage": manage,
        # The survey file is taken until the results are published.
        "survey_form": survey_form
        or (SurveyImportForm() if manage and scoring_round.step != Step.DONE and survey_items(scoring_round) else None),
    }
    return render(request, "scoring/round_results.html", context, status=400 if survey_form else 200)


@require_POST
def round_survey_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every unit's survey points from one .xlsx: all saved, or none and every problem listed."""
    scoring_round = get_round_for_manage(request.user, pk)
    form = SurveyImportForm(request.POST, request.FILES)
    done: list[SurveyImport] = []
    call = lambda: done.append(  # noqa: E731
        survey_import(scoring_round=scoring_round, content=form.cleaned_data["file"], user=request.user)
    )
    if _submit(form, call):
        (result,) = done
        messages.success(
            request,
            _("Đã nhập %(points)s điểm điều tra xã hội học của %(units)s đơn vị.")
            % {"points": result.points, "units": result.units},
        )
        return redirect("scoring-results", pk)
    return _results_page(request, scoring_round, survey_form=form)


def round_survey_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The survey file's layout with the round's units and items, to be filled in and sent back."""
    scoring_round = get_round_for_manage(request.user, pk)
    response = HttpResponse(
        survey_template(scoring_round),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dieu-tra-xhh-{scoring_round.pk}.xlsx"'
    return response


@require_POST
def round_advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scoring_round = get_round_for_manage(request.user, pk)
    try:
        scoring_round = services.step_advance(scoring_round=scoring_round, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã chuyển sang bước: %(step)s.") % {"step": scoring_round.get_step_display()})
    return redirect("scoring-results", pk)


@dataclass
class ScoreRow:
    """One item of the scorecard and the forms the person may use on it at this step."""

    score: Score
    form: forms.BaseForm | None = None
    action: str = ""


# Which form each step offers, and to whom: the unit ("own") or the secretariat ("manage").
_STEP_FORMS: dict[str, tuple[str, str, type[ScoreForm]]] = {
    Step.SELF: ("own", "self", SelfScoreForm),
    Step.APPRAISAL: ("manage", "appraise", AppraiseForm),
    Step.EXPLANATION: ("own", "explain", ExplainForm),
    Step.FINAL: ("manage", "final", FinalForm),
}


def _rows(
    scores: list[Score], scoring_round: ScoringRound, who: set[str], bound: tuple[int, forms.BaseForm] | None
) -> list[ScoreRow]:
    offer = _STEP_FORMS.get(Step(scoring_round.step))
    rows = []
    for score in scores:
        row = ScoreRow(score)
        if offer and offer[0] in who and not score.criterion.is_survey:
            row.action = offer[1]
            fresh = offer[2](score=score, auto_id=f"s{score.pk}_%s")
            row.form = bound[1] if bound and bound[0] == score.pk else fresh
        rows.append(row)
    return rows


def _sheet(
    request: AuthenticatedHttpRequest, scoring_round: ScoringRound, unit: Any, bound: tuple[int, forms.BaseForm] | None
) -> HttpResponse:
    scores = list(unit_scores(scoring_round, unit))
    who = {name for name, allowed in (("own", can_self_score(request.user, unit)),
                                      ("manage", can_manage(request.user, scoring_round))) if allowed}  # fmt: skip
    result = next((r for r in round_results(scoring_round) if r.unit.pk == unit.pk), None)
    rows = _rows(scores, scoring_round, who, bound)
    if bound and not any(row.form is bound[1] for row in rows):
        # The step moved on while the form was open: its form is gone from the page, its reasons are not.
        _errors_shown(request, bound[1])
    context = {
        "round": scoring_round,
        "unit": unit,
        "rows": rows,
        "result": result,
        "can_survey": "manage" in who
        and scoring_round.step != Step.DONE
        and any(s.criterion.is_survey for s in scores),
    }
    return render(request, "scoring/unit_sheet.html", context, status=400 if bound else 200)


def unit_sheet(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    scoring_round, unit = get_unit_sheet(request.user, pk, code)
    return _sheet(request, scoring_round, unit, None)


_UNIT_ACTIONS = ("self", "accept", "explain")
_MANAGER_ACTIONS = ("appraise", "final")


@require_POST
def score_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action in _UNIT_ACTIONS:
        score = get_score_for_unit(request.user, pk)
    elif action in _MANAGER_ACTIONS:
        score = get_score_for_appraisal(request.user, pk)
    else:
        raise Http404
    user = request.user
    form: forms.BaseForm
    if action == "accept":
        form = PortalForm(request.POST)
        call: Callable[[], object] = lambda: services.suggestion_accept(score=score, user=user)  # noqa: E731
    elif action == "self":
        form = self_form = SelfScoreForm(request.POST, request.FILES, score=score, auto_id=f"s{score.pk}_%s")
        call = lambda: services.self_score(  # noqa: E731
            score=score, points=form.cleaned_data["points"], comment=form.cleaned_data["comment"],
            uploads=form.cleaned_data["files"], ratio=self_form.ratio, user=user,
        )  # fmt: skip
    elif action == "explain":
        form = ExplainForm(request.POST, score=score, auto_id=f"s{score.pk}_%s")
        call = lambda: services.explain(score=score, text=form.cleaned_data["explanation"], user=user)  # noqa: E731
    else:
        form_class = AppraiseForm if action == "appraise" else FinalForm
        service = services.appraise if action == "appraise" else services.final_appraise
        form = form_class(request.POST, score=score, auto_id=f"s{score.pk}_%s")
        call = lambda: service(  # noqa: E731
            score=score, points=form.cleaned_data["points"], comment=form.cleaned_data["comment"], user=user
        )
    if not _submit(form, call):
        if action == "accept":
            for message in form.non_field_errors():
                messages.error(request, f"{score.criterion.code}: {message}")
        else:
            scoring_round, unit = score.round, score.unit
            return _sheet(request, scoring_round, unit, (score.pk, form))
    else:
        messages.success(request, _("Đã lưu điểm tiêu chí %(code)s.") % {"code": score.criterion.code})
    page = reverse("scoring-sheet", args=[score.round_id, score.unit.code])
    return redirect(f"{page}#score-{score.pk}")


def survey_entry(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """The survey part (điều tra xã hội học) of one unit, entered by the secretariat."""
    scoring_round = get_round_for_manage(request.user, pk)
    _round, unit = get_unit_sheet(request.user, pk, code)
    scores = [s for s in unit_scores(scoring_round, unit) if s.criterion.is_survey]
    if not scores:
        raise Http404
    form = SurveyForm(request.POST or None, scoring_round=scoring_round, scores=scores)
    if request.method == "POST":
        call = lambda: services.survey_enter(  # noqa: E731
            scoring_round=scoring_round,
            unit=unit,
            points={c: form.cleaned_data[c] for c in form.scores},
            user=request.user,
        )
        if _submit(form, call):
            messages.success(request, _("Đã lưu điểm điều tra xã hội học của %(unit)s.") % {"unit": unit.name})
            return redirect("scoring-sheet", scoring_round.pk, unit.code)
    context = {"form": form, "round": scoring_round, "unit": unit}
    return render(request, "scoring/survey_form.html", context, status=400 if form.errors else 200)
