"""Writes about a person's sign-in: who must change their password, and ending their other sessions."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from parplan.models import Account


@transaction.atomic
def account_password_set_by_administrator(*, user: User, password: str | None = None) -> None:
    """An administrator set (or sets now) `user`'s password: its owner must replace it at their next login.

    The new password also ends the person's open sessions (Django ties a session
    to the password hash), so the rule meets them at their next login.
    """
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    Account.objects.update_or_create(user=user, defaults={"must_change_password": True})


@transaction.atomic
def account_password_changed(*, user: User) -> None:
    """The person chose their own password (the change page, or a reset link): nothing more is asked."""
    Account.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )


def account_password_reset_by_email(*, user: User) -> None:
    """A reset link proved the mailbox: the new password counts as the person's own, and lifts a lockout."""
    account_password_changed(user=user)
    axes_reset(username=user.get_username())


def account_must_change_password(user: User) -> bool:
    return Account.objects.filter(user=user, must_change_password=True).exists()


def account_sessions_end_elsewhere(*, user: User, password: str) -> None:
    """End every session of `user` (the caller keeps its own with update_session_auth_hash).

    Django checks on each request that a session was opened with the user's
    current password hash. Hashing the same password again with a new salt
    changes the hash and so ends every session, whatever the session engine,
    with no query added to other requests. The password itself stays the same.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
