"""Report screens: the secretariat writes and generates; plan readers download; others are kept out.

Who may do what: the secretariat (noivu) edits the narrative and generates;
the steering committee (bcd) reads everything but writes nothing; a commune
head (dongdang.lanhdao) reads the plan of the district above; an outsider has
no membership and sees nothing.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parplan.models import Plan
from reports.models import GeneratedReport, GenerationState, ReportNarrative
from reports.services import report_request

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _narrative_post(client: Client, plan: Plan, **changes: str) -> dict[str, str]:
    """The narrative form as the page offers it (pre-filled), with `changes` typed in."""
    form = client.get(reverse("report-narrative", args=[plan.pk, "year"])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return {**{k: str(v) for k, v in data.items()}, **changes}


@pytest.fixture
def generated(
    seed_plan: Plan, secretariat: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> GeneratedReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(plan=seed_plan, kind="year", user=secretariat)
    report.refresh_from_db()
    return report


# --- The narrative --------------------------------------------------------------------


def test_the_secretariat_finds_the_narrative_pre_filled_with_generated_sentences(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(secretariat).get(reverse("report-narrative", args=[seed_plan.pk, "year"]))
    assert response.status_code == 200
    form = response.context["form"]
    assert "với 7 lĩnh vực, 27 chỉ tiêu và 37 nhiệm vụ" in form["direction"].value()
    assert form["area_3"].value().startswith("Hoàn thành 1/8 nhiệm vụ")
    assert form["signing_authority"].value() == "TM. ỦY BAN NHÂN DÂN"
    assert "Hoàn thành 1/8 nhiệm vụ" in response.content.decode()


def test_the_secretariat_saves_a_draft_and_finds_it_again(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    data = _narrative_post(client, seed_plan, causes="Nguyên nhân: thiếu nhân lực.", area_2="Nhận xét lĩnh vực 2.",
                           number="5", report_date="16/12/2024", action="save")  # fmt: skip
    response = client.post(reverse("report-narrative", args=[seed_plan.pk, "year"]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("report-narrative", args=[seed_plan.pk, "year"])
    narrative = ReportNarrative.objects.get(plan=seed_plan, kind="year")
    assert (narrative.causes, narrative.area_comments, narrative.number) == (
        "Nguyên nhân: thiếu nhân lực.",
        {"2": "Nhận xét lĩnh vực 2."},
        "5",
    )
    assert narrative.updated_by == secretariat
    form = client.get(reverse("report-narrative", args=[seed_plan.pk, "year"])).context["form"]
    assert form["causes"].value() == "Nguyên nhân: thiếu nhân lực."
    assert form["area_2"].value() == "Nhận xét lĩnh vực 2."


def test_a_suggestion_saved_as_offered_stays_generated_so_its_numbers_follow_the_data(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    data = _narrative_post(client, seed_plan, strengths="Ưu điểm do Phòng Nội vụ viết.", action="save")
    client.post(reverse("report-narrative", args=[seed_plan.pk, "year"]), data)
    narrative = ReportNarrative.objects.get(plan=seed_plan, kind="year")
    assert (narrative.direction, narrative.weaknesses, narrative.area_comments) == ("", "", {})
    assert narrative.strengths == "Ưu điểm do Phòng Nội vụ viết."


def test_saving_and_generating_runs_the_report_to_done(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client], media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = client_for(secretariat)
    data = _narrative_post(client, seed_plan, proposals="Đề nghị tỉnh bổ sung biên chế.", action="generate")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-narrative", args=[seed_plan.pk, "year"]), data)
    report = GeneratedReport.objects.get(plan=seed_plan, kind="year")
    assert response.status_code == 302 and response["Location"] == reverse("report-detail", args=[report.pk])
    status = client.get(reverse("report-status", args=[report.pk])).json()
    assert status == {"state": "done", "progress": 100, "error": ""}
    assert ReportNarrative.objects.get(plan=seed_plan, kind="year").proposals == "Đề nghị tỉnh bổ sung biên chế."


def test_generating_from_the_reports_page_numbers_a_new_version(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client], media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(reverse("report-generate", args=[seed_plan.pk, "q1"]))
    report = GeneratedReport.objects.get(plan=seed_plan, kind="q1")
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    assert (report.version, report.state, report.author) == (1, GenerationState.DONE, secretariat)


def test_generating_needs_a_post(seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]) -> None:
    response = client_for(secretariat).get(reverse("report-generate", args=[seed_plan.pk, "year"]))
    assert response.status_code == 405


def test_an_unknown_report_kind_is_not_found(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    assert client.get(reverse("report-narrative", args=[seed_plan.pk, "q2"])).status_code == 404
    assert client.post(reverse("report-generate", args=[seed_plan.pk, "q2"])).status_code == 404


# --- Progress and downloads -------------------------------------------------------------


def test_the_detail_page_shows_the_version_its_progress_and_the_downloads(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(commune_head).get(reverse("report-detail", args=[generated.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="progress" max="100" value="100"' in page
    assert reverse("report-download", args=[generated.pk, "pdf"]) in page
    assert reverse("report-download", args=[generated.pk, "xlsx"]) in page
    assert f"{generated.page_count} trang" in page


def test_the_status_of_a_queued_version_says_so(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(plan=seed_plan, kind="year", user=secretariat)
    client = client_for(secretariat)
    assert client.get(reverse("report-status", args=[report.pk])).json() == {
        "state": "queued", "progress": 0, "error": ""
    }  # fmt: skip
    assert client.get(reverse("report-download", args=[report.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("pdf", "application/pdf", b"%PDF-"), ("xlsx", XLSX, b"PK")]
)
def test_a_plan_reader_downloads_both_files(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client], fmt: str,
    content_type: str, magic: bytes,
) -> None:  # fmt: skip
    response = client_for(commune_head).get(reverse("report-download", args=[generated.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-year-2024-v1.{fmt}"'
    assert response.content.startswith(magic)


def test_in_production_nginx_sends_the_report_file_and_django_only_decides(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client], nginx_sendfile: str
) -> None:
    response = client_for(commune_head).get(reverse("report-download", args=[generated.pk, "pdf"]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"{nginx_sendfile}/{generated.pdf.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-year-2024-v1.pdf"'


def test_a_report_file_is_never_kept_by_a_shared_cache(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(commune_head).get(reverse("report-download", args=[generated.pk, "xlsx"]))
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_the_excel_file_keeps_its_type_where_the_system_has_no_mime_table(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    # python:3.11-slim has no /etc/mime.types, and Python's own table does not know .xlsx.
    monkeypatch.setattr(mimetypes, "guess_type", lambda *args, **kwargs: (None, None))
    response = client_for(commune_head).get(reverse("report-download", args=[generated.pk, "xlsx"]))
    assert response["Content-Type"] == XLSX


def test_an_unknown_file_format_is_not_found(
    generated: GeneratedReport, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    assert client_for(secretariat).get(reverse("report-download", args=[generated.pk, "docx"])).status_code == 404


def test_the_reports_page_lists_every_version_with_author_and_cut_off(
    generated: GeneratedReport, commune_head: Any, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(commune_head).get(reverse("report-home", args=[generated.plan_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "v1" in page and "14/12/2024" in page and "Hoàng Thị Lan" in page
    assert reverse("report-download", args=[generated.pk, "pdf"]) in page
    assert response.context["can_write"] is False
    assert reverse("report-generate", args=[generated.plan_id, "year"]) not in page


def test_the_reports_page_takes_the_same_queries_for_one_version_or_five(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client], django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = client_for(secretariat)
    url = reverse("report-home", args=[seed_plan.pk])
    with django_capture_on_commit_callbacks(execute=False):
        report_request(plan=seed_plan, kind="year", user=secretariat)
    client.get(url)  # warm the session and permission caches of this client
    # session, user, the user's own and group permissions (plan visibility, can_write), the plan,
    # the memberships for the menu, unread notifications, the versions with their authors
    with django_assert_num_queries(8) as one:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=False):
        for kind in ("q1", "h1", "q3", "year"):
            report_request(plan=seed_plan, kind=kind, user=secretariat)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


# --- Who may not ------------------------------------------------------------------------


def test_the_steering_committee_may_not_edit_the_narrative_or_generate(
    seed_plan: Plan, steering: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(steering)
    narrative = reverse("report-narrative", args=[seed_plan.pk, "year"])
    assert client.get(narrative).status_code == 403
    assert client.post(narrative, {"action": "save", "causes": "x"}).status_code == 403
    assert client.post(reverse("report-generate", args=[seed_plan.pk, "year"])).status_code == 403
    assert not ReportNarrative.objects.filter(plan=seed_plan).exists()
    assert not GeneratedReport.objects.filter(plan=seed_plan).exists()


def test_the_steering_committee_reads_and_downloads(
    generated: GeneratedReport, steering: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(steering)
    assert client.get(reverse("report-home", args=[generated.plan_id])).status_code == 200
    assert client.get(reverse("report-download", args=[generated.pk, "pdf"])).status_code == 200


def test_a_commune_head_may_not_edit_the_narrative_or_generate(
    seed_plan: Plan, commune_head: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(commune_head)
    assert client.get(reverse("report-narrative", args=[seed_plan.pk, "year"])).status_code == 403
    assert client.post(reverse("report-generate", args=[seed_plan.pk, "year"])).status_code == 403


def test_an_outsider_sees_no_report_at_all(
    generated: GeneratedReport, outsider: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(outsider)
    for url in (
        reverse("report-download", args=[generated.pk, "pdf"]),
        reverse("report-download", args=[generated.pk, "xlsx"]),
        reverse("report-detail", args=[generated.pk]),
        reverse("report-status", args=[generated.pk]),
        reverse("report-home", args=[generated.plan_id]),
        reverse("report-narrative", args=[generated.plan_id, "year"]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("report-generate", args=[generated.plan_id, "year"])).status_code == 404


def test_every_report_url_sends_an_anonymous_visitor_to_the_login(generated: GeneratedReport, client: Client) -> None:
    # tests/test_url_auth.py walks the URLconf but has no sample `kind`/`fmt` nor a generated report to use.
    plan_id = generated.plan_id
    urls = [
        reverse("report-home", args=[plan_id]),
        reverse("report-narrative", args=[plan_id, "year"]),
        reverse("report-generate", args=[plan_id, "year"]),
        reverse("report-detail", args=[generated.pk]),
        reverse("report-status", args=[generated.pk]),
        reverse("report-download", args=[generated.pk, "pdf"]),
        reverse("report-download", args=[generated.pk, "xlsx"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert client.post(reverse("report-generate", args=[plan_id, "year"])).status_code == 302
    assert GeneratedReport.objects.filter(plan_id=plan_id).count() == 1
