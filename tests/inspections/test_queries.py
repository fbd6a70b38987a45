"""Query budgets: the inspection plan's page and a unit's recommendation list cost the same at two sizes."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import InspectionKind, InspectionPlan
from tests.inspections.builders import finding, recommendation, visit

D = datetime.date


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _grow(par, times):
    for day in range(1, times + 1):
        at = visit(par, "06184", D(2024, 11, day))
        recommendation(at, D(2024, 12, 1), finding(at, D(2024, 12, 1)))


def test_the_plan_page_and_the_units_list_do_not_grow_with_the_records(seed_plan, client_for, secretariat,
                                                                       commune_head):  # fmt: skip
    par = InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.PAR)
    plan_page, unit_list, visit_page = f"/inspections/plans/{par.pk}/", "/inspections/", None
    manager, unit = client_for(secretariat), client_for(commune_head)
    _queries(manager, plan_page)  # warm the per-process caches (content types, rights)
    small = (_queries(manager, plan_page), _queries(unit, unit_list))
    _grow(par, 10)
    large = (_queries(manager, plan_page), _queries(unit, unit_list))
    assert small == large
    assert small[0] <= 25 and small[1] <= 20
    visit_page = f"/inspections/visits/{par.visits.order_by('-pk').first().pk}/"
    assert _queries(manager, visit_page) <= 30
