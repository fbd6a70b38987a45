"""Forms for figures, review and indicator definitions. Plain forms: services write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from evidence.forms import MultipleFileField
from parplan.forms import DATE_INPUT, NumberField, PortalForm, PortalModelForm, bound_dates, form_field
from parplan.forms import ReasonForm as PlanChangeForm
from parplan.numbers import number_problems
from targets.conflicts import FigureConflict
from targets.models import MET_LABELS, Indicator, IndicatorKind, Measurement
from targets.number_rules import definition_rule, figure_rule
from targets.services import FigureInput

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise


def _number(label: StrPromise) -> NumberField:
    # The rule (whole or not, bounds) is the indicator's: FigureForm replaces the field once it knows which.
    return NumberField(label=label, min_value=0, required=False)


class FigureForm(PortalForm):
    """One indicator's figure on the unit's entry page (prefix = indicator id)."""

    numerator = _number(_("Tử số"))
    denominator = _number(_("Mẫu số"))
    value = _number(_("Giá trị"))
    met = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("", "—"), ("1", MET_LABELS[True]), ("0", MET_LABELS[False])],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]
    # The figure's version when the page was opened, 0 when there was none: a save over
    # another is a conflict (targets.conflicts). A post without it is saved unchecked.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        error_messages={
            "invalid": _("Phiên bản của số liệu không hợp lệ; hãy mở lại trang số liệu rồi nhập lại."),
            "min_value": _("Phiên bản của số liệu không hợp lệ; hãy mở lại trang số liệu rồi nhập lại."),
        },
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        *,
        indicator: Indicator,
        measurement: Measurement | None,
    ) -> None:
        initial: dict[str, Any] = {"version": 0}
        if measurement is not None:
            initial = {
                "version": measurement.version,
                "numerator": measurement.numerator,
                "denominator": measurement.denominator,
                "value": measurement.value,
                "met": "" if measurement.met is None else ("1" if measurement.met else "0"),
                "note": measurement.note,
            }
        super().__init__(data, files, prefix=str(indicator.pk), initial=initial)
        self.indicator, self.measurement = indicator, measurement
        self.conflict: FigureConflict | None = None  # set by the page when another save came first
        keep = {"note", "files", "version"} | _value_fields(indicator)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        rule = figure_rule(indicator)
        for name in ("numerator", "denominator", "value"):
            if name in self.fields:
                self.fields[name] = NumberField(label=self.fields[name].label, rule=rule, required=False)
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

    def clean(self) -> dict[str, Any]:
        """A note typed for an indicator left without a figure: said, where it was dropped without a word."""
        data = super().clean() or self.cleaned_data
        note = (data.get("note") or "").strip()
        kept = (self.measurement.note or "").strip() if self.measurement is not None else ""
        typed_wrong = any(name in self.errors for name in ("numerator", "denominator", "value", "met"))
        if note and note != kept and not self.locked and not typed_wrong and self.is_blank():
            message = _("Ghi chú chỉ được lưu cùng số liệu: hãy nhập số liệu của chỉ số này, hoặc xóa ghi chú.")
            self.add_error("note", message)
        return data

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


class ReturnForm(PortalForm):
    comment = forms.CharField(label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(PortalForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorDefinitionForm(PortalModelForm):
    """Bound to an unsaved copy; `indicator_define` does the write."""

    class Meta:
        model = Indicator
        fields = [
            "name", "kind", "measure", "parts_counted", "comparator", "threshold", "unit_of_measure", "baseline",
            "frequency", "scope", "scope_units", "aggregation", "source", "target_type", "numerator_label",
            "denominator_label", "risk_band", "due_date",
        ]  # fmt: skip
        field_classes = {"threshold": NumberField, "baseline": NumberField, "risk_band": NumberField}
        widgets = {
            "scope_units": forms.CheckboxSelectMultiple,
            "due_date": DATE_INPUT,
        }

    def clean(self) -> dict[str, Any]:
        """A threshold and a baseline follow the kind and measure chosen in the same form (a rank from 1…)."""
        data = super().clean() or self.cleaned_data
        rule = definition_rule(
            kind=data.get("kind") or "",
            measure=data.get("measure") or "",
            unit_of_measure=data.get("unit_of_measure") or "",
        )
        for name in ("threshold", "baseline"):
            value = data.get(name)
            for problem in [] if value is None else number_problems(value, rule):
                self.add_error(name, problem)
        band = data.get("risk_band")
        if band is not None and not 0 <= band <= 100:
            # Points of a rate, or percent of the threshold: both between 0 and 100.
            self.add_error("risk_band", _("Khoảng “có nguy cơ” phải từ 0 đến 100."))
        return data


def definition_form(indicator: Indicator, data: Mapping[str, Any] | None = None) -> IndicatorDefinitionForm:
    # A fresh instance: ModelForm validation writes into it, the service compares with the stored one.
    form = IndicatorDefinitionForm(data, instance=Indicator.objects.get(pk=indicator.pk))
    form_field(
        form, "scope_units", forms.ModelMultipleChoiceField
    ).queryset = indicator.area.plan.issuing_unit.children.select_related("kind").order_by("kind__name", "position")
    bound_dates(form, indicator.area.plan.year, "due_date")
    return form


class TargetEditForm(PlanChangeForm):
    text = forms.CharField(
        label=_("Nội dung chỉ tiêu"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Viết như trong kế hoạch (“Trên 99% hồ sơ … đúng hạn”): chỉ số được đọc từ câu này."),
    )  # fmt: skip
    field_order = ["text", "reason"]
