"""Who sees and does what (inspections/access.py): the matrix, page by page."""

from __future__ import annotations

import datetime

import pytest

from inspections.models import InspectionKind, InspectionPlan, Recommendation, RecommendationState, Visit

D = datetime.date


@pytest.fixture
def demo_records(seed_plan):
    par = InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.PAR)
    law = InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.LAW)
    dongdang = Visit.objects.filter(inspection_plan=par, unit__code="06184").order_by("start_date").first()
    open_one = Recommendation.objects.get(visit=dongdang)
    return par, law, dongdang, open_one


def _codes(client, urls):
    return [client.get(url).status_code for url in urls]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # plan PAR, plan law, Đồng Đăng's visit, record a visit (PAR), answer Đồng Đăng's recommendation
        ("noivu", [200, 200, 200, 200, 403]),
        ("bcd", [200, 200, 200, 403, 403]),
        ("dongdang.lanhdao", [404, 404, 200, 404, 200]),
        ("dongdang.canbo", [404, 404, 200, 404, 200]),
        ("baolam.lanhdao", [404, 404, 404, 404, 404]),
        ("tuphap.lanhdao", [404, 200, 404, 404, 404]),
    ],
)
def test_the_access_matrix(demo_records, client_for, django_user_model, who, expected):
    par, law, dongdang, open_one = demo_records
    urls = [
        f"/inspections/plans/{par.pk}/",
        f"/inspections/plans/{law.pk}/",
        f"/inspections/visits/{dongdang.pk}/",
        f"/inspections/plans/{par.pk}/visits/new/",
        f"/inspections/recommendations/{open_one.pk}/answer/",
    ]
    assert _codes(client_for(django_user_model.objects.get(username=who)), urls) == expected


def test_an_outsider_and_another_authority_see_nothing(demo_records, client_for, outsider, other_authority):
    par, law, dongdang, open_one = demo_records
    urls = [f"/inspections/plans/{par.pk}/", f"/inspections/visits/{dongdang.pk}/",
            f"/inspections/recommendations/{open_one.pk}/answer/"]  # fmt: skip
    for person in (outsider, other_authority.secretariat, other_authority.steering, other_authority.unit_head):
        assert _codes(client_for(person), urls) == [404, 404, 404]


def test_the_unit_lists_only_its_own_recommendations(demo_records, client_for, commune_head, other_commune_head):
    page = client_for(commune_head).get("/inspections/").content.decode()
    assert "Khắc phục: nhiều hồ sơ trễ hạn" in page  # Đồng Đăng's
    assert "Kế hoạch kiểm tra</h1>" in page and "/inspections/plans/" not in page
    other = client_for(other_commune_head).get("/inspections/").content.decode()
    assert "Khắc phục: nhiều hồ sơ trễ hạn" not in other


def test_only_the_secretariat_confirms_and_the_unit_only_answers(demo_records, client_for, commune_head, steering,
                                                                 secretariat):  # fmt: skip
    *_, open_one = demo_records
    answer = f"/inspections/recommendations/{open_one.pk}/answer/"
    assert client_for(steering).post(answer, {"text": "x"}).status_code == 403
    assert client_for(commune_head).post(answer, {"text": "Đã khắc phục."}).status_code == 302
    confirm = f"/inspections/recommendations/{open_one.pk}/confirm/"
    assert client_for(commune_head).post(confirm).status_code == 403
    assert client_for(steering).post(confirm).status_code == 403
    open_one.refresh_from_db()
    assert open_one.state == RecommendationState.CLAIMED
    assert client_for(secretariat).post(confirm).status_code == 302
    open_one.refresh_from_db()
    assert open_one.state == RecommendationState.CONFIRMED
