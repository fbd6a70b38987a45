"""Every URL of the URLconf, with real ids, bad ids and trailing junk, as every role: never a 500.

The URLs come from the URLconf itself (`get_resolver()`, walked through every
include), so a new page is walked without being listed here. Each parameter is
filled with a real value from the demo data (the seed authority's objects), then,
one parameter at a time, with each bad value; the real URL is also sent with junk
after it. The real URL is sent as GET and as an empty POST by every role; the
bad ones by the secretariat, whose rights reach furthest on the portal's pages.
The pages that read their query string get each bad value in each parameter
they read.

The Django admin's URLs are walked too, with fewer requests: its pages are the
slowest of the portal, so an admin URL is sent as GET only: with its real ids,
bad ids and junk by the administrator, and with one bad id ("abc") by the
secretariat (the other role it opens for). A plan's delete page is not asked for
its real plan: it lists every object of the plan (12 s for the seed plan) and
reads no input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.conftest import Authority
from tests.security import tally
from tests.security.conftest import ROLES, Probe

BAD_VALUES = ("0", "-1", str(2**63), "99999999999999999999", "abc", "%00")
TRAILING_JUNK = ("../", "'", "%0a", "<script>", "%3Cscript%3E")
# Never POSTed: it would end the session the next requests are sent in.
NOT_POSTED = {"accounts/logout/"}
ADMIN_NOT_OPENED = {"admin/parplan/plan/<path:object_id>/delete/"}

_ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(\w+)>)?(?:[^()\\]|\\.)*\)")


@dataclass(frozen=True)
class Endpoint:
    route: str  # the concatenated patterns, e.g. "plans/<int:pk>/"
    chain: tuple[Any, ...]  # the pattern objects from the root to the view
    callback: Any

    def __str__(self) -> str:
        return self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(patterns: list[Any], chain: tuple[Any, ...] = ()) -> Iterator[Endpoint]:
    for pattern in patterns:
        here = (*chain, pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern):
            yield Endpoint(route="".join(str(p) for p in here), chain=here, callback=pattern.callback)


ENDPOINTS = list(_walk(get_resolver().url_patterns))


def _params(endpoint: Endpoint) -> list[str]:
    """The endpoint's parameters in order; a regex's unnamed groups are `_positional<n>`."""
    names: list[str] = []
    for pattern in endpoint.chain:
        if isinstance(pattern, RoutePattern):
            names += _ROUTE_PARAM.findall(str(pattern))
        elif isinstance(pattern, RegexPattern):
            for match in _REGEX_GROUP.finditer(str(pattern)):
                names.append(match.group(1) or f"_positional{sum(n.startswith('_positional') for n in names)}")
    return names


def _url(endpoint: Endpoint, values: dict[str, str]) -> str:
    parts, positional = [], 0
    for pattern in endpoint.chain:
        if isinstance(pattern, RoutePattern):
            parts.append(_ROUTE_PARAM.sub(lambda m: values[m.group(1)], str(pattern)))
        else:
            text = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")

            def group(match: re.Match[str]) -> str:
                nonlocal positional
                if match.group(1):
                    return values[match.group(1)]
                positional += 1
                return values[f"_positional{positional - 1}"]

            parts.append(_REGEX_GROUP.sub(group, text).replace("\\", ""))
    return "/" + "".join(parts)


def _real_values(endpoint: Endpoint, seed: Authority) -> dict[str, str]:
    """Real values for the endpoint's parameters: the seed authority's objects."""
    first = endpoint.route.split("/", 1)[0]
    pks = {"plans": seed.plan.pk, "tasks": seed.task.pk, "indicators": seed.indicator.pk, "figures": seed.figure.pk,
           "periods": seed.period.pk, "reports": seed.report.pk, "evidence": seed.evidence.pk}  # fmt: skip
    model_admin = getattr(endpoint.callback, "model_admin", None)
    admin_object = ""
    if model_admin is not None:
        found = model_admin.model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        admin_object = "" if found is None else str(found)
    values = {
        "pk": str(pks.get(first, seed.plan.pk)),
        "number": "1",
        "position": "1",
        "code": seed.unit.code,
        "kind": "year",
        "fmt": "pdf",
        "action": "self",  # scoring/scores/<pk>/<action>/: the unit's self-assessment
        "extension_pk": "1",
        "occurrence_pk": "1",
        "uidb64": "MQ",
        "token": "no-such-token",
        "object_id": admin_object or "1",
        "id": admin_object or "1",
        "content_type_id": "1",
        "app_label": "parplan",
        "url": "no-such-admin-page/",
        "_positional0": admin_object or "1",
        "_positional1": "1",
    }
    return {name: values[name] for name in _params(endpoint)}


def _control(url: str) -> bool:
    """Whether the URL carries a control character (percent-encoded): parplan/urlguard.py answers 400."""
    return "%00" in url or "%0a" in url


def _urls(endpoint: Endpoint, real: dict[str, str]) -> list[str]:
    """The real URL, the URL with each bad value in each parameter, and the real URL with junk after it."""
    good = _url(endpoint, real)
    bad = [_url(endpoint, {**real, name: value}) for name in real for value in BAD_VALUES]
    return [good, *bad, *(good + junk for junk in TRAILING_JUNK)]


def test_the_walk_finds_the_portal_and_the_admin() -> None:
    routes = {endpoint.route for endpoint in ENDPOINTS}
    assert {"plans/<int:pk>/", "units/<str:code>/edit/", "tasks/<int:pk>/assign/", "figures/<int:pk>/reopen/"} <= routes
    assert sum(endpoint.is_admin for endpoint in ENDPOINTS) > 50


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if not e.is_admin], ids=str)
def test_no_portal_url_answers_500(probe: Probe, seed_authority: Authority, endpoint: Endpoint) -> None:
    tally.count("urls")
    real = _real_values(endpoint, seed_authority)
    good, *others = _urls(endpoint, real)
    for role in ROLES:
        probe.send(role, "GET", good)
        if endpoint.route not in NOT_POSTED:
            probe.send(role, "POST", good)
    # The bad ids and the junk as the role that reaches furthest on the portal's pages: the secretariat.
    wrong = []
    for url in others:
        answers = [probe.send("secretariat", "GET", url)]
        if endpoint.route not in NOT_POSTED:
            answers.append(probe.send("secretariat", "POST", url))
        wrong += [f"{url}: {answer.status_code}" for answer in answers if _control(url) and answer.status_code != 400]
    probe.assert_no_500()
    assert not wrong, f"a control character in the URL is not a 400: {wrong}"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.is_admin], ids=str)
def test_no_admin_url_answers_500(probe: Probe, seed_authority: Authority, endpoint: Endpoint) -> None:
    tally.count("urls")
    real = _real_values(endpoint, seed_authority)
    good = _url(endpoint, real)
    bad = [_url(endpoint, {**real, name: value}) for name in real for value in ("0", str(2**63), "abc", "%00")]
    if endpoint.route not in ADMIN_NOT_OPENED:
        probe.send("administrator", "GET", good)
    wrong = []
    for url in (*bad, good + "'"):
        answer = probe.send("administrator", "GET", url)
        if _control(url) and answer.status_code != 400:
            wrong.append(f"{url}: {answer.status_code}")
    # The secretariat's admin is the same code on fewer rows: one bad id is enough to show it answers too.
    if bad:
        probe.send("secretariat", "GET", bad[2])
    probe.assert_no_500()
    assert not wrong, f"a control character in the URL is not a 400: {wrong}"


QUERY_VALUES = ("-1", str(2**63), "9" * 20, "abc", "1e308", "<script>", "\x00", "x" * 10_000)


def _query_pages(seed: Authority) -> list[tuple[str, dict[str, str], tuple[str, ...]]]:
    """The pages that read their query string: (path, the query they are opened with, the parameters they read)."""
    plan = {"plan": str(seed.plan.pk)}
    return [
        (reverse("task-list"), plan, ("plan", "page", "area", "unit", "state", "overdue", "due_before", "sort")),
        (reverse("task-list"), plan | {"format": "xlsx"}, ("plan", "area", "unit", "due_before", "sort")),
        (reverse("figures-entry", args=[seed.plan.pk, seed.unit.code]), {}, ("period",)),
        (reverse("figures-review", args=[seed.plan.pk]), {}, ("page",)),
        (reverse("dashboard"), {}, ("plan", "unit", "view")),
        (reverse("dashboard"), {"view": "ranking"}, ("page",)),
        (reverse("dashboard"), {"view": "missing"}, ("page", "kind")),
        (reverse("dashboard"), {"view": "overdue"}, ("page", "kind")),
        (reverse("evidence-remove", args=[seed.evidence.pk]), {}, ("next",)),
    ]


def test_no_query_parameter_answers_500(probe: Probe, seed_authority: Authority) -> None:
    wrong = []
    for path, query, params in _query_pages(seed_authority):
        tally.count("urls")
        for param in params:
            for value in QUERY_VALUES:
                url = f"{path}?{urlencode(query | {param: value})}"
                answer = probe.send("secretariat", "GET", url)
                if _control(url) and answer.status_code != 400:
                    wrong.append(f"{url}: {answer.status_code}")
    probe.assert_no_500()
    assert not wrong, f"a control character in the query is not a 400: {wrong}"
