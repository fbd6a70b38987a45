"""Issue 11: a NUL in a URL answered 500 (`/units/%00/`, `/plans/1/figures/%00/`, `?unit=a%00b`)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

BAD_REQUEST_TITLE = "Yêu cầu không hợp lệ"


@pytest.mark.parametrize(
    "url",
    [
        "/units/%00/",
        "/units/183-NV%00/",
        "/plans/{plan}/figures/%00/",
        "/tasks/?unit=a%00b",
        "/tasks/?a%00=1",
        "/plans/{plan}/tasks/statistics/?x=%07",
        "/dashboard/?unit=%1f",
        "/tasks/%7f/",
    ],
)
def test_a_control_character_in_the_url_is_a_bad_request_in_the_portals_page(
    client_for: Any, secretariat: Any, seed_plan: Any, url: str
) -> None:
    response = client_for(secretariat).get(url.format(plan=seed_plan.pk))
    assert response.status_code == 400
    assert BAD_REQUEST_TITLE in response.content.decode()


def test_an_ordinary_query_with_diacritics_and_spaces_passes(client_for: Any, secretariat: Any) -> None:
    response = client_for(secretariat).get("/tasks/?q=Th%E1%BB%8B%20tr%E1%BA%A5n")
    assert response.status_code == 200


def test_anonymous_gets_the_bad_request_too_not_a_login_redirect(client: Any) -> None:
    assert client.get("/units/%00/").status_code == 400
