"""The report as a PDF in the official format of NĐ 30/2020 (WeasyPrint).

WeasyPrint is imported here, at module level, so a Celery worker pays for the
import once, not per report.
"""

from __future__ import annotations

import functools
import subprocess
import unicodedata

from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint import HTML

from reports.selectors import DOCUMENT_LANGUAGE, ReportData

# The document's faces (NĐ 30/2020: Times New Roman, here its metric twin Liberation Serif 2).
_FACES = ("Liberation Serif", "Liberation Serif:bold", "Liberation Serif:italic", "Liberation Serif:bold:italic")
# Archival PDF (ISO 19005-3, level B): fonts embedded, text mapped to Unicode, metadata in XMP.
PDF_VARIANT = "pdf/a-3b"


@translation.override(DOCUMENT_LANGUAGE)
def report_html(data: ReportData) -> str:
    return render_to_string("reports/report.html", {"report": data})


def render_pdf(data: ReportData) -> tuple[bytes, int]:
    """The PDF and its page count."""
    return html_to_pdf(report_html(data))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    document = HTML(string=drawable(html)).render()
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


@functools.cache
def _font_characters() -> frozenset[int]:
    """The code points every face of the document's font draws (asked of fontconfig once per process)."""
    covered: frozenset[int] | None = None
    for face in _FACES:
        path = subprocess.run(
            ["fc-match", "--format=%{file}", face], capture_output=True, text=True, check=True
        ).stdout.strip()
        characters = frozenset(TTFont(path, fontNumber=0).getBestCmap())
        covered = characters if covered is None else covered & characters
    return covered or frozenset()


def drawable(text: str) -> str:
    """The text with what the document's font cannot draw taken out (emoji, direction marks, stray controls).

    WeasyPrint gives a character no installed font has a glyph a made-up id and then encodes
    the whole font with a custom CMap instead of Identity-H; pdfplumber then reads no
    character of that font and pypdf reads "T hÛ c h i– n". Such characters mean nothing in an
    official document, so they are dropped before rendering; NFC first, so Vietnamese typed
    with combining marks keeps its precomposed letters.
    """
    covered = _font_characters()
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\r\t" or ord(ch) in covered)
