"""Importing a one-stop export: every error listed before anything is written, header variants, re-imports."""

from __future__ import annotations

import datetime

import pytest

from dossiers.layout import normalise
from dossiers.models import COUNTS, DossierImport, DossierMonth, ImportState
from dossiers.reading import last_closed_month
from dossiers.services import dossier_import_check, dossier_import_confirm, unit_mappings_save
from parplan.models import Unit
from tests.dossiers.builders import GOOD, HEADERS, csv_file, row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def _check(plan, upload, month=None):
    return dossier_import_check(plan=plan, upload=upload, user=None, default_month=month)


def _errors(result):
    return {(e.row, e.column, e.message) for e in result.errors}


@pytest.mark.parametrize("build", [xlsx_file, csv_file])
def test_a_file_with_every_kind_of_error_imports_nothing_and_lists_each_by_row_and_column(seed_plan, build):
    before = DossierMonth.objects.count()
    upload = build([
        row("06184"),                                    # 2: fine
        row("99999"),                                    # 3: unknown unit code
        row("", name="Xã Không Có"),                     # 4: unknown unit name
        row("06190", resolved_early=-1),                 # 5: negative
        row("06193", received_online="2,5"),             # 6: not whole
        row("06196", resolved_on_time="nhiều"),          # 7: not a number
        row("06199", resolved_total=99),                 # 8: its own total does not add up
        row("06202", carried_over=9),                    # 9: the balance does not add up
        row("06205", apologised=4),                      # 10: more apologies than late dossiers
        row("06208", month="03/2023"),                   # 11: a month outside the plan
        row("06211", paused=""),                         # 12: a count left blank
        row("06184"),                                    # 13: the same unit and month again
    ])  # fmt: skip
    batch, result = _check(seed_plan, upload)
    assert batch.state == ImportState.INVALID and not result.ok
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert set(messages) == {
        (3, "Mã đơn vị"), (4, "Tên đơn vị"), (5, "Giải quyết trước hạn"), (6, "Tiếp nhận trực tuyến"),
        (7, "Giải quyết đúng hạn"), (8, "Tổng số đã giải quyết"), (9, "Từ kỳ trước chuyển sang"),
        (10, "Quá hạn có phiếu xin lỗi"), (11, "Tháng"), (12, "Tạm dừng"), (13, "Tên đơn vị"),
    }  # fmt: skip
    assert "99999" in messages[(3, "Mã đơn vị")]
    assert "Xã Không Có" in messages[(4, "Tên đơn vị")]
    assert "Số âm" in messages[(5, "Giải quyết trước hạn")]
    assert "không phải số nguyên" in messages[(6, "Tiếp nhận trực tuyến")]
    assert "99" in messages[(8, "Tổng số đã giải quyết")] and "45" in messages[(8, "Tổng số đã giải quyết")]
    assert "(59)" in messages[(9, "Từ kỳ trước chuyển sang")] and "(55)" in messages[(9, "Từ kỳ trước chuyển sang")]
    assert "ngoài năm của kế hoạch" in messages[(11, "Tháng")]
    assert "dòng 2" in messages[(13, "Tên đơn vị")]
    assert len(result.errors) == result.error_total == 11
    # Confirming is refused and nothing was written.
    with pytest.raises(Exception, match="không còn chờ xác nhận"):
        dossier_import_confirm(batch=batch)
    assert DossierMonth.objects.count() == before
    assert len(DossierImport.objects.get(pk=batch.pk).errors) == 11


def test_header_variants_are_recognised_and_the_file_imported(seed_plan):
    headers = {
        "Mã đơn vị": "  MA DON VI ", "Tên đơn vị": "Cơ quan", "Tháng": "kỳ báo cáo",
        "Từ kỳ trước chuyển sang": "Tồn kỳ trước", "Tiếp nhận trực tuyến": "trực  tuyến",
        "Tiếp nhận trực tiếp": "TRUC TIEP", "Tiếp nhận qua bưu chính": "Bưu chính công ích",
        "Giải quyết trước hạn": "Trước hạn", "Giải quyết đúng hạn": "Đúng hạn", "Giải quyết quá hạn": "Trễ hạn",
        "Đang giải quyết trong hạn": "Đang giải quyết chưa đến hạn",
        "Đang giải quyết quá hạn": "Đang giải quyết trễ hạn",
        "Chờ bổ sung": "Yêu cầu bổ sung", "Tạm dừng": "Dừng giải quyết", "Rút hồ sơ": "Công dân rút hồ sơ",
        "Quá hạn có phiếu xin lỗi": "Phiếu xin lỗi",
    }  # fmt: skip
    varied = [headers.get(h, h) for h in HEADERS]
    # Another column order too: the counts first, who and when last.
    order = list(range(3, len(varied))) + [0, 1, 2]
    rows = [row("06184"), row("06190", month="2024-01")]
    upload = xlsx_file([[r[i] for i in order] for r in rows], headers=[varied[i] for i in order])
    batch, result = _check(seed_plan, upload)
    assert result.ok, result.errors
    batch = dossier_import_confirm(batch=batch)
    assert batch.state == ImportState.IMPORTED
    stored = DossierMonth.objects.get(unit__code="06190", month=datetime.date(2024, 1, 1))
    assert (stored.resolved_early, stored.resolved_late, stored.apologised, stored.withdrawn) == (20, 3, 2, 1)


def test_a_csv_with_semicolons_and_thousands_is_read(seed_plan):
    upload = csv_file([row("06184", received_in_person="1.015", pending_on_time="1.006")], delimiter=";")
    batch, result = _check(seed_plan, upload)
    assert result.ok, result.errors
    dossier_import_confirm(batch=batch)
    assert DossierMonth.objects.get(batch=batch, unit__code="06184").received_in_person == 1015


def test_a_file_without_a_month_column_takes_the_chosen_month(seed_plan):
    headers = [h for h in HEADERS if h != "Tháng"]
    rows = [[v for h, v in zip(HEADERS, row("06184"), strict=True) if h != "Tháng"]]
    batch, result = _check(seed_plan, xlsx_file(rows, headers=headers))
    assert (result.ok, result.errors[0].message) == (False, "Cần cột “Tháng” hoặc chọn tháng khi nhập.")
    batch, result = _check(seed_plan, xlsx_file(rows, headers=headers), month=datetime.date(2024, 5, 1))
    assert result.ok
    dossier_import_confirm(batch=batch)
    assert DossierMonth.objects.filter(unit__code="06184", month=datetime.date(2024, 5, 1)).exists()


def test_a_missing_column_is_named(seed_plan):
    headers = [h for h in HEADERS if h != "Rút hồ sơ"]
    rows = [[v for h, v in zip(HEADERS, row("06184"), strict=True) if h != "Rút hồ sơ"]]
    _batch, result = _check(seed_plan, csv_file(rows, headers=headers))
    assert [(e.column, e.message) for e in result.errors] == [("Rút hồ sơ", "Thiếu cột “Rút hồ sơ”.")]


def test_reimporting_a_month_replaces_its_rows_keeps_the_old_in_history_and_leaves_other_units(seed_plan):
    first, _ = _check(seed_plan, xlsx_file([row("06184"), row("06190")]))
    dossier_import_confirm(batch=first)
    again, _ = _check(seed_plan, csv_file([row("06184", resolved_early=19, pending_on_time=7)]))
    dossier_import_confirm(batch=again)
    rows = DossierMonth.objects.filter(month=datetime.date(2024, 1, 1), unit__code__in=["06184", "06190"])
    assert rows.count() == 2  # replaced, not doubled
    replaced = rows.get(unit__code="06184")
    assert (replaced.resolved_early, replaced.batch_id) == (19, again.pk)
    assert rows.get(unit__code="06190").batch_id == first.pk
    history = list(replaced.history.order_by("history_date").values_list("resolved_early", "history_change_reason"))
    assert history == [(20, "Nhập từ tệp so-lieu.xlsx"), (19, "Nhập từ tệp so-lieu.csv")]


def test_a_name_the_system_writes_differently_is_matched_once_the_secretariat_maps_it(seed_plan):
    upload = xlsx_file([row("", name="UBND TT Đồng Đăng")])
    batch, result = _check(seed_plan, upload)
    assert result.unknown_names == ["UBND TT Đồng Đăng"]
    unit_mappings_save(plan=seed_plan, names=[("UBND TT Đồng Đăng", Unit.objects.get(code="06184"))])
    batch, result = _check(seed_plan, xlsx_file([row("", name="ubnd tt  đồng đăng")]))
    assert result.ok, result.errors
    dossier_import_confirm(batch=batch)
    assert DossierMonth.objects.filter(unit__code="06184", month__month=1).exists()


def test_an_exact_name_matches_without_a_mapping_but_a_name_without_diacritics_does_not(seed_plan):
    _batch, result = _check(seed_plan, xlsx_file([row("", name="thị trấn đồng đăng")]))
    assert result.ok, result.errors
    _batch, result = _check(seed_plan, xlsx_file([row("", name="Thi tran Dong Dang")]))
    assert result.unknown_names == ["Thi tran Dong Dang"]


def test_a_code_of_one_unit_beside_the_name_of_another_is_refused_not_resolved_by_the_code(seed_plan):
    """Found walking the import: Cao Lộc's code with Đồng Đăng's name was imported as Cao Lộc's counts, with
    no word; the row is now refused, naming both, and a name spelt the system's own way still goes by code."""
    _batch, result = _check(seed_plan, xlsx_file([row("06187", name="Thị trấn Đồng Đăng"), row("06190")]))
    assert _errors(result) == {(2, "Mã đơn vị", "Mã “06187” là của “Thị trấn Cao Lộc”, còn tên “Thị trấn Đồng Đăng” "
                                "là của đơn vị khác: sửa mã hoặc tên.")}  # fmt: skip
    assert not result.ok and result.unknown_names == []
    _batch, result = _check(seed_plan, xlsx_file([row("06187", name="UBND TT Cao Lộc (một cửa)")]))
    assert result.ok, result.errors


def test_an_unknown_code_beside_a_known_name_is_refused_not_read_as_the_name(seed_plan):
    _batch, result = _check(seed_plan, xlsx_file([row("99999", name="Thị trấn Đồng Đăng")]))
    assert _errors(result) == {(2, "Mã đơn vị", "Không có đơn vị mã “99999” thuộc cơ quan ban hành kế hoạch. Sửa mã, "
                                "hoặc để trống mã để tìm đơn vị theo tên “Thị trấn Đồng Đăng”.")}  # fmt: skip
    _batch, result = _check(seed_plan, xlsx_file([row("", name="Thị trấn Đồng Đăng")]))
    assert result.ok, result.errors


def test_a_month_not_yet_closed_is_refused_until_its_cut_off_has_passed(seed_plan, monkeypatch):
    """Found walking the import on 03/12: a file for 12/2026 passed "Không có lỗi", though the one-stop
    system counts December until 14/12; its rows would have stood as the month's."""
    monkeypatch.setattr("dossiers.reading.timezone.localdate", lambda: datetime.date(2024, 12, 14))
    _batch, result = _check(seed_plan, xlsx_file([row("06184", month="12/2024"), row("06190", month="11/2024")]))
    assert _errors(result) == {(2, "Tháng", "Tháng 12/2024 chưa khóa sổ (số liệu một cửa của tháng tính đến hết "
                                "ngày 14/12/2024): nhập sau ngày đó.")}  # fmt: skip
    monkeypatch.setattr("dossiers.reading.timezone.localdate", lambda: datetime.date(2024, 12, 15))
    _batch, result = _check(seed_plan, xlsx_file([row("06184", month="12/2024")]))
    assert result.ok, result.errors


@pytest.mark.parametrize(
    ("today", "closed"),
    [((2026, 12, 3), (2026, 11, 1)), ((2026, 12, 14), (2026, 11, 1)), ((2026, 12, 15), (2026, 12, 1)),
     ((2027, 1, 10), (2026, 12, 1))],
)  # fmt: skip
def test_the_last_closed_month_is_the_one_whose_14th_has_passed(today, closed):
    assert last_closed_month(datetime.date(*today)) == datetime.date(*closed)


def test_a_failure_while_writing_rolls_every_row_back(seed_plan, monkeypatch):
    from dossiers import services

    batch, _ = _check(seed_plan, xlsx_file([row("06184"), row("06190")]))
    real = services._chunk_write
    calls = []

    def second_fails(chunk, batch, reason):
        calls.append(1)
        real(chunk, batch, reason)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_chunk_write", second_fails)
    with pytest.raises(RuntimeError):
        dossier_import_confirm(batch=batch)
    assert not DossierMonth.objects.filter(batch=batch).exists()
    assert DossierImport.objects.get(pk=batch.pk).state == ImportState.FAILED


def test_a_large_file_is_imported_by_the_background_job(seed_plan, settings, django_capture_on_commit_callbacks):
    settings.PARPLAN_DOSSIER_INLINE_ROWS = 1
    batch, _ = _check(seed_plan, xlsx_file([row("06184"), row("06190")]))
    with django_capture_on_commit_callbacks(execute=True):
        queued = dossier_import_confirm(batch=batch)
    assert queued.state == ImportState.RUNNING  # the page shows the progress bar
    batch.refresh_from_db()
    assert (batch.state, batch.done_rows) == (ImportState.IMPORTED, 2)  # the (eager) job ran after commit


def test_header_normalisation_ignores_case_diacritics_and_spacing():
    assert normalise("  Giải quyết   ĐÚNG hạn ") == normalise("giai quyet dung han") == "giai quyet dung han"
    assert normalise("Đang giải quyết (quá hạn)") == "dang giai quyet qua han"


def test_not_an_xlsx_or_csv_is_refused(seed_plan):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        _check(seed_plan, SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4"))
    _batch, result = _check(seed_plan, SimpleUploadedFile("so-lieu.xlsx", b"not a zip"))
    assert result.errors[0].message == "Không đọc được tệp Excel (.xlsx)."


def test_the_checked_rows_wait_in_a_spool_the_import_reads_instead_of_the_spreadsheet(seed_plan, monkeypatch):
    """The import writes what the check read, without opening the .xlsx again; the spool goes once imported."""
    from pathlib import Path

    from dossiers import reading

    batch, result = _check(seed_plan, xlsx_file([row("06184", dossiers_digitised=""), row("06190")]))
    assert result.ok, result.errors
    spool = reading.spool_path(Path(batch.file.path))
    assert spool.exists()

    def no_second_read(*args, **kwargs):
        raise AssertionError("the spreadsheet was read a second time")

    monkeypatch.setattr(reading, "raw_rows", no_second_read)
    batch = dossier_import_confirm(batch=batch)
    assert batch.done_rows == 2 and not spool.exists()
    imported = DossierMonth.objects.get(batch=batch, unit__code="06184")
    # Every count as the file gave it, a blank one blank (not 0).
    assert {key: getattr(imported, key) for key in COUNTS} == {**GOOD, "dossiers_digitised": None}


def test_a_file_with_problems_keeps_no_spool_and_a_saved_mapping_spools_it_again(seed_plan):
    from pathlib import Path

    from dossiers.reading import spool_path
    from dossiers.services import dossier_import_recheck

    batch, result = _check(seed_plan, xlsx_file([row("", name="UBND TT Đồng Đăng")]))
    assert not result.ok and not spool_path(Path(batch.file.path)).exists()
    unit_mappings_save(plan=seed_plan, names=[("UBND TT Đồng Đăng", Unit.objects.get(code="06184"))])
    assert dossier_import_recheck(batch=batch, save=True).ok
    assert spool_path(Path(batch.file.path)).exists()
    batch = dossier_import_confirm(batch=DossierImport.objects.get(pk=batch.pk))
    assert DossierMonth.objects.get(batch=batch).unit.code == "06184"


def test_without_its_spool_the_import_reads_and_checks_the_file_again(seed_plan):
    """An import checked before spools existed, or whose spool was lost: the kept file is read again."""
    from pathlib import Path

    from dossiers.reading import spool_path

    batch, _ = _check(seed_plan, csv_file([row("06184"), row("06190")]))
    spool_path(Path(batch.file.path)).unlink()
    assert dossier_import_confirm(batch=batch).done_rows == 2


def test_a_recheck_cut_short_leaves_the_complete_spool_and_no_partial_one(seed_plan, monkeypatch):
    """A worker stopped midway (a full disk, a timeout) never leaves a spool that imports only some rows."""
    from pathlib import Path

    from dossiers import reading
    from dossiers.services import dossier_import_recheck

    batch, result = _check(seed_plan, csv_file([row("06184"), row("06190")]))
    spool = reading.spool_path(Path(batch.file.path))
    complete = spool.read_text(encoding="utf-8")
    real = reading._spooled
    written: list[object] = []

    def stops_after_one(parsed):
        if written:
            raise OSError("No space left on device")
        written.append(parsed)
        return real(parsed)

    monkeypatch.setattr(reading, "_spooled", stops_after_one)
    with pytest.raises(OSError):
        dossier_import_recheck(batch=batch, save=True)
    assert spool.read_text(encoding="utf-8") == complete and complete.count("\n") == 2
    assert not list(spool.parent.glob(f"{spool.name}.part"))
    monkeypatch.setattr(reading, "_spooled", real)
    assert dossier_import_confirm(batch=DossierImport.objects.get(pk=batch.pk)).done_rows == 2


def test_rows_of_a_unit_moved_out_of_the_authority_since_the_check_are_not_written(seed_plan):
    batch, result = _check(seed_plan, csv_file([row("06184"), row("06190")]))
    assert result.ok
    # Đồng Đăng leaves the authority's tree (a merger into another one) before the import is confirmed.
    Unit.objects.filter(code="06184").update(path="/elsewhere/06184/")
    with pytest.raises(ValueError, match="đơn vị không còn thuộc cơ quan ban hành kế hoạch"):
        dossier_import_confirm(batch=batch)
    failed = DossierImport.objects.get(pk=batch.pk)
    assert failed.state == ImportState.FAILED and not DossierMonth.objects.filter(batch=batch).exists()
    assert "Dòng 2" in failed.errors[0]["message"]
