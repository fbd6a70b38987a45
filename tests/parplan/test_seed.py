"""The demo data is the seed plan: every area, target and task as the text writes it.

Expected texts are read here from the plain-text plan (fixtures/ke-hoach-cchc-2024-cao-loc.txt)
by a small parser of its own, independent of the JSON fixture the `demo` command loads,
so a slip in either the fixture or the import shows up as a difference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from django.conf import settings

from demo.management.commands.demo import DEMO_COMMUNE_LEADS, SEED_PLAN
from parplan.models import Plan, ReformArea, Responsibility, Unit
from planio.interchange import plan_import
from targets.models import Target
from tasks.models import Task

SEED_TEXT = settings.BASE_DIR / "fixtures" / "ke-hoach-cchc-2024-cao-loc.txt"
SHARED_DIR = settings.BASE_DIR.parent / "shared"
SHARED_SEED_TEXT = SHARED_DIR / "seed" / "ke-hoach-cchc-2024-cao-loc.txt"

# From docs/domain.md, "Units of the seed's authority": the 22 commune-level units in 2024.
COMMUNE_LEVEL_UNITS = {
    "06184": "Thị trấn Đồng Đăng",
    "06187": "Thị trấn Cao Lộc",
    "06190": "Xã Bảo Lâm",
    "06193": "Xã Thanh Lòa",
    "06196": "Xã Cao Lâu",
    "06199": "Xã Thạch Đạn",
    "06202": "Xã Xuất Lễ",
    "06205": "Xã Hồng Phong",
    "06208": "Xã Thụy Hùng",
    "06211": "Xã Lộc Yên",
    "06214": "Xã Phú Xá",
    "06217": "Xã Bình Trung",
    "06220": "Xã Hải Yến",
    "06223": "Xã Hòa Cư",
    "06226": "Xã Hợp Thành",
    "06232": "Xã Công Sơn",
    "06235": "Xã Gia Cát",
    "06238": "Xã Mẫu Sơn",
    "06241": "Xã Xuân Long",
    "06244": "Xã Tân Liên",
    "06247": "Xã Yên Trạch",
    "06250": "Xã Tân Thành",
}
# From docs/domain.md: offices every district had by law, plus the public service unit the seed names.
OFFICES_BY_LAW = [
    "Văn phòng HĐND và UBND",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Thanh tra huyện",
]
# From docs/domain.md, "The seed plan, as data": (target statements, task bullets) per area.
COUNTS_PER_AREA = {1: (1, 4), 2: (2, 6), 3: (5, 8), 4: (1, 4), 5: (3, 7), 6: (3, 2), 7: (4, 6)}
# From docs/domain.md, "Assumed lead units": the office leading each area's tasks by mandate.
LEAD_BY_MANDATE = {1: "183-NV", 2: "183-TP", 3: "183-VP", 4: "183-NV", 5: "183-NV", 6: "183-TCKH", 7: "183-VHTT"}
COMMUNICATION_OFFICE = "183-VHTT"


# --- The seed text, read independently ------------------------------------------


@dataclass
class SeedArea:
    number: int
    name: str
    targets_heading: str = ""
    targets: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


_NUMBERED = re.compile(r"^(\d+)\. (.+)$")
_TARGETS_HEADING = re.compile(r"^a\) (Chỉ tiêu|Mục tiêu)$")
_TASKS_HEADING = "b) Nhiệm vụ, giải pháp"
_DATE_AT_START = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}\b")


def _seed_lines() -> list[str]:
    return [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()]


def _section(lines: list[str], heading: str, next_heading: str) -> list[str]:
    return lines[lines.index(heading) + 1 : lines.index(next_heading)]


def _continues_previous_line(line: str) -> bool:
    """A bullet broken across lines goes on with a lowercase word or a date (…ngày / 29/7/2020…)."""
    return line[0].islower() or _DATE_AT_START.match(line) is not None


@cache
def seed_areas() -> tuple[SeedArea, ...]:
    areas: list[SeedArea] = []
    items: list[str] = []
    for line in _section(_seed_lines(), "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"):
        if not line or line.startswith("(Có phụ lục"):
            continue
        if numbered := _NUMBERED.match(line):
            areas.append(SeedArea(int(numbered.group(1)), numbered.group(2)))
        elif heading := _TARGETS_HEADING.match(line):
            areas[-1].targets_heading = heading.group(1)
            items = areas[-1].targets
        elif line == _TASKS_HEADING:
            items = areas[-1].tasks
        elif _continues_previous_line(line):
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line.removeprefix("- "))
    return tuple(areas)


def seed_responsibility_headings() -> dict[int, str]:
    section = _section(_seed_lines(), "III. TỔ CHỨC THỰC HIỆN", "Nơi nhận:")
    return {int(m.group(1)): m.group(2) for line in section if (m := _NUMBERED.match(line))}


def _seed_area(number: int) -> SeedArea:
    return next(area for area in seed_areas() if area.number == number)


# --- Counts and units -------------------------------------------------------------


def test_the_seed_text_parser_finds_the_areas_and_counts_of_the_domain_notes():
    # Guards the independent parser itself, so the comparisons below compare something.
    assert {a.number: (len(a.targets), len(a.tasks)) for a in seed_areas()} == COUNTS_PER_AREA


def test_demo_loads_seven_reform_areas(seed_plan: Plan):
    assert list(seed_plan.areas.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_demo_loads_nineteen_target_statements(seed_plan: Plan):
    assert Target.objects.filter(area__plan=seed_plan).count() == 19


def test_demo_loads_thirty_seven_tasks(seed_plan: Plan):
    assert Task.objects.filter(area__plan=seed_plan).count() == 37


@pytest.mark.parametrize(("number", "counts"), COUNTS_PER_AREA.items())
def test_each_area_has_the_targets_and_tasks_of_the_domain_table(seed_plan: Plan, number: int, counts: tuple):
    area = seed_plan.areas.get(number=number)
    assert (area.targets.count(), area.tasks.count()) == counts


def test_demo_loads_the_22_commune_level_units_with_their_gso_codes(db):
    communes = Unit.objects.filter(kind__code__in=["town", "commune"])
    assert dict(communes.values_list("code", "name")) == COMMUNE_LEVEL_UNITS


def test_only_dong_dang_and_cao_loc_are_towns(db):
    towns = Unit.objects.filter(kind__code="town").values_list("code", flat=True)
    assert sorted(towns) == ["06184", "06187"]


def test_commune_level_units_sit_under_the_district_at_the_commune_level(db):
    district = Unit.objects.get(code="183")
    for unit in Unit.objects.filter(code__in=COMMUNE_LEVEL_UNITS).select_related("kind"):
        assert unit.parent_id == district.pk
        assert unit.path == f"/20/183/{unit.code}/"
        assert unit.kind.administrative_level == "cấp xã"


def test_demo_loads_every_office_a_district_has_by_law(db):
    offices = Unit.objects.filter(kind__code="office", parent__code="183").values_list("name", flat=True)
    assert set(OFFICES_BY_LAW) <= set(offices)


def test_demo_loads_the_culture_and_media_centre_as_a_public_service_unit(db):
    centre = Unit.objects.get(name="Trung tâm Văn hóa, Thể thao và Truyền thông")
    assert centre.kind.code == "service_unit"


# --- Texts as written ---------------------------------------------------------------


def test_every_area_name_equals_the_seed_text(seed_plan: Plan):
    stored = list(seed_plan.areas.order_by("number").values_list("number", "name"))
    assert stored == [(area.number, area.name) for area in seed_areas()]


def test_every_targets_heading_is_chi_tieu_or_muc_tieu_as_the_seed_writes_it(seed_plan: Plan):
    stored = list(seed_plan.areas.order_by("number").values_list("targets_heading", flat=True))
    assert stored == [area.targets_heading for area in seed_areas()]
    assert stored[6] == "Mục tiêu"


@pytest.mark.parametrize("number", range(1, 8))
def test_every_target_text_equals_the_seed_text(seed_plan: Plan, number: int):
    targets = Target.objects.filter(area__plan=seed_plan, area__number=number).order_by("position")
    assert list(targets.values_list("text", flat=True)) == _seed_area(number).targets


@pytest.mark.parametrize("number", range(1, 8))
def test_every_task_text_equals_the_seed_text(seed_plan: Plan, number: int):
    tasks = Task.objects.filter(area__plan=seed_plan, area__number=number).order_by("position")
    assert list(tasks.values_list("text", flat=True)) == _seed_area(number).tasks


def test_a_bullet_broken_before_a_date_is_stored_as_one_line(seed_plan: Plan):
    task = Task.objects.get(area__plan=seed_plan, area__number=2, position=1)
    assert "Kết luận số 83-KL/TW ngày 29/7/2020 của Bộ Chính trị" in task.text
    assert "\n" not in task.text


def test_the_appendix_note_is_neither_a_task_nor_a_target(seed_plan: Plan):
    assert not Task.objects.filter(area__plan=seed_plan, text__contains="Có phụ lục").exists()
    assert not Target.objects.filter(area__plan=seed_plan, text__contains="Có phụ lục").exists()


def test_fixture_seed_text_is_byte_identical_to_the_shared_seed():
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} does not exist here (CI has it)")
    assert SHARED_SEED_TEXT.is_file(), f"{SHARED_SEED_TEXT} is missing"
    assert SEED_TEXT.read_bytes() == SHARED_SEED_TEXT.read_bytes()


# --- Section III: responsibilities --------------------------------------------------


def test_responsibilities_keep_the_seed_numbering_with_its_gap_at_five(seed_plan: Plan):
    numbers = list(seed_plan.responsibilities.order_by("number").values_list("number", flat=True))
    assert numbers == sorted(seed_responsibility_headings())
    assert numbers == [1, 2, 3, 4, 6]


def test_responsibility_headings_equal_the_seed_text(seed_plan: Plan):
    stored = dict(seed_plan.responsibilities.values_list("number", "heading"))
    assert stored == seed_responsibility_headings()


def test_home_affairs_office_holds_responsibility_two(seed_plan: Plan):
    responsibility = seed_plan.responsibilities.get(number=2)
    assert list(responsibility.units.values_list("code", flat=True)) == ["183-NV"]


def test_culture_office_and_media_centre_hold_the_communication_responsibility(seed_plan: Plan):
    responsibility = seed_plan.responsibilities.get(number=6)
    assert set(responsibility.units.values_list("code", flat=True)) == {"183-VHTT", "183-TTVHTTTT"}


def test_every_office_and_commune_holds_responsibility_four(seed_plan: Plan):
    responsibility: Responsibility = seed_plan.responsibilities.get(number=4)
    codes = set(responsibility.units.values_list("code", flat=True))
    offices = set(Unit.objects.filter(kind__code__in=["office", "service_unit"]).values_list("code", flat=True))
    assert codes == offices | set(COMMUNE_LEVEL_UNITS)


# --- Assumed lead units ---------------------------------------------------------------
# The seed's own assignments, read from the file as `plan_import` loads it: the demo's 2024 plan is
# the seed after a year's work, in which the secretariat gave some tasks to communes to lead.

# A year no demo plan holds, so the file imports as a plan of its own beside the demo's.
IMPORTED_YEAR = 2023


@pytest.fixture
def imported_seed(db: Any) -> Plan:
    """The seed file imported as it is (its tasks' leads untouched by the demo's reassignments)."""
    document = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
    document["plan"]["year"] = IMPORTED_YEAR
    return plan_import(document)


def test_every_seed_task_assignment_is_marked_assumed(imported_seed: Plan):
    tasks = Task.objects.filter(area__plan=imported_seed)
    assert tasks.count() == 37
    assert not tasks.filter(assignment_assumed=False).exists()


def test_the_demo_plan_keeps_the_seed_leads_but_for_the_tasks_it_gave_to_communes(seed_plan: Plan, imported_seed: Plan):
    def leads(plan: Plan) -> dict[tuple[int, int], tuple[str, bool]]:
        tasks = Task.objects.filter(area__plan=plan).values_list(
            "area__number", "position", "lead_unit__code", "assignment_assumed"
        )
        return {(area, position): (lead, assumed) for area, position, lead, assumed in tasks}

    demo, seed = leads(seed_plan), leads(imported_seed)
    given = {(area, position): lead for area, position, lead, _ in DEMO_COMMUNE_LEADS}
    assert {place: demo[place] for place in given} == {place: (lead, False) for place, lead in given.items()}
    assert {place: demo[place] for place in seed if place not in given} == {
        place: value for place, value in seed.items() if place not in given
    }


def _is_communication_bullet(area: ReformArea, text: str) -> bool:
    return area.number == 1 and "tuyên truyền" in text


@pytest.mark.parametrize("number", range(1, 8))
def test_tasks_are_led_by_the_office_their_area_falls_to_by_mandate(imported_seed: Plan, number: int):
    area = imported_seed.areas.get(number=number)
    for task in area.tasks.select_related("lead_unit"):
        expected = COMMUNICATION_OFFICE if _is_communication_bullet(area, task.text) else LEAD_BY_MANDATE[number]
        assert task.lead_unit.code == expected, task.text[:60]


def test_area_one_communication_bullet_is_led_by_the_culture_office(seed_plan: Plan):
    task = Task.objects.get(area__plan=seed_plan, area__number=1, text__startswith="Tăng cường công tác thông tin")
    assert task.lead_unit.code == "183-VHTT"


def test_no_task_lists_its_lead_unit_among_its_coordinating_units(seed_plan: Plan):
    for task in Task.objects.filter(area__plan=seed_plan).prefetch_related("coordinating_units"):
        assert task.lead_unit_id not in {unit.pk for unit in task.coordinating_units.all()}
