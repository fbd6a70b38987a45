"""Forms of the dossier screens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.reading import last_closed_month
from parplan.forms import PortalForm
from parplan.models import Plan, Unit


def month_choices(plan: Plan, today: datetime.date) -> list[tuple[str, str]]:
    """The plan year's months whose counts are final on `today`: the check refuses the others (month_closes)."""
    last = last_closed_month(today)
    return [
        (f"{plan.year}-{m:02d}", f"{m:02d}/{plan.year}") for m in range(1, 13) if datetime.date(plan.year, m, 1) <= last
    ]


def parse_period(value: str) -> datetime.date | None:
    """'2024-03' → 1/3/2024; anything else → None."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except (TypeError, ValueError):
        return None


class UploadForm(PortalForm):
    file = forms.FileField(label=_("Tệp số liệu (.xlsx hoặc .csv)"))
    month = forms.ChoiceField(label=_("Tháng (cho tệp không có cột “Tháng”)"), required=False, choices=[("", "—")])

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["month"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *month_choices(plan, timezone.localdate())]

    def default_month(self) -> datetime.date | None:
        return parse_period(self.cleaned_data.get("month") or "")


class MappingForm(PortalForm):
    name = forms.CharField(label=_("Tên trong tệp"), max_length=255, widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(label=_("là đơn vị"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


MappingFormSet = forms.formset_factory(MappingForm, extra=0)
