"""Login throttling (django-axes): five wrong passwords lock a username out for 15 minutes, on both login pages.

Measured on main before: 100 wrong passwords in 37 s, then the right one logged in.
"""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.parplan.accounts.conftest import DEMO_PASSWORD, post_login, signed_in

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
LOCKED_TEXT = "Tài khoản tạm khóa đăng nhập"


def _fail(client: Client, username: str, times: int, url: str | None = None) -> None:
    for _ in range(times):
        response = post_login(client, username, "not-the-password", url)
        assert response.status_code in (200, 429)


def test_the_settings_lock_five_failures_for_fifteen_minutes_by_username():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "guardian.backends.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS


def test_four_failures_still_let_the_right_password_in(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 4)
    response = post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)
    assert response.status_code == 302
    assert signed_in(fresh_client)


def test_after_five_failures_the_right_password_is_refused_with_the_lockout_page(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 5)

    response = post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    assert response.status_code == 429
    assert not signed_in(fresh_client)
    page = response.content.decode()
    assert LOCKED_TEXT in page
    assert "nhập sai 5 lần liên tiếp" in page
    assert "Xin thử lại sau 15 phút." in page
    assert 'class="site-header"' in page  # the portal's layout, not a bare text
    assert reverse("password_reset") in page


def test_the_admin_login_is_locked_too(fresh_client, administrator):
    _fail(fresh_client, "admin", 5, ADMIN_LOGIN)

    response = post_login(fresh_client, "admin", DEMO_PASSWORD, ADMIN_LOGIN)

    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert not signed_in(fresh_client)
    # And a lock earned on one page holds on the other.
    assert post_login(fresh_client, "admin", DEMO_PASSWORD).status_code == 429


def test_a_locked_username_does_not_lock_others_behind_the_same_address(fresh_client, commune_head, commune_staff):
    _fail(fresh_client, "dongdang.lanhdao", 5)

    colleague = Client()  # same REMOTE_ADDR, as an office behind one NAT address
    response = post_login(colleague, "dongdang.canbo", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(colleague)


def test_changing_browser_or_address_does_not_escape_the_lock(commune_head):
    for n in range(5):
        client = Client(HTTP_USER_AGENT=f"Guesser/{n}", REMOTE_ADDR=f"198.51.100.{n + 1}")
        post_login(client, "dongdang.lanhdao", "not-the-password")

    response = post_login(
        Client(HTTP_USER_AGENT="Other", REMOTE_ADDR="198.51.100.99"), "dongdang.lanhdao", DEMO_PASSWORD
    )

    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 5)
    AccessAttempt.objects.filter(username="dongdang.lanhdao").update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1)
    )

    response = post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(fresh_client)


def test_failures_during_the_lock_do_not_extend_it(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 5)
    locked_at = timezone.now() - datetime.timedelta(minutes=14)
    AccessAttempt.objects.filter(username="dongdang.lanhdao").update(attempt_time=locked_at)

    _fail(fresh_client, "dongdang.lanhdao", 3)  # refused, and not counted

    assert AccessAttempt.objects.get(username="dongdang.lanhdao").attempt_time == locked_at


def test_a_successful_login_clears_the_failures(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 4)
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)
    fresh_client.post(reverse("logout"))

    _fail(fresh_client, "dongdang.lanhdao", 4)
    response = post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    assert response.status_code == 302


def test_an_administrator_unlocks_a_username_in_the_admin(fresh_client, commune_head, client_for, administrator):
    _fail(fresh_client, "dongdang.lanhdao", 5)
    attempt = AccessAttempt.objects.get(username="dongdang.lanhdao")

    admin_client = client_for(administrator)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "dongdang.lanhdao" in listing.content.decode()
    response = admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302

    assert post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_username_from_the_command_line(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 5)

    call_command("axes_reset_username", "dongdang.lanhdao", stdout=open("/dev/null", "w"))

    assert post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD).status_code == 302


def test_logins_and_failed_logins_are_recorded(fresh_client, commune_head):
    _fail(fresh_client, "dongdang.lanhdao", 2)
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    failures = AccessFailureLog.objects.filter(username="dongdang.lanhdao")
    assert failures.count() == 2
    assert {f.path_info for f in failures} == {reverse("login")}
    assert {f.ip_address for f in failures} == {"127.0.0.1"}
    login = AccessLog.objects.get(username="dongdang.lanhdao")
    assert login.ip_address == "127.0.0.1"
    assert login.path_info == reverse("login")


def test_behind_a_proxy_the_record_has_the_address_the_proxy_saw(fresh_client, commune_head, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

    post_login(fresh_client, "dongdang.lanhdao", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2")

    assert AccessFailureLog.objects.get(username="dongdang.lanhdao").ip_address == "203.0.113.7"


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_records_are_for_administrators_only(client_for, secretariat, administrator, model):
    url = reverse(f"admin:axes_{model}_changelist")
    assert client_for(secretariat).get(url).status_code == 403
    assert client_for(administrator).get(url).status_code == 200


@pytest.mark.parametrize("model", [AccessLog, AccessFailureLog])
def test_the_login_records_cannot_be_changed_or_deleted(fresh_client, commune_head, client_for, administrator, model):
    _fail(fresh_client, "dongdang.lanhdao", 1)
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)
    record = model.objects.filter(username="dongdang.lanhdao").first()
    name = model._meta.model_name
    admin_client = client_for(administrator)

    page = admin_client.get(reverse(f"admin:axes_{name}_change", args=[record.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(reverse(f"admin:axes_{name}_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
