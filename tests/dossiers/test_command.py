"""manage.py import_dossiers: every error printed with row and column, --dry-run writes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import DossierImport, DossierMonth
from tests.dossiers.builders import HEADERS, csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def _write(tmp_path, rows, headers=HEADERS):
    path = tmp_path / "mot-cua.csv"
    path.write_bytes(csv_file(rows, headers=headers).read())
    return path


def test_a_bad_file_prints_every_error_and_imports_nothing(tmp_path, seed_plan):
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import_dossiers", _write(tmp_path, [row("99999"), row("06184", paused=-1)]), "--period",
                     "2024-01", "--plan", seed_plan.pk, stdout=out)  # fmt: skip
    assert "dòng 2, cột “Mã đơn vị”" in out.getvalue() and "dòng 3, cột “Tạm dừng”" in out.getvalue()
    assert not DossierMonth.objects.filter(month__year=2024, month__month=1).exists()


def test_dry_run_checks_only_and_a_real_run_imports(tmp_path, seed_plan):
    path = _write(tmp_path, [row("06184", month=""), row("06190", month="")])
    out = io.StringIO()
    call_command("import_dossiers", path, "--period", "2024-04", "--plan", seed_plan.pk, "--dry-run", stdout=out)
    assert "2 dòng, 2 đơn vị: không có lỗi" in out.getvalue()
    assert not DossierMonth.objects.filter(month__year=2024, month__month=4).exists()
    assert not DossierImport.objects.filter(plan=seed_plan).exists()  # the demo imported this year's rows
    call_command("import_dossiers", path, "--period", "2024-04", "--plan", seed_plan.pk, stdout=out)
    assert DossierMonth.objects.filter(month__year=2024, month__month=4).count() == 2


def test_without_plan_a_year_with_no_active_plan_is_refused_in_vietnamese(tmp_path, seed_plan):
    """No plan of that year is in progress: the command names none by itself, and says how to choose one."""
    with pytest.raises(CommandError, match="Có 0 kế hoạch năm 2031 đang thực hiện: chọn một kế hoạch bằng --plan"):
        call_command("import_dossiers", _write(tmp_path, [row("06184")]), "--period", "2031-01")
