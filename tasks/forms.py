from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parplan.models import Unit
from tasks.models import ProgressStatus, Task


class TaskProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        # These messages are %-formatted with the limit, so a literal % is written %%.
        error_messages={
            "min_value": _("Tiến độ không được nhỏ hơn %(limit_value)s%%."),
            "max_value": _("Tiến độ không được vượt quá %(limit_value)s%%."),
        },
    )
    note = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    @classmethod
    def for_task(cls, task: Task, data: dict | None = None) -> TaskProgressForm:
        return cls(data, initial={"status": task.status, "percent": task.progress_percent, "note": task.progress_note})


class TaskAssignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units: object, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units

    @classmethod
    def for_task(cls, task: Task, data: dict | None = None) -> TaskAssignForm:
        units = Unit.objects.below(task.area.plan.issuing_unit).select_related("kind").order_by("path")
        return cls(
            data,
            units=units,
            initial={"lead_unit": task.lead_unit, "coordinating_units": list(task.coordinating_units.all())},
        )
