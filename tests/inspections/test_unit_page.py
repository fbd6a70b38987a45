"""The unit's page lists its visits and its recommendations not yet confirmed, to those who may read them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from inspections.models import InspectionKind, InspectionPlan, Recommendation
from tests.inspections.builders import recommendation, visit

D = datetime.date
DONG_DANG = "06184"


@pytest.fixture
def page_url() -> str:
    return reverse("unit-detail", args=[DONG_DANG])


def _open_texts() -> list[str]:
    open_ones = Recommendation.objects.filter(unit__code=DONG_DANG).exclude(state="confirmed")
    return list(open_ones.values_list("text", flat=True))


def test_the_units_head_sees_its_visits_and_open_recommendations(client_for, commune_head, page_url, seed_plan):
    page = client_for(commune_head).get(page_url).content.decode()
    assert 'id="inspections"' in page
    assert _open_texts() and all(text in page for text in _open_texts())
    for one in InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.PAR).visits.filter(unit__code=DONG_DANG):
        assert reverse("inspection-visit", args=[one.pk]) in page
    confirmed = Recommendation.objects.filter(state="confirmed").exclude(unit__code=DONG_DANG).first()
    assert confirmed is None or confirmed.text not in page


def test_the_steering_committee_sees_the_section_and_another_communes_head_does_not(
    client_for, steering, other_commune_head, page_url
):
    assert 'id="inspections"' in client_for(steering).get(page_url).content.decode()
    response = client_for(other_commune_head).get(page_url)
    assert 'id="inspections"' not in response.content.decode()
    assert all(text not in response.content.decode() for text in _open_texts())


def test_the_sections_queries_do_not_grow_with_visits_and_recommendations(
    client_for, commune_head, page_url, seed_plan, django_assert_num_queries
):
    client = client_for(commune_head)
    assert client.get(page_url).status_code == 200  # warms the ContentType cache
    # The unit page's 16 (tests/parplan/test_views.py) and this section's: 17 the units the person
    # acts for (inspections.access), 18 the unit's visits the person may read (with their plans),
    # 19 its recommendations not confirmed (with their visit's unit).
    with django_assert_num_queries(19):
        small = client.get(page_url).content.decode()
    par = InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.PAR)
    for month in (4, 5, 6):
        recommendation(visit(par, DONG_DANG, D(2024, month, 2)), D(2024, month, 30))
    with django_assert_num_queries(19):
        large = client.get(page_url).content.decode()
    assert large.count('href="/inspections/visits/') == small.count('href="/inspections/visits/') + 3 + 3
