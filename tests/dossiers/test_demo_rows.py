"""The demo's year of one-stop rows: every office, town and commune, the stories the indicators should show."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q, Sum

from demo.dossiers import ONLINE_TARGET, demo_dossiers_load, demo_online_target_add
from dossiers.indicators import APOLOGY, DOSSIER_SOURCES, ON_TIME, ONLINE
from dossiers.models import DossierMonth
from parplan.models import Unit
from targets.evaluation import evaluate_plan
from targets.models import Indicator, IndicatorSnapshot, Measurement
from targets.services import indicator_define

pytestmark = pytest.mark.django_db


def test_a_year_of_rows_for_every_unit_that_handles_dossiers_and_a_second_load_adds_nothing(seed_plan):
    loaded = demo_dossiers_load(plan=seed_plan)
    units = Unit.objects.below(seed_plan.issuing_unit).filter(kind__code__in=["office", "town", "commune"])
    assert loaded == units.count() * 12 == DossierMonth.objects.filter(month__year=2024).count()
    assert demo_dossiers_load(plan=seed_plan) == 0


def test_the_rows_tell_the_demo_stories(seed_plan):
    demo_dossiers_load(plan=seed_plan)
    year = DossierMonth.objects.filter(month__year=2024).values("unit__code")
    sums = {r["unit__code"]: r for r in year.annotate(late=Sum("resolved_late"), apologised=Sum("apologised"))}
    assert sums["06187"]["late"] == 0  # Thị trấn Cao Lộc: never late
    assert 0 < sums["06238"]["apologised"] < sums["06238"]["late"]  # Mẫu Sơn: late, apologises for some
    late_somewhere = [code for code, r in sums.items() if r["late"] and code != "06238"]
    assert len(late_somewhere) > 10
    online = DossierMonth.objects.filter(month__year=2024).aggregate(
        jan=Sum("received_online", filter=Q(month__month=1)),
        dec=Sum("received_online", filter=Q(month__month=12)),
    )
    assert online["dec"] > online["jan"]  # online filing rises through the year


def test_an_indicator_switched_to_the_source_shows_values_from_the_demo_rows(seed_plan):
    indicator = Indicator.objects.get(area__plan=seed_plan, area__number=3, target__position=3, position=1)
    indicator_define(indicator=indicator, source=ON_TIME)
    Measurement.objects.filter(indicator=indicator).delete()
    demo_dossiers_load(plan=seed_plan)
    evaluate_plan(plan=seed_plan, day=datetime.date(2024, 6, 20))
    snapshot = IndicatorSnapshot.objects.get(indicator=indicator, unit=seed_plan.issuing_unit, day="2024-06-20")
    assert snapshot.denominator > 1000 and 95 < snapshot.value < 100


def test_after_the_demo_this_years_dossier_indicators_are_computed_from_its_rows(current_plan, seed_plan):
    """The live plan's on-time, apology and online indicators are fed by the one-stop rows; 2024's stay as typed."""
    sources = [ON_TIME, APOLOGY, ONLINE]
    fed = {i.source: i for i in Indicator.objects.of_plan(current_plan).filter(source__in=sources)}
    assert set(fed) == set(sources)
    assert not Indicator.objects.of_plan(seed_plan).filter(source__in=DOSSIER_SOURCES).exists()
    on_time = fed[ON_TIME]
    day = IndicatorSnapshot.objects.filter(indicator=on_time).latest("day").day
    issuer = IndicatorSnapshot.objects.get(indicator=on_time, unit=current_plan.issuing_unit, day=day)
    # The months the one-stop system had closed by that day (month M closes on the 14th of M).
    months = [m for m in range(1, 13) if datetime.date(current_plan.year, m, 14) < day]
    rows = DossierMonth.objects.filter(
        month__year=current_plan.year, month__month__in=months, unit__in=on_time.scope_units.all()
    ).aggregate(early=Sum("resolved_early"), on_time=Sum("resolved_on_time"), late=Sum("resolved_late"))
    assert months and (issuer.numerator, issuer.denominator) == (
        rows["early"] + rows["on_time"],
        rows["early"] + rows["on_time"] + rows["late"],
    )
    assert not Measurement.objects.filter(indicator=on_time).exclude(status="approved").exists()  # none typed
    apology = IndicatorSnapshot.objects.get(indicator=fed[APOLOGY], unit=Unit.objects.get(code="06187"), day=day)
    assert apology.status == "not_applicable"  # Thị trấn Cao Lộc: nothing late, nothing to apologise for


def test_the_live_plans_online_filing_target_counts_the_rows_received_online(current_plan):
    online = Indicator.objects.of_plan(current_plan).get(source=ONLINE)
    assert online.target is not None and online.target.text == ONLINE_TARGET
    assert (online.area.number, online.comparator, online.threshold) == (3, "gte", 50)
    on_time = Indicator.objects.of_plan(current_plan).get(source=ON_TIME)
    assert set(online.scope_units.all()) == set(on_time.scope_units.all())
    day = IndicatorSnapshot.objects.filter(indicator=online).latest("day").day
    issuer = IndicatorSnapshot.objects.get(indicator=online, unit=current_plan.issuing_unit, day=day)
    months = [m for m in range(1, 13) if datetime.date(current_plan.year, m, 14) < day]
    rows = DossierMonth.objects.filter(
        month__year=current_plan.year, month__month__in=months, unit__in=online.scope_units.all()
    ).aggregate(online=Sum("received_online"), person=Sum("received_in_person"), post=Sum("received_by_post"))
    assert (issuer.numerator, issuer.denominator) == (rows["online"], rows["online"] + rows["person"] + rows["post"])
    assert 40 < issuer.value < 95  # the demo's story: online filing rising from about 45 %
    # A second demo run adds no second target.
    assert demo_online_target_add(plan=current_plan) == online
    assert Indicator.objects.of_plan(current_plan).filter(source=ONLINE).count() == 1
