"""Password pages (change, reset by e-mail), the policy, and a password set by an administrator.

Measured on main before: no password change or reset page.
"""

from __future__ import annotations

import io
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import get_default_password_validators
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from parplan.accounts.passwords import MinimumLengthValidator
from parplan.models import Account
from tests.parplan.accounts.conftest import DEMO_PASSWORD, post_login, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lạng Sơn mùa hoa đào 2024"


def _change(client: Client, old: str, new: str = NEW_PASSWORD):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


# --- Change -----------------------------------------------------------------------------------


def test_a_person_changes_their_password(fresh_client, commune_head):
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)
    page = fresh_client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Đổi mật khẩu" in page.content.decode()
    assert 'class="site-header"' in page.content.decode()

    response = _change(fresh_client, DEMO_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Đã đổi mật khẩu" in fresh_client.get(response["Location"]).content.decode()
    commune_head.refresh_from_db()
    assert commune_head.check_password(NEW_PASSWORD)
    assert signed_in(fresh_client)  # this session stays
    assert Account.objects.get(user=commune_head).password_changed_at is not None


def test_a_wrong_current_password_is_refused(client_for, commune_head):
    client = client_for(commune_head)

    response = _change(client, "not-my-password")

    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác." in response.content.decode()
    commune_head.refresh_from_db()
    assert commune_head.check_password(DEMO_PASSWORD)


def test_wrong_current_passwords_count_towards_the_lockout(client_for, commune_head):
    client = client_for(commune_head)
    for _ in range(5):
        _change(client, "guess")

    response = _change(client, DEMO_PASSWORD)

    assert response.status_code == 429
    commune_head.refresh_from_db()
    assert commune_head.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ngắn12!x", "Mật khẩu này quá ngắn: cần ít nhất 10 ký tự."),
        ("123456789012", "Mật khẩu này hoàn toàn là số."),
        ("password1234", "Mật khẩu này quá phổ biến."),
        ("dongdang.lanhdao", "Mật khẩu quá giống với"),  # the username
    ],
)
def test_the_password_policy_refuses_weak_passwords(client_for, commune_head, password, reason):
    response = _change(client_for(commune_head), DEMO_PASSWORD, password)

    assert response.status_code == 200
    assert reason in response.content.decode()
    commune_head.refresh_from_db()
    assert commune_head.check_password(DEMO_PASSWORD)


def test_the_policy_is_ten_characters_not_common_not_numeric_not_like_the_person():
    validators = {type(v).__name__: v for v in get_default_password_validators()}
    assert set(validators) == {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "UserAttributeSimilarityValidator",
    }
    length = validators["MinimumLengthValidator"]
    assert isinstance(length, MinimumLengthValidator)
    assert length.min_length == 10


def test_the_user_menu_and_the_login_page_link_the_password_pages(client_for, commune_head, fresh_client):
    page = client_for(commune_head).get(reverse("account")).content.decode()
    assert f'href="{reverse("account")}"' in page  # the name in the header
    assert f'href="{reverse("password_change")}"' in page
    login = fresh_client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Quên mật khẩu?</a>' in login


# --- Reset by e-mail --------------------------------------------------------------------------


def _reset_link() -> str:
    (message,) = mail.outbox
    match = re.search(r"(https?://\S+/accounts/password/reset/\S+/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_a_reset_link_is_sent_to_the_accounts_address(fresh_client, commune_head):
    commune_head.email = "lanhdao@dongdang.langson.gov.vn"
    commune_head.save()

    response = fresh_client.post(reverse("password_reset"), {"email": commune_head.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == [commune_head.email]
    assert message.subject == "Đặt lại mật khẩu ParPlan"
    assert "\n" not in message.subject
    assert "Kính gửi" in message.body
    assert "dongdang.lanhdao" in message.body
    assert "60 phút" in message.body
    assert _reset_link().startswith(settings.PARPLAN_BASE_URL + "/accounts/password/reset/")


def test_a_reset_request_does_not_tell_whether_the_address_has_an_account(fresh_client, commune_head):
    commune_head.email = "lanhdao@dongdang.langson.gov.vn"
    commune_head.save()

    known = fresh_client.post(reverse("password_reset"), {"email": commune_head.email})
    unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(known["Location"]).content.decode()
    assert "Nếu địa chỉ e-mail vừa nhập thuộc một tài khoản" in page


def test_the_reset_link_sets_a_new_password_once_and_lifts_a_lockout(fresh_client, commune_head):
    commune_head.email = "lanhdao@dongdang.langson.gov.vn"
    commune_head.save()
    for _ in range(5):
        post_login(fresh_client, "dongdang.lanhdao", "guess")
    assert AccessAttempt.objects.filter(username="dongdang.lanhdao").exists()
    fresh_client.post(reverse("password_reset"), {"email": commune_head.email})
    link = _reset_link().removeprefix(settings.PARPLAN_BASE_URL)

    form = fresh_client.get(link, follow=True)  # Django moves the token into the session
    assert "Đặt mật khẩu mới" in form.content.decode()
    response = fresh_client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    commune_head.refresh_from_db()
    assert commune_head.check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.filter(username="dongdang.lanhdao").exists()
    assert post_login(Client(), "dongdang.lanhdao", NEW_PASSWORD).status_code == 302
    assert "không hợp lệ" in Client().get(link, follow=True).content.decode()  # used once


# --- Set by an administrator ------------------------------------------------------------------


def test_a_user_an_administrator_creates_must_change_the_password_first(client_for, administrator, fresh_client):
    response = client_for(administrator).post(
        reverse("admin:auth_user_add"),
        {"username": "moi.canbo", "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="moi.canbo")
    assert Account.objects.get(user=user).must_change_password

    post_login(fresh_client, "moi.canbo", NEW_PASSWORD)

    for url in [reverse("home"), reverse("plan-list"), reverse("account"), "/admin/", "/no-such-page/"]:
        response = fresh_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change"), url
    page = fresh_client.get(reverse("password_change")).content.decode()
    assert "Mật khẩu hiện tại do quản trị hệ thống đặt" in page

    assert _change(fresh_client, NEW_PASSWORD, "Một mật khẩu riêng của tôi").status_code == 302

    assert not Account.objects.get(user=user).must_change_password
    assert fresh_client.get(reverse("plan-list")).status_code == 200


def test_administrators_list_the_people_who_must_change_their_password(client_for, administrator, commune_head):
    Account.objects.create(user=commune_head, must_change_password=True)

    page = client_for(administrator).get(
        reverse("admin:auth_user_changelist"), {"account__must_change_password__exact": "1"}
    )

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert "dongdang.lanhdao" in page.content.decode()


def test_a_person_who_must_change_the_password_can_still_log_out(fresh_client, commune_head):
    Account.objects.create(user=commune_head, must_change_password=True)
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    response = fresh_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not signed_in(fresh_client)


def test_a_password_an_administrator_changes_must_be_changed_by_its_owner(client_for, administrator, commune_head):
    response = client_for(administrator).post(
        reverse("admin:auth_user_password_change", args=[commune_head.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert Account.objects.get(user=commune_head).must_change_password


def test_an_administrator_changing_their_own_password_in_the_admin_is_not_asked_again(client_for, administrator):
    response = client_for(administrator).post(
        reverse("admin:auth_user_password_change", args=[administrator.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not Account.objects.filter(user=administrator, must_change_password=True).exists()


def test_a_failed_admin_password_form_marks_nothing(client_for, administrator, commune_head):
    response = client_for(administrator).post(
        reverse("admin:auth_user_password_change", args=[commune_head.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "something else"},
    )

    assert response.status_code == 200
    assert not Account.objects.filter(user=commune_head).exists()


def test_the_command_sets_a_temporary_password_its_owner_must_change(fresh_client, commune_head):
    out, err = io.StringIO(), io.StringIO()

    call_command("account_set_password", "dongdang.lanhdao", "--generate", stdout=out, stderr=err)

    temporary = out.getvalue().strip()
    assert len(temporary) >= 10
    assert "phải đổi" in err.getvalue()
    assert post_login(fresh_client, "dongdang.lanhdao", temporary).status_code == 302
    assert fresh_client.get(reverse("home"))["Location"] == reverse("password_change")
