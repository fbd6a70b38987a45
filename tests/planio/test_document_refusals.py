"""Files the plan-document reader refuses: a clear Vietnamese message, nothing read, nothing fetched."""

from __future__ import annotations

import io
import socket
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE

from planio.documents.blocks import DocumentError, document_blocks
from planio.documents.drafting import plan_document_read
from tests.planio.documents import docx_bytes, seed_docx

FILES = Path(__file__).parent / "files"
_ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def _refusal(content: bytes, name: str = "ke-hoach.docx") -> str:
    with pytest.raises(DocumentError) as refused:
        document_blocks(content, name)
    return str(refused.value)


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_a_password_protected_docx_is_refused_as_such():
    # Encrypted by msoffcrypto-tool as Word encrypts: an OLE compound file holding EncryptionInfo.
    message = _refusal((FILES / "password-protected.docx").read_bytes())
    assert message == "Văn bản được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi tải lên lại."


@pytest.mark.parametrize(
    ("content", "name", "start"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "ke-hoach.doc", "Đây là tệp Word 97-2003 (.doc)."),
        (_odt(), "ke-hoach.odt", "Đây là tệp OpenDocument (.odt)."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ke-hoach.pdf", "Tệp PDF không giữ được cấu trúc văn bản."),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "anh.png", "Tệp không phải văn bản .docx hoặc .txt."),
        (b"PK\x03\x04 not really a zip", "hong.docx", "Tệp .docx bị hỏng, không mở được."),
    ],
)
def test_other_formats_say_to_save_as_docx(content, name, start):
    message = _refusal(content, name)
    assert message.startswith(start)
    assert message.endswith("chọn “Lưu thành” định dạng .docx rồi tải lên lại.")


def test_a_spreadsheet_is_not_a_word_document():
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert _refusal(buffer.getvalue()).startswith("Tệp nén này không phải văn bản Word (.docx).")


def test_a_file_over_the_limit_is_refused_before_it_is_opened(settings):
    settings.PLAN_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    message = _refusal(b"PK" + bytes(50 * 1024 * 1024))
    assert message == "Tệp lớn 50 MB, vượt giới hạn 20 MB của văn bản kế hoạch."


def test_a_document_that_unpacks_to_hundreds_of_megabytes_is_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(210):
                part.write(b" " * (1024 * 1024))
    assert _refusal(buffer.getvalue()) == "Nội dung văn bản quá lớn để đọc."


@pytest.mark.parametrize("content", [b"", b"  \n\t ", docx_bytes([]), docx_bytes(["", "   "])])
def test_an_empty_file_or_document_is_refused(content):
    assert _refusal(content) in ("Tệp trống: không có nội dung để đọc.", "Văn bản không có nội dung chữ để đọc.")


def test_a_text_file_not_in_utf8_says_where():
    # "KÊ HOẠCH" saved in Windows-1258, as old Vietnamese Windows editors did
    assert _refusal(b"K\xca HO\xd2\xf2CH", "ke-hoach.txt") == (
        "Tệp văn bản không ở mã UTF-8 (lỗi ở byte 2). Hãy lưu lại với mã UTF-8."
    )


def test_a_macro_enabled_document_is_named_for_what_it_is():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    assert _refusal(buffer.getvalue()).startswith("Văn bản có macro (.docm); macro không được chạy ở đây.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lines", "start"),
    [
        (["Biên bản họp", "Hôm nay, ngày 10/01/2026, tại trụ sở UBND xã."], "Không nhận ra văn bản kế hoạch"),
        (["KẾ HOẠCH", "Tổ chức hội nghị năm 2026", "Nội dung hội nghị như sau."], "Không nhận ra lĩnh vực nào"),
    ],
)
def test_a_document_with_no_plan_structure_says_what_is_missing(seed_plan, lines, start):
    with pytest.raises(DocumentError) as refused:
        plan_document_read(docx_bytes(lines), "bien-ban.docx", issuer=seed_plan.issuing_unit)
    assert str(refused.value).startswith(start)


@pytest.mark.django_db
def test_external_links_in_the_document_are_never_followed(seed_plan, monkeypatch):
    document = docx.Document(io.BytesIO(seed_docx()))
    paragraph = document.paragraphs[0]
    # An image linked (not embedded) from a server: Word would fetch it; the reader must not.
    paragraph.part.relate_to("http://127.0.0.1:9/tracking.png", RELATIONSHIP_TYPE.IMAGE, is_external=True)
    paragraph.part.relate_to("http://127.0.0.1:9/template.dotm", _ATTACHED_TEMPLATE, is_external=True)
    buffer = io.BytesIO()
    document.save(buffer)

    def no_network(*args, **kwargs):
        raise AssertionError("the reader opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    read = plan_document_read(buffer.getvalue(), "ke-hoach.docx", issuer=seed_plan.issuing_unit)
    assert len(read.data["areas"]) == 7


def _with_document_xml(body: str) -> bytes:
    """The seed's .docx with its body replaced by `body` (WordprocessingML, the w: namespace)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                head = data[: data.index(b"<w:body>")].decode()
                data = f"{head}<w:body>{body}</w:body></w:document>".encode()
            target.writestr(item, data)
    return buffer.getvalue()


_CELL = "<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


@pytest.mark.parametrize(
    "table",
    [
        # A vertical merge that continues a cell above the first row (Word never writes it; other editors do).
        "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>"
        + _CELL.format(props="<w:tcPr><w:vMerge/></w:tcPr>", text="a")
        + "</w:tr></w:tbl>",
        # A span that is not a number.
        "<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>"
        + _CELL.format(props='<w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>', text="a")
        + "</w:tr></w:tbl>",
    ],
)
def test_a_table_python_docx_cannot_walk_is_a_damaged_file_not_a_500(table):
    message = _refusal(_with_document_xml("<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>" + table))
    assert message.startswith("Tệp .docx bị hỏng, không mở được.")


def test_a_picture_that_unpacks_to_hundreds_of_megabytes_is_not_unpacked():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(seed_docx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        with target.open("word/media/image1.png", "w", force_zip64=True) as picture:
            for _ in range(210):
                picture.write(bytes(1024 * 1024))
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    assert _refusal(buffer.getvalue()) == "Nội dung văn bản quá lớn để đọc."


@pytest.mark.django_db
def test_a_year_out_of_range_in_the_title_is_a_clear_message(seed_plan):
    lines = ["KẾ HOẠCH", "Cải cách hành chính năm 0000", "II. NHIỆM VỤ", "1. Cải cách thể chế", "- Rà soát văn bản."]
    with pytest.raises(DocumentError, match="Năm 0 của kế hoạch không hợp lệ"):
        plan_document_read(docx_bytes(lines), "ke-hoach.docx", issuer=seed_plan.issuing_unit)


def test_tracked_changes_not_accepted_are_refused_rather_than_read_without_them():
    tracked = (
        '<w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p><w:p><w:ins w:id="1" w:author="Nội vụ">'
        "<w:r><w:t>Cải cách hành chính năm 2026</w:t></w:r></w:ins></w:p>"
    )
    assert _refusal(_with_document_xml(tracked)).startswith("Văn bản còn thay đổi được theo dõi (Track Changes)")


@pytest.mark.django_db
def test_a_text_box_is_said_to_be_unread(seed_plan):
    lines = seed_docx_body() + "<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>Ghi chú</w:t></w:r></w:p>"
    lines += "</w:txbxContent></w:pict></w:r></w:p>"
    read = plan_document_read(_with_document_xml(lines), "ke-hoach.docx", issuer=seed_plan.issuing_unit)
    assert [w["code"] for w in read.warnings].count("unread_part") == 1


def seed_docx_body() -> str:
    with zipfile.ZipFile(io.BytesIO(seed_docx())) as archive:
        xml = archive.read("word/document.xml").decode()
    return xml[xml.index("<w:body>") + len("<w:body>") : xml.index("<w:sectPr")]
