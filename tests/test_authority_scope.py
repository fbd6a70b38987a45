"""A secretariat's or steering committee's rights reach their own authority's plans, never another's.

The URLconf is walked as in tests/test_url_auth.py, with the objects of one
authority (its plan, task, indicator, figure, period, report, unit, and the
admin pages of its rows) and the people of another. Every GET naming one of
those objects must answer 404, 403 or a redirect, never a page; and no page,
not even a list, may show the first authority's names. Both ways: UBND huyện
Văn Lãng's people against the seed's objects, and the seed's people against
Văn Lãng's.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from dossiers.models import DossierImport
from inspections.models import Finding, InspectionKind, InspectionPlan, Recommendation, Visit
from notifications.models import Notification
from parplan.admin import SCOPE_LOOKUPS
from parplan.models import Membership, Plan, RightsChange, Role, Unit
from scoring.models import Criterion, Score, ScoringRound, ScoringTree
from tasks.models import Task
from tasks.services import extension_request, task_claim_completion
from tests.conftest import Authority
from tests.test_url_auth import ENDPOINTS, LOGIN_EXEMPT, PK_OWNER, Endpoint, sample_url

# Data every authority shares (unit kinds, accounts and groups): their pages name no authority's objects.
SHARED_ROUTES = ("admin/parplan/unitkind/", "admin/auth/group/")
# Records of the whole portal that only administrators see (logins, failed logins, lockouts, changes of rights).
PORTAL_WIDE: set[type[Model]] = {AccessAttempt, AccessLog, AccessFailureLog, RightsChange}
# Parameters that name one object of the authority walked against.
OBJECT_PARAMS = {"pk", "code", "object_id", "id", "content_type_id", "_positional0"}
SAMPLES = {"kind": "year", "fmt": "pdf", "number": "1", "position": "1", "extension_pk": "1", "occurrence_pk": "1",
           "action": "self",
           "app_label": "parplan", "url": "no-such-admin-page/"}  # fmt: skip


def _objects(authority: Authority) -> dict[type[Model], Model]:
    """The authority's object behind each model a URL may name."""
    objects: list[Model] = [
        authority.plan, authority.task, authority.indicator, authority.figure, authority.evidence, authority.period,
        authority.report,
        authority.unit, authority.indicator.target, authority.plan.responsibilities.first(), authority.secretariat,
        Membership.objects.get(user=authority.unit_head), authority.unit.kind, Group.objects.get(name=Role.SECRETARIAT),
    ]  # fmt: skip
    return {type(obj): obj for obj in objects} | {
        InspectionPlan: _inspection_plan(authority),
        DossierImport: DossierImport.objects.create(plan=authority.plan, file_name="so-lieu.xlsx", state="checked"),
    }


def _inspection_pk(segment: str, authority: Authority) -> int:
    """The authority's own record behind an inspections URL's pk (0, a page of nobody's, when it has none).

    Each route names its own model: a visit's pk read as an inspection plan's could be the
    other authority's visit, answered 200 to its own people.
    """
    if segment == "new":
        return authority.plan.pk
    if segment == "plans":
        return _inspection_plan(authority).pk
    lookups = {"visits": (Visit, "inspection_plan__plan"), "findings": (Finding, "visit__inspection_plan__plan"),
               "recommendations": (Recommendation, "visit__inspection_plan__plan")}  # fmt: skip
    model, lookup = lookups[segment]
    row = model._default_manager.filter(**{lookup: authority.plan}).order_by("pk").first()
    return row.pk if row is not None else 0


def _scoring_pk(route: str, authority: Authority) -> int:
    """The authority's own scoring record behind a scoring URL's pk (0 when it has none): each route names its own."""
    segment = route.split("/")[1]
    lookups: dict[str, tuple[type[Model], str]] = {
        "trees": (ScoringTree, "authority"), "criteria": (Criterion, "tree__authority"),
        "scores": (Score, "round__tree__authority"),
    }  # fmt: skip
    model, lookup = lookups.get(segment, (ScoringRound, "tree__authority"))
    row = model._default_manager.filter(**{lookup: authority.plan.issuing_unit}).order_by("pk").first()
    return row.pk if row is not None else 0


def _inspection_plan(authority: Authority) -> InspectionPlan:
    """The authority's inspection plan (the demo's for the seed; a bare one for the other authority)."""
    found = InspectionPlan.objects.filter(plan=authority.plan).order_by("pk").first()
    if found is not None:
        return found
    return InspectionPlan.objects.create(
        plan=authority.plan, kind=InspectionKind.values[0], conducting_unit=authority.plan.issuing_unit,
        decision_number="1/QĐ-UBND", decision_date=datetime.date(authority.plan.year, 1, 15),
    )  # fmt: skip


def _any_row_of(model: type[Model], authority: Authority) -> int:
    """A row of `model` in the authority's tree (workflow records seen in the admin), or 0 when it has none."""
    if model in PORTAL_WIDE:
        anywhere = model._default_manager.order_by("pk").first()
        return anywhere.pk if anywhere is not None else 0
    lookup = SCOPE_LOOKUPS[model]
    row = model._default_manager.filter(**{f"{lookup}__startswith": authority.plan.issuing_unit.path}).first()
    return row.pk if row is not None else 0


def _admin_model(endpoint: Endpoint) -> type[Model] | None:
    """The model of an admin page, from its route ("admin/<app>/<model>/…")."""
    parts = endpoint.route.split("/")
    if parts[0] != "admin" or len(parts) < 4:
        return None
    try:
        return apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None


def _url(endpoint: Endpoint, authority: Authority) -> tuple[str, set[str]]:
    """A URL of `endpoint` naming `authority`'s objects, and the parameters it filled."""
    objects, filled = _objects(authority), set()

    def value(endpoint: Endpoint, param: str, samples: dict[str, str]) -> str:
        filled.add(param)
        model = _admin_model(endpoint)
        if param == "pk" and endpoint.route.startswith("inspections/"):
            return str(_inspection_pk(endpoint.route.split("/")[1], authority))
        if param == "pk" and endpoint.route.startswith("scoring/"):
            return str(_scoring_pk(endpoint.route, authority))
        if param == "pk":
            return str(objects[PK_OWNER[endpoint.route.split("/", 1)[0]]].pk)
        if param == "code" and endpoint.route.startswith("scoring/authorities/"):
            return authority.plan.issuing_unit.code
        if param == "code":
            return authority.unit.code
        if param == "content_type_id":  # the admin's "view on site" link
            return str(ContentType.objects.get_for_model(Plan).pk)
        if param in ("object_id", "id", "_positional0"):
            if model is not None and model not in objects:
                return str(_any_row_of(model, authority))
            return str((objects[model] if model else authority.plan).pk)
        if param == "_positional1":  # a version in the object's history, if it keeps one
            if model not in objects:
                return "1"
            history = getattr(objects[model], "history", None)
            return str(history.order_by("-history_id")[0].history_id) if history else "1"
        return samples[param]

    return sample_url(endpoint, SAMPLES, value), filled


def _walk_finds_nothing_of(client: Client, authority: Authority) -> list[str]:
    """What the walk found of `authority`: pages answered for its objects, pages showing its names."""
    found = []
    for endpoint in ENDPOINTS:
        if endpoint.route in LOGIN_EXEMPT:
            continue
        url, filled = _url(endpoint, authority)
        response = client.get(url)
        names_an_object = bool(filled & OBJECT_PARAMS) and not endpoint.route.startswith(SHARED_ROUTES)
        if names_an_object and response.status_code == 200:
            found.append(f"GET {url} answered 200")
        body = "" if response.streaming else response.content.decode()
        shown = [marker for marker in authority.markers if marker in body]
        if shown:
            found.append(f"GET {url} ({response.status_code}) shows {shown}")
    return found


def _sees_own_plan(client: Client, own: Authority) -> None:
    """The walk's people do read their own authority's pages, so an empty walk means something."""
    page = client.get(reverse("plan-detail", args=[own.plan.pk]))
    assert page.status_code == 200
    assert own.markers[0] in page.content.decode()


@pytest.mark.parametrize("who", ["secretariat", "steering", "unit_head"])
def test_another_authoritys_people_see_nothing_of_the_seed_plan_on_any_url(
    client_for: Any, seed_authority: Authority, other_authority: Authority, who: str
) -> None:
    client = client_for(getattr(other_authority, who))
    _sees_own_plan(client, other_authority)
    assert _walk_finds_nothing_of(client, seed_authority) == []


@pytest.mark.parametrize("who", ["secretariat", "steering", "unit_head"])
def test_the_seed_plans_people_see_nothing_of_another_authority_on_any_url(
    client_for: Any, seed_authority: Authority, other_authority: Authority, who: str
) -> None:
    client = client_for(getattr(seed_authority, who))
    _sees_own_plan(client, seed_authority)
    assert _walk_finds_nothing_of(client, other_authority) == []


def test_another_districts_secretariat_changes_nothing_of_the_seed_plan(
    client_for: Any, seed_authority: Authority, other_authority: Authority
) -> None:
    client, seed = client_for(other_authority.secretariat), seed_authority
    before = {"task": seed.task.version, "period": seed.period.is_locked, "figure": seed.figure.status}
    posts = {
        reverse("task-edit", args=[seed.task.pk]): {"title": "x", "priority": "normal", "version": seed.task.version},
        reverse("task-cancel", args=[seed.task.pk]): {"reason": "x"},
        reverse("period-lock", args=[seed.period.pk]): {},
        reverse("measurement-reopen", args=[seed.figure.pk]): {"reason": "x"},
        reverse("figures-review", args=[seed.plan.pk]): {"action": "approve", "measurement": [seed.figure.pk]},
        reverse("report-generate", args=[seed.plan.pk, "year"]): {},
        reverse("task-create", args=[seed.plan.pk]): {"area": seed.task.area_id, "text": "x", "title": "x"},
        reverse("unit-edit", args=[seed.unit.code]): {"email": "x@example.org"},
    }
    assert {url: client.post(url, data).status_code for url, data in posts.items()} == dict.fromkeys(posts, 404)
    for obj in (seed.task, seed.period, seed.figure):
        obj.refresh_from_db()
    assert {"task": seed.task.version, "period": seed.period.is_locked, "figure": seed.figure.status} == before


def test_a_province_secretariat_holds_its_rights_over_every_district_plan_below(
    client_for: Any, province_secretariat: Any, seed_authority: Authority, other_authority: Authority
) -> None:
    client = client_for(province_secretariat)
    assert set(client.get(reverse("plan-list")).context["plans"]) >= {seed_authority.plan, other_authority.plan}
    for district in (seed_authority, other_authority):
        pages = [
            reverse("plan-detail", args=[district.plan.pk]),
            reverse("task-edit", args=[district.task.pk]),
            reverse("task-assign", args=[district.task.pk]),
            reverse("figures-review", args=[district.plan.pk]),
            reverse("indicator-edit", args=[district.indicator.pk]),
            reverse("report-narrative", args=[district.plan.pk, "year"]),
            reverse("unit-edit", args=[district.unit.code]),
        ]
        assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 200)
        assert client.get(reverse("dashboard"), {"plan": district.plan.pk}).context["sees_all"]
        listed = client.get(reverse("task-list"), {"plan": district.plan.pk}).context["page"].paginator.count
        assert listed == Task.objects.filter(area__plan=district.plan).count()


def test_a_district_secretariat_reads_no_unit_above_its_district(client_for: Any, secretariat: Any) -> None:
    client = client_for(secretariat)
    assert client.get(reverse("unit-detail", args=["20"])).status_code == 404
    assert reverse("unit-detail", args=["20"]) not in client.get(reverse("unit-detail", args=["183"])).content.decode()
    assert not Unit.objects.filter(code="20").filter(pk__in=_admin_units(client))


def _admin_units(client: Client) -> list[int]:
    return [unit.pk for unit in client.get(reverse("admin:parplan_unit_changelist")).context["cl"].result_list]


def test_a_claim_or_an_extension_request_reaches_its_own_plans_secretariat_only(
    seed_authority: Authority, other_authority: Authority, province_secretariat: Any
) -> None:
    seed, other = seed_authority, other_authority
    task_claim_completion(task=seed.task, user=seed.unit_head, today=datetime.date(2024, 10, 1), text="Đã xong.")
    extension_request(task=other.task, user=other.unit_head, today=datetime.date(2024, 10, 1),
                      new_due_date=datetime.date(2024, 11, 30), reason="Chờ hướng dẫn của huyện.")  # fmt: skip
    seed_url, other_url = (reverse("task-detail", args=[a.task.pk]) for a in (seed, other))
    notices = Notification.objects.filter(url__in=[seed_url, other_url], kind__in=["claimed", "extension_requested"])
    told = set(notices.values_list("recipient__username", "url"))
    # The province's secretariat holds rights over both, but each district's own secretariat is the one told.
    assert told == {("noivu", seed_url), ("vanlang.noivu", other_url)}


def test_another_authoritys_unit_is_not_found_on_the_figure_pages(
    client_for: Any, seed_authority: Authority, other_authority: Authority
) -> None:
    # 404, not 403: a forbidden answer would confirm that the unit code exists.
    client = client_for(other_authority.unit_head)
    url = reverse("figures-entry", args=[other_authority.plan.pk, seed_authority.unit.code])
    assert client.get(url).status_code == 404
    own = reverse("figures-entry", args=[other_authority.plan.pk, other_authority.unit.code])
    assert client.get(own).status_code == 200
