"""Notices to people, in the portal and as one daily e-mail digest per person.

Events never send mail themselves: they create Notification rows. The daily
job gathers each person's unsent notices into one message, so a busy day is
one e-mail, not twenty.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from parplan.access import authority_path, speaking_for
from parplan.models import Membership, Plan, Role, Unit


def people_of(units: Iterable[Unit], roles: Iterable[Role] = (Role.UNIT_HEAD, Role.UNIT_STAFF)) -> list[User]:
    """The active people holding `roles` in `units`."""
    users = get_user_model().objects.filter(
        is_active=True, memberships__unit__in=list(units), memberships__role__in=list(roles)
    )
    return list(users.distinct())


def secretariat_people(plan: Plan) -> list[User]:
    """The plan's secretariat: the active members whose authority is nearest its issuer (its own, else one above)."""
    memberships = Membership.objects.filter(speaking_for(plan.issuing_unit.path), role=Role.SECRETARIAT)
    by_authority: dict[str, list[User]] = defaultdict(list)
    for membership in memberships.filter(user__is_active=True).select_related("user", "unit__kind", "unit__parent"):
        by_authority[authority_path(membership.unit)].append(membership.user)
    return by_authority[max(by_authority, key=len)] if by_authority else []


def notify(
    *, users: Iterable[User], kind: str, message: str, url: str = "", subject_key: str = "", day: datetime.date
) -> int:
    """Create one notice per person; a reminder already made today is not made twice."""
    created = 0
    for user in {user.pk: user for user in users}.values():
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, kind=kind, message=message[:500], url=url, subject_key=subject_key, day=day
                )
            created += 1
        except IntegrityError:
            # The unique constraint on (recipient, kind, subject, day) says it exists already.
            continue
    return created


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def digests_send(*, day: datetime.date, base_url: str = "") -> int:
    """Send each person one e-mail with all their notices not yet e-mailed; return the mails sent."""
    pending = (
        Notification.objects.not_emailed()
        .filter(day__lte=day, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_person: dict[User, list[Notification]] = defaultdict(list)
    for notice in pending:
        by_person[notice.recipient].append(notice)
    if not by_person:
        return 0
    sent = 0
    with get_connection() as connection:
        for person, notices in by_person.items():
            body = render_to_string(
                "notifications/email/digest.txt",
                {"person": person, "notices": notices, "day": day, "base_url": base_url},
            )
            subject = _("[ParPlan] %(n)d thông báo ngày %(day)s") % {"n": len(notices), "day": f"{day:%d/%m/%Y}"}
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], connection=connection)
            message.send()
            # Marked per person right after their mail: a failure later does not resend theirs.
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
            sent += 1
    return sent
