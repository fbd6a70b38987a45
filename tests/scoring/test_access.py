"""Who may do what in a round: denied by default, one check per object (scoring/access.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Score, ScoringRound
from scoring.selectors import round_results
from scoring.services import self_score, step_advance

pytestmark = pytest.mark.django_db
D = Decimal


def _score(scoring_round, unit, code) -> Score:
    return Score.objects.select_related("criterion", "unit").get(round=scoring_round, unit=unit, criterion__code=code)


def test_a_unit_sees_only_its_own_sheet(client_for, commune_head, scoring_round, two_communes):
    dongdang, baolam = two_communes
    client = client_for(commune_head)
    assert client.get(reverse("scoring-sheet", args=[scoring_round.pk, dongdang.code])).status_code == 200
    assert client.get(reverse("scoring-sheet", args=[scoring_round.pk, baolam.code])).status_code == 404
    assert client.get(reverse("scoring-results", args=[scoring_round.pk])).status_code == 404


def test_a_unit_self_scores_its_own_item_and_not_anothers(
    client_for, commune_head, scoring_round, two_communes, on_day
):
    dongdang, baolam = two_communes
    client = client_for(commune_head)
    own, other = _score(scoring_round, dongdang, "2.1"), _score(scoring_round, baolam, "2.1")
    response = client.post(reverse("scoring-score", args=[own.pk, "self"]), {"points": "40,5", "comment": "Đủ"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.self_points == D("40.5")
    assert client.post(reverse("scoring-score", args=[other.pk, "self"]), {"points": "1"}).status_code == 404
    assert client.post(reverse("scoring-score", args=[own.pk, "appraise"]), {"points": "1"}).status_code == 403


def test_the_secretariat_appraises_but_does_not_self_score(
    client_for, secretariat, scoring_round, two_communes, on_day
):
    score = _score(scoring_round, two_communes[0], "2.1")
    client = client_for(secretariat)
    assert client.post(reverse("scoring-score", args=[score.pk, "self"]), {"points": "40"}).status_code == 403
    self_score(score=score, points=D(40), comment="", user=None)
    step_advance(scoring_round=scoring_round)
    on_day(datetime.date(2031, 1, 20))
    response = client.post(reverse("scoring-score", args=[score.pk, "appraise"]), {"points": "38", "comment": "Thiếu"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.appraised_points == 38


def test_the_steering_committee_reads_results_only(client_for, steering, scoring_round, two_communes):
    client = client_for(steering)
    assert client.get(reverse("scoring-results", args=[scoring_round.pk])).status_code == 200
    score = _score(scoring_round, two_communes[0], "2.1")
    assert client.post(reverse("scoring-score", args=[score.pk, "appraise"]), {"points": "1"}).status_code == 403
    assert client.post(reverse("scoring-advance", args=[scoring_round.pk])).status_code == 403


def test_an_outsider_sees_nothing(client_for, outsider, scoring_round, two_communes):
    client = client_for(outsider)
    assert client.get(reverse("scoring-results", args=[scoring_round.pk])).status_code == 404
    assert client.get(reverse("scoring-sheet", args=[scoring_round.pk, two_communes[0].code])).status_code == 404


def test_a_self_score_after_its_step_closed_is_refused_in_vietnamese(
    client_for, commune_head, scoring_round, two_communes
):
    score = _score(scoring_round, two_communes[0], "2.1")
    step_advance(scoring_round=scoring_round)
    response = client_for(commune_head).post(
        reverse("scoring-score", args=[score.pk, "self"]), {"points": "4"}, follow=True
    )
    assert "Bước “Đơn vị tự chấm” không mở" in response.content.decode()
    score.refresh_from_db()
    assert score.self_points is None


def test_the_results_table_takes_the_same_queries_at_two_sizes(scoring_round, django_assert_num_queries):
    # The demo's current round (22 communes) and ours (2), both with 2024's finished round as last year:
    #  1. the round's scores (unit, part, points of each step), 2. their units, 3. last year's finished
    #  round of the group, 4. its scores, 5. their units.
    demo_current = ScoringRound.objects.select_related("tree").get(tree__year__gt=2024, tree__year__lt=2030,
                                                                   tree__group="communes")  # fmt: skip
    with django_assert_num_queries(5):
        big = round_results(demo_current)
    small_round = ScoringRound.objects.select_related("tree").get(pk=scoring_round.pk)
    with django_assert_num_queries(5):
        small = round_results(small_round)
    assert len(big) == 22 and len(small) == 2


def test_the_results_page_takes_the_same_queries_at_two_sizes(client_for, secretariat, scoring_round):
    """The page: the request's own (session, user, rights, header), the round, then the table's five."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretariat)
    demo_current = ScoringRound.objects.get(tree__year__gt=2024, tree__year__lt=2030, tree__group="communes")
    client.get(reverse("scoring-results", args=[scoring_round.pk]))  # warm the session
    counts = []
    for pk in (demo_current.pk, scoring_round.pk):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scoring-results", args=[pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
