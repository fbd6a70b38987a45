"""Every Vietnamese UI string is marked for translation (docs/i18n.md).

Vietnamese is the source language: a string shown to people is written in
Vietnamese inside `gettext`/`gettext_lazy`/`ngettext`/`pgettext` in Python, or
`{% translate %}`/`{% blocktranslate %}` in templates, and the English catalogue
translates it. These tests look for Vietnamese letters anywhere else: in
templates outside those tags and comments, and in Python string constants that
are not the text of a gettext call (docstrings and comments are for developers).

Not UI text, so not scanned: migrations, tests, bench/, the demo data (demo/),
the operator's management commands (`*/management/`: they run in the site's
language, with no reader's language to switch to), and the few modules and constants listed
below with the reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ]"
)

# Whole files whose Vietnamese is not UI text.
NOT_UI_FILES = {
    "reports/selectors.py": "the report's sentences: a Vietnamese administrative document (NĐ 30/2020)",
    "reports/renderers/xlsx.py": "the report's annexes, the same document as an Excel workbook",
    "templates/reports/report.html": "the report itself, rendered as the PDF document",
    "templates/reports/_annex_inspections.html": "the report's annex III, part of the PDF document",
    "templates/reports/inspection_record.html": "the record of an inspection visit (biên bản), a PDF document",
    "reports/renderers/inspection_record.py": "the record's date line, part of the same document",
    "targets/parsing.py": "patterns that read the plan's own Vietnamese wording (“không thấp hơn”, “cấp xã”)",
    "reports/scoring_exports.py": "the PAR-index results table and scorecard: Vietnamese documents (NĐ 30/2020)",
    "templates/reports/_scoring_head.html": "the scoring documents' page setup, part of the PDF document",
    "templates/reports/_scoring_header.html": "the scoring documents' header (NĐ 30/2020), part of the PDF document",
    "templates/reports/_scoring_signature.html": "the scoring documents' signature block (NĐ 30/2020), in the PDF",
    "templates/reports/scoring_results.html": "the results table, rendered as the PDF document",
    "templates/reports/scoring_scorecard.html": "a unit's scorecard, rendered as the PDF document",
    "scoring/importing.py": "the column headings of the provinces' published trees, read from their .xlsx files",
    "planio/documents/structure.py": "patterns that read a plan document's own wording (“I. MỤC ĐÍCH”, “a) Chỉ tiêu”)",
    "planio/documents/annex.py": "the annex table's column headings (“Cơ quan chủ trì”), matched, not shown",
    "planio/documents/deadlines.py": "deadlines as documents write them (“Quý II/2026”, “Thường xuyên”)",
    "planio/documents/indicators.py": "the statement's words that say who reports (“cấp xã”, “hồ sơ TTHC”)",
    "planio/documents/unit_names.py": "unit names as documents write them (“UBND các xã”, “Phòng VH&TT”)",
}
# Single constants whose Vietnamese is not UI text.
NOT_UI_STRINGS = {
    ("reports/models.py", "TM. ỦY BAN NHÂN DÂN"): "the document's default signature block (data)",
    ("reports/models.py", "KT. CHỦ TỊCH"): "the document's default signature block (data)",
    ("reports/models.py", "PHÓ CHỦ TỊCH"): "the document's default signature block (data)",
    ("parplan/models.py", "Chỉ tiêu"): "the plan's own heading word, kept as data (shown through TARGETS_HEADINGS)",
    ("parplan/models.py", "Mục tiêu"): "the plan's own heading word, kept as data (shown through TARGETS_HEADINGS)",
    ("parplan/services.py", "Chỉ tiêu"): "the plan's own heading word, kept as data",
    ("planio/interchange.py", "Chỉ tiêu"): "the plan's own heading word, kept as data",
    ("evidence/uploads.py", "Đ"): "turning a Vietnamese file name into ASCII",
    ("evidence/uploads.py", "đ"): "turning a Vietnamese file name into ASCII",
    ("dossiers/layout.py", "Đ"): "matching a column heading without its diacritics",
    ("dossiers/layout.py", "đ"): "matching a column heading without its diacritics",
    ("scoring/surveys.py", "mã đơn vị"): "a column heading the survey file is matched against, not UI",
    ("scoring/surveys.py", "mã đv"): "a column heading the survey file is matched against, not UI",
    ("scoring/surveys.py", "mã"): "a column heading the survey file is matched against, not UI",
    ("scoring/surveys.py", "tên đơn vị"): "a column heading the survey file is matched against, not UI",
    ("scoring/surveys.py", "đơn vị"): "a column heading the survey file is matched against, not UI",
    ("planio/copying.py", r"\b(năm)\s+"): "the word a plan's text writes before its year, found to move the year on",
    ("planio/documents/drafting.py", r"\bnăm\s+"): "the word a plan's text writes before a year, found to warn",
    ("planio/documents/drafting.py", "Chỉ tiêu"): "the plan's own heading word, kept as data",
    ("parplan/forms.py", "Chỉ tiêu"): "the plan's own heading word, stored as data (its label is translated)",
    ("parplan/forms.py", "Mục tiêu"): "the plan's own heading word, stored as data (its label is translated)",
    ("parplan/views.py", "Chỉ tiêu"): "the plan's own heading word, kept as data",
    ("targets/evaluation.py", ": đã đánh giá "): "EvaluationSummary.line, the operator's output (evaluate_indicators)",
    ("targets/evaluation.py", " chỉ số ("): "EvaluationSummary.line, the operator's output (evaluate_indicators)",
    ("targets/evaluation.py", " kết quả) — "): "EvaluationSummary.line, the operator's output (evaluate_indicators)",
}
NOT_SCANNED = {".venv", ".git", "tests", "bench", "demo", "migrations", "scripts", "var", "locale", "node_modules"}

# The gettext functions, and how many of their first arguments are message text.
GETTEXT_ARGS = {
    "_": 1, "gettext": 1, "gettext_lazy": 1, "gettext_noop": 1, "ngettext": 2, "ngettext_lazy": 2,
    "pgettext": 2, "pgettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3,
}  # fmt: skip

# What a template may hold Vietnamese in: comments and the translation tags.
TEMPLATE_MARKED = [
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"""\{%\s*trans(?:late)?\s+("[^"]*"|'[^']*').*?%\}""", re.S),
    re.compile(r"""\b_\(\s*("[^"]*"|'[^']*')\s*\)"""),  # {{ x|default:_("…") }}, {% tag _("…") %}
]


def unmarked_in_template(text: str) -> list[tuple[int, str]]:
    """(line, text) of each line with Vietnamese outside the translation tags and comments."""
    for pattern in TEMPLATE_MARKED:
        text = pattern.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if VIETNAMESE.search(line)]


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each Vietnamese string constant that is not a docstring or a gettext call's text.

    A gettext call whose text is not a plain string (an f-string, a variable) is
    reported too: makemessages cannot read it, so it is never translated.
    """
    tree = ast.parse(source)
    allowed: set[int] = set()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            for argument in node.args[: GETTEXT_ARGS.get(name or "", 0)]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    allowed.add(id(argument))
                else:
                    found.append((node.lineno, f"{name}() of {ast.unparse(argument)}, not a plain string"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in allowed:
            if VIETNAMESE.search(node.value):
                found.append((node.lineno, node.value))
    return sorted(found)


def _files(pattern: str, *folders: str) -> list[Path]:
    paths = [path for folder in folders for path in (ROOT / folder).rglob(pattern)]
    return sorted(path for path in paths if not NOT_SCANNED & set(path.relative_to(ROOT).parts))


TEMPLATES = _files("*.html", "templates") + _files("*.txt", "templates")
PYTHON = [path for path in _files("*.py", ".") if "management" not in path.relative_to(ROOT).parts]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_scan_sees_the_portal():
    # A scan of nothing would pass; these are the files the pages come from.
    assert {"templates/base.html", "templates/dashboard/dashboard.html"} <= {_name(p) for p in TEMPLATES}
    assert {"parplan/views.py", "tasks/forms.py", "targets/models.py"} <= {_name(p) for p in PYTHON}
    assert not {p for p in PYTHON if "migrations" in p.parts or "tests" in p.parts}


@pytest.mark.parametrize("path", [p for p in TEMPLATES if _name(p) not in NOT_UI_FILES], ids=_name)
def test_vietnamese_in_a_template_is_inside_a_translation_tag(path: Path):
    assert unmarked_in_template(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", [p for p in PYTHON if _name(p) not in NOT_UI_FILES], ids=_name)
def test_vietnamese_in_python_is_the_text_of_a_gettext_call(path: Path):
    found = unmarked_in_python(path.read_text(encoding="utf-8"))
    assert [(line, text) for line, text in found if (_name(path), text) not in NOT_UI_STRINGS] == []


def test_every_exception_names_a_file_that_exists_and_still_needs_it():
    for name in NOT_UI_FILES:
        path = ROOT / name
        scan = unmarked_in_template if path.suffix != ".py" else unmarked_in_python
        assert scan(path.read_text(encoding="utf-8")), f"{name} has no unmarked Vietnamese left: drop it from the list"
    for name, text in NOT_UI_STRINGS:
        assert text in [found for _line, found in unmarked_in_python((ROOT / name).read_text(encoding="utf-8"))]


# --- The scans themselves ---------------------------------------------------------------


def test_the_template_scan_finds_text_outside_the_tags():
    template = (
        "{% load i18n %}\n"
        '<h1>{% translate "Nhiệm vụ" %}</h1>\n'
        "{# Ghi chú cho người viết #}\n"
        "{% blocktranslate count n=3 %}{{ n }} đơn vị{% plural %}{{ n }} đơn vị{% endblocktranslate %}\n"
        '{{ task.due_date|default:_("không ghi") }}\n'
        "<p>Chưa có báo cáo.</p>\n"
        '<input placeholder="Lý do">\n'
    )
    assert unmarked_in_template(template) == [(6, "<p>Chưa có báo cáo.</p>"), (7, '<input placeholder="Lý do">')]


def test_the_python_scan_finds_unmarked_strings_and_unreadable_calls():
    source = '''"""Mô-đun: a docstring may say anything."""
from django.utils.translation import gettext as _, ngettext

def view(request, n, name):
    """Hiển thị."""
    messages.success(request, _("Đã lưu."))
    messages.success(request, ngettext("%(n)s nhiệm vụ", "%(n)s nhiệm vụ", n) % {"n": n})
    messages.error(request, "Chưa lưu được.")
    title = f"Danh sách — {name}"
    return _(f"Xin chào {name}")
'''
    assert unmarked_in_python(source) == [
        (8, "Chưa lưu được."),
        (9, "Danh sách — "),
        (10, "Xin chào "),
        (10, "_() of f'Xin chào {name}', not a plain string"),
    ]
