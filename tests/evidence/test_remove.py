"""Removing a file attached by mistake: before the owner is sent or approved, by its unit or the secretariat.

A figure's files go while the figure is a draft or returned and its period is open;
a report's while its task is open and no completion claim waits. The row goes, its
history stays (who removed it, when) and so do the stored bytes the history names.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from evidence.models import Evidence
from evidence.services import evidence_attach, evidence_remove
from evidence.uploads import validate_uploads
from parplan.models import Plan, Unit
from targets.models import Frequency, Measurement
from targets.services import measurement_approve, measurement_return, measurement_save, period_lock
from tasks.models import ProgressStatus, Task
from tasks.services import task_claim_completion, task_contribute, task_report_progress
from tests.targets.builders import ratio
from tests.targets.conftest import seed_indicator, seed_period
from tests.tasks.builders import PDF_BYTES, pdf

NAME = "Báo cáo quý 1.pdf"
REMOVED = "Đã xóa tài liệu “Báo cáo quý 1.pdf”."


@pytest.fixture
def draft_figure(seed_plan: Plan, dong_dang: Unit, commune_staff: Any) -> Measurement:
    november = seed_period(seed_plan, Frequency.MONTHLY, 11)
    return measurement_save(
        indicator=seed_indicator(seed_plan, 3, 3), unit=dong_dang, period=november, figure=ratio(98, 100),
        user=commune_staff,
    )  # fmt: skip


@pytest.fixture
def figure_file(draft_figure: Measurement, commune_staff: Any, media_root: Any) -> Evidence:
    upload = pdf(NAME)
    return evidence_attach(owner=draft_figure, uploads=[upload], names=validate_uploads([upload]), user=commune_staff)[
        0
    ]


def _send(measurement: Measurement, head: Any) -> Measurement:
    return measurement_save(
        indicator=measurement.indicator, unit=measurement.unit, period=measurement.period, figure=ratio(98, 100),
        user=head, submit=True,
    )  # fmt: skip


def _remove(client: Client, evidence: Evidence, next_url: str = "") -> Any:
    data = {"next": next_url} if next_url else {}
    return client.post(reverse("evidence-remove", args=[evidence.pk]), data, follow=True)


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _entry_page(evidence: Evidence) -> str:
    figure = Measurement.objects.get(pk=evidence.owner_id)
    return (
        f"{reverse('figures-entry', args=[figure.indicator.area.plan_id, figure.unit.code])}?period={figure.period_id}"
    )


# --- Figures ---------------------------------------------------------------------------------


def test_the_staff_who_attached_a_file_to_a_draft_removes_it_and_its_history_stays(
    client_for, commune_staff, figure_file, media_root
):
    response = _remove(client_for(commune_staff), figure_file, next_url=_entry_page(figure_file))
    assert response.redirect_chain == [(_entry_page(figure_file), 302)]
    assert _messages(response) == [REMOVED]
    assert not Evidence.objects.filter(pk=figure_file.pk).exists()
    removal = Evidence.history.filter(id=figure_file.pk).latest("history_id")
    assert (removal.history_type, removal.history_user, removal.original_name) == ("-", commune_staff, NAME)
    assert removal.file == figure_file.file.name
    # The bytes the history names stay; the portal no longer serves them.
    assert (media_root / figure_file.file.name).read_bytes() == PDF_BYTES
    assert client_for(commune_staff).get(reverse("evidence-download", args=[figure_file.pk])).status_code == 404


@pytest.mark.parametrize("who", ["commune_head", "secretariat"])
def test_the_units_head_and_the_secretariat_remove_a_drafts_file_too(client_for, request, figure_file, who):
    assert _messages(_remove(client_for(request.getfixturevalue(who)), figure_file)) == [REMOVED]
    assert not Evidence.objects.filter(pk=figure_file.pk).exists()


def test_a_returned_figures_file_may_be_removed(client_for, commune_head, secretariat, figure_file):
    returned = measurement_return(
        measurement=_send(figure_file.owner, commune_head), user=secretariat, comment="Sai tệp."
    )
    assert returned.status == "returned"
    assert _messages(_remove(client_for(commune_head), figure_file)) == [REMOVED]


def test_a_sent_figures_file_stays_with_a_message_that_says_why(client_for, commune_head, figure_file):
    _send(figure_file.owner, commune_head)
    response = _remove(client_for(commune_head), figure_file)
    assert _messages(response) == [
        "Số liệu đang chờ duyệt: không xóa được tài liệu kiểm chứng; cần Phòng Nội vụ trả lại số liệu trước."
    ]
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


def test_an_approved_figures_file_stays(client_for, commune_head, secretariat, figure_file):
    measurement_approve(measurement=_send(figure_file.owner, commune_head), user=secretariat)
    response = _remove(client_for(secretariat), figure_file)
    assert _messages(response) == ["Số liệu đã được duyệt: tài liệu kiểm chứng được giữ nguyên."]
    assert Evidence.objects.filter(pk=figure_file.pk).exists()
    assert [h.history_type for h in Evidence.history.filter(id=figure_file.pk)] == ["+"]


def test_a_file_of_a_locked_period_stays(client_for, commune_head, figure_file):
    period_lock(period=figure_file.owner.period)
    assert _messages(_remove(client_for(commune_head), figure_file)) == [
        "Kỳ báo cáo đã khóa: không xóa được tài liệu kiểm chứng."
    ]
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


def test_the_steering_committee_reads_but_may_not_remove(client_for, steering, figure_file):
    client = client_for(steering)
    assert client.get(reverse("evidence-download", args=[figure_file.pk])).status_code == 200
    assert client.get(reverse("evidence-remove", args=[figure_file.pk])).status_code == 403
    assert client.post(reverse("evidence-remove", args=[figure_file.pk])).status_code == 403
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


@pytest.mark.parametrize("who", ["other_commune_head", "office_head", "outsider"])
def test_anyone_outside_the_unit_is_told_the_file_does_not_exist(client_for, request, figure_file, who):
    assert (
        client_for(request.getfixturevalue(who)).post(reverse("evidence-remove", args=[figure_file.pk])).status_code
        == 404
    )
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


def test_a_removal_needs_the_csrf_token(commune_staff, figure_file):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_staff)
    assert client.post(reverse("evidence-remove", args=[figure_file.pk])).status_code == 403
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


def test_asking_to_remove_shows_a_confirmation_and_removes_nothing(client_for, commune_staff, figure_file):
    url = reverse("evidence-remove", args=[figure_file.pk])
    page = client_for(commune_staff).get(url, {"next": _entry_page(figure_file)}).content.decode()
    assert NAME in page and "Xóa tệp này" in page
    assert f'<input type="hidden" name="next" value="{_entry_page(figure_file).replace("&", "&amp;")}">' in page
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


def test_the_confirmation_of_a_sent_figures_file_says_it_stays_and_offers_no_button(
    client_for, commune_head, figure_file
):
    _send(figure_file.owner, commune_head)
    page = client_for(commune_head).get(reverse("evidence-remove", args=[figure_file.pk])).content.decode()
    assert "Số liệu đang chờ duyệt" in page and "Xóa tệp này" not in page


def test_a_next_address_off_the_portal_leads_back_to_the_figure_instead(client_for, commune_staff, figure_file):
    response = _remove(client_for(commune_staff), figure_file, next_url="https://lua-dao.example/")
    assert response.redirect_chain == [(_entry_page(figure_file), 302)]


def test_the_entry_page_offers_xoa_for_a_drafts_files_only(client_for, commune_head, figure_file, seed_plan):
    client, url = client_for(commune_head), _entry_page(figure_file)
    remove = reverse("evidence-remove", args=[figure_file.pk])
    assert f'href="{remove}?next=' in client.get(url).content.decode()
    _send(figure_file.owner, commune_head)
    assert remove not in client.get(url).content.decode()


def test_the_service_refuses_under_the_lock_what_the_page_offered_before_a_sending(
    commune_head, commune_staff, figure_file
):
    _send(figure_file.owner, commune_head)
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        evidence_remove(evidence=figure_file, user=commune_staff)
    assert Evidence.objects.filter(pk=figure_file.pk).exists()


# --- A task's reports and contributions -----------------------------------------------------


@pytest.fixture
def lead_file(coordinated_task: Task, commune_staff: Any, media_root: Any) -> Evidence:
    report = task_report_progress(
        task=coordinated_task, user=commune_staff, status=ProgressStatus.IN_PROGRESS, percent=30, text="Đã rà soát.",
        files=[pdf(NAME)],
    )  # fmt: skip
    return report.evidence.get()


@pytest.fixture
def contribution_file(coordinated_task: Task, bao_lam: Unit, other_commune_head: Any, media_root: Any) -> Evidence:
    report = task_contribute(
        task=coordinated_task, unit=bao_lam, user=other_commune_head, text="Đã phối hợp.", files=[pdf(NAME)]
    )
    return report.evidence.get()


def test_the_lead_unit_removes_a_file_of_its_report_while_the_task_is_open(client_for, commune_head, lead_file):
    response = _remove(client_for(commune_head), lead_file)
    assert response.redirect_chain == [(reverse("task-detail", args=[lead_file.owner.task_id]), 302)]
    assert _messages(response) == [REMOVED]
    assert Evidence.history.filter(id=lead_file.pk, history_type="-", history_user=commune_head).exists()


def test_a_coordinating_unit_removes_its_own_contributions_file_but_not_the_lead_units(
    client_for, other_commune_head, lead_file, contribution_file
):
    client = client_for(other_commune_head)
    assert client.post(reverse("evidence-remove", args=[lead_file.pk])).status_code == 403
    assert _messages(_remove(client, contribution_file)) == [REMOVED]
    assert Evidence.objects.filter(pk=lead_file.pk).exists()


def test_the_lead_unit_may_not_remove_a_contributions_file(client_for, commune_head, contribution_file):
    assert client_for(commune_head).post(reverse("evidence-remove", args=[contribution_file.pk])).status_code == 403


def test_the_secretariat_removes_either(client_for, secretariat, lead_file, contribution_file):
    client = client_for(secretariat)
    assert _messages(_remove(client, lead_file)) == [REMOVED]
    assert _messages(_remove(client, contribution_file)) == [REMOVED]


def test_a_reports_file_stays_once_completion_is_claimed(client_for, commune_head, lead_file):
    task_claim_completion(
        task=lead_file.owner.task, user=commune_head, today=datetime.date(2024, 10, 1), text="Đã ban hành quy chế."
    )
    assert _messages(_remove(client_for(commune_head), lead_file)) == [
        "Nhiệm vụ đang chờ xác nhận hoàn thành: không xóa được tài liệu kiểm chứng; "
        "chờ Phòng Nội vụ xác nhận hoặc trả lại."
    ]
    assert Evidence.objects.filter(pk=lead_file.pk).exists()


def test_the_task_page_offers_xoa_to_each_reports_own_unit(
    client_for, commune_head, other_commune_head, steering, lead_file, contribution_file
):
    url = reverse("task-detail", args=[lead_file.owner.task_id])
    lead_remove = reverse("evidence-remove", args=[lead_file.pk])
    contribution_remove = reverse("evidence-remove", args=[contribution_file.pk])
    lead_page = client_for(commune_head).get(url).content.decode()
    assert lead_remove in lead_page and contribution_remove not in lead_page
    coordinating_page = client_for(other_commune_head).get(url).content.decode()
    assert contribution_remove in coordinating_page and lead_remove not in coordinating_page
    committee_page = client_for(steering).get(url).content.decode()
    assert reverse("evidence-download", args=[lead_file.pk]) in committee_page
    assert lead_remove not in committee_page and contribution_remove not in committee_page


def test_an_anonymous_removal_is_sent_to_the_login_page_and_removes_nothing(client, figure_file):
    response = client.post(reverse("evidence-remove", args=[figure_file.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Evidence.objects.filter(pk=figure_file.pk).exists()
