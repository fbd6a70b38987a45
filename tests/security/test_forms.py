"""Every form of the portal, posted by its owning role with hostile payloads: no 500, nothing half-saved.

Each case opens the form's page as the role that uses it, reads the form from the
HTML (tests/security/pages.py) and posts it unchanged once (that must succeed,
or the payloads below would prove nothing); then, for each field of the form,
each payload in that field with the others as the page gave them. Each post runs
in a savepoint rolled back after it (tests/security/conftest.py), so each starts
from the same data.

After each post:
- never a 500;
- refused (the form again, an error message, 4xx): no row of the portal or of
  its history was added or removed (tests/security/database.py), and what the
  person reads is not Django's English;
- accepted: a text field that is stored holds exactly what was posted (less the
  spaces around it); a NUL or other control character is never accepted in one;
- the 10,000-character text is either stored whole, or refused by a field that
  states its limit (`maxlength`) with a Vietnamese message.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from parplan.models import Unit
from targets.models import Frequency, Measurement, MeasurementStatus, Period
from targets.services import period_lock
from tasks.models import Task
from tasks.services import extension_request, task_claim_completion
from tests.conftest import Authority
from tests.security import tally
from tests.security.conftest import Probe
from tests.security.database import holds_text, row_counts
from tests.security.pages import Field, Form, forms_of
from tests.tasks.builders import TODAY, new_task

DEMO_PASSWORD = "parplan-demo"  # demo/management/commands/demo.py
NEW_PASSWORD = "Kiem-tra-mat-khau-2024"
LONG_TEXT = "L0ng " + "abcdefghi " * 999 + "END!"  # 10,000 characters, ASCII: found whole or not at all
PAYLOADS = (
    LONG_TEXT, "<script>alert(1)</script>", "'; DROP TABLE parplan_unit; --", "a\x00b", "\u202e", "\U0001f600",
    "   ", "-1", "1e308", "NaN", "inf", "-inf", "31/02/2024", "01/01/0001", "31/12/9999",
    "9999999999999999999999", '=HYPERLINK("http://x")', "+1", "@SUM(1)",
)  # fmt: skip
# A date, a choice, a hidden id, an address or a password is not free text: the payloads that could still break it.
DATE_PAYLOADS = ("31/02/2024", "01/01/0001", "31/12/9999", "2024-13-45", "a\x00b", "   ", "-1", LONG_TEXT,
                 "9999999999999999999999", "\U0001f600")  # fmt: skip
OTHER_PAYLOADS = (LONG_TEXT, "a\x00b", "-1", "9999999999999999999999", "<script>alert(1)</script>", "   ")
# The fields a case names `light` (one more of a kind already walked in full, or a slow page's):
# length, NUL and emoji only.
LIGHT_PAYLOADS = (LONG_TEXT, "a\x00b", "\U0001f600")
# What Django says in English when its Vietnamese catalogue or the portal's forms miss a message.
ENGLISH = ("This field", "Enter a", "Ensure this", "Select a valid", "Null characters", "is not a valid")
MAX_LENGTH_MESSAGE = "tối đa"  # Django's Vietnamese: "Giá trị này chỉ có tối đa %(limit_value)d kí tự…"


@dataclass(frozen=True)
class Objects:
    """The data the forms are opened on: the seed authority and a few states made for them."""

    seed: Authority
    task: Task  # open, led by the unit head's town
    contributed: Task  # open, the town coordinates it
    claimed: Task  # completion claimed, waiting for the secretariat
    extension_task: Task  # with an extension request waiting
    approved: Measurement
    locked: Period
    draft_period: Period  # a month of the plan without the town's figures


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    page: Callable[[Objects], str]
    # The form's action, a pattern of its path; None: the page's form that sends to the page itself.
    action: Callable[[Objects], str] | None = None
    method: str = "POST"
    # Fields whose text is kept as typed when the post is accepted.
    stored: frozenset[str] = frozenset()
    # Values the unchanged form needs to be accepted (a required reason, a figure).
    fill: Callable[[Form], dict[str, str]] = lambda form: {}
    button: tuple[str, str] | None = None
    # Fields walked with LIGHT_PAYLOADS only (the same kind as another field of the form walked in full).
    light: frozenset[str] = frozenset()
    fields_like: Callable[[Form, Field], bool] = lambda form, f: True


def _figure_prefix(form: Form) -> str:
    """The first indicator's prefix on the figures page ("7" of "7-numerator")."""
    return next(f.name.split("-", 1)[0] for f in form.fields if "-" in f.name)


def _first_figure_fields(form: Form) -> dict[str, str]:
    """A figure for the first indicator (1 of 2, or 1): a blank page saves nothing and stores no note."""
    prefix = _figure_prefix(form)
    values = {"numerator": "1", "denominator": "2", "value": "1"}
    return {f"{prefix}-{name}": value for name, value in values.items() if f"{prefix}-{name}" in form.data}


def _in_first_figure(form: Form, field_: Field) -> bool:
    # Every indicator's fields are alike: the first one's, and the page's period, are walked.
    return field_.name == "period" or field_.name.startswith(f"{_figure_prefix(form)}-")


CASES = [
    Case("unit contact", "unit_head", lambda o: reverse("unit-edit", args=[o.seed.unit.code]),
         stored=frozenset({"phone", "address"})),
    Case("task progress", "unit_head", lambda o: reverse("task-progress", args=[o.task.pk]),
         stored=frozenset({"text"}), fill=lambda form: {"text": "Đã triển khai."}),
    Case("task contribution", "unit_head", lambda o: reverse("task-contribute", args=[o.contributed.pk]),
         stored=frozenset({"text"}), fill=lambda form: {"text": "Đã phối hợp."}),
    Case("completion claim", "unit_head", lambda o: reverse("task-detail", args=[o.task.pk]),
         lambda o: reverse("task-claim", args=[o.task.pk]), stored=frozenset({"text"}),
         fill=lambda form: {"text": "Đã hoàn thành."}),
    Case("extension request", "unit_head", lambda o: reverse("task-extension", args=[o.task.pk]),
         stored=frozenset({"reason"}),
         fill=lambda form: {"new_due_date": "30/11/2024", "reason": "Cần thêm thời gian."}),
    Case("completion return", "secretariat", lambda o: reverse("task-detail", args=[o.claimed.pk]),
         lambda o: reverse("task-return", args=[o.claimed.pk]), stored=frozenset({"comment"}),
         fill=lambda form: {"comment": "Bổ sung sản phẩm."}),
    Case("task cancel", "secretariat", lambda o: reverse("task-detail", args=[o.task.pk]),
         lambda o: reverse("task-cancel", args=[o.task.pk]), stored=frozenset({"reason"}),
         fill=lambda form: {"reason": "Không còn phù hợp."}),
    Case("extension decision", "secretariat", lambda o: reverse("task-detail", args=[o.extension_task.pk]),
         lambda o: reverse("task-extension-decide", args=[o.extension_task.pk, o.extension_task.extensions.get().pk]),
         stored=frozenset({"note"})),
    Case("task edit", "secretariat", lambda o: reverse("task-edit", args=[o.task.pk]),
         stored=frozenset({"title", "text", "expected_output", "assigned_by_number"}),
         light=frozenset({"expected_output", "assigned_by_number"})),
    Case("task create", "secretariat", lambda o: reverse("task-create", args=[o.seed.plan.pk]),
         stored=frozenset({"title", "text", "expected_output", "assigned_by_number"}),
         fill=lambda form: {"text": "Nhiệm vụ mới.", "area": form.field("area").options[1]},
         # The task's own fields are the edit form's, walked in full there.
         light=frozenset({"title", "text", "start_date", "due_date", "recurrence", "recurrence_due_day", "priority",
                          "expected_output", "assigned_by_number", "assigned_by_date"})),
    Case("task assignment", "secretariat", lambda o: reverse("task-assign", args=[o.task.pk])),
    Case("indicator definition", "secretariat", lambda o: reverse("indicator-edit", args=[o.seed.indicator.pk]),
         stored=frozenset({"name", "unit_of_measure", "numerator_label", "denominator_label"}),
         light=frozenset({"unit_of_measure", "numerator_label", "denominator_label"})),
    Case("figures entry", "unit_head",
         lambda o: reverse("figures-entry", args=[o.seed.plan.pk, o.seed.unit.code]) + f"?period={o.draft_period.pk}",
         lambda o: reverse("figures-entry", args=[o.seed.plan.pk, o.seed.unit.code]),
         stored=frozenset({"*-note"}), fill=_first_figure_fields, button=("action", "draft"),
         fields_like=_in_first_figure),
    Case("figure return", "secretariat", lambda o: reverse("figures-review", args=[o.seed.plan.pk]),
         lambda o: reverse("figures-review", args=[o.seed.plan.pk]), stored=frozenset({"comment"}),
         fill=lambda form: {"comment": "Sai số liệu.", "measurement": form.field("measurement").value},
         button=("action", "return")),
    Case("figure reopen", "secretariat", lambda o: reverse("indicator-detail", args=[o.approved.indicator_id]),
         lambda o: r"/figures/\d+/reopen/", stored=frozenset({"reason"}),
         fill=lambda form: {"reason": "Đơn vị xin sửa."}),
    Case("period reopen", "secretariat", lambda o: reverse("figures-review", args=[o.seed.plan.pk]),
         lambda o: reverse("period-lock", args=[o.locked.pk]), stored=frozenset({"reason"}),
         fill=lambda form: {"reason": "Mở để bổ sung."}),
    Case("report narrative", "secretariat", lambda o: reverse("report-narrative", args=[o.seed.plan.pk, "year"]),
         stored=frozenset({"number", "direction", "strengths", "weaknesses", "causes", "next_tasks", "proposals",
                           "signing_authority", "signer_capacity", "signer_title", "signer_name", "recipients",
                           "area_1"}),
         # A report page is slow to build (its data is gathered for the suggestions): one field of each kind in full.
         light=frozenset({"strengths", "weaknesses", "causes", "next_tasks", "proposals", "signing_authority",
                          "signer_capacity", "signer_title", "signer_name", "recipients", "area_1"})),
    Case("password change", "secretariat", lambda o: reverse("password_change"),
         fill=lambda form: {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD,
                            "new_password2": NEW_PASSWORD}),
    Case("log out everywhere", "secretariat", lambda o: reverse("account"), lambda o: reverse("logout-everywhere"),
         fill=lambda form: {"password": DEMO_PASSWORD}),
    Case("login", "anonymous", lambda o: reverse("login"),
         fill=lambda form: {"username": "noivu", "password": DEMO_PASSWORD}),
    Case("admin login", "anonymous", lambda o: reverse("admin:login"),
         fill=lambda form: {"username": "admin", "password": DEMO_PASSWORD}),
    Case("password reset", "anonymous", lambda o: reverse("password_reset"),
         fill=lambda form: {"email": "noivu@parplan.local"}),
    Case("task list filter", "secretariat", lambda o: reverse("task-list") + f"?plan={o.seed.plan.pk}",
         method="GET"),
    Case("dashboard filter", "secretariat", lambda o: reverse("dashboard"), method="GET"),
    Case("figures period", "unit_head", lambda o: reverse("figures-entry", args=[o.seed.plan.pk, o.seed.unit.code]),
         method="GET"),
]  # fmt: skip


@pytest.fixture
def objects(seed_authority: Authority, clock_on_today: datetime.date) -> Objects:
    seed, head, secretariat = seed_authority, seed_authority.unit_head, seed_authority.secretariat
    office = Unit.objects.get(code="183-NV")
    task = new_task(seed.plan, user=secretariat, lead=seed.unit, coordinating=[office])
    contributed = new_task(seed.plan, user=secretariat, lead=office, coordinating=[seed.unit])
    claimed = new_task(seed.plan, user=secretariat, lead=seed.unit)
    task_claim_completion(task=claimed, user=head, today=TODAY, text="Đã xong.")
    extended = new_task(seed.plan, user=secretariat, lead=seed.unit)
    extension_request(task=extended, user=head, new_due_date=datetime.date(2024, 12, 20), reason="Chờ", today=TODAY)
    approved = Measurement.objects.filter(indicator__area__plan=seed.plan, status=MeasurementStatus.APPROVED).first()
    assert approved is not None
    locked = period_lock(period=Period.objects.filter(plan=seed.plan, frequency=Frequency.MONTHLY).first())
    # The first month the town has sent no on-time figure for (3.3.1: the demo's stop at October;
    # its other indicators have figures every month).
    months = Period.objects.filter(plan=seed.plan, frequency=Frequency.MONTHLY).exclude(pk=locked.pk).order_by("end")
    on_time = Measurement.objects.filter(unit=seed.unit, indicator__area__number=3, indicator__target__position=3)
    draft = next(p for p in months if not on_time.filter(period=p).exists())
    return Objects(seed, task, contributed, Task.objects.get(pk=claimed.pk), extended, approved, locked, draft)


def _form(html: str, page: str, action: str | None, method: str) -> Form:
    """The form of the page sent with `method` to a path matching `action` (by default the page itself)."""
    wanted = action or re.escape(urlsplit(page).path)
    for form in forms_of(html):
        form.action = urlsplit(form.action).path or urlsplit(page).path
        if re.fullmatch(wanted, form.action) and form.method == method and form.fields:
            return form
    raise AssertionError(f"no form sent by {method} to {wanted} on {page}")


@dataclass
class Outcome:
    accepted: bool
    said: str  # the error messages or the page, what the person reads after a refusal


def _outcome(response: Any, method: str) -> Outcome:
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level >= constants.WARNING]
    if response.status_code == 302:
        return Outcome(not errors, " ".join(errors))
    page = response.content.decode(errors="replace")
    if method == "GET":
        return Outcome(response.status_code == 200 and 'class="errorlist' not in page, page)
    return Outcome(False, page)


@dataclass
class Walk:
    probe: Probe
    case: Case
    form: Form
    url: str
    problems: list[str] = field(default_factory=list)

    def send(self, data: dict[str, list[str]], check: Callable[[Outcome], None]) -> None:
        before = row_counts()

        def inspect(response: Any) -> None:
            outcome = _outcome(response, self.form.method)
            if not outcome.accepted and self.form.method == "POST":
                after = row_counts()
                changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
                if changed:
                    self.problems.append(f"refused ({response.status_code}) yet rows changed: {changed}")
            if not outcome.accepted:
                english = [phrase for phrase in ENGLISH if phrase in outcome.said]
                if english:
                    self.problems.append(f"refused in English ({english}) for {_short(data)}")
            check(outcome)

        self.probe.send(self.case.role, self.form.method, self.url, data, inspect=inspect)

    def payload(self, field_: Field, payload: str) -> None:
        data = self.base | {field_.name: [payload]}
        where = f"{field_.name}={payload[:30]!r}"

        def check(outcome: Outcome) -> None:
            stored = any(fnmatch.fnmatchcase(field_.name, pattern) for pattern in self.case.stored)
            if outcome.accepted and stored:
                if "\x00" in payload:
                    self.problems.append(f"{where}: a NUL was accepted")
                elif payload.strip() and not holds_text(payload.strip()):
                    self.problems.append(f"{where}: accepted, but the text is not stored as posted")
            if payload is LONG_TEXT and stored and not outcome.accepted and field_.is_free_text:
                if "maxlength" not in field_.attrs:
                    self.problems.append(f"{field_.name}: refuses a long text without stating its limit (maxlength)")
                elif MAX_LENGTH_MESSAGE not in outcome.said:
                    self.problems.append(f"{field_.name}: refuses a long text without saying the limit in Vietnamese")

        self.send(data, check)

    @property
    def base(self) -> dict[str, list[str]]:
        data = {name: list(values) for name, values in self.form.data.items() if name != "csrfmiddlewaretoken"}
        data |= {name: [value] for name, value in self.case.fill(self.form).items()}
        if self.case.button:
            data[self.case.button[0]] = [self.case.button[1]]
        return data


def _payloads(case: Case, field_: Field) -> tuple[str, ...]:
    if field_.name in case.light:
        return LIGHT_PAYLOADS
    if field_.is_free_text or field_.attrs.get("inputmode") in ("numeric", "decimal"):
        return PAYLOADS
    if field_.attrs.get("placeholder") == "dd/mm/yyyy":
        return DATE_PAYLOADS
    return OTHER_PAYLOADS


def _short(data: dict[str, list[str]]) -> str:
    return ", ".join(f"{k}={v[0][:20]!r}" for k, v in data.items() if v)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_form_takes_hostile_payloads_without_500_or_half_saving(probe: Probe, objects: Objects, case: Case) -> None:
    tally.count("forms")
    page = case.page(objects)
    opened = probe.send(case.role, "GET", page)
    assert opened.status_code == 200, f"{case.name}: {page} answered {opened.status_code}"
    form = _form(opened.content.decode(), page, case.action(objects) if case.action else None, case.method)
    # A GET form's page keeps its own query (the plan); the form's fields are added to it.
    walk = Walk(probe, case, form, page if case.method == "GET" else form.action)

    def accepted(outcome: Outcome) -> None:
        assert outcome.accepted, f"{case.name}: the unchanged form was refused: {outcome.said[-2000:]}"

    walk.send(walk.base, accepted)
    fields = [f for f in form.fields if f.name != "csrfmiddlewaretoken" and f.type not in ("checkbox", "radio")
              and case.fields_like(form, f)]  # fmt: skip
    assert fields, f"{case.name}: no field to walk"
    names = [f.name for f in fields]
    for pattern in case.stored:
        assert fnmatch.filter(names, pattern), (
            f"{case.name}: no field {pattern} on the form, yet it is said to be stored"
        )
    for field_ in fields:
        for payload in _payloads(case, field_):
            walk.payload(field_, payload)
    probe.assert_no_500()
    assert not walk.problems, f"{case.name}: {len(walk.problems)} problems:\n" + "\n".join(walk.problems)
