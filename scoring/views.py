"""Scoring screens: the rounds, a round's results, a unit's scorecard with its forms. Writes go through services."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parplan.http import AuthenticatedHttpRequest
from parplan.models import Unit
from parplan.numbers import read_number
from scoring import services
from scoring.access import (
    can_manage,
    can_read_results,
    can_self_score,
    get_round_for_manage,
    get_round_for_results,
    get_score_for_appraisal,
    get_score_for_unit,
    get_unit_sheet,
)
from scoring.models import ScoringRound, Step
from scoring.selectors import round_results, unit_scores


def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rounds = [
        r
        for r in ScoringRound.objects.select_related("tree__authority").order_by("-tree__year", "tree__group")
        if can_read_results(request.user, r)
    ]
    units = [
        u for u in Unit.objects.filter(memberships__user=request.user).distinct() if can_self_score(request.user, u)
    ]
    own = [
        (r, u)
        for u in units
        for r in ScoringRound.objects.select_related("tree").filter(scores__unit=u).distinct().order_by("-tree__year")
    ]
    return render(request, "scoring/round_list.html", {"rounds": rounds, "own": own})


def round_results_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scoring_round = get_round_for_results(request.user, pk)
    context = {
        "round": scoring_round,
        "results": round_results(scoring_round),
        "can_manage": can_manage(request.user, scoring_round),
    }
    return render(request, "scoring/round_results.html", context)


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


def unit_sheet(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    scoring_round, unit = get_unit_sheet(request.user, pk, code)
    scores = list(unit_scores(scoring_round, unit))
    own = can_self_score(request.user, unit)
    manage = can_manage(request.user, scoring_round)
    result = next((r for r in round_results(scoring_round) if r.unit.pk == unit.pk), None)
    context = {
        "round": scoring_round,
        "unit": unit,
        "scores": scores,
        "result": result,
        "can_self": own and scoring_round.step == Step.SELF,
        "can_explain": own and scoring_round.step == Step.EXPLANATION,
        "can_appraise": manage and scoring_round.step == Step.APPRAISAL,
        "can_final": manage and scoring_round.step == Step.FINAL,
    }
    return render(request, "scoring/unit_sheet.html", context)


def _points(raw: str) -> Decimal | None:
    """Points as typed (1,5 or 1.5 by the page's language); empty: none."""
    raw = raw.strip()
    return read_number(raw) if raw else None


@require_POST
def score_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action in ("self", "accept", "explain"):
        score = get_score_for_unit(request.user, pk)
    elif action in ("appraise", "final"):
        score = get_score_for_appraisal(request.user, pk)
    else:
        raise Http404
    data = request.POST
    try:
        if action == "self":
            services.self_score(
                score=score,
                points=_points(data.get("points", "")),
                comment=data.get("comment", ""),
                uploads=request.FILES.getlist("files"),
                user=request.user,
            )
        elif action == "accept":
            services.suggestion_accept(score=score, user=request.user)
        elif action == "explain":
            services.explain(score=score, text=data.get("explanation", ""), user=request.user)
        elif action == "appraise":
            services.appraise(
                score=score,
                points=_points(data.get("points", "")),
                comment=data.get("comment", ""),
                user=request.user,
            )
        else:
            services.final_appraise(
                score=score,
                points=_points(data.get("points", "")),
                comment=data.get("comment", ""),
                user=request.user,
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{score.criterion.code}: {message}")
    else:
        messages.success(request, _("Đã lưu điểm tiêu chí %(code)s.") % {"code": score.criterion.code})
    return redirect(f"{redirect('scoring-sheet', score.round_id, score.unit.code).url}#score-{score.pk}")
