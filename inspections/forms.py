"""Inspection forms: plain forms, so the services, not the forms, write the records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evidence.forms import MultipleFileField
from inspections.models import Finding, InspectionKind, InspectionPlan, Severity, Visit
from parplan.forms import PortalForm, bound_dates
from parplan.models import Membership, Plan, ReformArea, Unit, UnitKind

_DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


def _people_of(plan: Plan) -> QuerySet[User]:
    """The people with a membership in the issuer's tree: who may be on a team."""
    members = Membership.objects.filter(unit__path__startswith=plan.issuing_unit.path).values("user")
    return User.objects.filter(pk__in=members, is_active=True).order_by("first_name", "username")


class _PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class _PeopleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class InspectionPlanForm(PortalForm):
    kind = forms.ChoiceField(label=_("Loại kiểm tra"), choices=InspectionKind.choices)
    conducting_unit = forms.ModelChoiceField(label=_("Cơ quan thực hiện kiểm tra"), queryset=Unit.objects.none())
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=_DATE)
    topics = forms.CharField(
        label=_("Nội dung kiểm tra"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: bộ phận một cửa, công khai TTHC, kỷ luật, kỷ cương hành chính."),
    )
    areas = forms.ModelMultipleChoiceField(label=_("Lĩnh vực kiểm tra"), queryset=ReformArea.objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    scope_kinds = forms.ModelMultipleChoiceField(label=_("Loại đơn vị thuộc phạm vi"), queryset=UnitKind.objects.all(),
                                                 widget=forms.CheckboxSelectMultiple)  # fmt: skip
    team = _PeopleChoice(label=_("Đoàn kiểm tra"), queryset=User.objects.none(), required=False)
    lead = _PersonChoice(label=_("Trưởng đoàn"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conducting_unit"].queryset = Unit.objects.subtree_of(plan.issuing_unit)  # type: ignore[attr-defined]
        self.fields["areas"].queryset = plan.areas.order_by("number")  # type: ignore[attr-defined]
        people = _people_of(plan)
        self.fields["team"].queryset = people  # type: ignore[attr-defined]
        self.fields["lead"].queryset = people  # type: ignore[attr-defined]
        self.fields["decision_number"].error_messages["required"] = _("Cần ghi số quyết định.")


class PlannedUnitForm(PortalForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    month = forms.IntegerField(label=_("Tháng dự kiến"), min_value=1, max_value=12)
    unannounced = forms.BooleanField(label=_("Kiểm tra đột xuất"), required=False)

    def __init__(self, *args: Any, inspection_plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.below(  # type: ignore[attr-defined]
            inspection_plan.plan.issuing_unit
        ).filter(kind__in=inspection_plan.scope_kinds.all())


class VisitForm(PortalForm):
    """The visit, and one box per area of the plan for what was checked there."""

    unit = forms.ModelChoiceField(label=_("Đơn vị được kiểm tra"), queryset=Unit.objects.none())
    start_date = forms.DateField(label=_("Từ ngày"), widget=_DATE)
    end_date = forms.DateField(label=_("Đến ngày"), widget=_DATE)
    unannounced = forms.BooleanField(label=_("Kiểm tra đột xuất"), required=False)
    direct = forms.BooleanField(label=_("Kiểm tra trực tiếp tại đơn vị"), required=False, initial=True)
    team = _PeopleChoice(label=_("Thành viên đoàn có mặt"), queryset=User.objects.none())
    lead = _PersonChoice(label=_("Trưởng đoàn"), queryset=User.objects.none())
    conclusion = forms.CharField(label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, inspection_plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = inspection_plan.plan
        self.fields["unit"].queryset = Unit.objects.subtree_of(plan.issuing_unit)  # type: ignore[attr-defined]
        people = _people_of(plan)
        self.fields["team"].queryset = people  # type: ignore[attr-defined]
        self.fields["lead"].queryset = people  # type: ignore[attr-defined]
        self.fields["team"].error_messages["required"] = _("Cần chọn thành viên đoàn có mặt.")
        self.fields["lead"].error_messages["required"] = _("Cần chọn trưởng đoàn.")
        areas = inspection_plan.areas.order_by("number") or plan.areas.order_by("number")
        self.area_fields = []
        for area in areas:
            name = f"check_{area.pk}"
            self.fields[name] = forms.CharField(
                label=_("Đã kiểm tra — %(area)s") % {"area": str(area)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.area_fields.append((area.pk, name))

    def checks(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name) or "" for pk, name in self.area_fields}


class FindingForm(PortalForm):
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=ReformArea.objects.none())
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices, initial=Severity.MEDIUM)
    text = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Hạn xử lý"), widget=_DATE)
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = visit.inspection_plan.plan
        self.fields["area"].queryset = plan.areas.order_by("number")  # type: ignore[attr-defined]
        self.fields["text"].error_messages["required"] = _("Cần ghi nội dung vấn đề phát hiện.")
        self.fields["deadline"].error_messages["required"] = _("Cần ghi hạn xử lý vấn đề.")
        bound_dates(self, plan.year, "deadline")


class FindingSettleForm(PortalForm):
    outcome = forms.ChoiceField(
        label=_("Kết quả xử lý"), choices=[("handled", _("Đã xử lý")), ("referred", _("Đã kiến nghị xử lý"))]
    )
    on = forms.DateField(label=_("Ngày xử lý"), widget=_DATE)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(PortalForm):
    finding = forms.ModelChoiceField(label=_("Vấn đề phát hiện"), queryset=Finding.objects.none(), required=False)
    text = forms.CharField(label=_("Nội dung kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Hạn thực hiện"), widget=_DATE)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = visit.findings.all()  # type: ignore[attr-defined]
        self.fields["text"].error_messages["required"] = _("Cần ghi nội dung kiến nghị.")
        self.fields["deadline"].error_messages["required"] = _("Kiến nghị phải có hạn thực hiện.")
        bound_dates(self, visit.inspection_plan.plan.year, "deadline")


class AnswerForm(PortalForm):
    # The version the page was opened on: an answer over a newer one (returned, extended meanwhile) is refused.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Cần ghi kết quả thực hiện kiến nghị.")},
    )
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]


class ReturnForm(PortalForm):
    comment = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi rõ lý do trả lại để đơn vị bổ sung.")},
    )


class ExtensionForm(PortalForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_deadline = forms.DateField(label=_("Hạn mới đề nghị"), widget=_DATE)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
