"""The account page: who I am, my units and roles, my recent logins, and the ways to secure the account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.parplan.accounts.conftest import DEMO_PASSWORD, post_login

pytestmark = pytest.mark.django_db


def test_the_account_page_shows_the_person_their_units_and_logins(fresh_client, commune_head):
    post_login(fresh_client, "dongdang.lanhdao", DEMO_PASSWORD)

    page = fresh_client.get(reverse("account")).content.decode()

    assert "<h1>Tài khoản</h1>" in page
    assert commune_head.get_full_name() in page
    assert "Thị trấn Đồng Đăng</a> — Lãnh đạo đơn vị" in page
    assert '<ul id="recent-logins">' in page and "127.0.0.1" in page
    assert f'action="{reverse("logout-everywhere")}"' in page
    assert f'href="{reverse("password_change")}"' in page


def test_a_person_without_a_unit_sees_so(client_for, outsider):
    page = client_for(outsider).get(reverse("account")).content.decode()

    assert "Tài khoản chưa thuộc đơn vị nào." in page


def test_the_account_page_needs_a_login(fresh_client):
    response = fresh_client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
