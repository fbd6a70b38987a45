"""Forms for figures, review and indicator definitions. Plain forms: services write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evidence.forms import MultipleFileField
from targets.models import MET_LABELS, Indicator, IndicatorKind, Measurement
from targets.services import FigureInput

_NUMBER = {"min_value": Decimal(0), "max_digits": 16, "decimal_places": 2, "required": False}
_NUMBER_ERRORS = {"min_value": _("Giá trị không được âm."), "invalid": _("Cần nhập một số.")}


class FigureForm(forms.Form):
    """One indicator's figure on the unit's entry page (prefix = indicator id)."""

    numerator = forms.DecimalField(label=_("Tử số"), error_messages=_NUMBER_ERRORS, **_NUMBER)
    denominator = forms.DecimalField(label=_("Mẫu số"), error_messages=_NUMBER_ERRORS, **_NUMBER)
    value = forms.DecimalField(label=_("Giá trị"), error_messages=_NUMBER_ERRORS, **_NUMBER)
    met = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), ("1", MET_LABELS[True]), ("0", MET_LABELS[False])],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)

    def __init__(self, *args: Any, indicator: Indicator, measurement: Measurement | None, **kwargs: Any) -> None:
        initial = {}
        if measurement is not None:
            initial = {
                "numerator": measurement.numerator,
                "denominator": measurement.denominator,
                "value": measurement.value,
                "met": "" if measurement.met is None else ("1" if measurement.met else "0"),
                "note": measurement.note,
            }
        super().__init__(*args, prefix=str(indicator.pk), initial=initial, **kwargs)
        self.indicator, self.measurement = indicator, measurement
        keep = {"note", "files"} | _value_fields(indicator)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if indicator.numerator_label and "numerator" in self.fields:
            self.fields["numerator"].label = indicator.numerator_label
            self.fields["denominator"].label = indicator.denominator_label
        if self.locked:
            for field in self.fields.values():
                field.disabled = True

    @property
    def locked(self) -> bool:
        return self.measurement is not None and self.measurement.status in ("approved", "submitted")

    def is_blank(self) -> bool:
        """Nothing typed for this indicator: skip it rather than complain."""
        data = self.cleaned_data
        return all(data.get(name) in (None, "", []) for name in ("numerator", "denominator", "value", "met", "files"))

    def figure(self) -> FigureInput:
        data = self.cleaned_data
        return FigureInput(
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            value=data.get("value"),
            met=data.get("met"),
            note=data.get("note", ""),
        )


def _value_fields(indicator: Indicator) -> set[str]:
    if indicator.kind == IndicatorKind.RATIO:
        return {"numerator", "denominator"}
    if indicator.kind == IndicatorKind.MILESTONE:
        return {"met"}
    return {"value"}


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorDefinitionForm(forms.ModelForm):
    """Bound to an unsaved copy; `indicator_define` does the write."""

    class Meta:
        model = Indicator
        fields = [
            "name", "kind", "comparator", "threshold", "unit_of_measure", "baseline", "frequency", "scope",
            "scope_units", "aggregation", "source", "target_type", "numerator_label", "denominator_label",
        ]  # fmt: skip
        widgets = {"scope_units": forms.CheckboxSelectMultiple}


def definition_form(indicator: Indicator, data: Any = None) -> IndicatorDefinitionForm:
    # A fresh instance: ModelForm validation writes into it, the service compares with the stored one.
    form = IndicatorDefinitionForm(data, instance=Indicator.objects.get(pk=indicator.pk))
    form.fields["scope_units"].queryset = indicator.area.plan.issuing_unit.children.select_related("kind").order_by(
        "kind__name", "position"
    )
    return form
