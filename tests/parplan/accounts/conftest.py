"""Logging in as a person would: the login form, the demo accounts' password."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

DEMO_PASSWORD = "parplan-demo"


def post_login(client: Client, username: str, password: str, url: str | None = None, **extra: Any) -> Any:
    return client.post(url or reverse("login"), {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def fresh_client() -> Client:
    return Client()
