"""evidence.services.evidence_attach: the one write of evidence files, for figures and task reports alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from targets.models import Measurement
from tasks.models import ProgressReport, ReportRole
from tests.tasks.builders import PDF_BYTES, PNG_BYTES, pdf, png


def _attach(owner, user, *uploads) -> list[Evidence]:
    return evidence_attach(owner=owner, uploads=uploads, names=validate_uploads(uploads), user=user)


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_files_are_stored_under_the_owners_model_and_id_with_their_safe_names(report, commune_staff, media_root):
    attached = _attach(report, commune_staff, pdf("Báo cáo Quý III.pdf"), png())
    folder = f"evidence/tasks.progressreport/{report.pk}"
    assert [(e.file.name, e.original_name, e.size) for e in attached] == [
        (f"{folder}/bao-cao-quy-iii.pdf", "Báo cáo Quý III.pdf", len(PDF_BYTES)),
        (f"{folder}/anh-hoi-nghi.png", "Ảnh hội nghị.png", len(PNG_BYTES)),
    ]
    assert (media_root / folder / "bao-cao-quy-iii.pdf").read_bytes() == PDF_BYTES


def test_a_figures_files_go_to_the_figures_folder(figure, commune_head, media_root):
    (evidence,) = _attach(figure, commune_head, pdf("Sổ theo dõi.pdf"))
    assert evidence.file.name == f"evidence/targets.measurement/{figure.pk}/so-theo-doi.pdf"


def test_each_file_records_its_owner_and_who_uploaded_it(figure, commune_head, media_root):
    (attached,) = _attach(figure, commune_head, pdf())
    evidence = Evidence.objects.get(pk=attached.pk)
    assert (evidence.owner, evidence.uploaded_by) == (figure, commune_head)
    assert evidence.uploaded_at is not None
    assert list(figure.evidence.all()) == [evidence]


def test_each_file_is_kept_in_the_history(report, commune_staff, media_root):
    (evidence,) = _attach(report, commune_staff, pdf())
    assert [(h.history_type, h.owner_id, h.file, h.original_name) for h in evidence.history.all()] == [
        ("+", report.pk, evidence.file.name, "Báo cáo Quý III.pdf")
    ]


def test_a_name_already_taken_gets_a_suffix_before_its_extension(report, commune_staff, media_root):
    first, second = _attach(report, commune_staff, pdf("Biên bản.pdf"), pdf("Biên bản.pdf"))
    folder = f"evidence/tasks.progressreport/{report.pk}/"
    assert first.file.name == folder + "bien-ban.pdf"
    assert re.fullmatch(re.escape(folder) + r"bien-ban_[A-Za-z0-9]{7}\.pdf", second.file.name)
    assert len(_stored_files(media_root)) == 2


@pytest.mark.parametrize(
    "name", ["../../settings.pdf", "Báo cáo.pdf", "cai-dat.exe", "khong-duoi"], ids=["path", "unsafe", "exe", "bare"]
)
def test_a_name_validate_uploads_would_not_give_stores_nothing(report, commune_staff, media_root, name):
    with pytest.raises(ValueError, match="validate_uploads"):
        evidence_attach(owner=report, uploads=[pdf(), pdf()], names=["bao-cao.pdf", name], user=commune_staff)
    assert not report.evidence.exists()
    assert _stored_files(media_root) == []


def test_files_and_names_must_pair_up(report, commune_staff, media_root):
    with pytest.raises(ValueError, match="2 files but 1 names"):
        evidence_attach(owner=report, uploads=[pdf(), png()], names=["bao-cao.pdf"], user=commune_staff)
    assert _stored_files(media_root) == []


def test_an_unsaved_owner_is_refused(report, commune_staff, media_root):
    unsaved = ProgressReport(task=report.task, unit=report.unit, role=ReportRole.LEAD, text="Chưa lưu.")
    with pytest.raises(ValueError, match="saved owner"):
        evidence_attach(owner=unsaved, uploads=[pdf()], names=["bao-cao.pdf"], user=commune_staff)
    assert _stored_files(media_root) == []


def test_evidence_is_found_through_its_owners_fields(figure, report, dong_dang, commune_head, media_root):
    (of_figure,) = _attach(figure, commune_head, pdf("so-lieu.pdf"))
    (of_report,) = _attach(report, commune_head, pdf("bao-cao.pdf"))
    assert list(Evidence.objects.filter(measurement__unit=dong_dang)) == [of_figure]
    assert list(Evidence.objects.filter(progress_report__task=report.task)) == [of_report]


def test_deleting_a_figure_deletes_its_evidence_rows(figure, commune_head, media_root):
    (evidence,) = _attach(figure, commune_head, pdf())
    figure.delete()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_deleting_a_task_deletes_its_reports_evidence_rows(report, commune_staff, media_root):
    (evidence,) = _attach(report, commune_staff, pdf())
    report.task.delete()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_figure_with_the_same_id_as_a_report_sees_none_of_the_reports_files(report, commune_staff, media_root):
    # Owners are told apart by their model, not only by their id.
    _attach(report, commune_staff, pdf())
    assert not Measurement(pk=report.pk).evidence.exists()
    assert ProgressReport(pk=report.pk).evidence.exists()
