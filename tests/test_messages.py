"""The message catalogues: every marked string has its English, and the check catches what it should.

`scripts/messages.py check` (CI, make check, make messages) reads the marked
strings from the source with makemessages and compares them with
locale/en/LC_MESSAGES/django.po. The broken cases run it over a copy of the
portal with one thing changed, so the check is seen to fail, not only to pass.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = Path("locale/en/LC_MESSAGES/django.po")
VIETNAMESE = Path("locale/vi/LC_MESSAGES/django.po")


def messages(root: Path, command: str = "check") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "messages.py"), command],
        cwd=root, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pristine_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("portal") / "parplan"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "tests", "bench", "test-artifacts", "__pycache__",
                                      "*.mo"),
    )  # fmt: skip
    return copy


@pytest.fixture
def copy(pristine_copy: Path, tmp_path: Path) -> Path:
    target = tmp_path / "parplan"
    shutil.copytree(pristine_copy, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_marked_string_has_its_english():
    result = messages(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ marked strings, each with its English\.\n", result.stdout)
    assert int(result.stdout.split()[0]) > 600  # the portal's strings were read, not none


def test_the_unchanged_copy_passes(copy):
    # The cases below fail because of their one change, not because of the copy.
    assert messages(copy).returncode == 0


def test_a_new_marked_string_without_english_fails_and_is_named(copy):
    forms = copy / "parplan" / "forms.py"
    forms.write_text(forms.read_text(encoding="utf-8") + '\nNEW = _("Chuỗi mới chưa dịch")\n', encoding="utf-8")
    edit(copy / "templates" / "base.html", "{% block content %}", '{% translate "Nút mới" %}{% block content %}')
    result = messages(copy)
    assert result.returncode == 1
    assert "2 marked strings with no English in locale/en/LC_MESSAGES/django.po:" in result.stdout
    assert '  parplan/forms.py: "Chuỗi mới chưa dịch"' in result.stdout
    assert '  templates/base.html: "Nút mới"' in result.stdout


def test_an_english_text_with_other_placeholders_fails(copy):
    edit(copy / ENGLISH, 'msgstr "Your unit has been assigned task %(task)s."', 'msgstr "Your unit has a new task."')
    result = messages(copy)
    assert result.returncode == 1
    assert "1 English whose placeholders differ from the source's:" in result.stdout
    assert 'tasks/services/assignment.py: "Đơn vị được giao nhiệm vụ %(task)s."' in result.stdout
    assert "has none, the source ['%(task)s']" in result.stdout


def test_a_fuzzy_english_text_fails(copy):
    edit(copy / ENGLISH, 'msgid "Đã lưu thông tin đơn vị."', '#, fuzzy\nmsgid "Đã lưu thông tin đơn vị."')
    result = messages(copy)
    assert result.returncode == 1
    assert "English marked fuzzy" in result.stdout
    assert 'parplan/views.py: "Đã lưu thông tin đơn vị."' in result.stdout


def test_an_english_text_left_in_vietnamese_fails(copy):
    edit(copy / ENGLISH, 'msgstr "Mark all as read"', 'msgstr "Đánh dấu tất cả đã đọc"')
    result = messages(copy)
    assert result.returncode == 1
    assert "1 English with Vietnamese letters outside “quotes” (not translated?):" in result.stdout
    assert "Đánh dấu tất cả đã đọc" in result.stdout


def test_a_correction_of_one_of_the_portals_own_strings_fails(copy):
    vietnamese = copy / VIETNAMESE
    vietnamese.write_text(
        vietnamese.read_text(encoding="utf-8") + '\nmsgid "Lưu"\nmsgstr "Lưu lại"\n', encoding="utf-8"
    )
    result = messages(copy)
    assert result.returncode == 1
    assert "is one of the portal's own strings (already Vietnamese); remove it" in result.stdout


def test_a_correction_of_a_string_no_app_has_fails(copy):
    edit(copy / VIETNAMESE, 'msgid "Enter a whole number."', 'msgid "Enter a whole numbr."')
    result = messages(copy)
    assert result.returncode == 1
    assert '"Enter a whole numbr.": no installed app has this string; the correction corrects nothing' in result.stdout


def test_compile_writes_the_catalogues_django_reads(copy):
    assert not list((copy / "locale").rglob("*.mo"))
    assert messages(copy, "compile").returncode == 0
    english = gettext.GNUTranslations((copy / ENGLISH).with_suffix(".mo").open("rb"))
    assert english.gettext("Lưu") == "Save"
    assert english.ngettext("%(n)s nhiệm vụ", "%(n)s nhiệm vụ", 2) == "%(n)s tasks"
    vietnamese = gettext.GNUTranslations((copy / VIETNAMESE).with_suffix(".mo").open("rb"))
    assert vietnamese.gettext("Enter a whole number.") == "Nhập một số nguyên."
