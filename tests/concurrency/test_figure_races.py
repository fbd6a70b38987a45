"""First saves of one figure sent at once from separate sessions, through a real server.

Every session opened the unit's page when the figure did not exist yet (version 0 in
the form). Before, each was told "Đã lưu nháp" and the last write silently won.
Now one is saved; each other page comes back with what was typed, the version
it now holds, and a table of what the other person saved.
"""

from __future__ import annotations

import http.client
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from targets.models import Measurement
from tests.concurrency.conftest import District, at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

N = 20


class Session:
    """One signed-in browser: its cookies, and the page's CSRF token once it has opened a form."""

    def __init__(self, server: str, user: Any) -> None:
        client = Client()
        client.force_login(user)
        self.host = urlsplit(server).netloc
        self.cookies = {"sessionid": client.cookies["sessionid"].value}
        self.token = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            if found := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page):
                self.token = found.group(1)
            return response.status, page
        finally:
            connection.close()


def test_of_first_saves_of_one_figure_sent_at_once_one_is_saved_and_the_others_see_it(live_server, district: District):
    indicator = district.indicator
    path = reverse("figures-entry", args=[district.plan.pk, district.town.code]) + f"?period={district.january.pk}"
    sessions = [Session(live_server.url, district.head) for _ in range(N)]
    for session in sessions:
        status, page = session.request("GET", path)
        assert status == 200
        assert f'name="{indicator.pk}-version" value="0"' in page

    def save(i: int) -> Any:
        typed = {f"{indicator.pk}-numerator": str(i + 1), f"{indicator.pk}-denominator": "50",
                 f"{indicator.pk}-note": f"Phiên {i + 1}", f"{indicator.pk}-version": "0"}  # fmt: skip
        form = {"period": str(district.january.pk), "action": "draft", **typed}
        return lambda: sessions[i].request("POST", path, form)

    outcomes = at_once([save(i) for i in range(N)])

    assert [o.error for o in outcomes] == [None] * N
    statuses = [o.value[0] for o in outcomes]
    assert sorted(statuses) == [200] * (N - 1) + [302]  # never a 500
    winner = statuses.index(302)
    figure = Measurement.objects.get(indicator=indicator, unit=district.town, period=district.january)
    assert (figure.numerator, figure.note, figure.version) == (winner + 1, f"Phiên {winner + 1}", 1)
    assert figure.history.count() == 1  # nobody's save overwrote it
    for i, outcome in enumerate(outcomes):
        if i == winner:
            continue
        page = outcome.value[1]
        assert "Số liệu này vừa được Hoàng Văn Nam lưu lúc" in page
        assert "Số liệu của bạn CHƯA được lưu" in page
        # What this session typed is on its page again, now over version 1: saving again is a choice.
        assert f'name="{indicator.pk}-numerator" value="{i + 1}"' in page
        assert f'name="{indicator.pk}-version" value="1"' in page
        # And what the other person saved, beside it.
        assert f"<td>Phiên {winner + 1}</td><td>Phiên {i + 1}</td>" in page
