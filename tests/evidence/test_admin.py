"""The evidence admin: to look files up; they come and go only with what they prove."""

from __future__ import annotations

from django.urls import reverse

from evidence.services import evidence_attach
from tests.tasks.builders import pdf


def test_the_admin_lists_evidence_and_shows_each_file(client_for, administrator, report, commune_staff, media_root):
    (evidence,) = evidence_attach(owner=report, uploads=[pdf()], names=["bao-cao-quy-iii.pdf"], user=commune_staff)
    client = client_for(administrator)
    listing = client.get(reverse("admin:evidence_evidence_changelist"))
    assert listing.status_code == 200
    assert "Báo cáo Quý III.pdf" in listing.content.decode()
    page = client.get(reverse("admin:evidence_evidence_change", args=[evidence.pk]))
    assert page.status_code == 200
    link = f'<a href="{reverse("evidence-download", args=[evidence.pk])}">{evidence.file.name}</a>'
    assert link in page.content.decode()
    assert "/media/" not in page.content.decode()
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 200


def test_the_admin_neither_adds_changes_nor_deletes_evidence(
    client_for, administrator, report, commune_staff, media_root
):
    (evidence,) = evidence_attach(owner=report, uploads=[pdf()], names=["bao-cao-quy-iii.pdf"], user=commune_staff)
    client = client_for(administrator)
    assert client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    change = reverse("admin:evidence_evidence_change", args=[evidence.pk])
    assert client.post(change, {"original_name": "khác.pdf"}).status_code == 403
    delete = reverse("admin:evidence_evidence_delete", args=[evidence.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.original_name == "Báo cáo Quý III.pdf"
