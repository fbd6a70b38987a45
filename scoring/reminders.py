"""Reminders of a scoring step's deadline, made as notices; the daily digest e-mails them with the rest.

Who is reminded is who acts at the step: the units' people while they self-score
or explain, the authority's secretariat while it appraises. A step is recalled
a week before its deadline and on its last day but one, once per round, step and day.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.services import notify, people_of
from parplan.access import speaking_for
from parplan.i18n import site_language
from parplan.models import Membership, Role, Unit
from scoring.models import ScoringRound, Step
from scoring.notices import ScoringNotice

REMIND_DAYS_BEFORE = (7, 1)
UNIT_STEPS = (Step.SELF, Step.EXPLANATION)


def _secretariat(authority: Unit) -> list[User]:
    memberships = Membership.objects.filter(speaking_for(authority.path), role=Role.SECRETARIAT, user__is_active=True)
    return [membership.user for membership in memberships.select_related("user")]


@transaction.atomic
def scoring_reminders_create(*, today: datetime.date) -> int:
    """Notices for every open step whose deadline is 7 days or 1 day away; returns the notices made."""
    created = 0
    for scoring_round in ScoringRound.objects.exclude(step=Step.DONE).select_related("tree__authority"):
        deadline = scoring_round.deadline()
        if not isinstance(deadline, datetime.date) or (deadline - today).days not in REMIND_DAYS_BEFORE:
            continue
        with site_language():
            text = _("%(round)s: bước “%(step)s” hết hạn ngày %(due)s.") % {
                "round": scoring_round.tree.title,
                "step": scoring_round.get_step_display(),
                "due": f"{deadline:%d/%m/%Y}",
            }
        key = f"scoring:{scoring_round.pk}:{scoring_round.step}"
        if scoring_round.step in UNIT_STEPS:
            units = Unit.objects.filter(pk__in=scoring_round.scores.values("unit")).order_by("code")
            for unit in units:
                url = reverse("scoring-sheet", args=[scoring_round.pk, unit.code])
                created += notify(users=people_of([unit]), kind=ScoringNotice.STEP_DUE_SOON, message=text, url=url,
                                  subject_key=key, day=today)  # fmt: skip
        else:
            url = reverse("scoring-results", args=[scoring_round.pk])
            created += notify(users=_secretariat(scoring_round.tree.authority), kind=ScoringNotice.STEP_DUE_SOON,
                              message=text, url=url, subject_key=key, day=today)  # fmt: skip
    return created
