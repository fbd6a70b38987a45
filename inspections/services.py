"""The writes of inspections: plans, visits, findings, and the recommendation workflow.

Every service checks all it is given before its first write, inside one
transaction: a refused input leaves nothing half-saved. The recommendation's
workflow locks the recommendation's row (the unit and the secretariat act on
the same record). See docs/inspections.md for the states and why they are here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from inspections.indicators import COVERAGE, FINDINGS_HANDLED
from inspections.models import (
    AreaCheck,
    Finding,
    FindingOutcome,
    InspectionPlan,
    PlannedUnit,
    Recommendation,
    Severity,
    Visit,
)
from inspections.notices import InspectionNotice
from notifications.models import Notification
from notifications.services import notify, people_of, secretariat_people
from parplan import workflow
from parplan.i18n import site_language
from parplan.models import Plan, ReformArea, Unit, UnitKind
from parplan.workflow import Step
from targets.models import Indicator
from targets.periods import year_window
from targets.services import indicator_mark_for_evaluation

Errors = dict[str, list[str]]


def _refuse(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _checked(day: datetime.date | None) -> datetime.date:
    """A date the service's checks have required (they refuse before any write when it is missing)."""
    if day is None:
        raise ValueError("a required date passed the checks unset")
    return day


def _window_message(year: int) -> str:
    start, end = year_window(year)
    return _("Ngày phải trong năm kế hoạch %(year)d (từ %(start)s đến %(end)s).") % {
        "year": year,
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }


def _in_window(year: int, day: datetime.date | None) -> bool:
    start, end = year_window(year)
    return day is not None and start <= day <= end


def _in_issuer_tree(plan: Plan, unit: Unit) -> bool:
    return unit.path.startswith(plan.issuing_unit.path) and unit.pk != plan.issuing_unit_id


def _outside_tree_message(plan: Plan, unit: Unit) -> str:
    return _("Đơn vị “%(unit)s” không trực thuộc %(issuer)s.") % {"unit": unit.name, "issuer": plan.issuing_unit.name}


def _mark_indicators(plan: Plan) -> None:
    """The computed indicators change with the records: re-evaluate them soon (the sweep writes their figures)."""
    for indicator_id in (
        Indicator.objects.of_plan(plan).filter(source__in=[COVERAGE, FINDINGS_HANDLED]).values_list("pk", flat=True)
    ):
        indicator_mark_for_evaluation(indicator_id=indicator_id, plan_id=plan.pk)


# --- The plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    kind: str
    conducting_unit: Unit
    decision_number: str
    decision_date: datetime.date | None
    topics: str
    areas: Sequence[ReformArea]
    scope_kinds: Sequence[UnitKind]
    team: Sequence[User]
    lead: User | None


@transaction.atomic
def inspection_plan_create(*, plan: Plan, data: PlanInput, user: User) -> InspectionPlan:
    errors: Errors = {}
    if InspectionPlan.objects.filter(plan=plan, kind=data.kind).exists():
        errors["kind"] = [_("Kế hoạch CCHC này đã có kế hoạch kiểm tra loại này.")]
    if not data.decision_number.strip():
        errors["decision_number"] = [_("Cần ghi số quyết định ban hành kế hoạch kiểm tra.")]
    if data.decision_date is None:
        errors["decision_date"] = [_("Cần ghi ngày quyết định.")]
    elif data.decision_date.year not in (plan.year - 1, plan.year):
        errors["decision_date"] = [_("Ngày quyết định phải trong năm kế hoạch hoặc năm trước đó.")]
    if not data.conducting_unit.path.startswith(plan.issuing_unit.path):
        errors["conducting_unit"] = [_outside_tree_message(plan, data.conducting_unit)]
    if any(area.plan_id != plan.pk for area in data.areas):
        errors["areas"] = [_("Lĩnh vực phải thuộc kế hoạch CCHC này.")]
    if not data.scope_kinds:
        errors["scope_kinds"] = [_("Cần chọn ít nhất một loại đơn vị thuộc phạm vi kiểm tra.")]
    if data.lead is not None and data.lead not in data.team:
        errors["lead"] = [_("Trưởng đoàn phải là thành viên đoàn kiểm tra.")]
    _refuse(errors)
    inspection_plan = InspectionPlan(
        plan=plan, kind=data.kind, conducting_unit=data.conducting_unit, decision_number=data.decision_number.strip(),
        decision_date=_checked(data.decision_date), topics=data.topics.strip(), lead=data.lead,
    )  # fmt: skip
    setattr(inspection_plan, "_history_user", user)  # noqa: B010
    inspection_plan.save()
    inspection_plan.areas.set(data.areas)
    inspection_plan.scope_kinds.set(data.scope_kinds)
    inspection_plan.team.set(data.team)
    _mark_indicators(plan)
    return inspection_plan


@transaction.atomic
def planned_unit_add(*, inspection_plan: InspectionPlan, unit: Unit, month: int, unannounced: bool) -> PlannedUnit:
    plan = inspection_plan.plan
    errors: Errors = {}
    if not _in_issuer_tree(plan, unit):
        errors["unit"] = [_outside_tree_message(plan, unit)]
    elif inspection_plan.planned.filter(unit=unit).exists():
        errors["unit"] = [_("Đơn vị đã có trong kế hoạch kiểm tra.")]
    if not 1 <= month <= 12:
        errors["month"] = [_("Tháng dự kiến phải từ 1 đến 12.")]
    _refuse(errors)
    return PlannedUnit.objects.create(inspection_plan=inspection_plan, unit=unit, month=month, unannounced=unannounced)


# --- Visits and findings --------------------------------------------------------------------


@dataclass(frozen=True)
class VisitInput:
    unit: Unit
    start_date: datetime.date | None
    end_date: datetime.date | None
    unannounced: bool
    direct: bool
    team: Sequence[User]
    lead: User | None
    conclusion: str
    # What was checked, by reform area id (areas left empty were not checked).
    checks: Mapping[int, str]


@transaction.atomic
def visit_record(*, inspection_plan: InspectionPlan, data: VisitInput, user: User) -> Visit:
    """Record a visit with what was checked in each area; refused whole if any part is wrong."""
    plan = inspection_plan.plan
    errors: Errors = {}
    if not _in_issuer_tree(plan, data.unit):
        errors["unit"] = [_outside_tree_message(plan, data.unit)]
    for name in ("start_date", "end_date"):
        day = getattr(data, name)
        if day is None:
            errors[name] = [_("Cần ghi ngày kiểm tra.")]
        elif not _in_window(plan.year, day):
            errors[name] = [_window_message(plan.year)]
    if data.start_date and data.end_date and data.end_date < data.start_date and "end_date" not in errors:
        errors["end_date"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    if data.lead is None:
        errors["lead"] = [_("Cần chọn trưởng đoàn.")]
    elif data.lead not in data.team:
        errors["lead"] = [_("Trưởng đoàn phải là thành viên đoàn kiểm tra.")]
    areas = {area.pk: area for area in plan.areas.all()}
    checks = {area_id: notes.strip() for area_id, notes in data.checks.items() if notes.strip()}
    if any(area_id not in areas for area_id in checks):
        errors["checks"] = [_("Lĩnh vực phải thuộc kế hoạch CCHC này.")]
    _refuse(errors)
    visit = Visit(
        inspection_plan=inspection_plan, unit=data.unit, start_date=_checked(data.start_date),
        end_date=_checked(data.end_date),
        unannounced=data.unannounced, direct=data.direct, lead=data.lead, conclusion=data.conclusion.strip(),
        recorded_by=user,
    )  # fmt: skip
    setattr(visit, "_history_user", user)  # noqa: B010
    visit.save()
    visit.team.set(data.team)
    AreaCheck.objects.bulk_create(AreaCheck(visit=visit, area=areas[pk], notes=notes) for pk, notes in checks.items())
    _mark_indicators(plan)
    return visit


@transaction.atomic
def finding_add(
    *,
    visit: Visit,
    area: ReformArea | None,
    severity: str,
    text: str,
    deadline: datetime.date | None,
    files: Sequence[UploadedFile] = (),
    user: User,
) -> Finding:
    plan = visit.inspection_plan.plan
    errors: Errors = {}
    if area is None or area.plan_id != plan.pk:
        errors["area"] = [_("Cần chọn lĩnh vực của kế hoạch CCHC này.")]
    if severity not in Severity.values:
        errors["severity"] = [_("Mức độ không hợp lệ.")]
    if not text.strip():
        errors["text"] = [_("Cần ghi nội dung vấn đề phát hiện.")]
    if deadline is None:
        errors["deadline"] = [_("Cần ghi hạn xử lý vấn đề.")]
    elif deadline < visit.start_date:
        errors["deadline"] = [_("Hạn xử lý không được trước ngày kiểm tra.")]
    _refuse(errors)
    names = validate_uploads(files)
    finding = Finding(visit=visit, area=area, severity=severity, text=text.strip(), deadline=_checked(deadline))
    setattr(finding, "_history_user", user)  # noqa: B010
    finding.save()
    evidence_attach(owner=finding, uploads=files, names=names, user=user)
    _mark_indicators(plan)
    return finding


@transaction.atomic
def finding_settle(*, finding: Finding, outcome: str, on: datetime.date | None, note: str, user: User) -> Finding:
    """Record that a finding was handled, or referred to the body that handles it (kiến nghị xử lý)."""
    current = Finding.objects.select_for_update().select_related("visit__inspection_plan__plan").get(pk=finding.pk)
    errors: Errors = {}
    if outcome not in (FindingOutcome.HANDLED, FindingOutcome.REFERRED):
        errors["outcome"] = [_("Chọn “Đã xử lý” hoặc “Đã kiến nghị xử lý”.")]
    if on is None:
        errors["on"] = [_("Cần ghi ngày xử lý.")]
    elif on < current.visit.start_date or on > timezone.localdate():
        errors["on"] = [_("Ngày xử lý phải từ ngày kiểm tra đến hôm nay.")]
    _refuse(errors)
    current.outcome, current.outcome_on, current.outcome_note = outcome, on, note.strip()
    setattr(current, "_history_user", user)  # noqa: B010
    current.save()
    _mark_indicators(current.visit.inspection_plan.plan)
    return current


# --- Recommendations: the unit answers, the secretariat confirms or returns ---------------
#
# The states and steps are the completion workflow tasks follow (parplan.workflow):
# answering is the claim. Each step locks the recommendation's row, refuses a step
# taken on an older version than the stored one, and counts the version up.


def _reviewers(inspection_plan: InspectionPlan) -> list[User]:
    """Who confirms and returns: the plan's secretariat and the conducting body's people (access.can_manage)."""
    people = secretariat_people(inspection_plan.plan) + people_of([inspection_plan.conducting_unit])
    return list({person.pk: person for person in people}.values())


def _page(recommendation: Recommendation) -> str:
    return reverse("inspection-visit", args=[recommendation.visit_id]) + "#recommendations"


def _tell(users: Sequence[User], kind: str, message: str, recommendation: Recommendation, day: datetime.date) -> None:
    notify(users=users, kind=kind, message=message, url=_page(recommendation),
           subject_key=f"recommendation:{recommendation.pk}", day=day)  # fmt: skip


def _tell_unit(recommendation: Recommendation, kind: str, message: str, day: datetime.date) -> None:
    _tell(people_of([recommendation.unit]), kind, message, recommendation, day)


@transaction.atomic
def recommendation_add(
    *, visit: Visit, text: str, deadline: datetime.date | None, finding: Finding | None, user: User
) -> Recommendation:
    """A kiến nghị to the visited unit, with its deadline; the unit's people are told."""
    errors: Errors = {}
    if not text.strip():
        errors["text"] = [_("Cần ghi nội dung kiến nghị.")]
    if deadline is None:
        errors["deadline"] = [_("Kiến nghị phải có hạn thực hiện.")]
    elif deadline < visit.start_date:
        errors["deadline"] = [_("Hạn thực hiện không được trước ngày kiểm tra.")]
    if finding is not None and finding.visit_id != visit.pk:
        errors["finding"] = [_("Vấn đề phát hiện phải thuộc đợt kiểm tra này.")]
    _refuse(errors)
    recommendation = Recommendation(
        visit=visit, unit=visit.unit, finding=finding, text=text.strip(), deadline=_checked(deadline)
    )
    recommendation._history_user = user
    recommendation.save()
    with site_language():
        message = _("Đoàn kiểm tra có kiến nghị với %(unit)s, hạn %(due)s: %(text)s") % {
            "unit": visit.unit.name, "due": f"{recommendation.deadline:%d/%m/%Y}", "text": recommendation}  # fmt: skip
    _tell_unit(recommendation, InspectionNotice.NEW_RECOMMENDATION, message, timezone.localdate())
    return recommendation


def _locked(recommendation: Recommendation, expected_version: int | None = None) -> Recommendation:
    current = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("visit__inspection_plan__plan", "visit__inspection_plan__conducting_unit", "unit", "finding")
        .get(pk=recommendation.pk)
    )
    workflow.ensure_version(
        current, expected_version,
        _("Kiến nghị vừa được người khác cập nhật. Mở lại trang để xem thay đổi rồi thao tác lại."),
    )  # fmt: skip
    return current


def _step(recommendation: Recommendation, step: Step) -> str:
    """The state after `step`, by the shared workflow; refused with the recommendation's state named."""
    return workflow.advance(
        recommendation.state, step,
        refused=_("Kiến nghị đang ở trạng thái “%(state)s”, không thực hiện được thao tác này.")
        % {"state": recommendation.state_label()},
    )  # fmt: skip


@transaction.atomic
def recommendation_answer(
    *, recommendation: Recommendation, user: User, text: str, files: Sequence[UploadedFile] = (),
    expected_version: int | None = None, at: datetime.datetime | None = None,
) -> Recommendation:  # fmt: skip
    """The inspected unit reports what it did, with evidence (the claim); it waits for the confirmation.

    `at` is when the unit answered (default now): the demo dates a past year's answers in that year.
    """
    current = _locked(recommendation, expected_version)
    state = _step(current, Step.CLAIM)
    workflow.refuse(workflow.claim_errors(text, _("Cần ghi kết quả thực hiện kiến nghị.")))
    names = validate_uploads(files)
    at = at or timezone.now()
    current._history_date = at
    workflow.bump(current, by=user, reason="answered", state=state, response=text.strip(),
                  responded_at=at, responded_by=user)  # fmt: skip
    evidence_attach(owner=current, uploads=files, names=names, user=user)
    with site_language():
        message = _("%(unit)s báo cáo kết quả thực hiện kiến nghị “%(text)s”, chờ xác nhận.") % {
            "unit": current.unit.name, "text": current}  # fmt: skip
    _tell(_reviewers(current.visit.inspection_plan), InspectionNotice.ANSWERED, message, current,
          timezone.localdate())  # fmt: skip
    return current


@transaction.atomic
def recommendation_confirm(
    *, recommendation: Recommendation, user: User, today: datetime.date, expected_version: int | None = None
) -> Recommendation:
    """Done: the recommendation closes and, when it answers a finding still open, the finding is handled today."""
    current = _locked(recommendation, expected_version)
    state = _step(current, Step.CONFIRM)
    workflow.bump(current, by=user, reason="confirmed", state=state, confirmed_on=today, review_comment="")
    finding = current.finding
    if finding is not None and finding.outcome == FindingOutcome.OPEN:
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        finding.outcome, finding.outcome_on = FindingOutcome.HANDLED, today
        setattr(finding, "_history_user", user)  # noqa: B010
        finding.save()
        current.finding = finding
    _mark_indicators(current.visit.inspection_plan.plan)
    return current


@transaction.atomic
def recommendation_return(
    *, recommendation: Recommendation, user: User, comment: str, expected_version: int | None = None
) -> Recommendation:
    """Not done yet: back to the unit with the reason (its answer and files stay in the history); the unit is told."""
    current = _locked(recommendation, expected_version)
    state = _step(current, Step.RETURN)
    workflow.refuse(workflow.return_errors(comment))
    workflow.bump(current, by=user, reason="returned", state=state, review_comment=comment.strip())
    with site_language():
        message = _("Kiến nghị “%(text)s” bị trả lại: %(comment)s") % {"text": current, "comment": comment.strip()}
    _tell_unit(current, InspectionNotice.RETURNED, message, timezone.localdate())
    return current


@transaction.atomic
def recommendation_request_extension(
    *, recommendation: Recommendation, user: User, new_deadline: datetime.date | None, reason: str,
    today: datetime.date | None = None, expected_version: int | None = None,
) -> Recommendation:  # fmt: skip
    """The unit asks for a later deadline, one request at a time; the secretariat is told."""
    day = today or timezone.localdate()
    current = _locked(recommendation, expected_version)
    _step(current, Step.REQUEST_EXTENSION)
    workflow.refuse(workflow.extension_errors(
        year=current.visit.inspection_plan.plan.year, deadline=current.deadline, new_deadline=new_deadline,
        today=day, reason=reason, pending=current.requested_deadline is not None, field="new_deadline",
    ))  # fmt: skip
    workflow.bump(current, by=user, reason="extension requested", requested_deadline=new_deadline,
                  extension_reason=reason.strip())  # fmt: skip
    with site_language():
        message = _("%(unit)s đề nghị gia hạn kiến nghị “%(text)s” đến %(due)s.") % {
            "unit": current.unit.name, "text": current, "due": f"{_checked(new_deadline):%d/%m/%Y}"}  # fmt: skip
    _tell(_reviewers(current.visit.inspection_plan), InspectionNotice.EXTENSION_REQUESTED, message, current, day)
    return current


@transaction.atomic
def recommendation_decide_extension(
    *, recommendation: Recommendation, user: User, approve: bool, note: str = "", expected_version: int | None = None
) -> Recommendation:
    """Approve (the deadline moves) or refuse with a reason (it stays); a confirmed recommendation takes neither."""
    workflow.refuse(workflow.refusal_errors(approve=approve, note=note))
    current = _locked(recommendation, expected_version)
    if current.requested_deadline is None:
        raise ValidationError(_("Không có đề nghị gia hạn nào đang chờ quyết định."))
    _step(current, Step.DECIDE_EXTENSION)
    deadline = current.requested_deadline if approve else current.deadline
    reason = "extension approved" if approve else "extension refused"
    return workflow.bump(current, by=user, reason=reason, deadline=deadline, requested_deadline=None,
                         review_comment=note.strip() or current.review_comment)  # fmt: skip


def recommendations_remind_overdue(*, today: datetime.date) -> int:
    """The daily digest's notices: each recommendation past its deadline and not confirmed, told to its unit once.

    Once per deadline: a recommendation whose extended deadline passes again is told again.
    """
    told = set(Notification.objects.filter(kind=InspectionNotice.OVERDUE).values_list("recipient_id", "subject_key"))
    created = 0
    for recommendation in Recommendation.objects.overdue_on(today).select_related("unit"):
        subject = f"recommendation:{recommendation.pk}:{recommendation.deadline:%Y%m%d}"
        with site_language():
            message = _("Kiến nghị “%(text)s” đã quá hạn (hạn %(due)s).") % {
                "text": recommendation, "due": f"{recommendation.deadline:%d/%m/%Y}"}  # fmt: skip
        users = [person for person in people_of([recommendation.unit]) if (person.pk, subject) not in told]
        created += notify(users=users, kind=InspectionNotice.OVERDUE, message=message, url=_page(recommendation),
                          subject_key=subject, day=today)  # fmt: skip
    return created
