"""Writes of the scoring: trees and their criteria, rounds and their steps, the units' scores.

Every refusal is a ValidationError in Vietnamese; points outside their bounds are
refused, never clipped. Every row keeps its history (django-simple-history): the
services set `_history_user` so the history names who did it outside a request too.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from parplan.formatting import format_number
from parplan.models import Unit
from scoring.arithmetic import leaves, ratio_points, tree_problems
from scoring.models import (
    GROUP_KINDS,
    STEP_ORDER,
    Criterion,
    Method,
    Part,
    Score,
    ScoringRound,
    ScoringTree,
    Step,
)
from scoring.suggestions import suggestions_refresh
from targets.models import Indicator, Scope
from targets.sources import unit_rates

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _by(row: object, user: User | None) -> None:
    row._history_user = user  # type: ignore[attr-defined]  # simple_history reads it when saving


# --- Trees ----------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    code: str
    name: str
    max_points: Decimal
    parent_code: str = ""
    guidance: str = ""
    evidence_required: bool = False
    method: str = Method.FREE
    choices: str = ""
    ratio_full: Decimal = HUNDRED
    part: str = Part.BASE
    is_survey: bool = False
    source: str = ""
    indicator_id: int | None = None


def _unlocked(tree: ScoringTree) -> None:
    if tree.is_locked:
        raise ValidationError(_("Bộ tiêu chí đã khóa khi bắt đầu chấm điểm, không sửa được."))


@transaction.atomic
def tree_create(
    *,
    authority: Unit,
    year: int,
    group: str,
    title: str,
    items: Sequence[CriterionInput],
    declared_total: Decimal = HUNDRED,
    bonus_cap: Decimal = ZERO,
    penalty_cap: Decimal = ZERO,
    user: User | None = None,
    check_sums: bool = True,
) -> ScoringTree:
    """A new tree with its criteria (parents before children); refused when its points do not sum as declared.

    `check_sums=False` for a tree begun empty on its page, item by item: its round will not open until they sum.
    """
    if ScoringTree.objects.filter(authority=authority, year=year, group=group).exists():
        raise ValidationError(_("Đã có bộ tiêu chí của nhóm đơn vị này cho năm %(year)s.") % {"year": year})
    tree = ScoringTree(
        authority=authority,
        year=year,
        group=group,
        title=title,
        declared_total=declared_total,
        bonus_cap=bonus_cap,
        penalty_cap=penalty_cap,
    )
    _by(tree, user)
    tree.save()
    criteria_replace(tree=tree, items=items, user=user, check_sums=check_sums)
    return tree


@transaction.atomic
def criteria_replace(
    *, tree: ScoringTree, items: Sequence[CriterionInput], user: User | None = None, check_sums: bool = True
) -> list[Criterion]:
    """The tree's criteria become `items`, all or nothing: every problem is listed in one ValidationError."""
    tree = ScoringTree.objects.select_for_update().get(pk=tree.pk)
    _unlocked(tree)
    errors: list[str] = []
    by_code: dict[str, Criterion] = {}
    allowed_indicators = set(suggesting_indicators(tree).values_list("pk", flat=True))
    for item in items:
        if item.code in by_code:
            errors.append(_("Mã tiêu chí %(code)s bị trùng.") % {"code": item.code})
            continue
        if item.parent_code and item.parent_code not in by_code:
            errors.append(
                _("Tiêu chí %(code)s thuộc tiêu chí %(parent)s chưa có ở phía trên.")
                % {"code": item.code, "parent": item.parent_code}
            )
            continue
        if item.source and unit_rates(item.source) is None:
            errors.append(
                _("Tiêu chí %(code)s gợi ý từ nguồn dữ liệu không có: %(source)s.")
                % {"code": item.code, "source": item.source}
            )
        if item.indicator_id is not None and item.indicator_id not in allowed_indicators:
            errors.append(_indicator_problem(tree, item))
        by_code[item.code] = Criterion(
            tree=tree,
            code=item.code,
            name=item.name,
            max_points=item.max_points,
            guidance=item.guidance,
            evidence_required=item.evidence_required,
            method=item.method,
            choices=item.choices,
            ratio_full=item.ratio_full,
            part=item.part,
            is_survey=item.is_survey,
            source=item.source,
            indicator_id=item.indicator_id,
        )
    if errors:
        raise ValidationError(errors)
    tree.criteria.all().delete()
    saved: list[Criterion] = []
    for position, item in enumerate(items, start=1):
        criterion = by_code[item.code]
        criterion.position = position
        criterion.parent = by_code[item.parent_code] if item.parent_code else None
        _by(criterion, user)
        criterion.save()
        saved.append(criterion)
    problems = tree_problems(tree, saved) if check_sums else []
    if problems:
        raise ValidationError(problems)
    return saved


def _criterion_problems(tree: ScoringTree, item: CriterionInput, editing: Criterion | None) -> list[str]:
    """What is wrong with one item on its own (its code, its parent, its points and levels); the sums are the tree's."""
    problems: list[str] = []
    others = tree.criteria.exclude(pk=editing.pk) if editing else tree.criteria.all()
    if others.filter(code=item.code).exists():
        problems.append(_("Mã tiêu chí %(code)s bị trùng.") % {"code": item.code})
    if item.parent_code and not others.filter(code=item.parent_code).exists():
        problems.append(
            _("Tiêu chí %(code)s thuộc tiêu chí %(parent)s chưa có ở phía trên.")
            % {"code": item.code, "parent": item.parent_code}
        )
    if item.source and unit_rates(item.source) is None:
        problems.append(
            _("Tiêu chí %(code)s gợi ý từ nguồn dữ liệu không có: %(source)s.")
            % {"code": item.code, "source": item.source}
        )
    if item.max_points < 0:
        problems.append(_("Tiêu chí %(code)s có điểm tối đa âm.") % {"code": item.code})
    if item.indicator_id is not None and not suggesting_indicators(tree).filter(pk=item.indicator_id).exists():
        problems.append(_indicator_problem(tree, item))
    return problems


def _indicator_problem(tree: ScoringTree, item: CriterionInput) -> str:
    return _("Tiêu chí %(code)s gợi ý từ một chỉ số không thuộc kế hoạch năm %(year)s của cơ quan chấm.") % {
        "code": item.code,
        "year": tree.year,
    }


def suggesting_indicators(tree: ScoringTree) -> QuerySet[Indicator]:
    """Indicators a tree's item may be suggested from: those the units report, in the authority's plan of its year."""
    return Indicator.objects.filter(
        area__plan__issuing_unit=tree.authority, area__plan__year=tree.year, scope=Scope.UNITS
    ).order_by("area__number", "position")


@transaction.atomic
def criterion_save(
    *, tree: ScoringTree, item: CriterionInput, criterion: Criterion | None = None, user: User | None = None
) -> Criterion:
    """Add one item to an unlocked tree or change one; its sums are checked on the tree page and when a round opens.

    A tree is built one item at a time, so its sums do not add up until the last
    item is in: `tree_problems` lists what is still off, and `round_open` refuses
    a tree with any (docs/scoring.md).
    """
    tree = ScoringTree.objects.select_for_update().get(pk=tree.pk)
    _unlocked(tree)
    problems = _criterion_problems(tree, item, criterion)
    if problems:
        raise ValidationError(problems)
    parent = tree.criteria.get(code=item.parent_code) if item.parent_code else None
    if criterion is not None and parent is not None and parent.pk == criterion.pk:
        raise ValidationError(_("Tiêu chí không thể thuộc chính nó."))
    row = criterion or Criterion(tree=tree, position=(tree.criteria.count() + 1))
    for name in ("code", "name", "max_points", "guidance", "evidence_required", "method", "choices", "ratio_full",
                 "part", "is_survey", "source", "indicator_id"):  # fmt: skip
        setattr(row, name, getattr(item, name))
    row.parent = parent
    _by(row, user)
    row.save()
    return row


@transaction.atomic
def criterion_delete(*, criterion: Criterion, user: User | None = None) -> None:
    """Remove an item of an unlocked tree, with the items under it."""
    tree = ScoringTree.objects.select_for_update().get(pk=criterion.tree_id)
    _unlocked(tree)
    _by(criterion, user)
    criterion.delete()


@transaction.atomic
def tree_copy(*, tree: ScoringTree, year: int, user: User | None = None) -> ScoringTree:
    """Last year's tree as the start of `year`'s: the same criteria, unlocked."""
    items = []
    codes = {c.pk: c.code for c in tree.criteria.all()}
    # An indicator is of one year's plan: the copy links the same-named one of the new year's plan, if any.
    next_year = Indicator.objects.filter(
        area__plan__issuing_unit=tree.authority, area__plan__year=year, scope=Scope.UNITS
    )
    same_name = {name: pk for pk, name in next_year.values_list("pk", "name")}
    linked = dict(tree.criteria.filter(indicator__isnull=False).values_list("pk", "indicator__name"))
    for c in tree.criteria.order_by("position"):
        items.append(
            CriterionInput(
                code=c.code,
                name=c.name,
                max_points=c.max_points,
                parent_code=codes.get(c.parent_id, "") if c.parent_id else "",
                guidance=c.guidance,
                evidence_required=c.evidence_required,
                method=c.method,
                choices=c.choices,
                ratio_full=c.ratio_full,
                part=c.part,
                is_survey=c.is_survey,
                source=c.source,
                indicator_id=same_name.get(linked[c.pk]) if c.pk in linked else None,
            )
        )
    title = tree.title.replace(str(tree.year), str(year)) if str(tree.year) in tree.title else f"{tree.title} ({year})"
    return tree_create(
        authority=tree.authority,
        year=year,
        group=tree.group,
        title=title,
        items=items,
        declared_total=tree.declared_total,
        bonus_cap=tree.bonus_cap,
        penalty_cap=tree.penalty_cap,
        user=user,
    )


# --- Rounds ---------------------------------------------------------------------


def round_candidates(tree: ScoringTree) -> QuerySet[Unit]:
    """The units a round of the tree may score: those directly under the authority, whatever their kind."""
    return Unit.objects.filter(parent=tree.authority).select_related("kind").order_by("position", "code")


def round_units(tree: ScoringTree) -> list[Unit]:
    """The units offered when the round opens: the candidates of the group's usual kinds (`GROUP_KINDS`).

    Kinds are data: an authority whose units are of other kinds picks its units on the form instead.
    """
    return list(round_candidates(tree).filter(kind__code__in=GROUP_KINDS[tree.group]))


@transaction.atomic
def round_open(
    *,
    tree: ScoringTree,
    self_until: datetime.date,
    appraisal_until: datetime.date,
    explanation_until: datetime.date,
    final_until: datetime.date,
    units: Sequence[Unit] | None = None,
    bands: tuple[Decimal, Decimal, Decimal] = (Decimal(90), Decimal(80), Decimal(70)),
    user: User | None = None,
) -> ScoringRound:
    """Lock the tree, open its round with a deadline per step, and give each unit a row per scored item.

    `bands`: the thresholds of Xuất sắc, Tốt and Khá as a share (%) of the declared total.
    """
    tree = ScoringTree.objects.select_for_update().get(pk=tree.pk)
    if ScoringRound.objects.filter(tree=tree).exists():
        raise ValidationError(_("Bộ tiêu chí này đã có đợt chấm điểm."))
    problems = tree_problems(tree, tree.criteria.all())
    if problems:
        raise ValidationError(problems)
    if not self_until <= appraisal_until <= explanation_until <= final_until:
        raise ValidationError(_("Hạn các bước phải theo thứ tự: tự chấm, thẩm định, giải trình, thẩm định lần cuối."))
    if not HUNDRED >= bands[0] > bands[1] > bands[2] >= 0:
        raise ValidationError(_("Ngưỡng xếp loại phải giảm dần từ xuất sắc đến khá, trong khoảng 0 đến 100%."))
    chosen = round_units(tree) if units is None else list(dict.fromkeys(units))  # a unit named twice scores once
    if not chosen:
        raise ValidationError(
            {"units": [_("Chưa có đơn vị nào được chấm điểm: chọn ít nhất một đơn vị trực thuộc %(authority)s.")
                       % {"authority": tree.authority.name}]}
        )  # fmt: skip
    candidates = set(round_candidates(tree).values_list("pk", flat=True))
    outside = [unit.name for unit in chosen if unit.pk not in candidates]
    if outside:
        raise ValidationError(
            {"units": [_("Không trực thuộc %(authority)s: %(units)s.")
                       % {"authority": tree.authority.name, "units": ", ".join(outside)}]}
        )  # fmt: skip
    tree.locked_at = timezone.now()
    _by(tree, user)
    tree.save(update_fields=["locked_at"])
    scoring_round = ScoringRound(
        tree=tree,
        self_until=self_until,
        appraisal_until=appraisal_until,
        explanation_until=explanation_until,
        final_until=final_until,
        band_excellent=bands[0],
        band_good=bands[1],
        band_fair=bands[2],
        opened_by=user,
    )
    _by(scoring_round, user)
    scoring_round.save()
    items = leaves(tree.criteria.all())
    Score.objects.bulk_create(
        [Score(round=scoring_round, unit=unit, criterion=item) for unit in chosen for item in items]
    )
    suggestions_refresh(scoring_round=scoring_round)
    return scoring_round


# --- Steps ----------------------------------------------------------------------


def _open_for(scoring_round: ScoringRound, step: Step, today: datetime.date | None = None) -> None:
    """Refuse unless the round is at `step` and the step's deadline has not passed."""
    today = today or timezone.localdate()
    if scoring_round.step != step:
        raise ValidationError(
            _("Bước “%(step)s” không mở: đợt chấm điểm đang ở bước “%(current)s”.")
            % {"step": step.label, "current": scoring_round.get_step_display()}
        )
    deadline = scoring_round.deadline()
    if isinstance(deadline, datetime.date) and today > deadline:
        raise ValidationError(
            _("Đã quá hạn %(step)s (%(date)s): không sửa được nữa.")
            % {"step": step.label.lower(), "date": deadline.strftime("%d/%m/%Y")}
        )


def check_points(criterion: Criterion, points: Decimal) -> None:
    """Refuse points outside 0…maximum, or not one of the item's levels; never clip them."""
    if points < 0:
        raise ValidationError(_("Điểm của tiêu chí %(code)s không được âm.") % {"code": criterion.code})
    if points > criterion.max_points:
        raise ValidationError(
            _("Điểm %(points)s vượt điểm tối đa %(max)s của tiêu chí %(code)s.")
            % {"points": format_number(points), "max": format_number(criterion.max_points), "code": criterion.code}
        )
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError(_("Điểm chỉ có tối đa hai chữ số thập phân."))
    if criterion.method == Method.CHOICES and points not in criterion.choice_points():
        levels = ", ".join(format_number(level) for level in criterion.choice_points())
        raise ValidationError(
            _("Tiêu chí %(code)s chỉ chấm theo các mức: %(levels)s.") % {"code": criterion.code, "levels": levels}
        )


def points_from_ratio(criterion: Criterion, ratio: tuple[Decimal, Decimal], typed: Decimal | None) -> Decimal:
    """A ratio item's points from the figures the unit typed (8 of 10); refused, never adjusted, when they cannot be.

    Points typed beside the figures must be the ones the figures give: a number a
    person typed is never silently replaced by another.
    """
    numerator, denominator = ratio
    if criterion.method != Method.RATIO:
        raise ValidationError(_("Tiêu chí %(code)s không chấm theo tỷ lệ.") % {"code": criterion.code})
    if denominator <= 0:
        raise ValidationError(
            {"denominator": [_("Tổng số phải lớn hơn 0; không phát sinh việc nào thì nhập điểm và thuyết minh.")]}
        )
    if not 0 <= numerator <= denominator:
        message = _("Số đạt yêu cầu phải từ 0 đến tổng số (%(total)s).") % {"total": format_number(denominator)}
        raise ValidationError({"numerator": [message]})
    points = ratio_points(criterion, numerator, denominator)
    assert points is not None  # the denominator is positive
    if typed is not None and typed != points:
        raise ValidationError(
            {
                "points": [
                    _(
                        "Theo tỷ lệ %(numerator)s/%(denominator)s, điểm là %(points)s chứ không phải %(typed)s: "
                        "để trống ô điểm hoặc sửa số liệu."
                    )
                    % {
                        "numerator": format_number(numerator),
                        "denominator": format_number(denominator),
                        "points": format_number(points),
                        "typed": format_number(typed),
                    }
                ]
            }
        )
    return points


def _locked_score(score: Score) -> Score:
    return (
        Score.objects.select_for_update(of=("self",))
        .select_related("round__tree", "criterion", "unit")
        .get(pk=score.pk)
    )


@transaction.atomic
def self_score(
    *,
    score: Score,
    points: Decimal | None,
    comment: str,
    uploads: Sequence[UploadedFile] = (),
    ratio: tuple[Decimal, Decimal] | None = None,
    user: User | None,
    today: datetime.date | None = None,
) -> Score:
    """The unit's own points on one item, with its comment and evidence files, while self-scoring is open.

    On a ratio item the unit may give its figures instead (`ratio`: 8 of 10): the points are computed from them.
    """
    score = _locked_score(score)
    scoring_round = ScoringRound.objects.select_for_update().get(pk=score.round_id)
    _open_for(scoring_round, Step.SELF, today)
    if score.criterion.is_survey:
        raise ValidationError(_("Điểm điều tra xã hội học do Phòng Nội vụ nhập, đơn vị không tự chấm."))
    names = validate_uploads(uploads) if uploads else []
    if ratio is not None:
        points = points_from_ratio(score.criterion, ratio, points)
    if points is not None:
        check_points(score.criterion, points)
        if score.criterion.evidence_required and not uploads and not score.evidence.exists():
            raise ValidationError(
                {
                    "files": [
                        _("Tiêu chí %(code)s bắt buộc có tài liệu kiểm chứng: cần tải lên ít nhất một tệp.")
                        % {"code": score.criterion.code}
                    ]
                }
            )
    score.self_points = points
    score.self_numerator, score.self_denominator = ratio if ratio is not None else (None, None)
    score.self_comment = comment.strip()
    _by(score, user)
    score.save()
    if uploads:
        evidence_attach(owner=score, uploads=uploads, names=names, user=user)
    return score


@transaction.atomic
def suggestion_accept(*, score: Score, user: User | None, today: datetime.date | None = None) -> Score:
    """The unit takes the suggested points as its own."""
    if score.suggested_points is None:
        raise ValidationError(_("Tiêu chí này không có điểm gợi ý."))
    return self_score(
        score=score,
        points=score.suggested_points,
        comment=score.self_comment or score.suggestion_note,
        # The records' figures become the unit's, as if typed: the scorecard says where the points came from.
        ratio=_suggested_ratio(score),
        user=user,
        today=today,
    )


def _suggested_ratio(score: Score) -> tuple[Decimal, Decimal] | None:
    """The figures behind a ratio item's suggestion, when they give its points by the item's rule."""
    numerator, denominator = score.suggested_numerator, score.suggested_denominator
    if score.criterion.method != Method.RATIO or numerator is None or denominator is None:
        return None
    if (
        not 0 <= numerator <= denominator
        or ratio_points(score.criterion, numerator, denominator) != score.suggested_points
    ):
        return None
    return numerator, denominator


@transaction.atomic
def appraise(
    *, score: Score, points: Decimal | None, comment: str, user: User | None, today: datetime.date | None = None
) -> Score:
    """The secretariat confirms the unit's points (`points` None) or changes them, saying why."""
    score = _locked_score(score)
    _open_for(score.round, Step.APPRAISAL, today)
    value = score.self_points if points is None else points
    if value is None:
        raise ValidationError(_("Đơn vị chưa tự chấm tiêu chí này: cần nhập điểm thẩm định."))
    check_points(score.criterion, value)
    if value != score.self_points and not comment.strip():
        raise ValidationError({"comment": [_("Cần ghi rõ lý do khi thay đổi điểm tự chấm.")]})
    score.appraised_points = value
    score.appraisal_comment = comment.strip()
    _by(score, user)
    score.save()
    return score


@transaction.atomic
def explain(*, score: Score, text: str, user: User | None, today: datetime.date | None = None) -> Score:
    """The unit's explanation (giải trình) of an appraised score, within its deadline."""
    score = _locked_score(score)
    _open_for(score.round, Step.EXPLANATION, today)
    if not text.strip():
        raise ValidationError({"explanation": [_("Cần nhập nội dung giải trình.")]})
    score.explanation = text.strip()
    _by(score, user)
    score.save()
    return score


@transaction.atomic
def final_appraise(
    *, score: Score, points: Decimal | None, comment: str, user: User | None, today: datetime.date | None = None
) -> Score:
    """The last word on an item: the appraised points kept (`points` None) or changed after the explanation."""
    score = _locked_score(score)
    _open_for(score.round, Step.FINAL, today)
    value = score.appraised_points if points is None else points
    if value is None:
        raise ValidationError(_("Tiêu chí này chưa có điểm thẩm định: cần nhập điểm cuối cùng."))
    check_points(score.criterion, value)
    score.final_points = value
    score.final_comment = comment.strip()
    _by(score, user)
    score.save()
    return score


@transaction.atomic
def survey_enter(
    *, scoring_round: ScoringRound, unit: Unit, points: dict[str, Decimal], user: User | None
) -> list[Score]:
    """The survey part (điều tra xã hội học) of one unit, by item code: its appraised and final points at once."""
    if scoring_round.step == Step.DONE:
        raise ValidationError(_("Đợt chấm điểm đã công bố kết quả, không nhập thêm được."))
    scores = {
        s.criterion.code: s
        for s in Score.objects.select_for_update(of=("self",))
        .select_related("criterion")
        .filter(round=scoring_round, unit=unit, criterion__is_survey=True)
    }
    saved = []
    for code, value in points.items():
        score = scores.get(code)
        if score is None:
            raise ValidationError(_("Không có tiêu chí điều tra xã hội học mã %(code)s.") % {"code": code})
        check_points(score.criterion, value)
        score.appraised_points = score.final_points = value
        _by(score, user)
        score.save()
        saved.append(score)
    return saved


@transaction.atomic
def step_advance(*, scoring_round: ScoringRound, user: User | None = None) -> ScoringRound:
    """Close the round's step and open the next; closing the last fills what nobody changed and publishes."""
    scoring_round = ScoringRound.objects.select_for_update().select_related("tree").get(pk=scoring_round.pk)
    if scoring_round.step == Step.DONE:
        raise ValidationError(_("Đợt chấm điểm đã công bố kết quả."))
    scores = Score.objects.filter(round=scoring_round)
    if scoring_round.step == Step.APPRAISAL:
        # What the secretariat did not appraise stays as the unit scored it.
        for score in scores.filter(appraised_points__isnull=True).exclude(self_points__isnull=True):
            score.appraised_points = score.self_points
            _by(score, user)
            score.save(update_fields=["appraised_points"])
    if scoring_round.step == Step.FINAL:
        for score in scores.filter(final_points__isnull=True):
            score.final_points = score.appraised_points if score.appraised_points is not None else ZERO
            _by(score, user)
            score.save(update_fields=["final_points"])
        scoring_round.finished_at = timezone.now()
    scoring_round.step = STEP_ORDER[STEP_ORDER.index(Step(scoring_round.step)) + 1]
    _by(scoring_round, user)
    scoring_round.save()
    return scoring_round


def suggestions_refresh_open() -> int:
    """Rounds still in self-assessment read their suggestions again from the records (nightly, with the steps).

    Tasks are completed and figures approved while the units score themselves: the
    suggestion shown beside a score follows them until the step closes. Returns the
    rows whose suggestion changed; the units' own points are never touched.
    """
    rounds = ScoringRound.objects.filter(step=Step.SELF).select_related("tree")
    return sum(suggestions_refresh(scoring_round=scoring_round) for scoring_round in rounds)


def steps_close_due(today: datetime.date | None = None) -> list[str]:
    """Every round whose step's deadline has passed moves on (Celery beat, daily); returns what moved."""
    today = today or timezone.localdate()
    moved = []
    for scoring_round in ScoringRound.objects.exclude(step=Step.DONE).select_related("tree"):
        deadline = scoring_round.deadline()
        while isinstance(deadline, datetime.date) and deadline < today and scoring_round.step != Step.DONE:
            scoring_round = step_advance(scoring_round=scoring_round)
            moved.append(f"{scoring_round.tree}: {scoring_round.get_step_display()}")
            deadline = scoring_round.deadline()
    return moved
