"""Access to indicators and figures, checked in one place (rule: docs/access.md).

Reading follows the plan (any member of the issuer's tree): its indicators and their
authority-wide results. Each unit's figures and results are read by the unit's people
(who enter its figures) and by whoever reads figures by role over the plan (its
secretariat and steering committee), no one else (`figure_units_read`). Entering a unit's
figures needs `parplan.enter_figures` on that unit (its heads and staff);
sending them for review needs `parplan.submit_figures` (its heads); approving,
returning and reopening figures and locking periods need `parplan.review_figures`
over the plan (its secretariat); defining an indicator needs
`targets.change_indicator` over the plan.

A figure's evidence files are opened by the unit's people (who enter its
figures) and by whoever reads figures by role over the plan (its secretariat and
steering committee); removed, while the figure is a draft or returned to the
unit and its period is open, by the unit's people and the plan's reviewers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from evidence.owners import EvidenceOwner
from parplan.access import (
    can_read_unit,
    has_plan_perm,
    has_unit_perm,
    holds_unit_right_in,
    units_with_right,
    visible_plans,
)
from parplan.models import Plan, Unit
from targets.models import Indicator, Measurement, MeasurementStatus, Period, Scope

# The right that reads every unit's figures of a plan, held by role (the secretariat, the steering committee).
READ_EVERY_UNIT = "targets.view_measurement"


def can_on_unit(user: User, perm: str, unit: Unit) -> bool:
    return has_unit_perm(user, f"parplan.{perm}", unit)


def can_review(user: User, plan: Plan) -> bool:
    return has_plan_perm(user, "parplan.review_figures", plan)


def can_define(user: User, indicator: Indicator) -> bool:
    return has_plan_perm(user, "targets.change_indicator", indicator.area.plan)


def units_for_figures(user: User) -> QuerySet[Unit]:
    """Units whose figures the user may enter, for the unit picker."""
    return units_with_right(user, "parplan.enter_figures")


def enters_figures_in(user: User, plan: Plan) -> bool:
    """Whether `user` enters figures for a unit of `plan`: the pages offer "Nhập số liệu" only then."""
    return holds_unit_right_in(user, "parplan.enter_figures", plan)


def get_indicator_for_user(user: User, pk: int, perm: str = "view") -> Indicator:
    """The indicator if `user` reads its plan (404 otherwise); `perm` "change" also needs `can_define` (403)."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("area__plan__issuing_unit", "target").filter(
            area__plan__in=visible_plans(user)
        ),
        pk=pk,
    )
    if perm != "view" and not can_define(user, indicator):
        raise PermissionDenied
    return indicator


def get_unit_for_figures(user: User, code: str, perm: str = "enter_figures") -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("kind"), code=code)
    if not can_on_unit(user, perm, unit):
        # A unit outside the person's trees is "not found", not "forbidden": its code is not confirmed.
        if not can_read_unit(user, unit):
            raise Http404
        raise PermissionDenied
    return unit


def get_measurement_for_review(user: User, pk: int) -> Measurement:
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__area__plan__issuing_unit", "unit", "period").filter(
            indicator__area__plan__in=visible_plans(user)
        ),
        pk=pk,
    )
    if not can_review(user, measurement.indicator.area.plan):
        raise PermissionDenied
    return measurement


def get_period_for_review(user: User, pk: int) -> Period:
    period = get_object_or_404(
        Period.objects.select_related("plan__issuing_unit").filter(plan__in=visible_plans(user)), pk=pk
    )
    if not can_review(user, period.plan):
        raise PermissionDenied
    return period


# --- A figure's evidence files (registered with evidence.owners in TargetsConfig.ready) ---


def can_open_figure_evidence(user: User, measurement: Measurement) -> bool:
    return can_on_unit(user, "enter_figures", measurement.unit) or can_open_plan_figure_evidence(
        user, measurement.indicator.area.plan
    )


def can_open_plan_figure_evidence(user: User, plan: Plan) -> bool:
    """Every unit's figure files in `plan`: who reads figures by role (the secretariat, the steering committee)."""
    return reads_every_unit_figures(user, plan)


def reads_every_unit_figures(user: User, plan: Plan) -> bool:
    """Whether `user` reads every unit's figures and results in `plan`: by role (secretariat, steering committee)."""
    return has_plan_perm(user, READ_EVERY_UNIT, plan)


def figure_units_read(user: User, indicator: Indicator) -> QuerySet[Unit] | None:
    """The units whose own figures and results of `indicator` `user` reads; None: every unit.

    A unit's people read their units' (those they enter figures for), not the
    neighbours' drafts and counts, as with the dossier rows (dossiers.access). An
    authority-wide indicator's figures are the issuer's own, the plan's result: every
    reader of the plan reads them.
    """
    if indicator.scope != Scope.UNITS or reads_every_unit_figures(user, indicator.area.plan):
        return None
    return units_for_figures(user)


def can_remove_figure_evidence(user: User, measurement: Measurement) -> bool:
    return can_on_unit(user, "enter_figures", measurement.unit) or can_review(user, measurement.indicator.area.plan)


def figure_evidence_frozen(measurement: Measurement) -> str | None:
    """Why the figure's files stay as they are, or None while the unit may still change the figure.

    Like its values (the entry form locks them): once sent, the reviewer judges what was
    sent; returned, the unit may change both again. `measurement.period` is read.
    """
    if measurement.period.is_locked:
        return _("Kỳ báo cáo đã khóa: không xóa được tài liệu kiểm chứng.")
    if measurement.status == MeasurementStatus.APPROVED:
        return _("Số liệu đã được duyệt: tài liệu kiểm chứng được giữ nguyên.")
    if measurement.status == MeasurementStatus.SUBMITTED:
        return _("Số liệu đang chờ duyệt: không xóa được tài liệu kiểm chứng; cần Phòng Nội vụ trả lại số liệu trước.")
    return None


def removable_figures(figures: Iterable[Measurement]) -> set[int]:
    """Of the figures on a unit's entry page, those whose files may be removed now.

    The page's person enters the unit's figures (`get_unit_for_figures`), which is
    `can_remove_figure_evidence`'s right: only the figure's state is left to check.
    """
    return {figure.pk for figure in figures if figure_evidence_frozen(figure) is None}


def _figure_for_evidence(pk: int, for_update: bool) -> Measurement | None:
    figures = Measurement.objects.select_related("unit", "period", "indicator__area__plan__issuing_unit")
    if for_update:
        # The figure's own row, the one its review writes (measurement_save locks it too).
        figures = figures.select_for_update(of=("self",))
    return figures.filter(pk=pk).first()


def _figure_page(measurement: Measurement) -> str:
    page = reverse("figures-entry", args=[measurement.indicator.area.plan_id, measurement.unit.code])
    return f"{page}?period={measurement.period_id}"


FIGURE_EVIDENCE = EvidenceOwner(
    load=_figure_for_evidence,
    can_view=can_open_figure_evidence,
    can_remove=can_remove_figure_evidence,
    frozen=figure_evidence_frozen,
    page=_figure_page,
)
