"""Sessions: 30 minutes idle and 8 hours from the login at most; "log out everywhere".

Measured on main before: sessions lasted 14 days with no idle limit.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from parplan.accounts import sessions
from parplan.accounts.sessions import LOGIN_AT, SEEN_AT
from tests.parplan.accounts.conftest import DEMO_PASSWORD, post_login, signed_in

pytestmark = pytest.mark.django_db

MINUTE, HOUR = 60, 3600


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand: clock.now = ..."""

    class Clock:
        now = 1_750_000_000

    clock = Clock()
    monkeypatch.setattr(sessions, "now", lambda: clock.now)
    return clock


@pytest.fixture
def signed_in_client(clock, commune_head) -> Client:
    client = Client()
    assert post_login(client, "dongdang.lanhdao", DEMO_PASSWORD).status_code == 302
    return client


def test_the_defaults_suit_a_government_office():
    assert settings.PARPLAN_SESSION_IDLE_MINUTES == 30
    assert settings.PARPLAN_SESSION_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * HOUR
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_the_session_cookie_ends_with_the_browser(fresh_client, commune_head):
    response = post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_a_login_stamps_the_session(signed_in_client, clock):
    assert signed_in_client.session[LOGIN_AT] == clock.now
    assert signed_in_client.session[SEEN_AT] == clock.now


def test_a_session_idle_for_thirty_minutes_is_ended(signed_in_client, clock):
    clock.now += 30 * MINUTE

    response = signed_in_client.get(reverse("plan-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not signed_in(signed_in_client)
    login = signed_in_client.get(response["Location"]).content.decode()
    assert "không có thao tác nào trong 30 phút" in login


def test_activity_keeps_the_session_alive(signed_in_client, clock):
    for _ in range(5):
        clock.now += 29 * MINUTE
        assert signed_in_client.get(reverse("plan-list")).status_code == 200
    assert signed_in_client.session[SEEN_AT] == clock.now


def test_the_last_activity_is_written_at_most_once_a_minute(signed_in_client, clock):
    login_time = clock.now
    clock.now += 59
    signed_in_client.get(reverse("plan-list"))
    assert signed_in_client.session[SEEN_AT] == login_time

    clock.now += 1
    signed_in_client.get(reverse("plan-list"))
    assert signed_in_client.session[SEEN_AT] == login_time + MINUTE


def test_activity_does_not_extend_the_session_past_eight_hours(signed_in_client, clock):
    start = clock.now
    while clock.now < start + 8 * HOUR - 20 * MINUTE:
        clock.now += 20 * MINUTE
        assert signed_in_client.get(reverse("plan-list")).status_code == 200

    clock.now = start + 8 * HOUR
    response = signed_in_client.get(reverse("plan-list"))

    assert response.status_code == 302
    assert not signed_in(signed_in_client)
    assert "quá 8 giờ" in signed_in_client.get(response["Location"]).content.decode()


def test_the_limits_are_settings(signed_in_client, clock, settings):
    settings.PARPLAN_SESSION_IDLE_MINUTES = 5
    clock.now += 5 * MINUTE

    assert signed_in_client.get(reverse("plan-list")).status_code == 302


def test_a_session_from_before_these_rules_is_ended(signed_in_client):
    session = signed_in_client.session
    del session[LOGIN_AT]
    session.save()

    response = signed_in_client.get(reverse("plan-list"))

    assert response.status_code == 302
    assert not signed_in(signed_in_client)


def test_the_admin_login_is_stamped_and_limited_too(clock, administrator):
    client = Client()
    assert post_login(client, "admin", DEMO_PASSWORD, "/admin/login/").status_code == 302
    assert client.get("/admin/").status_code == 200

    clock.now += 30 * MINUTE

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Log out everywhere -----------------------------------------------------------------------


def test_log_out_everywhere_ends_the_other_sessions_and_keeps_this_one(clock, commune_head):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        post_login(client, "dongdang.lanhdao", DEMO_PASSWORD)
        assert client.get(reverse("plan-list")).status_code == 200

    response = here.post(reverse("logout-everywhere"), {"password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    page = here.get(reverse("account")).content.decode()
    assert "Đã đăng xuất tài khoản khỏi mọi trình duyệt và thiết bị khác." in page
    assert here.get(reverse("plan-list")).status_code == 200
    assert elsewhere.get(reverse("plan-list")).status_code == 302
    assert not signed_in(elsewhere)
    # The password itself is unchanged.
    assert post_login(Client(), "dongdang.lanhdao", DEMO_PASSWORD).status_code == 302


def test_log_out_everywhere_keeps_the_sessions_lifetime(clock, signed_in_client):
    login_time = clock.now
    for _ in range(6):
        clock.now += 20 * MINUTE
        signed_in_client.get(reverse("plan-list"))

    signed_in_client.post(reverse("logout-everywhere"), {"password": DEMO_PASSWORD})

    assert signed_in(signed_in_client)
    assert signed_in_client.session[LOGIN_AT] == login_time


def test_log_out_everywhere_asks_for_the_password(clock, commune_head):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        post_login(client, "dongdang.lanhdao", DEMO_PASSWORD)

    response = here.post(reverse("logout-everywhere"), {"password": "not-mine"})

    assert response.status_code == 400
    assert "Mật khẩu không đúng." in response.content.decode()
    assert elsewhere.get(reverse("plan-list")).status_code == 200


def test_log_out_everywhere_is_a_post(signed_in_client):
    assert signed_in_client.get(reverse("logout-everywhere")).status_code == 405


def test_changing_the_password_ends_the_other_sessions(clock, commune_head):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        post_login(client, "dongdang.lanhdao", DEMO_PASSWORD)
    new = "Một mật khẩu mới dài"

    here.post(reverse("password_change"), {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new})

    assert here.get(reverse("plan-list")).status_code == 200
    assert elsewhere.get(reverse("plan-list")).status_code == 302
