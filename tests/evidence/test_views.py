"""Opening an evidence file: one view, the owner's rights, the original name; never a public media URL.

Who may (figures of Thị trấn Đồng Đăng): its head and staff (the unit's people),
the secretariat (noivu), the steering committee (bcd), administrators. Who may
not: another commune's head (baolam.lanhdao), an office's head (tuphap.lanhdao),
a person with no membership: 404, the file's existence is not confirmed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from parplan.models import Plan, Unit
from targets.models import Frequency, Measurement
from targets.services import measurement_save
from tasks.models import ProgressReport, ProgressStatus
from tasks.services import task_report_progress
from tests.targets.builders import ratio
from tests.targets.conftest import seed_indicator, seed_period
from tests.tasks.builders import PDF_BYTES, pdf, png

NAME = "Báo cáo quý 1.pdf"
DISPOSITION = f"attachment; filename=\"Bao cao quy 1.pdf\"; filename*=UTF-8''{quote(NAME)}"
MAY_OPEN = ["commune_head", "commune_staff", "secretariat", "steering", "administrator"]
MAY_NOT = ["other_commune_head", "office_head", "outsider"]


def _attach(owner: Any, user: Any, *uploads: Any) -> list[Evidence]:
    return evidence_attach(owner=owner, uploads=uploads, names=validate_uploads(uploads), user=user)


@pytest.fixture
def cast(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {who: request.getfixturevalue(who) for who in [*MAY_OPEN, *MAY_NOT]}


@pytest.fixture
def draft_figure(seed_plan: Plan, dong_dang: Unit, commune_staff: Any) -> Measurement:
    """Thị trấn Đồng Đăng's November figure for 3.3.1, saved as a draft by its staff."""
    november = seed_period(seed_plan, Frequency.MONTHLY, 11)
    return measurement_save(
        indicator=seed_indicator(seed_plan, 3, 3), unit=dong_dang, period=november, figure=ratio(98, 100),
        user=commune_staff,
    )  # fmt: skip


@pytest.fixture
def figure_file(draft_figure: Measurement, commune_staff: Any, media_root: Any) -> Evidence:
    (evidence,) = _attach(draft_figure, commune_staff, pdf(NAME))
    return evidence


@pytest.fixture
def report_file(report: ProgressReport, commune_staff: Any, media_root: Any) -> Evidence:
    (evidence,) = _attach(report, commune_staff, png("Ảnh hội nghị.png"))
    return evidence


def _download(evidence: Evidence) -> str:
    return reverse("evidence-download", args=[evidence.pk])


@pytest.mark.parametrize("who", MAY_OPEN)
def test_the_units_people_the_secretariat_and_the_committee_download_a_figures_file(client_for, cast, figure_file, who):
    response = client_for(cast[who]).get(_download(figure_file))
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == DISPOSITION
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


@pytest.mark.parametrize("who", MAY_NOT)
def test_anyone_else_is_told_the_file_does_not_exist(client_for, cast, figure_file, who):
    response = client_for(cast[who]).get(_download(figure_file))
    assert response.status_code == 404
    assert NAME not in response.content.decode()


def test_anonymous_is_sent_to_the_login_page(client, figure_file):
    response = client.get(_download(figure_file))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_stored_file_has_no_public_media_url(client_for, commune_staff, secretariat, figure_file, media_root):
    assert (media_root / figure_file.file.name).read_bytes() == PDF_BYTES
    raw = figure_file.file.url
    assert raw == f"/media/{figure_file.file.name}"
    for user in (commune_staff, secretariat):
        assert client_for(user).get(raw).status_code == 404


def test_in_production_nginx_sends_the_bytes_and_django_only_decides(
    client_for, commune_head, other_commune_head, figure_file, nginx_sendfile
):
    response = client_for(commune_head).get(_download(figure_file))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"{nginx_sendfile}/{figure_file.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == DISPOSITION
    assert response["Content-Type"] == "application/pdf"
    refused = client_for(other_commune_head).get(_download(figure_file))
    assert refused.status_code == 404
    assert not refused.has_header("X-Accel-Redirect")


def test_a_file_whose_bytes_are_gone_is_not_found(client_for, commune_head, figure_file, media_root):
    (media_root / figure_file.file.name).unlink()
    assert client_for(commune_head).get(_download(figure_file)).status_code == 404


def test_a_file_of_an_owner_no_app_registered_is_refused_to_everyone(client_for, administrator, seed_plan, media_root):
    (evidence,) = _attach(seed_plan, administrator, pdf(NAME))
    assert client_for(administrator).get(_download(evidence)).status_code == 404


def test_an_unknown_file_is_not_found(client_for, administrator):
    assert client_for(administrator).get(reverse("evidence-download", args=[999_999])).status_code == 404


# --- A task's reports ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["commune_head", "commune_staff", "secretariat", "steering", "administrator"])
def test_the_lead_unit_the_secretariat_and_the_committee_download_a_reports_file(client_for, cast, report_file, who):
    response = client_for(cast[who]).get(_download(report_file))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Anh hoi nghi.png\"; filename*=UTF-8''{quote('Ảnh hội nghị.png')}"
    )


@pytest.mark.parametrize("who", MAY_NOT)
def test_a_reader_of_the_plan_outside_the_task_cannot_download_a_reports_file(client_for, cast, report_file, who):
    assert client_for(cast[who]).get(_download(report_file)).status_code == 404


def test_a_coordinating_unit_opens_the_files_of_the_task_it_works_on(
    client_for, other_commune_head, commune_staff, coordinated_task, media_root
):
    report = task_report_progress(
        task=coordinated_task, user=commune_staff, status=ProgressStatus.IN_PROGRESS, percent=30, text="Đã rà soát.",
        files=[pdf(NAME)],
    )  # fmt: skip
    assert client_for(other_commune_head).get(_download(report.evidence.get())).status_code == 200


# --- Pages link to the view, not to the media folder -------------------------------------


def test_the_figure_entry_page_links_each_file_to_its_download(client_for, commune_staff, figure_file, seed_plan):
    url = reverse("figures-entry", args=[seed_plan.pk, "06184"])
    page = client_for(commune_staff).get(url, {"period": figure_file.owner.period_id}).content.decode()
    assert f'<a href="{_download(figure_file)}">{NAME}</a>' in page
    assert "/media/" not in page


def test_the_review_queue_links_each_file_to_its_download(client_for, secretariat, figure_file, commune_head):
    measurement_save(
        indicator=figure_file.owner.indicator, unit=figure_file.owner.unit, period=figure_file.owner.period,
        figure=ratio(98, 100), user=commune_head, submit=True,
    )  # fmt: skip
    page = client_for(secretariat).get(reverse("figures-review", args=[figure_file.owner.indicator.area.plan_id]))
    assert f'<a href="{_download(figure_file)}">{NAME}</a>' in page.content.decode()


def test_the_task_page_links_the_files_for_the_task_units_and_names_them_for_other_readers(
    client_for, commune_staff, other_commune_head, report_file
):
    url = reverse("task-detail", args=[report_file.owner.task_id])
    link = f'<a href="{_download(report_file)}">Ảnh hội nghị.png</a>'
    assert link in client_for(commune_staff).get(url).content.decode()
    # Another commune's head reads the district's plan and its tasks, but not the lead unit's files.
    page = client_for(other_commune_head).get(url).content.decode()
    assert "Ảnh hội nghị.png" in page and link not in page and "/media/" not in page
