"""The hostile-payload suite's clients: one per role, answering a 500 as a response, counting every request.

The roles are the demo's cast (tests/conftest.py): `dongdang.lanhdao` heads a
town, `noivu` is the district's secretariat, `bcd` its steering committee,
`admin` the administrator. A 500 is counted (tests/security/tally.py) and kept;
a test asserts at its end that it met none, listing each with the exception's
last lines.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from tests.security import tally

ROLES = {
    "anonymous": None,
    "unit_head": "dongdang.lanhdao",
    "secretariat": "noivu",
    "steering": "bcd",
    "administrator": "admin",
}


@dataclass
class Probe:
    """Sends requests as the roles, each undone afterwards, and keeps the 500s."""

    clients: dict[str, Client]
    failures: list[str] = field(default_factory=list)

    def send(
        self,
        role: str,
        method: str,
        url: str,
        data: Any = None,
        *,
        inspect: Callable[[Any], None] | None = None,
    ) -> Any:
        """The response to one request; `inspect` looks at it and at the database before the request is undone.

        Every request runs in a savepoint rolled back after it, so each starts from
        the same data: a payload that was saved does not change what the next one meets.
        """
        client = self.clients[role]
        sent = client.post if method == "POST" else client.get
        # Messages of earlier requests wait in their cookie (no redirect is followed): only this request's count.
        client.cookies.pop("messages", None)
        savepoint = transaction.savepoint()
        try:
            response = sent(url, data if data is not None else {})
            tally.count("requests")
            if response.status_code == 500:
                tally.count("answered_500")
                self.failures.append(f"{method} {url} as {role}: 500\n{_exception(response)}")
            elif inspect is not None:
                inspect(response)
        finally:
            transaction.savepoint_rollback(savepoint)
        return response

    def assert_no_500(self) -> None:
        assert not self.failures, f"{len(self.failures)} answered 500:\n\n" + "\n\n".join(self.failures)


def _exception(response: Any) -> str:
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception recorded)"
    return "".join(traceback.format_exception(*exc_info)[-3:]).strip()


@pytest.fixture
def probe(db: Any) -> Probe:
    clients = {}
    for role, username in ROLES.items():
        # A 500 comes back as the response (the portal's error page), not as an exception in the test.
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        clients[role] = client
    return Probe(clients)
