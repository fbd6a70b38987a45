"""The report as a PDF in the official format of NĐ 30/2020 (WeasyPrint).

WeasyPrint is imported here, at module level, so a Celery worker pays for the
import once, not per report.
"""

from __future__ import annotations

import functools
import unicodedata

from django.template.loader import render_to_string
from django.utils import translation
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.text.ffi import ffi, fontconfig

from reports.selectors import DOCUMENT_LANGUAGE, ReportData

# The document's faces (NĐ 30/2020: Times New Roman, here its metric twin Liberation Serif 2), as fontconfig
# finds them for the stylesheet's first family.
_FACES = (
    (b"Times New Roman", b"Regular"), (b"Times New Roman", b"Bold"), (b"Times New Roman", b"Italic"),
    (b"Times New Roman", b"Bold Italic"),
)  # fmt: skip
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


def _font_file(family: bytes, style: bytes) -> str:
    """The file fontconfig gives WeasyPrint for a family and style (through WeasyPrint's own binding, in-process)."""
    pattern = fontconfig.FcPatternCreate()
    fontconfig.FcPatternAddString(pattern, b"family", family)
    fontconfig.FcPatternAddString(pattern, b"style", style)
    config = fontconfig.FcInitLoadConfigAndFonts()
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
    path = ffi.new("FcChar8 **")
    fontconfig.FcPatternGetString(match, b"file", 0, path)
    found = str(ffi.string(path[0]).decode())
    fontconfig.FcPatternDestroy(match)
    fontconfig.FcPatternDestroy(pattern)
    fontconfig.FcConfigDestroy(config)
    return found


@functools.cache
def _font_characters() -> frozenset[int]:
    """The code points every face of the document's font draws (read once per process)."""
    faces = [frozenset(TTFont(_font_file(*face), fontNumber=0).getBestCmap()) for face in _FACES]
    return frozenset.intersection(*faces)


def drawable(text: str) -> str:
    """The text without what the document's font cannot draw (emoji) or should not (direction marks).

    WeasyPrint gives a character no installed font has a glyph a made-up id and then encodes
    the whole font with a custom CMap instead of Identity-H; pdfplumber then reads no
    character of that font and pypdf reads "T hÛ c h i– n". Such characters mean nothing in an
    official document, so they are dropped before rendering; NFC first, so Vietnamese typed
    with combining marks keeps its precomposed letters.
    """
    covered = _font_characters()
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\r\t" or (ord(ch) in covered and not _invisible(ch)))


def _invisible(ch: str) -> bool:
    # Format characters (direction marks and overrides, zero-width spaces, BOM) would reorder or split
    # Vietnamese words; the soft hyphen is kept, it only offers a break.
    return unicodedata.category(ch) == "Cf" and ch != "\u00ad"
