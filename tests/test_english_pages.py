"""The main pages read in English: no Vietnamese left in the interface, only in the data.

Each page is rendered with the language cookie set to English, as the switch in
the header sets it. Its text nodes and its interface attributes (title,
aria-label, placeholder) are read; the data the page shows (unit and plan names,
tasks, indicators, people, notices, history reasons, what was typed) is taken
out, and what is left must have no Vietnamese letter. A data string the templates cut short
(`truncatechars:N`, N read from the templates) is data too.
The report's own document (PDF, the narrative's suggested sentences) stays
Vietnamese by design and is not rendered here.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from inspections.models import Recommendation
from notifications.models import Notification
from parplan.models import Plan, ReformArea, Responsibility, Unit, UnitKind
from parplan.templatetags.languages import languages
from reports.models import GeneratedReport, ReportKind
from scoring.models import Criterion, Score, ScoringRound, ScoringTree
from targets.models import Indicator, Measurement, Target
from tasks.models import ProgressReport, Task

VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ]"
)
# Where data is written inside a line of interface text ("Plan: <title>", "Task 1.2: <title>").
SEPARATORS = re.compile(r"\s*(?:[—·:;,()\[\]/]|\s-\s|›|‹|\+\d+)\s*")
UI_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
TRUNCATED = {
    int(length)
    for path in (settings.BASE_DIR / "templates").rglob("*.html")
    for length in re.findall(r"truncatechars:(\d+)", path.read_text(encoding="utf-8"))
}


class _Text(HTMLParser):
    """The text nodes and interface attributes of a page, without scripts, styles and typed-in values."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        self.texts += [value for name, value in attrs if name in UI_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _data_strings() -> list[str]:
    """Everything the demo data (and what a test typed) can put on a page."""
    people = get_user_model().objects.all()
    values = [
        *Unit.objects.values_list("name", flat=True), *UnitKind.objects.values_list("name", flat=True),
        *Plan.objects.values_list("title", flat=True), *Plan.objects.values_list("signer_title", flat=True),
        *Plan.objects.values_list("signer_name", flat=True), *Plan.objects.values_list("legal_bases", flat=True),
        *Plan.objects.values_list("purpose", flat=True), *Plan.objects.values_list("requirements", flat=True),
        *Responsibility.objects.values_list("text", flat=True),
        # The plan's page writes its signer's title `|lower|capfirst`.
        *[title.lower().capitalize() for title in Plan.objects.values_list("signer_title", flat=True)],
        *ReformArea.objects.values_list("name", flat=True), *Responsibility.objects.values_list("heading", flat=True),
        *Task.objects.values_list("title", flat=True), *Task.objects.values_list("text", flat=True),
        *Task.objects.values_list("expected_output", flat=True), *Task.objects.values_list("review_comment", flat=True),
        *Target.objects.values_list("text", flat=True), *Target.objects.values_list("parse_warnings", flat=True),
        *Indicator.objects.values_list("name", flat=True), *Indicator.objects.values_list("unit_of_measure", flat=True),
        *Indicator.objects.values_list("applies_to_level", flat=True),
        *Indicator.objects.values_list("numerator_label", flat=True),
        *Indicator.objects.values_list("denominator_label", flat=True),
        *Measurement.objects.values_list("note", flat=True),
        *Measurement.objects.values_list("review_comment", flat=True),
        *ProgressReport.objects.values_list("text", flat=True), *Notification.objects.values_list("message", flat=True),
        *Recommendation.objects.values_list("text", flat=True),
        *Recommendation.objects.values_list("response", flat=True),
        *Task.history.values_list("history_change_reason", flat=True),
        *ScoringTree.objects.values_list("title", flat=True), *Criterion.objects.values_list("name", flat=True),
        *Criterion.objects.values_list("guidance", flat=True), *Criterion.objects.values_list("choices", flat=True),
        # An item's levels are listed as points — label: the labels are the secretariat's words.
        *[label for item in Criterion.objects.exclude(choices="") for _points, label in item.choice_levels()],
        *Score.objects.values_list("self_comment", flat=True), *Score.objects.values_list("explanation", flat=True),
        *Score.objects.values_list("appraisal_comment", flat=True),
        *Score.objects.values_list("suggestion_note", flat=True),
        *[person.get_full_name() for person in people], *people.values_list("username", flat=True),
    ]  # fmt: skip
    pieces = {piece for value in values if value for piece in [value, *value.splitlines()] if piece.strip()}
    # The language switch names each language in that language ("Tiếng Việt"), not in the page's.
    pieces |= {name for _code, name in languages()}
    cut = {f"{piece[: length - 1]}…" for piece in pieces for length in TRUNCATED if len(piece) > length}
    return sorted(pieces | cut, key=len, reverse=True)


def vietnamese_outside_data(html: str, data: list[str]) -> list[str]:
    """The interface text of `html` that still has Vietnamese once the data is taken out."""
    parser = _Text()
    parser.feed(html)
    left = []
    for text in parser.texts:
        for value in data:
            if value in text:
                text = text.replace(value, " ")
        for piece in SEPARATORS.split(text):
            piece = piece.strip(" .")
            if piece and VIETNAMESE.search(piece):
                left.append(piece)
    return left


def english(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def report(seed_plan, secretariat) -> GeneratedReport:
    cutoff = datetime.date(seed_plan.year, 12, 14)
    return GeneratedReport.objects.create(plan=seed_plan, kind=ReportKind.YEAR, version=1, cutoff_date=cutoff,
                                          author=secretariat)  # fmt: skip


def _pages(plan: Plan, report: GeneratedReport) -> list[str]:
    open_tasks = Task.objects.open().filter(area__plan=plan).exclude(lead_unit=None)
    open_tasks = open_tasks.order_by("area__number", "position")
    task = open_tasks.exclude(occurrences=None).first() or open_tasks.first()
    assert task is not None
    indicator = Indicator.objects.filter(area__plan=plan, measurements__isnull=False).first()
    return [
        reverse("plan-list"),
        reverse("plan-detail", args=[plan.pk]),
        reverse("area-detail", args=[plan.pk, 1]),
        reverse("unit-detail", args=["06184"]),
        reverse("unit-detail", args=[plan.issuing_unit.code]),
        reverse("unit-edit", args=["06184"]),
        f"{reverse('task-list')}?plan={plan.pk}",
        reverse("task-detail", args=[task.pk]),
        reverse("task-assign", args=[task.pk]),
        reverse("task-edit", args=[task.pk]),
        reverse("task-create", args=[plan.pk]),
        reverse("task-statistics", args=[plan.pk]),
        reverse("figures-home", args=[plan.pk]),
        reverse("figures-entry", args=[plan.pk, "06184"]),
        reverse("figures-review", args=[plan.pk]),
        reverse("indicator-list", args=[plan.pk]),
        reverse("indicator-detail", args=[indicator.pk]),
        reverse("indicator-edit", args=[indicator.pk]),
        reverse("dashboard"),
        f"{reverse('dashboard')}?plan={plan.pk}&view=ranking",
        *(f"{reverse('dashboard')}?plan={plan.pk}&view={view}" for view in ("overdue", "off_track", "missing")),
        reverse("report-home", args=[plan.pk]),
        reverse("report-narrative", args=[plan.pk, "year"]),
        reverse("report-detail", args=[report.pk]),
        reverse("notifications"),
        *_scoring_pages(),
    ]


def _scoring_pages() -> list[str]:
    """The scoring's home, the communes' 2024 tree, its finished round and Đồng Đăng's scorecard in it."""
    finished = ScoringRound.objects.get(tree__year=2024, tree__group="communes")
    return [
        reverse("scoring-rounds"),
        reverse("scoring-trees", args=[finished.tree.authority.code]),
        reverse("scoring-tree", args=[finished.tree_id]),
        reverse("scoring-results", args=[finished.pk]),
        reverse("scoring-sheet", args=[finished.pk, "06184"]),
    ]


def test_the_main_pages_have_no_vietnamese_outside_the_data(seed_plan, secretariat, report):
    client = english(secretariat)
    data = _data_strings()
    found = {}
    for url in _pages(seed_plan, report):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        left = vietnamese_outside_data(html, data)
        if left:
            found[url] = left
    assert found == {}


def test_the_units_pages_have_no_vietnamese_outside_the_data(seed_plan, commune_head, office_head):
    # A commune's head enters and sends figures; an office's head reports on the tasks the office leads.
    data = _data_strings()
    task = Task.objects.open().filter(area__plan=seed_plan, lead_unit__code="183-TP").first()
    assert task is not None
    pages = {
        commune_head: [reverse("figures-entry", args=[seed_plan.pk, "06184"]), reverse("dashboard"),
                       f"{reverse('task-list')}?plan={seed_plan.pk}", reverse("unit-detail", args=["06184"])],
        office_head: [reverse("task-detail", args=[task.pk]), reverse("task-progress", args=[task.pk]),
                      reverse("task-extension", args=[task.pk]), f"{reverse('task-list')}?plan={seed_plan.pk}"],
    }  # fmt: skip
    found = {}
    for person, urls in pages.items():
        client = english(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (person.username, url)
            left = vietnamese_outside_data(response.content.decode(), data)
            if left:
                found[(person.username, url)] = left
    assert found == {}


def test_the_login_page_and_the_error_pages_are_in_english(db, commune_head):
    login = english().get(reverse("login"))
    assert login.status_code == 200
    assert vietnamese_outside_data(login.content.decode(), [name for _code, name in languages()]) == []
    assert ">Sign in<" in login.content.decode()
    client = english(commune_head)
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    forbidden = client.get(reverse("unit-edit", args=["06187"]))  # another commune's details
    assert forbidden.status_code == 403 and "Access denied" in forbidden.content.decode()
    for response in (missing, forbidden):
        assert vietnamese_outside_data(response.content.decode(), _data_strings()) == []


def test_a_wrong_password_is_refused_in_english(commune_head):
    response = english().post(reverse("login"), {"username": commune_head.username, "password": "wrong"})
    assert "Please enter a correct username and password." in response.content.decode()


def test_the_check_finds_vietnamese_the_data_does_not_explain():
    # The scan itself: interface text is reported, data (whole or cut short) is not.
    html = (
        '<h1>Plan: Kế hoạch CCHC 2024</h1><p title="Chưa dịch">Tasks</p>'
        "<td>Tổ chức, triển khai…</td><th>Nhiệm vụ</th><textarea>Ưu điểm</textarea>"
    )
    assert vietnamese_outside_data(html, ["Kế hoạch CCHC 2024", "Tổ chức, triển khai…"]) == [
        "Chưa dịch",
        "Nhiệm vụ",
    ]


def test_the_pages_are_vietnamese_without_the_cookie(client_for, secretariat, seed_plan):
    # Vietnamese stays the default language: the English catalogue changes nothing for others.
    html = client_for(secretariat).get(reverse("plan-detail", args=[seed_plan.pk])).content.decode()
    assert '<html lang="vi">' in html
    assert "Nhập số liệu" in html and "Enter figures" not in html


def test_an_english_browser_still_gets_vietnamese_until_the_switch_is_pressed(commune_head):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(commune_head)
    page = client.get(reverse("plan-list"))
    assert page["Content-Language"] == "vi"
    assert "Kế hoạch cải cách hành chính" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("plan-list")})
    page = client.get(reverse("plan-list"))
    assert page["Content-Language"] == "en"
    assert "Administrative reform plans" in page.content.decode()


def test_an_unknown_language_in_the_cookie_falls_back_to_vietnamese(commune_head):
    client = english(commune_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("plan-list"))["Content-Language"] == "vi"
