"""parplan.files: the download's name (RFC 6266) and type, whatever stored file is sent."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from parplan.files import ascii_fallback, attachment_header, content_type_for


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Báo cáo quý 1.pdf", "Bao cao quy 1.pdf"),
        ("Đề án ĐỢT 2.docx", "De an DOT 2.docx"),
        ('Biên bản "họp" 50%\\.pdf', "Bien ban _hop_ 50__.pdf"),
        ("报告.pdf", "tep.pdf"),
        ("Ảnh   hội\tnghị.png", "Anh hoi_nghi.png"),
    ],
)
def test_the_ascii_name_keeps_the_letters_without_their_marks(name, plain):
    assert ascii_fallback(name) == plain


def test_a_vietnamese_name_is_sent_as_filename_star_with_an_ascii_fallback():
    header = attachment_header("Báo cáo quý 1.pdf")
    assert header == (
        "attachment; filename=\"Bao cao quy 1.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD%201.pdf"
    )
    assert unquote(header.rpartition("''")[2]) == "Báo cáo quý 1.pdf"


def test_a_plain_ascii_name_needs_no_filename_star():
    assert attachment_header("bao-cao-year-2024-v1.pdf") == 'attachment; filename="bao-cao-year-2024-v1.pdf"'


def test_a_quote_in_the_name_cannot_end_the_header_value():
    header = attachment_header('a";evil=1.pdf')
    assert header.startswith('attachment; filename="a_;evil=1.pdf"; filename*=')
    assert '"' not in header.partition("filename*=")[2]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("evidence/tasks.progressreport/1/bao-cao.PDF", "application/pdf"),
        ("x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("x.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("x.jpg", "image/jpeg"),
        ("x.png", "image/png"),
        ("x.exe", "application/octet-stream"),
    ],
)
def test_the_type_comes_from_the_stored_files_extension(name, content_type):
    assert content_type_for(name) == content_type
