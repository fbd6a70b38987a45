"""Forms of plan documents: the upload, and the review of what was read."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from parplan.forms import DATE_INPUT, PortalForm, form_field
from parplan.models import Plan, Unit

_SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class DocumentUploadForm(PortalForm):
    file = forms.FileField(
        label=_("Văn bản kế hoạch"),
        help_text=_("Tệp .docx (Word) hoặc .txt (UTF-8), như văn bản đã ban hành hoặc dự thảo."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
    )
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    year = forms.IntegerField(
        label=_("Năm của kế hoạch"), required=False, min_value=2000, max_value=2100,
        help_text=_("Để trống: lấy năm ghi trong trích yếu của văn bản."),
    )  # fmt: skip

    def __init__(self, *args: Any, issuers: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "issuer", forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in issuers]).order_by("path")
        if len(issuers) == 1:
            field.initial = issuers[0].pk

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > settings.PLAN_DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn %(size)s MB, vượt giới hạn %(limit)s MB của văn bản kế hoạch.")
                % {"size": f"{(upload.size or 0) / 1024 / 1024:.0f}",
                   "limit": f"{settings.PLAN_DOCUMENT_MAX_BYTES / 1024 / 1024:.0f}"}
            )  # fmt: skip
        return upload


class PlanDetailsForm(PortalForm):
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40)
    place = forms.CharField(label=_("Địa danh"), max_length=120, required=False)
    issue_date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_INPUT)
    signing_authority = forms.CharField(label=_("Thẩm quyền ký"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)


class AreaForm(PortalForm):
    number = forms.IntegerField(label=_("Số"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=255)
    targets_heading = forms.CharField(label=_("Tiêu đề phần chỉ tiêu"), max_length=40)


ITEM_KINDS = [("target", _("Chỉ tiêu")), ("task", _("Nhiệm vụ")), ("delete", _("Bỏ (không nhập)"))]


class ItemForm(PortalForm):
    """One target or task as read; the review may move, re-type, merge, split or drop it."""

    origin = forms.CharField(widget=forms.HiddenInput)
    area = forms.TypedChoiceField(label=_("Lĩnh vực"), coerce=int)
    kind = forms.ChoiceField(label=_("Loại"), choices=ITEM_KINDS)
    merge = forms.BooleanField(label=_("Gộp vào mục trước"), required=False)
    text = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("Để tách thành hai mục, để một dòng trống giữa hai phần."),
    )  # fmt: skip
    lead_unit = forms.ChoiceField(label=_("Cơ quan chủ trì"), required=False)
    coordinating_units = forms.MultipleChoiceField(
        label=_("Cơ quan phối hợp"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=DATE_INPUT)
    expected_output = forms.CharField(label=_("Sản phẩm"), max_length=255, required=False)

    def __init__(self, *args: Any, areas: Sequence[tuple[int, str]], units: Sequence[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = list(areas)  # type: ignore[attr-defined]
        self.fields["lead_unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]
        self.fields["coordinating_units"].choices = list(units)  # type: ignore[attr-defined]

    @property
    def placement_fields(self) -> list[BoundField]:
        """Where the row goes: its area, its kind, whether it joins the row above."""
        return [self["area"], self["kind"], self["merge"]]

    @property
    def task_fields(self) -> list[BoundField]:
        """What only a task has: its units, deadline and output."""
        return [self["lead_unit"], self["coordinating_units"], self["due_date"], self["expected_output"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != "delete" and not (data.get("text") or "").strip():
            self.add_error("text", _("Hãy nhập nội dung, hoặc chọn “Bỏ (không nhập)”."))
        return data


class ResponsibilityForm(PortalForm):
    number = forms.IntegerField(label=_("Số"), min_value=1, max_value=99)
    heading = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=500)
    text = forms.CharField(label=_("Nhiệm vụ"), widget=_SHORT_TEXT, required=False)
    units = forms.MultipleChoiceField(
        label=_("Đơn vị trong cây đơn vị"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )

    def __init__(self, *args: Any, units: Sequence[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = list(units)  # type: ignore[attr-defined]


class BaseAreaFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        numbers = [form.cleaned_data.get("number") for form in self.forms if form.cleaned_data]
        repeated = sorted({number for number in numbers if numbers.count(number) > 1 and number is not None})
        if repeated:
            raise forms.ValidationError(
                _("Hai lĩnh vực không được cùng số thứ tự: %(numbers)s.") % {"numbers": ", ".join(map(str, repeated))}
            )


AreaFormSet = forms.formset_factory(AreaForm, formset=BaseAreaFormSet, extra=0)
ItemFormSet = forms.formset_factory(ItemForm, extra=0)
ResponsibilityFormSet = forms.formset_factory(ResponsibilityForm, extra=0)


def date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


class PlanStartForm(PortalForm):
    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Năm của kế hoạch"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Trích yếu"), max_length=500, help_text=_("Ví dụ: Cải cách hành chính xã Hoàng Văn Thụ năm 2027")
    )

    def __init__(self, *args: Any, issuers: Sequence[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "issuer", forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in issuers]).order_by("path")
        if len(issuers) == 1:
            field.initial = issuers[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("issuer")
            and data.get("year")
            and Plan.objects.filter(issuing_unit=data["issuer"], year=data["year"]).exists()
        ):
            self.add_error(
                "year", _("%(unit)s đã có kế hoạch năm %(year)s.") % {"unit": data["issuer"], "year": data["year"]}
            )
        return data
