"""How long a session lives: an absolute lifetime from the login, and an idle limit.

The times are kept in the session itself (seconds since the epoch), so the
rule works with any session engine and costs no query: the login time, written
once, and the time of the last request, rewritten at most once a minute (a
write on every request would cost an UPDATE per page).
"""

from __future__ import annotations

import time
from enum import Enum
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from parplan.accounts.services import account_must_change_password

LOGIN_AT = "parplan_login_at"
SEEN_AT = "parplan_seen_at"
MUST_CHANGE_PASSWORD = "parplan_must_change_password"
# The last-activity time is rewritten when it is older than this: the idle limit
# is met to within a minute, for one session write a minute at most.
SEEN_AT_GRANULARITY = 60


class SessionEnd(Enum):
    IDLE = "idle"
    LIFETIME = "lifetime"
    UNSTAMPED = "unstamped"  # opened before these rules


def now() -> int:
    return int(time.time())


def session_started(sender: type[User], request: HttpRequest, user: User, **kwargs: Any) -> None:
    """`user_logged_in` receiver: every login (the portal's, the admin's) passes through `login()`.

    Stamps the session and notes whether the person must change their password
    first (read once here, not on every request: a new password set by an
    administrator ends the person's sessions anyway).
    """
    stamp = now()
    request.session[LOGIN_AT] = stamp
    request.session[SEEN_AT] = stamp
    if account_must_change_password(user):
        request.session[MUST_CHANGE_PASSWORD] = True
    else:
        request.session.pop(MUST_CHANGE_PASSWORD, None)


def session_check(session: SessionBase) -> SessionEnd | None:
    """Why this signed-in session is over, or None (and then its last activity is noted)."""
    current = now()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return SessionEnd.UNSTAMPED
    if current - login_at >= settings.PARPLAN_SESSION_HOURS * 3600:
        return SessionEnd.LIFETIME
    if current - seen_at >= settings.PARPLAN_SESSION_IDLE_MINUTES * 60:
        return SessionEnd.IDLE
    if current - seen_at >= SEEN_AT_GRANULARITY:
        session[SEEN_AT] = current
    return None
