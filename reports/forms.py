from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parplan.forms import PortalForm, bound_dates
from reports.models import ReportNarrative
from reports.selectors import document_number

_TEXT = forms.Textarea(attrs={"rows": 5})


class NarrativeForm(PortalForm):
    """The secretariat's text; empty sections are filled with generated sentences it can edit."""

    number = forms.CharField(
        label=_("Số báo cáo"), max_length=20, required=False,
        help_text=_("Chỉ ghi số (ví dụ 125); ký hiệu BC-UBND được in sẵn. Để trống nếu văn thư chưa cấp số."),
    )  # fmt: skip
    report_date = forms.DateField(
        label=_("Ngày báo cáo"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    direction = forms.CharField(label=_("I. Công tác chỉ đạo, điều hành"), required=False, widget=_TEXT)
    strengths = forms.CharField(label=_("III.1. Ưu điểm"), required=False, widget=_TEXT)
    weaknesses = forms.CharField(label=_("III.2. Hạn chế"), required=False, widget=_TEXT)
    causes = forms.CharField(label=_("III.3. Nguyên nhân"), required=False, widget=_TEXT)
    next_tasks = forms.CharField(label=_("IV. Phương hướng, nhiệm vụ kỳ tới"), required=False, widget=_TEXT)
    proposals = forms.CharField(label=_("V. Kiến nghị, đề xuất"), required=False, widget=_TEXT)
    signing_authority = forms.CharField(label=_("Thẩm quyền ký"), max_length=80)
    signer_capacity = forms.CharField(label=_("Ký thay (KT.)"), max_length=40, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=80)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    recipients = forms.CharField(label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=_TEXT)

    symbol: str = "BC-UBND"

    def __init__(
        self,
        *args: Any,
        year: int,
        areas: list[tuple[int, str]],
        generated: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.generated = generated or {}
        self.fields["proposals"].widget.attrs["placeholder"] = _(
            "Phòng Nội vụ ghi các kiến nghị, đề xuất với cấp trên (kinh phí, biên chế, hướng dẫn...); "
            "để trống thì mục này không được in."
        )
        bound_dates(self, year, "report_date")
        for number, name in areas:
            self.fields[f"area_{number}"] = forms.CharField(
                label=_("II.%(n)d. Nhận xét: %(name)s") % {"n": number, "name": name}, required=False, widget=_TEXT
            )

    @classmethod
    def for_narrative(
        cls, narrative: ReportNarrative, generated: dict[str, str], areas: list[tuple[int, str, str]], data: Any = None
    ) -> NarrativeForm:
        initial = {name: getattr(narrative, name) for name in (
            "number", "report_date", "direction", "strengths", "weaknesses", "causes", "next_tasks", "proposals",
            "signing_authority", "signer_capacity", "signer_title", "signer_name", "recipients")}  # fmt: skip
        for name in ("direction", "strengths", "weaknesses", "causes", "next_tasks"):
            initial[name] = initial[name] or generated.get(name, "")
        for number, _name, comment in areas:
            initial[f"area_{number}"] = comment
        form = cls(
            data,
            initial=initial,
            year=narrative.plan.year,
            areas=[(n, name) for n, name, _c in areas],
            generated=generated,
        )
        form.symbol = narrative.symbol
        return form

    def clean_number(self) -> str:
        """The number alone: "125/BC-UBND" is kept as 125, anything else after a slash is refused."""
        number = document_number(self.cleaned_data["number"], self.symbol)
        if "/" in number or (number and not number.isdigit()):
            raise forms.ValidationError(
                _("Chỉ ghi số của báo cáo (ví dụ 125); ký hiệu “%(symbol)s” được in sẵn sau số.")
                % {"symbol": self.symbol}
            )
        return number

    def narrative_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        # A suggestion saved as it was offered stays generated, so its numbers follow the data.
        for name, sentence in self.generated.items():
            if name in data and _words(data[name]) == _words(sentence):
                data[name] = ""
        comments = {key.removeprefix("area_"): data.pop(key) for key in list(data) if key.startswith("area_")}
        return {**data, "area_comments": {k: v for k, v in comments.items() if v}}


def _words(text: str | None) -> str:
    return " ".join((text or "").split())
