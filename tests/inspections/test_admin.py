"""Inspections in the Django admin: administrators look at the records and their history; nobody changes them there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inspections.models import AreaCheck, Finding, InspectionPlan, PlannedUnit, Recommendation, Visit

MODELS = [InspectionPlan, PlannedUnit, Visit, AreaCheck, Finding, Recommendation]


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:inspections_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_an_administrator_lists_and_opens_every_inspection_record(client_for, administrator, model):
    client = client_for(administrator)
    assert client.get(_url(model, "changelist")).status_code == 200
    record = model.objects.first()
    assert record is not None  # the demo has some of each
    page = client.get(_url(model, "change", record.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: no save button
    assert client.get(_url(model, "history", record.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_nobody_adds_or_deletes_an_inspection_record_in_the_admin(client_for, administrator, model):
    client = client_for(administrator)
    record = model.objects.first()
    assert client.get(_url(model, "add")).status_code == 403
    assert client.post(_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


def test_a_recommendations_state_is_not_changed_through_the_admin(client_for, administrator):
    recommendation = Recommendation.objects.exclude(state="confirmed").first()
    response = client_for(administrator).post(_url(Recommendation, "change", recommendation.pk),
                                              {"state": "confirmed", "_save": "Lưu"})  # fmt: skip
    assert response.status_code == 403
    assert Recommendation.objects.get(pk=recommendation.pk).state == recommendation.state


def test_the_unit_people_do_not_reach_the_inspections_admin(client_for, commune_head):
    response = client_for(commune_head).get(_url(Recommendation, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
