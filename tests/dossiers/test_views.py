"""The dossier screens: who may import, who sees which rows, the template, preview then confirm."""

from __future__ import annotations

import datetime
import io
import re

import lxml.html  # type: ignore[import-untyped]
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.models import DossierImport, DossierMonth, ImportState
from dossiers.services import check_attempts_key, check_claim_key, dossier_rows_import
from parplan.models import Unit
from tests.dossiers.builders import HEADERS, parsed, row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(media_root):
    return media_root


def _load(plan, codes=("06184", "06190")):
    dossier_rows_import(plan=plan, rows=[parsed(code, 1) for code in codes], source="test", user=None)


def test_only_the_secretariat_imports(seed_plan, client_for, secretariat, steering, commune_head, office_head):
    url = reverse("dossier-import", args=[seed_plan.pk])
    assert client_for(secretariat).get(url).status_code == 200
    for user in (steering, commune_head, office_head):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).get(reverse("dossier-template", args=[seed_plan.pk])).status_code == 403
        upload = xlsx_file([row("06184")])
        assert client_for(user).post(url, {"file": upload}).status_code == 403
    assert not DossierImport.objects.filter(plan=seed_plan).exists()  # the demo imported this year's rows


def test_a_unit_head_sees_only_their_own_units_rows(seed_plan, client_for, commune_head, other_commune_head):
    _load(seed_plan)
    page = client_for(commune_head).get(reverse("dossier-table", args=[seed_plan.pk]) + "?month=2024-01")
    text = page.content.decode()
    assert "Thị trấn Đồng Đăng" in text and "Bảo Lâm" not in text
    own = client_for(commune_head).get(reverse("dossier-unit", args=[seed_plan.pk, "06184"]))
    assert own.status_code == 200 and "01/2024" in own.content.decode()
    assert client_for(commune_head).get(reverse("dossier-unit", args=[seed_plan.pk, "06190"])).status_code == 403
    assert client_for(other_commune_head).get(reverse("dossier-unit", args=[seed_plan.pk, "06184"])).status_code == 403


def test_the_secretariat_and_the_steering_committee_see_every_unit_with_totals(seed_plan, client_for, secretariat,
                                                                                 steering):  # fmt: skip
    _load(seed_plan)
    for user in (secretariat, steering):
        text = client_for(user).get(reverse("dossier-table", args=[seed_plan.pk]) + "?month=2024-01").content.decode()
        assert "Thị trấn Đồng Đăng" in text and "Xã Bảo Lâm" in text
        assert '<tr class="total">' in text
        assert '<td class="number">40</td>' in text  # 20 + 20 early
        assert "93,3" in text  # 84 of 90 early or on time, written the Vietnamese way


def test_outsiders_find_nothing(seed_plan, client_for, outsider):
    _load(seed_plan)
    assert client_for(outsider).get(reverse("dossier-table", args=[seed_plan.pk])).status_code == 404
    assert client_for(outsider).get(reverse("dossier-unit", args=[seed_plan.pk, "06184"])).status_code == 404


def test_the_template_has_the_vietnamese_headers_and_one_row_per_unit(seed_plan, client_for, secretariat):
    response = client_for(secretariat).get(reverse("dossier-template", args=[seed_plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert ("06184", "Thị trấn Đồng Đăng") in {(r[0], r[1]) for r in rows[1:]}


@pytest.mark.parametrize(
    ("today", "month"), [((2024, 12, 3), "11/2024"), ((2024, 12, 20), "12/2024"), ((2026, 5, 1), "12/2024")]
)
def test_the_template_offers_the_last_closed_month_on_a_sheet_named_with_diacritics(
    seed_plan, client_for, secretariat, monkeypatch, today, month
):
    """It offered the month under way (12/2026 on 03/12/2026), which the check must refuse, on a sheet
    named "So lieu ho so"."""
    monkeypatch.setattr("dossiers.views.timezone.localdate", lambda: datetime.date(*today))
    response = client_for(secretariat).get(reverse("dossier-template", args=[seed_plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert sheet.title == "Số liệu hồ sơ"
    assert {r[2] for r in list(sheet.iter_rows(values_only=True))[1:]} == {month}


@pytest.mark.parametrize("today", [(2023, 12, 20), (2024, 1, 14)])
def test_a_coming_year_s_template_offers_no_month_and_the_import_page_says_when_one_closes(
    seed_plan, client_for, secretariat, monkeypatch, today
):
    """It offered 01/2024 while no month of 2024 had closed, a month the check refuses on every row."""
    monkeypatch.setattr("dossiers.views.timezone.localdate", lambda: datetime.date(*today))
    client = client_for(secretariat)
    response = client.get(reverse("dossier-template", args=[seed_plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert {r[2] for r in list(sheet.iter_rows(values_only=True))[1:]} == {None}
    page = client.get(reverse("dossier-import", args=[seed_plan.pk])).content.decode()
    assert "Năm 2024 chưa có tháng nào chốt số liệu: số liệu tháng 01/2024 nhập được từ ngày 15/01/2024." in page


def test_the_import_page_says_nothing_of_closed_months_once_one_has(seed_plan, client_for, secretariat, monkeypatch):
    monkeypatch.setattr("dossiers.views.timezone.localdate", lambda: datetime.date(2024, 1, 15))
    page = client_for(secretariat).get(reverse("dossier-import", args=[seed_plan.pk])).content.decode()
    assert 'id="no-month-closed"' not in page


def test_a_month_outside_the_plan_s_year_is_said_and_the_latest_month_shown(seed_plan, client_for, secretariat):
    _load(seed_plan)
    response = client_for(secretariat).get(reverse("dossier-table", args=[seed_plan.pk]), {"month": "2027-01"})
    page = response.content.decode()
    assert "Tháng 01/2027 ngoài năm của kế hoạch (2024): đang xem tháng gần nhất có số liệu." in page
    assert response.context["table"].month == datetime.date(2024, 1, 1)


def test_upload_shows_every_error_then_a_good_file_is_previewed_and_confirmed(seed_plan, client_for, secretariat):
    client = client_for(secretariat)
    bad = client.post(
        reverse("dossier-import", args=[seed_plan.pk]),
        {"file": xlsx_file([row("99999"), row("06184", resolved_late=-2)])},
    )
    page = client.get(bad.url).content.decode()
    assert "Tệp có 2 lỗi: chưa nhập dòng nào" in page
    assert "99999" in page and "Số âm" in page
    good = client.post(
        reverse("dossier-import", args=[seed_plan.pk]), {"file": xlsx_file([row("06184"), row("06190")])}
    )
    preview = client.get(good.url).content.decode()
    assert "Xem trước" in preview and "Xác nhận nhập 2 dòng" in preview
    assert not DossierMonth.objects.filter(month__month=1, month__year=2024).exists()
    batch = DossierImport.objects.get(pk=int(good.url.rstrip("/").split("/")[-1]))
    done = client.post(reverse("dossier-import-confirm", args=[batch.pk]), follow=True)
    assert "Đã nhập 2 dòng số liệu." in done.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportState.IMPORTED
    assert DossierMonth.objects.filter(batch=batch).count() == 2


def _page(client, url: str) -> str:
    """The page without what changes on every response (the form's CSRF token, the scripts' nonce)."""
    page = client.get(url).content.decode()
    return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', r"\1", page)


def test_the_import_s_page_shows_its_kept_check_without_reading_the_file_again(
    seed_plan, client_for, secretariat, monkeypatch
):
    """A 60,000-row .xlsx took 20 s to check, and its page checked it again on every visit: the page now
    shows the check kept on the import, errors, preview, months' totals and names not matched alike."""
    client = client_for(secretariat)
    upload = reverse("dossier-import", args=[seed_plan.pk])
    good = client.post(upload, {"file": xlsx_file([row("06184"), row("06190")])})
    bad = client.post(
        reverse("dossier-import", args=[seed_plan.pk]),
        {"file": xlsx_file([row("", name="Xã không có"), row("06184", resolved_late=-2)])},
    )
    first = {url: _page(client, url) for url in (good.url, bad.url)}

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("dossiers.services.check_file", no_reading)
    again = {url: _page(client, url) for url in (good.url, bad.url)}
    assert again == first
    assert "Xác nhận nhập 2 dòng" in again[good.url] and "Không có lỗi. 2 đơn vị." in again[good.url]
    assert "Tệp có 2 lỗi: chưa nhập dòng nào" in again[bad.url] and "Số âm" in again[bad.url]
    assert 'value="Xã không có"' in again[bad.url]  # the name to map, offered again


def test_a_large_file_is_checked_by_the_background_job_its_page_waiting_then_showing_the_check(
    seed_plan, client_for, secretariat, settings
):
    """Found walking the import: a 60,000-row .xlsx held its upload for 45 s with nothing shown (a proxy
    gives up at 60 s). A file above the inline size is kept, checked by a job, and its page waits for it."""
    settings.PARPLAN_DOSSIER_INLINE_CHECK_BYTES = 0
    client = client_for(secretariat)
    # The test's transaction never commits: the job waits as the worker would find it, not yet run.
    sent = client.post(reverse("dossier-import", args=[seed_plan.pk]), {"file": xlsx_file([row("06184")])})
    batch = DossierImport.objects.get(pk=int(sent.url.rstrip("/").split("/")[-1]))
    assert batch.state == ImportState.CHECKING and not DossierMonth.objects.filter(batch=batch).exists()
    waiting = client.get(sent.url).content.decode()
    assert "Đang kiểm tra tệp ở chế độ nền" in waiting and 'data-state="running"' in waiting
    assert "<span data-rows-checked>0</span>" in waiting
    status = client.get(reverse("dossier-import-status", args=[batch.pk])).json()
    assert status["state"] == "checking"
    from dossiers.tasks import check_dossiers

    check_dossiers(batch.pk)  # what the worker runs; a second delivery changes nothing
    assert check_dossiers(batch.pk).endswith("checked (1 rows)")
    assert client.get(reverse("dossier-import-status", args=[batch.pk])).json()["state"] == "done"
    page = client.get(sent.url).content.decode()
    assert "Xác nhận nhập 1 dòng" in page and 'data-state="done"' in page


def _checking(client, plan, settings) -> DossierImport:
    settings.PARPLAN_DOSSIER_INLINE_CHECK_BYTES = 0
    sent = client.post(reverse("dossier-import", args=[plan.pk]), {"file": xlsx_file([row("06184")])})
    return DossierImport.objects.get(pk=int(sent.url.rstrip("/").split("/")[-1]))


def test_a_background_check_that_fails_refuses_the_file_in_a_line_never_stays_checking(
    seed_plan, client_for, secretariat, settings, monkeypatch
):
    """A review found a failed check left "checking" for good, its page polling, its confirm refused."""
    from dossiers.tasks import check_dossiers

    client = client_for(secretariat)
    batch = _checking(client, seed_plan, settings)

    def broken(*args, **kwargs):
        raise OSError("/srv/media/dossiers/… unreadable")

    monkeypatch.setattr("dossiers.services.check_file", broken)
    check_dossiers(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.INVALID
    page = client.get(reverse("dossier-import-detail", args=[batch.pk])).content.decode()
    assert "Không kiểm tra được tệp (tệp hỏng, hoặc máy chủ gặp sự cố khi đọc): hãy tải tệp lên lại." in page
    assert "/srv/media" not in page  # the cause is in the log, not on the page


def test_a_background_check_lost_three_times_is_given_up_and_one_running_is_not_run_twice(
    seed_plan, client_for, secretariat, settings
):
    from django.core.cache import cache

    from dossiers.tasks import check_dossiers

    batch = _checking(client_for(secretariat), seed_plan, settings)
    cache.add(check_claim_key(batch.pk), 1)  # another worker is reading the file
    check_dossiers(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.CHECKING
    cache.delete(check_claim_key(batch.pk))
    cache.set(check_attempts_key(batch.pk), 3)  # three workers lost on this file already
    check_dossiers(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.INVALID


def test_a_mapping_saved_while_the_file_is_being_checked_does_not_check_it_in_the_request(
    seed_plan, client_for, secretariat, settings, monkeypatch
):
    from parplan.models import Unit

    client = client_for(secretariat)
    batch = _checking(client, seed_plan, settings)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read inside the request")

    monkeypatch.setattr("dossiers.services.check_file", no_reading)
    response = client.post(reverse("dossier-import-mappings", args=[batch.pk]), {
        "map-TOTAL_FORMS": "1", "map-INITIAL_FORMS": "1", "map-0-name": "TT Đồng Đăng",
        "map-0-unit": str(Unit.objects.get(code="06184").pk)}, follow=True)  # fmt: skip
    assert "đang được kiểm tra hoặc đã nhập nên không kiểm tra lại" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == ImportState.CHECKING


def test_a_mapped_name_turns_an_invalid_file_valid(seed_plan, client_for, secretariat):
    client = client_for(secretariat)
    sent = client.post(
        reverse("dossier-import", args=[seed_plan.pk]), {"file": xlsx_file([row("", name="TT Đồng Đăng")])}
    )
    batch = DossierImport.objects.get(pk=int(sent.url.rstrip("/").split("/")[-1]))
    assert batch.state == ImportState.INVALID
    from parplan.models import Unit

    client.post(reverse("dossier-import-mappings", args=[batch.pk]), {
        "map-TOTAL_FORMS": "1", "map-INITIAL_FORMS": "1", "map-0-name": "TT Đồng Đăng",
        "map-0-unit": str(Unit.objects.get(code="06184").pk)})  # fmt: skip
    batch.refresh_from_db()
    assert batch.state == ImportState.CHECKED


def test_the_month_table_costs_the_same_queries_for_more_units(seed_plan, client_for, secretariat):
    client = client_for(secretariat)
    url = reverse("dossier-table", args=[seed_plan.pk]) + "?month=2024-01"
    _load(seed_plan, ("06184",))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _load(seed_plan, ("06190", "06193", "06196", "06199", "06202"))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_a_unit_s_year_total_adds_the_flows_and_keeps_the_first_opening_and_the_last_balances(
    seed_plan, client_for, commune_head
):
    """Found walking the portal: the year's Tổng row of Đồng Đăng added up month-end balances (carried over 334
    where January carried over 16, in progress 309 where November held 14), unlike the report's annex IV."""
    from dossiers.selectors import unit_year
    from parplan.models import Unit

    february = {"carried_over": 9, "pending_on_time": 8, "pending_overdue": 2, "awaiting_supplements": 2}
    dossier_rows_import(
        plan=seed_plan, rows=[parsed("06184", 1), parsed("06184", 2, **february)], source="test", user=None
    )
    year = unit_year(seed_plan, Unit.objects.get(code="06184"))
    lines, total = year.rows, year.total
    assert len(lines) == 2
    first, last = lines[0], lines[-1]
    assert sum(line.get("carried_over") for line in lines) != first.get("carried_over")
    assert total.get("carried_over") == first.get("carried_over")
    for key in ("pending_on_time", "pending_overdue", "awaiting_supplements", "paused"):
        assert total.counts.get(key) == last.counts.get(key), key
    for key in ("received_online", "resolved_late", "withdrawn"):
        assert total.get(key) == sum(line.get(key) for line in lines), key
    assert total.received == sum(line.received for line in lines)
    page = client_for(commune_head).get(reverse("dossier-unit", args=[seed_plan.pk, "06184"]))
    assert page.context["year"].total.get("carried_over") == first.get("carried_over")


def test_the_import_offers_only_closed_months_and_the_template_no_steering_committee(
    seed_plan, client_for, secretariat, monkeypatch
):
    """Found walking the portal: the month list offered 12/2024 on 03/12/2024, a month the check then refused,
    and the template held a row for the Ban Chỉ đạo, which takes in no dossiers."""
    monkeypatch.setattr("dossiers.forms.timezone.localdate", lambda: datetime.date(2024, 12, 3))
    client = client_for(secretariat)
    page = lxml.html.fromstring(client.get(reverse("dossier-import", args=[seed_plan.pk])).content.decode())
    offered = page.xpath("//select[@name='month']/option/@value")
    assert offered[0] == "" and offered[1:] == [f"2024-{m:02d}" for m in range(1, 12)]
    monkeypatch.setattr("dossiers.forms.timezone.localdate", lambda: datetime.date(2026, 5, 1))
    page = lxml.html.fromstring(client.get(reverse("dossier-import", args=[seed_plan.pk])).content.decode())
    assert len(page.xpath("//select[@name='month']/option")) == 13
    response = client.get(reverse("dossier-template", args=[seed_plan.pk]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    codes = {r[0] for r in list(sheet.iter_rows(values_only=True))[1:]}
    steering = Unit.objects.filter(kind__code="steering_committee", path__startswith=seed_plan.issuing_unit.path)
    assert steering.exists() and not codes & set(steering.values_list("code", flat=True))
