"""Every URL in the URLconf needs a login, except the few listed below.

Like cisagov/manage.get.gov's tests/test_url_auth.py (after 18F/tock): walk the
URLconf through every include, build a sample URL for each pattern (named or
not) from real demo data, and check that an anonymous GET is sent to a login
page. A new view that forgets the login, or a `@login_not_required` added
without being listed here with a reason, fails this test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from dossiers.models import DossierImport, ImportState
from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from inspections.models import InspectionPlan
from parplan.models import Plan, ReformArea, Unit
from reports.models import GeneratedReport, ReportKind
from scoring.models import ScoringRound
from targets.models import Indicator, Measurement, Period
from tasks.models import Task
from tests.files import pdf_bytes

# Reachable without a session, with the reason. Keyed by the pattern's full route.
LOGIN_EXEMPT = {
    "accounts/login/": "the login page itself",
    "admin/login/": "the admin's own login page (Django marks it @login_not_required)",
    "i18n/setlang/": "the language switch, on the login page too: it only sets the language cookie",
    "accounts/password/reset/": "a person who forgot their password asks for a reset link",
    "accounts/password/reset/sent/": "the page after asking, the same whether the address has an account",
    "accounts/password/reset/<uidb64>/<token>/": "the link from the e-mail (a wrong token shows no form)",
    "accounts/password/reset/done/": "the page after setting the new password",
    "healthz": "the proxy's and monitoring's health check: which part works, no personal data",
}
# What each exempt page shows a visitor without a session.
EXEMPT_PAGE_SHOWS = {
    "accounts/login/": 'name="password"',
    "admin/login/": 'name="password"',
    "accounts/password/reset/": 'name="email"',
    "accounts/password/reset/sent/": "Đã nhận yêu cầu đặt lại mật khẩu",
    "accounts/password/reset/<uidb64>/<token>/": "Đường dẫn đặt lại mật khẩu không hợp lệ",
    "accounts/password/reset/done/": "Đã đặt mật khẩu mới",
    "healthz": '"database": {"ok": true',
}

# Which model a `<int:pk>` means, by the first segment of the route ("plans/<int:pk>/…").
PK_OWNER: dict[str, type[Model]] = {
    "plans": Plan,
    "tasks": Task,
    "indicators": Indicator,
    "figures": Measurement,
    "periods": Period,
    "reports": GeneratedReport,
    "evidence": Evidence,
    # Plans, visits, findings, recommendations: anonymous is sent to the login before any lookup.
    "inspections": InspectionPlan,
    # Rounds and their scores: anonymous is sent to the login before any lookup.
    "scoring": ScoringRound,
    # A one-stop file import ("dossiers/imports/<pk>/…"); the samples fixture makes one if the demo has none.
    "dossiers": DossierImport,
}

_ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


@dataclass(frozen=True)
class Endpoint:
    route: str  # the concatenated patterns, e.g. "plans/<int:pk>/"
    chain: tuple[Any, ...]  # the pattern objects from the root to the view
    name: str | None
    callback: Any

    def __str__(self) -> str:
        return self.route


def _walk(patterns: list[Any], chain: tuple[Any, ...] = ()) -> Iterator[Endpoint]:
    for pattern in patterns:
        here = (*chain, pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern):
            route = "".join(str(p) for p in here)
            yield Endpoint(route=route, chain=here, name=pattern.name, callback=pattern.callback)
        else:  # pragma: no cover - Django has only these two
            raise AssertionError(f"Unknown URL pattern class {type(pattern)!r}")


ENDPOINTS = list(_walk(get_resolver().url_patterns))


@pytest.fixture
def samples(seed_plan: Plan, media_root: Any) -> dict[str, str]:
    """Real values from the demo data for every path parameter the URLconf uses."""
    area = ReformArea.objects.filter(plan=seed_plan).order_by("number").first()
    # A generated report to stand behind /reports/<pk>/…, a file behind /evidence/<pk>/… (the demo makes neither).
    GeneratedReport.objects.create(plan=seed_plan, kind=ReportKind.YEAR, version=1, cutoff_date=seed_plan.issue_date)
    figure = Measurement.objects.filter(indicator__area__plan=seed_plan).order_by("pk").first()
    upload = SimpleUploadedFile("Báo cáo.pdf", pdf_bytes(), content_type="application/pdf")
    evidence_attach(owner=figure, uploads=[upload], names=validate_uploads([upload]), user=None)
    DossierImport.objects.create(plan=seed_plan, file_name="so-lieu.xlsx", state=ImportState.CHECKED)
    return {
        "kind": ReportKind.YEAR.value,
        "fmt": "pdf",
        "action": "self",
        "number": str(area.number),
        "position": "1",
        "code": Unit.objects.get(code="06184").code,
        # A task's extension requests and periods: the login is asked for before any lookup.
        "extension_pk": "1",
        "occurrence_pk": "1",
        # Django admin: any existing object will do, anonymous never gets that far.
        "object_id": str(seed_plan.pk),
        "id": str(seed_plan.pk),
        "content_type_id": "1",
        "app_label": "parplan",
        "url": "no-such-admin-page/",
        # simple_history's admin uses positional groups: object id, history id.
        "_positional0": "1",
        "_positional1": "1",
        # A password reset link that is not valid (the page says so).
        "uidb64": "MQ",
        "token": "no-such-token",
    }


# How a parameter of an endpoint gets its value: (endpoint, parameter name, samples) → text.
Value = Callable[["Endpoint", str, dict[str, str]], str]


def _value(endpoint: Endpoint, param: str, samples: dict[str, str]) -> str:
    if param == "pk":
        owner = PK_OWNER.get(endpoint.route.split("/", 1)[0])
        assert owner, f"{endpoint}: add its first segment to PK_OWNER so the test knows what `pk` is"
        pk = owner._default_manager.order_by("pk").values_list("pk", flat=True).first()
        assert pk is not None, f"{endpoint}: the demo data has no {owner.__name__} to use as `pk`"
        return str(pk)
    assert param in samples, f"{endpoint}: no sample value for <{param}>; add one to the `samples` fixture"
    return samples[param]


def _fill_regex(regex: str, endpoint: Endpoint, samples: dict[str, str], value: Value) -> str:
    """Replace each top-level group of a simple regex pattern by a sample value (unnamed: `_positional<n>`)."""
    body = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, depth, start, i, positional = [], 0, 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            if depth == 0:
                out.append(body[start:i])
                start = i
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                group = body[start : i + 1]
                named = re.match(r"\(\?P<(\w+)>", group)
                if named:
                    out.append(value(endpoint, named.group(1), samples))
                else:
                    out.append(value(endpoint, f"_positional{positional}", samples))
                    positional += 1
                start = i + 1
        i += 1
    out.append(body[start:])
    return "".join(out)


def sample_url(endpoint: Endpoint, samples: dict[str, str], value: Value = _value) -> str:
    """A URL reaching `endpoint`, each parameter given by `value` (by default: the demo's first objects)."""
    parts = []
    for pattern in endpoint.chain:
        if isinstance(pattern, RoutePattern):
            parts.append(_ROUTE_PARAM.sub(lambda m: value(endpoint, m.group(1), samples), str(pattern)))
        elif isinstance(pattern, RegexPattern):
            parts.append(_fill_regex(str(pattern), endpoint, samples, value))
        else:  # pragma: no cover
            raise AssertionError(f"{endpoint}: unknown pattern type {type(pattern)!r}")
    url = "/" + "".join(parts)
    # The sample must reach this very view, not a catch-all further down.
    assert resolve(url).func == endpoint.callback, f"{endpoint}: sample URL {url} resolves to another view"
    return url


def test_the_walk_found_the_apps_and_the_admin_urls() -> None:
    routes = {endpoint.route for endpoint in ENDPOINTS}
    assert {"plans/<int:pk>/", "units/<str:code>/edit/", "tasks/<int:pk>/assign/", "admin/"} <= routes
    assert len(ENDPOINTS) > 50  # the admin alone has dozens


def test_login_exemptions_are_exactly_the_listed_ones() -> None:
    """A view marked @login_not_required must be listed in LOGIN_EXEMPT with a reason."""
    exempt = {e.route for e in ENDPOINTS if not getattr(e.callback, "login_required", True)}
    assert exempt == set(LOGIN_EXEMPT)


def test_login_required_middleware_is_on() -> None:
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.route not in LOGIN_EXEMPT], ids=str)
def test_anonymous_get_is_sent_to_login(client: Any, samples: dict[str, str], endpoint: Endpoint) -> None:
    url = sample_url(endpoint, samples)
    response = client.get(url)
    assert response.status_code == 302, f"GET {url} returned {response.status_code}, not a redirect to login"
    location = urlsplit(response["Location"])
    login_pages = {resolve_url(settings.LOGIN_URL), reverse("admin:login")}
    assert location.path in login_pages, f"GET {url} redirects to {response['Location']}"
    assert parse_qs(location.query).get("next") == [url]


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.route in LOGIN_EXEMPT and "login" in e.route], ids=str)
def test_login_exempt_pages_open_without_a_session(client: Any, samples: dict[str, str], endpoint: Endpoint) -> None:
    response = client.get(sample_url(endpoint, samples))
    assert response.status_code == 200
    assert EXEMPT_PAGE_SHOWS[endpoint.route] in response.content.decode()


def test_the_language_switch_works_without_a_session_and_leads_back(client: Any) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.parametrize(
    "name", ["unit-edit", "task-progress", "task-assign", "task-edit", "task-claim", "task-confirm", "task-cancel"]
)
def test_anonymous_post_to_a_form_is_sent_to_login_and_changes_nothing(
    client: Any, seed_plan: Plan, samples: dict[str, str], name: str
) -> None:
    # 1.2 is open (in progress, not claimed), so every step would change it.
    task = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    unit = Unit.objects.get(code=samples["code"])
    before = Task.objects.filter(pk=task.pk).values().get()
    url = reverse(name, kwargs={"code": unit.code} if name == "unit-edit" else {"pk": task.pk})
    data = {"email": "x@example.org", "status": "in_progress", "percent": 50, "text": "x", "reason": "x",
            "title": "x", "priority": "normal", "version": task.version}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
    assert Task.objects.filter(pk=task.pk).values().get() == before
    assert Unit.objects.get(pk=unit.pk).email == unit.email
