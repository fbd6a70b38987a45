"""Error pages: Vietnamese, inside the portal's layout, with a way back; nothing of DEBUG's pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _in_layout(html: str) -> None:
    assert 'class="site-header"' in html
    assert 'href="/"' in html  # a way back home
    for english in ("Not Found", "Forbidden", "Server Error", "Bad Request", "Traceback", "URLconf"):
        assert english not in html


def test_tests_see_the_pages_with_debug_off():
    assert settings.DEBUG is False


def test_a_bad_address_is_a_vietnamese_404_in_the_layout(client_for, commune_head):
    response = client_for(commune_head).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = _html(response)
    assert "Không tìm thấy trang" in html
    assert 'class="site-nav"' in html  # the person keeps the navigation
    _in_layout(html)


def test_an_action_s_address_opened_as_a_page_is_a_vietnamese_405_in_the_layout(client_for, commune_head):
    """Found walking the portal: /tasks/55/claim/ typed in showed a blank page (require_POST's empty 405)."""
    response = client_for(commune_head).get(reverse("dossier-import-confirm", args=[1]))
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = _html(response)
    assert "Không mở được địa chỉ này" in html and "chỉ thực hiện được bằng nút trên trang" in html
    _in_layout(html)


def test_an_object_the_person_may_not_change_is_a_vietnamese_403(client_for, commune_head):
    # Another commune's contact details: readable, not changeable.
    response = client_for(commune_head).get("/units/06187/edit/")
    assert response.status_code == 403
    html = _html(response)
    assert "Không có quyền truy cập" in html
    assert "không có quyền" in html
    _in_layout(html)


def test_a_stale_form_is_explained_in_vietnamese(commune_head):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_head)
    response = client.post("/notifications/", {})
    assert response.status_code == 403
    html = _html(response)
    assert "Phiên làm việc đã hết hạn" in html
    assert "CSRF" not in html
    _in_layout(html)


def test_an_unknown_host_is_a_vietnamese_400(client_for, commune_head):
    response = client_for(commune_head).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = _html(response)
    assert "Yêu cầu không hợp lệ" in html
    _in_layout(html)


@pytest.mark.urls("tests.parplan.error_urls")
def test_a_failing_page_is_a_vietnamese_500_without_a_traceback(commune_head):
    client = Client(raise_request_exception=False)
    client.force_login(commune_head)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = _html(response)
    assert "Lỗi hệ thống" in html
    assert "a bug" not in html and "RuntimeError" not in html
    _in_layout(html)
