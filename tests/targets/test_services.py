"""Figure writes: the review workflow, locks, and bad input rejected in Vietnamese with nothing half-saved."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from parplan.models import Plan, Unit
from targets.models import Frequency, Indicator, Measurement, MeasurementStatus, Period
from targets.services import (
    FigureInput,
    indicator_define,
    measurement_approve,
    measurement_reopen,
    measurement_return,
    measurement_save,
    period_lock,
    period_reopen,
)
from tests.files import SAMPLES, pdf_bytes
from tests.targets.builders import PDF_BYTES, approved, pdf, ratio, row_counts, second_plan, submitted
from tests.targets.conftest import seed_period

pytestmark = pytest.mark.django_db


def _save(indicator: Indicator, unit: Unit, period: Period, figure: FigureInput, user, **kw) -> Measurement:
    return measurement_save(indicator=indicator, unit=unit, period=period, figure=figure, user=user, **kw)


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(error.value.messages)


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- Draft, submit, review -----------------------------------------------------------


def test_saving_without_submit_keeps_the_figure_a_draft(on_time, dong_dang, november, commune_staff):
    figure = _save(on_time, dong_dang, november, ratio(98, 100, "Tháng có nhiều hồ sơ đất đai."), commune_staff)
    figure.refresh_from_db()
    assert (figure.status, figure.numerator, figure.denominator) == (MeasurementStatus.DRAFT, 98, 100)
    assert figure.note == "Tháng có nhiều hồ sơ đất đai."
    assert figure.submitted_at is None


def test_submitting_records_who_sent_the_figure_and_when(on_time, dong_dang, november, commune_head):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    assert figure.status == MeasurementStatus.SUBMITTED
    assert figure.submitted_by == commune_head
    assert figure.submitted_at is not None


def test_a_draft_saved_again_updates_the_same_figure(on_time, dong_dang, november, commune_staff):
    first = _save(on_time, dong_dang, november, ratio(90, 100), commune_staff)
    second = _save(on_time, dong_dang, november, ratio(95, 100), commune_staff)
    assert first.pk == second.pk
    assert Measurement.objects.get(pk=first.pk).numerator == 95


def test_a_figure_waiting_for_review_cannot_be_changed_as_a_draft(on_time, dong_dang, november, commune_head):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    with pytest.raises(ValidationError) as error:
        _save(on_time, dong_dang, november, ratio(10, 100), commune_head)
    assert "chờ duyệt" in _messages(error)
    figure.refresh_from_db()
    assert (figure.status, figure.numerator) == (MeasurementStatus.SUBMITTED, 98)


def test_approving_a_submitted_figure_records_the_reviewer(on_time, dong_dang, november, commune_head, secretariat):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    measurement_approve(measurement=figure, user=secretariat)
    figure.refresh_from_db()
    assert (figure.status, figure.reviewed_by) == (MeasurementStatus.APPROVED, secretariat)
    assert figure.reviewed_at is not None


def test_a_figure_sent_before_its_period_was_locked_cannot_be_approved_until_it_is_unlocked(
    on_time, dong_dang, november, commune_head, secretariat
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    period_lock(period=november)
    figure.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        measurement_approve(measurement=figure, user=secretariat)
    assert "đã khóa" in _messages(error)
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.SUBMITTED


def test_a_draft_cannot_be_approved(on_time, dong_dang, november, commune_staff, secretariat):
    figure = _save(on_time, dong_dang, november, ratio(98, 100), commune_staff)
    with pytest.raises(ValidationError) as error:
        measurement_approve(measurement=figure, user=secretariat)
    assert "Chỉ duyệt được số liệu đang chờ duyệt" in _messages(error)
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.DRAFT


def test_returning_a_figure_needs_a_comment_and_changes_nothing_without_one(
    on_time, dong_dang, november, commune_head, secretariat
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    history = figure.history.count()
    with pytest.raises(ValidationError) as error:
        measurement_return(measurement=figure, user=secretariat, comment="   ")
    assert "lý do trả lại" in _messages(error)
    figure = Measurement.objects.get(pk=figure.pk)
    assert (figure.status, figure.review_comment, figure.reviewed_by) == (MeasurementStatus.SUBMITTED, "", None)
    assert figure.history.count() == history


def test_a_returned_figure_carries_the_comment_and_can_be_corrected_and_sent_again(
    on_time, dong_dang, november, commune_head, secretariat
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    measurement_return(measurement=figure, user=secretariat, comment="Mẫu số chưa khớp sổ theo dõi.")
    figure.refresh_from_db()
    assert (figure.status, figure.review_comment) == (MeasurementStatus.RETURNED, "Mẫu số chưa khớp sổ theo dõi.")
    again = submitted(on_time, dong_dang, november, ratio(98, 99), commune_head)
    assert (again.pk, again.status, again.denominator) == (figure.pk, MeasurementStatus.SUBMITTED, 99)


def test_an_approved_figure_is_locked_against_edits(on_time, dong_dang, november, commune_head, secretariat):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    before = row_counts()
    for submit in (False, True):
        with pytest.raises(ValidationError) as error:
            _save(on_time, dong_dang, november, ratio(99, 100), commune_head, submit=submit)
        assert _messages(error) == "Số liệu đã được duyệt và khóa; cần Phòng Nội vụ mở lại kèm lý do."
    figure.refresh_from_db()
    assert (figure.status, figure.numerator) == (MeasurementStatus.APPROVED, 98)
    assert row_counts() == before


def test_reopening_an_approved_figure_needs_a_reason(on_time, dong_dang, november, secretariat):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    with pytest.raises(ValidationError) as error:
        measurement_reopen(measurement=figure, user=secretariat, reason="")
    assert "lý do mở lại" in _messages(error)
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.APPROVED


def test_reopening_keeps_the_reason_in_the_figure_history(on_time, dong_dang, november, secretariat):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    measurement_reopen(measurement=figure, user=secretariat, reason="Đơn vị báo nhầm số hồ sơ trễ hạn.")
    latest = figure.history.order_by("-history_date", "-history_id").first()
    assert latest.status == MeasurementStatus.RETURNED
    assert latest.history_change_reason == "Đơn vị báo nhầm số hồ sơ trễ hạn."


def test_a_reopened_figure_can_be_corrected(on_time, dong_dang, november, commune_head, secretariat):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    measurement_reopen(measurement=figure, user=secretariat, reason="Sai mẫu số.")
    corrected = submitted(on_time, dong_dang, november, ratio(98, 104), commune_head)
    assert (corrected.pk, corrected.status, corrected.denominator) == (figure.pk, MeasurementStatus.SUBMITTED, 104)


def test_only_approved_figures_can_be_reopened(on_time, dong_dang, november, commune_head, secretariat):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    with pytest.raises(ValidationError) as error:
        measurement_reopen(measurement=figure, user=secretariat, reason="Thử.")
    assert "Chỉ mở lại được số liệu đã duyệt" in _messages(error)


def test_a_figure_in_a_locked_period_cannot_be_reopened(on_time, dong_dang, november, secretariat):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    period_lock(period=november)
    with pytest.raises(ValidationError) as error:
        measurement_reopen(measurement=figure, user=secretariat, reason="Sai mẫu số.")
    assert "Kỳ báo cáo đã khóa" in _messages(error)
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.APPROVED


# --- Period locks -------------------------------------------------------------------


def test_a_locked_period_rejects_new_figures_and_writes_nothing(on_time, dong_dang, november, commune_head):
    period_lock(period=november)
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf()])
    assert _messages(error) == "Kỳ “Tháng 11/2024” đã khóa; cần Phòng Nội vụ mở lại."
    assert row_counts() == before


def test_reopening_a_period_needs_a_reason(november):
    period_lock(period=november)
    with pytest.raises(ValidationError) as error:
        period_reopen(period=november, reason=" ")
    assert "lý do mở lại kỳ" in _messages(error)
    november.refresh_from_db()
    assert november.is_locked


def test_reopening_a_period_unlocks_it_and_keeps_the_reason(on_time, dong_dang, november, commune_head):
    period_lock(period=november)
    period_reopen(period=november, reason="Bổ sung số liệu Xã Mẫu Sơn.")
    november.refresh_from_db()
    assert not november.is_locked
    assert november.history.order_by("-history_id").first().history_change_reason == "Bổ sung số liệu Xã Mẫu Sơn."
    assert submitted(on_time, dong_dang, november, ratio(98, 100), commune_head).pk is not None


def test_locking_a_locked_period_keeps_the_first_lock_time(november):
    first = period_lock(period=november).locked_at
    assert period_lock(period=november).locked_at == first


# --- Bad input: a Vietnamese message, and nothing written --------------------------------


def _rejected(indicator, unit, period, figure, user, media_root: Path) -> str:
    """Try to submit `figure` with a valid PDF; return the message; check no row and no file was written."""
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        submitted(indicator, unit, period, figure, user, files=[pdf()])
    assert row_counts() == before
    assert _stored_files(media_root) == []
    return _messages(error)


def test_numerator_above_denominator_is_rejected(on_time, dong_dang, november, commune_head, media_root):
    message = _rejected(on_time, dong_dang, november, ratio(120, 100), commune_head, media_root)
    assert message == "Tử số (120) không được lớn hơn mẫu số (100)."


def test_a_decimal_numerator_above_its_denominator_is_shown_with_a_decimal_comma(
    on_time, dong_dang, november, commune_head, media_root
):
    # Counted things take whole numbers: this share is of an amount (days, money), as 3.2.1's days are.
    indicator_define(indicator=on_time, parts_counted=False)
    message = _rejected(on_time, dong_dang, november, ratio("10.5", "10"), commune_head, media_root)
    assert message == "Tử số (10,5) không được lớn hơn mẫu số (10)."


def test_a_negative_figure_is_rejected(on_time, dong_dang, november, commune_head, media_root):
    message = _rejected(on_time, dong_dang, november, ratio(-1, 100), commune_head, media_root)
    assert message == "Giá trị không được âm."


def test_a_ratio_without_its_denominator_is_rejected(on_time, dong_dang, november, commune_head, media_root):
    figure = FigureInput(numerator=Decimal(5))
    assert _rejected(on_time, dong_dang, november, figure, commune_head, media_root) == "Cần nhập mẫu số."


def test_a_period_of_another_plan_is_rejected(seed_plan, on_time, dong_dang, commune_head, media_root):
    other_november = seed_period(second_plan(seed_plan), Frequency.MONTHLY, 11)
    message = _rejected(on_time, dong_dang, other_november, ratio(98, 100), commune_head, media_root)
    assert message == "Kỳ báo cáo “Tháng 11/2025” không thuộc kế hoạch của chỉ số."


def test_a_period_of_another_frequency_is_rejected(seed_plan, on_time, dong_dang, commune_head, media_root):
    quarter = seed_period(seed_plan, Frequency.QUARTERLY, 4)
    message = _rejected(on_time, dong_dang, quarter, ratio(98, 100), commune_head, media_root)
    assert message == "Chỉ số này báo cáo hằng tháng, không theo kỳ “Quý IV/2024”."


def test_a_commune_cannot_enter_an_indicator_only_offices_report(
    office_online, dong_dang, november, commune_head, media_root
):
    message = _rejected(office_online, dong_dang, november, ratio(50, 100), commune_head, media_root)
    assert message == "“Thị trấn Đồng Đăng” không thuộc phạm vi báo cáo của chỉ số này."


def test_a_commune_cannot_enter_an_authority_wide_indicator(
    seed_plan, disbursement, dong_dang, commune_head, media_root
):
    quarter = seed_period(seed_plan, Frequency.QUARTERLY, 4)
    message = _rejected(disbursement, dong_dang, quarter, ratio(1, 2), commune_head, media_root)
    assert message == "“Thị trấn Đồng Đăng” không thuộc phạm vi báo cáo của chỉ số này."


def test_a_unit_removed_from_the_scope_can_no_longer_enter_figures(
    on_time, dong_dang, november, commune_head, media_root
):
    indicator_define(indicator=on_time, scope_units=list(on_time.scope_units.exclude(pk=dong_dang.pk)))
    message = _rejected(on_time, dong_dang, november, ratio(98, 100), commune_head, media_root)
    assert "không thuộc phạm vi báo cáo" in message


def test_every_fault_of_a_figure_is_reported_at_once(on_time, dong_dang, november, commune_head, media_root):
    period_lock(period=november)
    figure = FigureInput(numerator=Decimal(-3), denominator=None)
    error = _rejected(on_time, dong_dang, november, figure, commune_head, media_root)
    assert "đã khóa" in error
    assert "Giá trị không được âm." in error
    assert "Cần nhập mẫu số." in error


# --- Evidence files ----------------------------------------------------------------


def test_evidence_is_stored_under_media_root_with_a_sanitised_ascii_name(
    on_time, dong_dang, november, commune_head, media_root
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf("Báo cáo Quý I.pdf")])
    evidence = figure.evidence.get()
    assert evidence.original_name == "Báo cáo Quý I.pdf"
    assert evidence.file.name == f"evidence/targets.measurement/{figure.pk}/bao-cao-quy-i.pdf"
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(media_root)
    assert stored.read_bytes() == PDF_BYTES
    assert evidence.size == len(PDF_BYTES)
    assert evidence.uploaded_by == commune_head


@pytest.mark.parametrize(
    ("original", "stored"),
    [
        ("Biên bản kiểm tra ĐỢT 2.PDF", "bien-ban-kiem-tra-dot-2.pdf"),
        ("..\\..\\settings.pdf", "settings.pdf"),
        ("Ảnh chụp.JPG", "anh-chup.jpg"),
        ("Đề án vị trí việc làm.docx", "de-an-vi-tri-viec-lam.docx"),
        ("Sổ.xlsx", "so.xlsx"),
        ("***.png", "tep.png"),
    ],
)
def test_stored_names_are_ascii_without_paths(on_time, dong_dang, november, commune_head, media_root, original, stored):
    content = SAMPLES[stored.rpartition(".")[2]]()
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf(original, content)])
    evidence = figure.evidence.get()
    assert evidence.file.name == f"evidence/targets.measurement/{figure.pk}/{stored}"
    assert Path(evidence.file.path).parent == media_root / "evidence" / "targets.measurement" / str(figure.pk)
    assert evidence.original_name == original


def test_two_files_with_the_same_name_are_both_kept(on_time, dong_dang, november, commune_head, media_root):
    figure = submitted(
        on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf("Biên bản.pdf"), pdf("Biên bản.pdf")]
    )
    names = [e.file.name for e in figure.evidence.all()]
    assert len(set(names)) == 2
    assert all(Path(e.file.path).is_file() for e in figure.evidence.all())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "Tệp “setup.exe” không đúng định dạng cho phép (pdf, docx, xlsx, jpg, jpeg, png).",
        ),
        ("bao-cao.pdf", b"MZ\x90\x00 not a pdf", "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ."),
        ("bang-so-lieu.xlsx", PDF_BYTES, "Nội dung tệp “bang-so-lieu.xlsx” không phải là tệp XLSX hợp lệ."),
        ("khong-duoi", PDF_BYTES, "Tệp “khong-duoi” không đúng định dạng cho phép (pdf, docx, xlsx, jpg, jpeg, png)."),
    ],
    ids=["exe", "pdf-with-other-content", "xlsx-with-pdf-content", "no-extension"],
)
def test_a_file_of_the_wrong_type_is_rejected(
    on_time, dong_dang, november, commune_head, media_root, name, content, message
):
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf(name, content)])
    assert error.value.message_dict == {"files": [message]}
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_rejected(on_time, dong_dang, november, commune_head, media_root, settings):
    settings.PARPLAN_MAX_UPLOAD_MB = 1
    big = pdf("Ảnh chụp biên bản.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    before = row_counts()
    with pytest.raises(ValidationError) as error:
        submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[big])
    assert error.value.message_dict == {"files": ["Tệp “Ảnh chụp biên bản.pdf” quá lớn (1,0 MB); tối đa 1 MB."]}
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_a_file_exactly_at_the_size_limit_is_accepted(on_time, dong_dang, november, commune_head, media_root, settings):
    settings.PARPLAN_MAX_UPLOAD_MB = 1
    exact = pdf("vua-du.pdf", pdf_bytes(1024 * 1024))
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[exact])
    assert figure.evidence.get().size == 1024 * 1024


def test_one_bad_file_among_good_ones_keeps_the_figure_and_every_file_unsaved(
    on_time, dong_dang, november, commune_head, media_root
):
    before = row_counts()
    with pytest.raises(ValidationError):
        submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf("tot.pdf"), pdf("virus.exe")])
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_evidence_added_to_a_returned_figure_keeps_the_earlier_files(
    on_time, dong_dang, november, commune_head, secretariat, media_root
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf("lan-1.pdf")])
    measurement_return(measurement=figure, user=secretariat, comment="Thiếu biên bản.")
    submitted(on_time, dong_dang, november, ratio(98, 100), commune_head, files=[pdf("lan-2.pdf")])
    assert sorted(e.original_name for e in figure.evidence.all()) == ["lan-1.pdf", "lan-2.pdf"]


# --- Definitions -----------------------------------------------------------------


def test_an_unknown_definition_field_is_an_error(on_time):
    with pytest.raises(TypeError):
        indicator_define(indicator=on_time, colour="red")


def test_redefining_an_indicator_with_the_same_values_writes_no_history(on_time):
    history = on_time.history.count()
    indicator_define(indicator=on_time, threshold=on_time.threshold, scope_units=list(on_time.scope_units.all()))
    assert on_time.history.count() == history


def test_a_changed_threshold_is_kept_in_the_indicator_history(on_time):
    indicator_define(indicator=on_time, threshold=Decimal("98.5"))
    assert on_time.history.order_by("-history_id").first().threshold == Decimal("98.5")


def test_every_seed_plan_indicator_has_a_definition(seed_plan: Plan):
    # Every measurable part of every seed target, plus the two hidden in task bullets.
    indicators = list(
        Indicator.objects.of_plan(seed_plan).select_related("stated_in__task").prefetch_related("scope_units")
    )
    assert len([i for i in indicators if i.target_id]) == 25
    assert sorted((i.area.number, i.stated_in.task.position) for i in indicators if i.target_id is None) == [
        (1, 3),
        (2, 6),
    ]
    ratios = [i for i in indicators if i.kind == "ratio"]
    assert [i.name for i in ratios if not (i.numerator_label and i.denominator_label)] == []
    assert [i.name for i in indicators if i.scope == "units" and not i.scope_units.all()] == []
    assert [i.name for i in indicators if i.kind != "milestone" and (i.threshold is None or not i.comparator)] == []
