"""Scoring forms: plain forms that check what was typed; the services write and keep the rules of the round.

A score's bounds are checked here against its item (scoring.services.check_points, the
same check the services make), so a score above the maximum or below zero comes back
on its own field with the Vietnamese reason; it is never clipped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidence.content import content_problem
from evidence.forms import MultipleFileField
from parplan.formatting import format_number
from parplan.forms import NumberField, PortalForm, form_field
from parplan.models import Unit
from scoring.models import Criterion, Method, Part, Score, ScoringRound, ScoringTree, UnitGroup
from scoring.services import (
    CriterionInput,
    check_points,
    points_from_ratio,
    round_candidates,
    round_units,
    suggesting_indicators,
)
from targets.models import Indicator
from targets.sources import unit_rate_choices

_DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})


def _points_field(label: Any, required: bool = True, help_text: Any = "") -> NumberField:
    return NumberField(label=label, required=required, help_text=help_text, decimal_places=2, max_digits=6)


class TreeForm(PortalForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    group = forms.ChoiceField(label=_("Nhóm đơn vị"), choices=UnitGroup.choices)
    title = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=255)
    declared_total = _points_field(_("Tổng điểm công bố"))
    bonus_cap = _points_field(_("Điểm thưởng tối đa"))
    penalty_cap = _points_field(_("Điểm trừ tối đa"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"declared_total": Decimal(100), "bonus_cap": Decimal(0), "penalty_cap": Decimal(0)}
        )
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Cần đặt tên bộ tiêu chí.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("declared_total", "bonus_cap", "penalty_cap"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Điểm không được âm."))
        return data


class TreeCopyForm(PortalForm):
    year = forms.IntegerField(label=_("Sao chép sang năm"), min_value=2000, max_value=2100)


class _WorkbookForm(PortalForm):
    """One .xlsx file, checked by name, size and content before it is read; `file` is then its bytes."""

    file = forms.FileField(label=_("Tệp .xlsx"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Chỉ nhận tệp bảng tính .xlsx."))
        limit = int(settings.PARPLAN_IMPORT_MAX_MB)
        if upload.size > limit * 1024 * 1024:
            raise ValidationError(
                _("Tệp quá lớn (%(size)s MB); tối đa %(limit)d MB.")
                % {"size": format_number(upload.size / 1024 / 1024, 1), "limit": limit}
            )
        # The evidence checks' whole-content test: a well-formed zip with a workbook inside, within the
        # zip-bomb limits, without macros (openpyxl unpacks whatever it is given).
        problem = content_problem("xlsx", upload)
        if problem:
            raise ValidationError(_("Tệp không phải là bảng tính .xlsx đọc được: %(problem)s") % {"problem": problem})
        return bytes(upload.read())


class TreeImportForm(_WorkbookForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Các cột: STT, Tiêu chí, Điểm tối đa; thêm Cách chấm, Các mức điểm, Tài liệu kiểm chứng, Loại điểm…"
        )


class SurveyImportForm(_WorkbookForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Một dòng cho mỗi đơn vị: cột Mã đơn vị, rồi mỗi tiêu chí điều tra một cột "
            "(tiêu đề bắt đầu bằng mã tiêu chí)."
        )


class CriterionForm(PortalForm):
    code = forms.CharField(
        label=_("Mã"), max_length=20, help_text=_("Ví dụ 1, 1.2, 1.2.3; T… điểm thưởng, P… điểm trừ")
    )
    parent_code = forms.CharField(label=_("Thuộc tiêu chí (mã)"), max_length=20, required=False)
    name = forms.CharField(label=_("Nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    max_points = _points_field(_("Điểm tối đa"))
    method = forms.ChoiceField(label=_("Cách chấm"), choices=Method.choices, initial=Method.FREE)
    choices = forms.CharField(
        label=_("Các mức điểm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một mức: điểm|mô tả, ví dụ 1|Ban hành đúng hạn"),
    )
    ratio_full = _points_field(_("Tỷ lệ đạt điểm tối đa (%)"), required=False)
    evidence_required = forms.BooleanField(label=_("Bắt buộc tài liệu kiểm chứng"), required=False)
    part = forms.ChoiceField(label=_("Loại điểm"), choices=Part.choices, initial=Part.BASE)
    is_survey = forms.BooleanField(label=_("Điểm điều tra xã hội học"), required=False)
    source = forms.ChoiceField(label=_("Gợi ý từ dữ liệu của cổng"), required=False)
    indicator = forms.ModelChoiceField(
        label=_("Hoặc gợi ý từ chỉ số của kế hoạch"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Chỉ số các đơn vị báo cáo số liệu, ví dụ tỷ lệ hồ sơ giải quyết đúng hạn."),
    )
    guidance = forms.CharField(label=_("Hướng dẫn chấm"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, tree: ScoringTree, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "source", forms.ChoiceField).choices = [("", _("Không gợi ý")), *unit_rate_choices()]
        form_field(self, "indicator", forms.ModelChoiceField).queryset = suggesting_indicators(tree)
        self.fields["code"].error_messages["required"] = _("Cần nhập mã tiêu chí.")
        self.fields["name"].error_messages["required"] = _("Cần nhập nội dung tiêu chí.")

    @classmethod
    def of(cls, criterion: Criterion) -> CriterionForm:
        return cls(
            tree=criterion.tree,
            initial={
                "code": criterion.code,
                "parent_code": criterion.parent.code if criterion.parent else "",
                "name": criterion.name,
                "max_points": criterion.max_points,
                "method": criterion.method,
                "choices": criterion.choices,
                "ratio_full": criterion.ratio_full,
                "evidence_required": criterion.evidence_required,
                "part": criterion.part,
                "is_survey": criterion.is_survey,
                "source": criterion.source,
                "indicator": criterion.indicator_id,
                "guidance": criterion.guidance,
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("max_points") is not None and data["max_points"] < 0:
            self.add_error("max_points", _("Điểm tối đa không được âm."))
        if data.get("method") == Method.CHOICES and not (data.get("choices") or "").strip():
            self.add_error("choices", _("Cách chấm theo mức cần ít nhất một mức điểm."))
        if data.get("source") and data.get("indicator"):
            self.add_error("indicator", _("Chọn một nguồn gợi ý: dữ liệu của cổng hoặc một chỉ số, không cả hai."))
        return data

    def item(self) -> CriterionInput:
        data = self.cleaned_data
        return CriterionInput(
            code=data["code"].strip().rstrip("."),
            name=data["name"].strip(),
            max_points=data["max_points"],
            parent_code=(data.get("parent_code") or "").strip().rstrip("."),
            guidance=data.get("guidance") or "",
            evidence_required=bool(data.get("evidence_required")),
            method=data["method"],
            choices=data.get("choices") or "",
            ratio_full=data.get("ratio_full") or Decimal(100),
            part=data["part"],
            is_survey=bool(data.get("is_survey")),
            source=data.get("source") or "",
            indicator_id=data["indicator"].pk if data.get("indicator") else None,
        )


class RoundOpenForm(PortalForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được chấm điểm"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Các đơn vị trực thuộc; đã chọn sẵn các đơn vị thuộc nhóm của bộ tiêu chí."),
    )
    self_until = forms.DateField(label=_("Hạn đơn vị tự chấm"), widget=_DATE)
    appraisal_until = forms.DateField(label=_("Hạn thẩm định"), widget=_DATE)
    explanation_until = forms.DateField(label=_("Hạn giải trình"), widget=_DATE)
    final_until = forms.DateField(label=_("Hạn thẩm định lần cuối"), widget=_DATE)
    band_excellent = _points_field(_("Ngưỡng xuất sắc (% tổng điểm)"))
    band_good = _points_field(_("Ngưỡng tốt (% tổng điểm)"))
    band_fair = _points_field(_("Ngưỡng khá (% tổng điểm)"))

    def __init__(self, *args: Any, tree: ScoringTree, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"band_excellent": Decimal(90), "band_good": Decimal(80), "band_fair": Decimal(70),
             "units": [unit.pk for unit in round_units(tree)]},
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        form_field(self, "units", forms.ModelMultipleChoiceField).queryset = round_candidates(tree)
        self.fields["units"].error_messages["required"] = _("Cần chọn ít nhất một đơn vị được chấm điểm.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates: list[datetime.date | None] = [
            data.get(n) for n in ("self_until", "appraisal_until", "explanation_until", "final_until")
        ]
        if all(dates) and dates != sorted(dates):  # type: ignore[type-var]  # all() ruled out None
            raise ValidationError(
                _("Hạn các bước phải theo thứ tự: tự chấm, thẩm định, giải trình, thẩm định lần cuối.")
            )
        first = data.get("self_until")
        if first is not None and first < timezone.localdate():
            # A round opened on the page starts now: a first deadline already past leaves the units no time.
            self.add_error(
                "self_until",
                _("Hạn đơn vị tự chấm (%(date)s) đã qua: các đơn vị sẽ không còn thời gian tự chấm.")
                % {"date": first.strftime("%d/%m/%Y")},
            )
        return data


class ScoreForm(PortalForm):
    """A form about one score: its points are checked against its item."""

    def __init__(self, *args: Any, score: Score, **kwargs: Any) -> None:
        self.score = score
        super().__init__(*args, **kwargs)

    def clean_points(self) -> Decimal | None:
        points: Decimal | None = self.cleaned_data.get("points")
        if points is not None:
            check_points(self.score.criterion, points)
        return points


class SelfScoreForm(ScoreForm):
    points = _points_field(_("Điểm tự chấm"))
    comment = forms.CharField(label=_("Thuyết minh"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Django's form metaclass takes fields off the class: `form.files` stays the request's files.
    files = MultipleFileField(label=_("Tài liệu kiểm chứng"), required=False)  # type: ignore[assignment]

    def __init__(self, *args: Any, score: Score, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "points": score.self_points,
                "comment": score.self_comment,
                "numerator": score.self_numerator,
                "denominator": score.self_denominator,
            },
        )
        super().__init__(*args, score=score, **kwargs)
        self.fields["points"].error_messages["required"] = _("Cần nhập điểm tự chấm.")
        if score.criterion.method == Method.RATIO:
            # The unit gives its figures and the portal computes the points by the item's rule; points
            # typed alone stay possible (nothing arose to count, said in the comment).
            full = format_number(score.criterion.ratio_full)
            self.fields["numerator"] = NumberField(
                label=_("Số đạt yêu cầu"), required=False, min_value=0, max_digits=14
            )
            self.fields["denominator"] = NumberField(
                label=_("Tổng số phải thực hiện"),
                required=False,
                min_value=0,
                max_digits=14,
                help_text=_("Cổng tính điểm theo tỷ lệ: từ %(full)s%% trở lên được điểm tối đa, dưới đó theo tỷ lệ.")
                % {"full": full},
            )
            self.fields["points"].required = False
            self.fields["points"].help_text = _("Để trống khi đã nhập số đạt và tổng số.")
            # The figures come before the points on the page.
            self.order_fields(["numerator", "denominator", "points", "comment", "files"])

    def clean_points(self) -> Decimal | None:
        return self.cleaned_data.get("points")  # checked in clean(), once the figures are known

    @property
    def ratio(self) -> tuple[Decimal, Decimal] | None:
        data = self.cleaned_data
        if data.get("numerator") is None or data.get("denominator") is None:
            return None
        return data["numerator"], data["denominator"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "numerator" in self.fields and not self.has_error("numerator") and not self.has_error("denominator"):
            given = [name for name in ("numerator", "denominator") if data.get(name) is not None]
            if len(given) == 1:
                missing = "denominator" if given == ["numerator"] else "numerator"
                self.add_error(missing, _("Cần nhập cả số đạt yêu cầu và tổng số để cổng tính điểm."))
                return data
            if self.ratio is not None:
                try:
                    data["points"] = points_from_ratio(self.score.criterion, self.ratio, data.get("points"))
                except ValidationError as error:
                    self.add_error(None, error)
                return data
            if data.get("points") is None and not self.has_error("points"):
                self.add_error("points", _("Cần nhập điểm tự chấm, hoặc số đạt yêu cầu và tổng số để cổng tính điểm."))
                return data
        if data.get("points") is not None:
            try:
                check_points(self.score.criterion, data["points"])
            except ValidationError as error:
                self.add_error("points", error)
        return data


class AppraiseForm(ScoreForm):
    points = _points_field(
        _("Điểm thẩm định"), required=False, help_text=_("Để trống: giữ nguyên điểm đơn vị tự chấm.")
    )
    comment = forms.CharField(label=_("Ý kiến thẩm định"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FinalForm(ScoreForm):
    points = _points_field(_("Điểm cuối cùng"), required=False, help_text=_("Để trống: giữ nguyên điểm thẩm định."))
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExplainForm(ScoreForm):
    explanation = forms.CharField(label=_("Giải trình"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, score: Score, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"explanation": score.explanation})
        super().__init__(*args, score=score, **kwargs)
        self.fields["explanation"].error_messages["required"] = _("Cần nhập nội dung giải trình.")


class SurveyForm(PortalForm):
    """The survey part of one unit: one box per survey item of the round's tree."""

    def __init__(self, *args: Any, scoring_round: ScoringRound, scores: list[Score], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scores = {score.criterion.code: score for score in scores}
        for code, score in self.scores.items():
            self.fields[code] = _points_field(f"{code}. {score.criterion.name}", required=True)
            self.fields[code].initial = score.final_points

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, score in self.scores.items():
            if data.get(code) is not None:
                try:
                    check_points(score.criterion, data[code])
                except ValidationError as error:
                    self.add_error(code, error)
        return data
