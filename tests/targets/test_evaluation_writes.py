"""The evaluation's writes: a day evaluated again ends with exactly the rows a first evaluation writes.

The PostgreSQL path (the one production and the tests run) writes only the
snapshots that differ from the stored ones, deletes those of units no longer in
scope and inserts the new ones; and the roll-up sums each unit once into its
parent, through units that are not in scope themselves.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parplan.models import Unit, UnitKind
from parplan.services import unit_upsert
from targets import evaluation
from targets import status as status_rule
from targets.evaluation import evaluate_plan
from targets.models import (
    Aggregation,
    Comparator,
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    IndicatorStatus,
)
from targets.services import FigureInput, indicator_define
from tests.targets.builders import approved, new_indicator, ratio
from tests.targets.conftest import seed_period

D = datetime.date
DAY = D(2024, 12, 20)
VALUES = ("numerator", "denominator", "value", "expected", "status", "missed")


@pytest.fixture
def fresh_ratio(seed_plan, dong_dang: Unit, bao_lam: Unit) -> Indicator:
    """A monthly "> 99 %" ratio reported only by Đồng Đăng and Bảo Lâm."""
    return new_indicator(
        seed_plan, name="Tỷ lệ hồ sơ đúng hạn (thử)", comparator=Comparator.GT, threshold=99,
        scope_units=[dong_dang, bao_lam],
    )  # fmt: skip


@pytest.fixture(params=["merge", "update and insert"])
def writes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    """Both ways of writing: one MERGE (PostgreSQL 15 and later), an UPDATE and an INSERT (earlier).

    After `db`: reading the server's version needs the database the first time.
    """
    if request.param == "update and insert":
        monkeypatch.setattr(connection, "pg_version", 140000)


@pytest.fixture
def village(bao_lam: Unit) -> Unit:
    """A unit below Bảo Lâm, one level deeper than the communes."""
    return unit_upsert(
        code="06190-K1", name="Khối 1, Bảo Lâm", kind=UnitKind.objects.get(code="commune"), parent=bao_lam
    )


def _stored(indicator: Indicator, day: datetime.date = DAY) -> dict[str, dict[str, Any]]:
    """The day's snapshots of the indicator by unit code: id and values."""
    rows = IndicatorSnapshot.objects.filter(indicator=indicator, day=day).values("unit__code", "id", *VALUES)
    return {row.pop("unit__code"): row for row in rows}


def _values(stored: dict[str, dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    return {code: tuple(row[column] for column in VALUES) for code, row in stored.items()}


@pytest.mark.usefixtures("writes")
def test_evaluating_the_day_again_rewrites_only_the_snapshots_that_changed(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    january, february = (seed_period(seed_plan, Frequency.MONTHLY, n) for n in (1, 2))
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, bao_lam, january, ratio(1, 10), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    before = _stored(fresh_ratio)
    approved(fresh_ratio, dong_dang, february, ratio(100, 100), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    after = _stored(fresh_ratio)
    # The new figure counts: Đồng Đăng 199/200, the authority 200/210.
    assert (after["06184"]["numerator"], after["06184"]["denominator"]) == (199, 200)
    assert (after["183"]["numerator"], after["183"]["denominator"]) == (200, 210)
    assert after["06184"]["value"] == Decimal("99.5000")
    # Bảo Lâm's figures did not change: its row is the same row, not a copy written again.
    assert after["06190"] == before["06190"]
    assert set(after) == {"183", "06184", "06190"}


@pytest.mark.usefixtures("writes")
def test_a_stored_snapshot_that_differs_in_any_value_is_put_right(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(98, 100), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    first = _values(_stored(fresh_ratio))
    day_rows = IndicatorSnapshot.objects.filter(indicator=fresh_ratio, day=DAY)
    # The smallest change each column can hold, and NULL against a value both ways.
    day_rows.filter(unit=dong_dang).update(value=Decimal("98.0001"), missed=0)
    day_rows.filter(unit=bao_lam).update(numerator=Decimal(1), status=IndicatorStatus.ON_TRACK)
    day_rows.filter(unit=seed_plan.issuing_unit).update(denominator=None, expected=Decimal("99.0001"))
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert _values(_stored(fresh_ratio)) == first


@pytest.mark.usefixtures("writes")
def test_a_unit_taken_out_of_scope_loses_the_days_snapshot_and_keeps_earlier_ones(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    earlier = D(2024, 11, 20)
    evaluate_plan(plan=seed_plan, day=earlier, indicator_ids=[fresh_ratio.pk])
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    indicator_define(indicator=fresh_ratio, scope_units=[dong_dang])
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert set(_stored(fresh_ratio)) == {"183", "06184"}
    assert set(_stored(fresh_ratio, earlier)) == {"183", "06184", "06190"}


@pytest.mark.usefixtures("writes")
def test_evaluating_one_indicator_leaves_the_other_indicators_snapshots_of_the_day_alone(
    seed_plan, fresh_ratio, dong_dang, secretariat
):
    evaluate_plan(plan=seed_plan, day=DAY)
    others = IndicatorSnapshot.objects.filter(day=DAY, indicator__area__plan=seed_plan).exclude(indicator=fresh_ratio)
    before = sorted(others.values_list("id", "indicator_id", "unit_id", *VALUES))
    approved(fresh_ratio, dong_dang, seed_period(seed_plan, Frequency.MONTHLY, 1), ratio(1, 2), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert sorted(others.values_list("id", "indicator_id", "unit_id", *VALUES)) == before
    assert _stored(fresh_ratio)["06184"]["value"] == 50


def test_a_unit_outside_the_scope_sums_the_scope_units_below_it(
    seed_plan, fresh_ratio, dong_dang, village, secretariat
):
    # Bảo Lâm itself no longer reports; its village does.
    indicator_define(indicator=fresh_ratio, scope_units=[dong_dang, village])
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(99, 100), secretariat)
    approved(fresh_ratio, village, january, ratio(9, 10), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    stored = _stored(fresh_ratio)
    fractions = {code: (row["numerator"], row["denominator"], row["value"]) for code, row in stored.items()}
    assert fractions == {
        "06184": (99, 100, Decimal("99.0000")),
        "06190-K1": (9, 10, Decimal("90.0000")),
        "06190": (9, 10, Decimal("90.0000")),
        "183": (108, 110, Decimal("98.1818")),
    }


def test_a_periodic_obligation_counts_the_units_owing_it_at_every_level(
    seed_plan, dong_dang, bao_lam, village, secretariat
):
    reports = new_indicator(
        seed_plan, name="Báo cáo CCHC hằng quý (thử)", kind=IndicatorKind.MILESTONE, comparator="",
        threshold=None, frequency=Frequency.QUARTERLY, aggregation=Aggregation.MILESTONE,
        scope_units=[dong_dang, village],
    )  # fmt: skip
    approved(reports, dong_dang, seed_period(seed_plan, Frequency.QUARTERLY, 1), FigureInput(met=True), secretariat)
    # On 01/07 the reports of Q1 (due 20/03) and Q2 (due 20/06) are due; the village sent none.
    evaluate_plan(plan=seed_plan, day=D(2024, 7, 1), indicator_ids=[reports.pk])
    stored = _stored(reports, D(2024, 7, 1))
    counts = {
        code: (row["numerator"], row["denominator"], row["missed"], row["status"]) for code, row in stored.items()
    }
    off_track = IndicatorStatus.OFF_TRACK
    assert counts == {
        "06184": (1, 2, 0, off_track),
        "06190-K1": (0, 2, 0, off_track),
        "06190": (0, 2, 0, off_track),  # owes what the village owes
        "183": (1, 4, 0, off_track),
    }


def test_a_new_day_is_written_straight_in_and_matches_the_day_evaluated_again(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    """A new day's rows go in by COPY, without the comparison; evaluating it again changes nothing."""
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(98, 100), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    first = _stored(fresh_ratio)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert _stored(fresh_ratio) == first  # same ids, same values
    assert first["06184"]["value"] == Decimal("98.0000") and first["06190"]["value"] is None


def test_an_indicators_and_a_units_snapshots_go_with_them_without_database_constraints(
    seed_plan, fresh_ratio, village, secretariat
):
    """The snapshot keys carry no foreign-key constraint (derived rows, written by the ten thousand each
    night): Django's deletion still cascades to them."""
    fresh_ratio.scope_units.add(village)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert IndicatorSnapshot.objects.filter(unit=village).exists()
    village.delete()
    assert not IndicatorSnapshot.objects.filter(unit_id=village.pk).exists()
    indicator_id = fresh_ratio.pk
    assert IndicatorSnapshot.objects.filter(indicator_id=indicator_id).exists()
    fresh_ratio.delete()
    assert not IndicatorSnapshot.objects.filter(indicator_id=indicator_id).exists()


def _snapshot_writes(queries: list[dict[str, Any]]) -> list[str]:
    table = IndicatorSnapshot._meta.db_table
    verbs = ("INSERT", "UPDATE", "DELETE", "MERGE", "COPY")
    return [q["sql"] for q in queries if table in q["sql"] and q["sql"].lstrip().upper().startswith(verbs)]


def test_the_day_evaluated_again_unchanged_writes_nothing_and_compares_values_as_stored(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat
):
    """1 / 3 200 is 0,03125 %: stored as 0,0313 (ties away from zero, as PostgreSQL rounds), compared as
    stored, so the same day evaluated again finds every row unchanged and writes none."""
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(1, 3200), secretariat)
    approved(fresh_ratio, bao_lam, january, ratio(2, 3), secretariat)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    first = _stored(fresh_ratio)
    assert first["06184"]["value"] == Decimal("0.0313")
    assert first["06190"]["value"] == Decimal("66.6667")
    with CaptureQueriesContext(connection) as queries:
        summary = evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert _snapshot_writes(queries.captured_queries) == []
    assert summary.snapshots == 3
    assert _stored(fresh_ratio) == first


def test_a_failure_while_the_rows_are_judged_writes_nothing_on_a_new_day_or_the_day_again(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat, monkeypatch
):
    """One chunk: a failure half-way leaves a new day empty,
    and on a day already stored it leaves the stored rows as they were."""
    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(98, 100), secretariat)
    real_judge = status_rule.judge

    judged = []

    def failing_judge(*args: Any, **kwargs: Any) -> Any:
        judged.append(1)
        if len(judged) == 2:
            raise RuntimeError("the status rule failed")
        return real_judge(*args, **kwargs)

    monkeypatch.setattr(evaluation, "judge", failing_judge)
    with pytest.raises(RuntimeError):
        evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert _stored(fresh_ratio) == {}
    monkeypatch.setattr(evaluation, "judge", real_judge)  # the evaluation's own name for it
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    before = _stored(fresh_ratio)
    approved(fresh_ratio, bao_lam, january, ratio(1, 2), secretariat)
    judged.clear()
    monkeypatch.setattr(evaluation, "judge", failing_judge)
    with pytest.raises(RuntimeError):
        evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert _stored(fresh_ratio) == before


def test_a_failure_in_a_later_chunk_undoes_the_chunks_already_copied_and_leaves_a_stored_day_alone(
    seed_plan, fresh_ratio, dong_dang, bao_lam, secretariat, monkeypatch
):
    """The whole plan is judged in chunks while the read-ahead thread COPYs the earlier ones (targets/read_ahead.py):
    a failure half-way through the plan rolls those back too, and on a day already stored changes nothing."""
    from targets.snapshot_writes import SnapshotWriter

    january = seed_period(seed_plan, Frequency.MONTHLY, 1)
    approved(fresh_ratio, dong_dang, january, ratio(98, 100), secretariat)
    indicators = Indicator.objects.filter(area__plan=seed_plan).count()
    assert len(evaluation._chunks(list(Indicator.objects.filter(area__plan=seed_plan)), {})) > 3
    copied: list[int] = []
    real_copy = SnapshotWriter.copy_pending

    def counting_copy(self: SnapshotWriter) -> None:
        copied.extend(text.count("\n") for text in self._pending)
        real_copy(self)

    monkeypatch.setattr(SnapshotWriter, "copy_pending", counting_copy)
    real_judge = status_rule.judge
    judged = []

    def failing_judge(*args: Any, **kwargs: Any) -> Any:
        judged.append(1)
        if len(judged) == judge_fails_at:
            raise RuntimeError("the status rule failed")
        return real_judge(*args, **kwargs)

    rows = evaluate_plan(plan=seed_plan, day=DAY - datetime.timedelta(days=1)).snapshots
    judge_fails_at = rows * 3 // 4
    new_day = DAY + datetime.timedelta(days=1)
    assert not IndicatorSnapshot.objects.filter(day=new_day).exists()
    monkeypatch.setattr(evaluation, "judge", failing_judge)
    with pytest.raises(RuntimeError, match="the status rule failed"):
        evaluate_plan(plan=seed_plan, day=new_day)
    assert sum(copied) > 0  # earlier chunks had gone into COPY before the failure
    assert not IndicatorSnapshot.objects.filter(day=new_day).exists()

    monkeypatch.setattr(evaluation, "judge", real_judge)
    evaluate_plan(plan=seed_plan, day=DAY)
    before = set(IndicatorSnapshot.objects.filter(day=DAY).values_list("id", "indicator_id", "unit_id", *VALUES))
    assert len(before) == rows and indicators > 0
    approved(fresh_ratio, bao_lam, january, ratio(1, 2), secretariat)
    judged.clear()
    monkeypatch.setattr(evaluation, "judge", failing_judge)
    with pytest.raises(RuntimeError, match="the status rule failed"):
        evaluate_plan(plan=seed_plan, day=DAY)
    after = set(IndicatorSnapshot.objects.filter(day=DAY).values_list("id", "indicator_id", "unit_id", *VALUES))
    assert after == before


def test_the_thread_switch_interval_is_shorter_while_judging_and_restored_after_errors_too(
    seed_plan, fresh_ratio, monkeypatch
):
    """The reading thread waits for the GIL at most 1 ms at a time while the caller judges (bench/README.md);
    the process's own interval comes back afterwards, also when the evaluation fails."""
    import sys

    before = sys.getswitchinterval()
    assert before > 0.001, "Python's default is 5 ms"
    seen: list[float] = []
    real_judge = status_rule.judge

    def watching_judge(*args: Any, **kwargs: Any) -> Any:
        seen.append(sys.getswitchinterval())
        return real_judge(*args, **kwargs)

    monkeypatch.setattr(evaluation, "judge", watching_judge)
    evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert seen and max(seen) <= 0.001
    assert sys.getswitchinterval() == before

    def failing_judge(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the status rule failed")

    monkeypatch.setattr(evaluation, "judge", failing_judge)
    with pytest.raises(RuntimeError):
        evaluate_plan(plan=seed_plan, day=DAY, indicator_ids=[fresh_ratio.pk])
    assert sys.getswitchinterval() == before


def test_a_plan_is_read_in_four_to_eight_chunks_by_its_groups():
    indicators = [Indicator(pk=pk) for pk in range(1, 81)]
    small = evaluation._chunks(indicators, {pk: [1] * 10 for pk in range(1, 81)})  # 880 groups
    province = evaluation._chunks(indicators, {pk: [1] * 300 for pk in range(1, 81)})  # 24,080
    national = evaluation._chunks(indicators, {pk: [1] * 3500 for pk in range(1, 81)})  # 280,080
    assert (len(small), len(national)) == (4, 8)
    assert len(province) == 5  # 24,080 groups: just over four chunks of 6,000
    assert [i.pk for chunk in national for i in chunk] == list(range(1, 81))
    # One indicator over every commune and many over a few offices: the groups, not the indicators, are shared out.
    lopsided = evaluation._chunks(indicators, {1: [1] * 24000, **{pk: [1] for pk in range(2, 81)}})
    assert len(lopsided) == 5 and lopsided[0] == [indicators[0]]
    assert [len(chunk) for chunk in lopsided[1:]] == [20, 20, 20, 19]
    assert [i.pk for chunk in lopsided for i in chunk] == list(range(1, 81))


def test_evaluations_in_two_threads_leave_the_process_s_switch_interval_as_they_found_it():
    """Thread A lowers it, B starts, A ends, B ends: the interval A found comes back, not the 1 ms B found."""
    import sys
    import threading

    before = sys.getswitchinterval()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, float] = {}

    def a() -> None:
        with evaluation.gil_handed_over_sooner():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with evaluation.gil_handed_over_sooner():
            b_in.set()
            a_out.wait(5)
            seen["after a left"] = sys.getswitchinterval()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen["after a left"] <= 0.001  # still lowered for B
    assert sys.getswitchinterval() == before
