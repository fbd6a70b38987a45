"""Evidence uploads are checked by their whole content and by limits per sending and per record.

Each refusal the testers found goes through the real progress form of a task
(`task-progress`, the lead unit's head) with small files made here: the zip
bomb, the polyglots and the images are built in the test.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.uploads import safe_filename, validate_uploads
from parplan.models import Plan, Unit
from tasks.models import ProgressReport, Task
from tests.files import SAMPLES, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes, xlsx_bytes
from tests.tasks.builders import new_task


@pytest.fixture
def task(seed_plan: Plan, secretariat: Any, clock_on_today: Any) -> Task:
    return new_task(seed_plan, user=secretariat, lead=Unit.objects.get(code="06184"))


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _post(client_for: Any, commune_head: Any, task: Task, files: list[SimpleUploadedFile]) -> Any:
    data = {"status": "in_progress", "percent": 40, "text": "Đã rà soát.", "version": task.version, "files": files}
    return client_for(commune_head).post(reverse("task-progress", args=[task.pk]), data)


def _errors(response: Any) -> list[str]:
    return re.findall(r'<p class="error">([^<]*)</p>', response.content.decode())


def _stored(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def _refused(client_for: Any, commune_head: Any, task: Task, media_root: Path, files: list[Any]) -> str:
    """The form's one error; asserts that no report and no file were stored."""
    reports = ProgressReport.objects.count()
    response = _post(client_for, commune_head, task, files)
    assert response.status_code == 200
    [error] = _errors(response)
    assert ProgressReport.objects.count() == reports
    assert _stored(media_root) == []
    return str(error)


# --- Content beyond the first bytes ------------------------------------------------------------


def _polyglot_pdf_exe() -> bytes:
    # A PDF that opens, with a Windows program after its end.
    return pdf_bytes() + b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x90" * 512


def _zip_bomb_docx() -> bytes:
    # 20 MB of zeros compress to about 20 KB: a ratio near 1000, a bomb's (a real one unpacks to gigabytes).
    return docx_bytes({"word/media/image1.xml": b"0" * (20 * 1024 * 1024)})


def _docx_with_program() -> bytes:
    return docx_bytes({"word/embeddings/setup.exe": b"MZ\x90\x00"})


def _zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _corrupt_docx() -> bytes:
    content = bytearray(docx_bytes())
    at = content.index(b"word/document.xml") + 40  # inside the compressed part
    content[at] ^= 0xFF
    return bytes(content)


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 million pixels in a few KB
    return out.getvalue()


CONTENT_REFUSALS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "html-behind-pdf-header": (
        "bao-cao.pdf",
        lambda: b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ: tệp không mở được như một tệp PDF.",
    ),
    "pdf-exe-polyglot": (
        "bao-cao.pdf",
        _polyglot_pdf_exe,
        "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ: sau dấu kết thúc của tệp PDF (%%EOF) "
        "còn dữ liệu khác, hoặc tệp không có dấu kết thúc.",
    ),
    "docx-zip-bomb": (
        "de-an.docx",
        _zip_bomb_docx,
        "Nội dung tệp “de-an.docx” không phải là tệp DOCX hợp lệ: gói có thành phần nén bất thường (nghi là bom nén).",
    ),
    "docx-with-a-program": (
        "de-an.docx",
        _docx_with_program,
        "Nội dung tệp “de-an.docx” không phải là tệp DOCX hợp lệ: gói chứa chương trình hoặc macro "
        "(word/embeddings/setup.exe).",
    ),
    "zip-without-content-types": (
        "de-an.docx",
        _zip_without_content_types,
        "Nội dung tệp “de-an.docx” không phải là tệp DOCX hợp lệ: gói thiếu [Content_Types].xml, "
        "không phải tài liệu Office.",
    ),
    "corrupt-docx": (
        "de-an.docx",
        _corrupt_docx,
        "Nội dung tệp “de-an.docx” không phải là tệp DOCX hợp lệ: ",
    ),
    "docx-named-xlsx": (
        "so-lieu.xlsx",
        docx_bytes,
        "Nội dung tệp “so-lieu.xlsx” không phải là tệp XLSX hợp lệ: gói không phải tệp XLSX (thiếu xl/workbook.xml).",
    ),
    "jpeg-named-png": (
        "anh.png",
        lambda: b"\x89PNG\r\n\x1a\n" + jpeg_bytes(),
        "Nội dung tệp “anh.png” không phải là tệp PNG hợp lệ: ",
    ),
    "truncated-png": (
        "anh.png",
        lambda: png_bytes(64, 64)[:60],
        "Nội dung tệp “anh.png” không phải là tệp PNG hợp lệ: ",
    ),
    "png-named-jpg": (
        "anh.jpg",
        lambda: b"\xff\xd8\xff" + png_bytes(),
        "Nội dung tệp “anh.jpg” không phải là tệp JPG hợp lệ: tệp không đọc được như một ảnh JPEG.",
    ),
    "png-bomb": (
        "anh.png",
        _huge_png,
        "Nội dung tệp “anh.png” không phải là tệp PNG hợp lệ: ảnh quá lớn (tối đa 60 triệu điểm ảnh).",
    ),
}


@pytest.mark.parametrize("case", CONTENT_REFUSALS)
def test_a_file_whose_content_is_not_its_type_is_refused_through_the_form(
    client_for: Any, commune_head: Any, task: Task, media_root: Path, case: str
) -> None:
    name, make, message = CONTENT_REFUSALS[case]
    error = _refused(client_for, commune_head, task, media_root, [_file(name, make())])
    assert error.startswith(message)


@pytest.mark.parametrize("extension", sorted(SAMPLES))
def test_a_real_file_of_each_type_is_accepted(
    client_for: Any, commune_head: Any, task: Task, media_root: Path, extension: str
) -> None:
    response = _post(client_for, commune_head, task, [_file(f"Tài liệu.{extension}", SAMPLES[extension]())])
    assert response.status_code == 302, _errors(response)
    evidence = Evidence.objects.get(progress_report__task=task)
    assert evidence.file.name.endswith(f"/tai-lieu.{extension}")


def test_an_xlsx_made_by_a_spreadsheet_program_is_accepted() -> None:
    upload = _file("Số liệu quý 3.xlsx", xlsx_bytes())
    assert validate_uploads([upload]) == ["so-lieu-quy-3.xlsx"]


# --- Names ---------------------------------------------------------------------------------------


def test_a_name_of_a_thousand_characters_is_stored_shortened_with_its_extension(
    client_for: Any, commune_head: Any, task: Task, media_root: Path
) -> None:
    name = "Báo cáo kết quả " * 62 + ".pdf"
    assert len(name) > 990
    response = _post(client_for, commune_head, task, [_file(name, pdf_bytes())])
    assert response.status_code == 302, response.content.decode()[:500]
    evidence = Evidence.objects.get(progress_report__task=task)
    # Django's upload handling already keeps 255 characters with the extension; original_name() does it for others.
    assert len(evidence.original_name) == 255
    assert evidence.original_name.startswith("Báo cáo kết quả Báo cáo")
    assert evidence.original_name.endswith(".pdf")
    stored = Path(evidence.file.name).name
    assert stored.endswith(".pdf") and len(stored) <= 84
    assert (media_root / evidence.file.name).read_bytes() == pdf_bytes()


def test_a_name_given_to_the_service_is_shortened_to_its_column_with_its_extension() -> None:
    from evidence.uploads import original_name

    assert original_name("a" * 300 + ".docx") == "a" * 249 + "\u2026.docx"
    assert len(original_name("a" * 300 + ".docx")) == 255
    assert original_name("Báo cáo.pdf") == "Báo cáo.pdf"


def test_a_refusal_quotes_a_long_name_shortened(
    client_for: Any, commune_head: Any, task: Task, media_root: Path
) -> None:
    name = "x" * 1000 + ".pdf"
    error = _refused(client_for, commune_head, task, media_root, [_file(name, b"%PDF-1.4 not really")])
    assert len(error) < 250
    assert "xxx…xxxxx.pdf”" in error


@pytest.mark.parametrize(("name", "stored"), [(".pdf", "tep.pdf"), ("..pdf", "tep.pdf"), ("Ảnh.PNG", "anh.png")])
def test_a_stored_name_always_keeps_a_valid_extension(name: str, stored: str) -> None:
    assert safe_filename(name) == stored


def test_a_file_named_only_dot_pdf_is_stored_as_tep_pdf(
    client_for: Any, commune_head: Any, task: Task, media_root: Path
) -> None:
    response = _post(client_for, commune_head, task, [_file(".pdf", pdf_bytes())])
    assert response.status_code == 302
    evidence = Evidence.objects.get(progress_report__task=task)
    assert Path(evidence.file.name).name == "tep.pdf"
    assert evidence.original_name == ".pdf"


# --- Limits of one sending and of one record --------------------------------------------------------


def test_more_files_than_one_sending_takes_are_refused_in_the_form(
    client_for: Any, commune_head: Any, task: Task, media_root: Path, settings: Any
) -> None:
    settings.PARPLAN_MAX_FILES_PER_UPLOAD = 3
    files = [_file(f"bao-cao-{i}.pdf", pdf_bytes()) for i in range(4)]
    assert _refused(client_for, commune_head, task, media_root, files) == "Mỗi lần gửi tối đa 3 tệp; bạn đã chọn 4 tệp."


def test_files_over_the_sending_total_are_refused_in_the_form(
    client_for: Any, commune_head: Any, task: Task, media_root: Path, settings: Any
) -> None:
    settings.PARPLAN_MAX_REQUEST_UPLOAD_MB = 1
    files = [_file(f"bao-cao-{i}.pdf", pdf_bytes(600 * 1024)) for i in range(2)]
    assert _refused(client_for, commune_head, task, media_root, files) == (
        "Các tệp gửi một lần tối đa 1 MB cộng lại; các tệp đã chọn là 1,2 MB."
    )


def test_ninety_files_in_one_request_get_a_vietnamese_page_and_nothing_is_stored(
    client_for: Any, commune_head: Any, task: Task, media_root: Path
) -> None:
    # Django's DATA_UPLOAD_MAX_NUMBER_FILES (twice the form's limit) stops the request before any view.
    reports = ProgressReport.objects.count()
    response = _post(client_for, commune_head, task, [_file(f"{i}.pdf", pdf_bytes()) for i in range(90)])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Gửi quá nhiều tệp trong một lần: mỗi lần tối đa 10 tệp." in page
    assert "Bad Request" not in page
    assert ProgressReport.objects.count() == reports
    assert _stored(media_root) == []


def test_a_request_far_over_the_sending_total_is_refused_before_it_is_read(
    client_for: Any, commune_head: Any, task: Task, media_root: Path, settings: Any
) -> None:
    settings.PARPLAN_MAX_REQUEST_UPLOAD_MB = 1
    response = _post(client_for, commune_head, task, [_file(f"{i}.pdf", pdf_bytes(1024 * 1024)) for i in range(3)])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn: các tệp gửi một lần tối đa 1 MB cộng lại" in page
    assert _stored(media_root) == []


def test_a_records_files_together_stay_within_their_limit(
    report: ProgressReport, commune_staff: Any, media_root: Path, settings: Any
) -> None:
    settings.PARPLAN_MAX_OBJECT_EVIDENCE_MB = 1
    first = [_file("lan-1.pdf", pdf_bytes(600 * 1024))]
    evidence_attach(owner=report, uploads=first, names=validate_uploads(first), user=commune_staff)
    second = [_file("lan-2.pdf", pdf_bytes(600 * 1024))]
    with pytest.raises(ValidationError) as refused:
        evidence_attach(owner=report, uploads=second, names=validate_uploads(second), user=commune_staff)
    assert refused.value.message_dict == {
        "files": ["Tài liệu kiểm chứng của một hồ sơ tối đa 1 MB; hồ sơ đã có 0,6 MB, thêm 0,6 MB thì vượt."]
    }
    assert report.evidence.count() == 1
    assert len(_stored(media_root)) == 1
