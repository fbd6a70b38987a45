"""Issue 12 item 5: a year report a Sở Nội vụ accepts (NĐ 30/2020 format, a narrative worth editing, clean text)."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from parplan.models import Plan, Unit, UnitKind
from reports.models import GeneratedReport, GenerationState, ReportNarrative
from reports.renderers.pdf import report_html
from reports.selectors import header_lines, plain, recipient_lines, report_data, unit_short_name
from reports.services import narrative_save, report_request
from tasks.models import ExtensionRequest, ExtensionState, ProgressReport, Task, TaskState
from tests.reports.conftest import RenderedReport

pytestmark = pytest.mark.django_db

CUTOFF = datetime.date(2024, 12, 14)


def _unit(name: str, level: str, parent: Unit | None = None) -> Unit:
    # Unsaved: the header reads names and kinds only.
    return Unit(name=name, kind=UnitKind(code=name, name=name, administrative_level=level), parent=parent)


# --- Header -----------------------------------------------------------------------------


def test_a_people_s_committee_writes_its_own_name_in_full_without_a_parent_line() -> None:
    province = _unit("UBND tỉnh Lạng Sơn", "cấp tỉnh")
    district = _unit("UBND huyện Cao Lộc", "cấp huyện", province)
    commune = _unit("Xã Định Hưng", "cấp xã", district)
    assert header_lines(province) == ("", ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"])
    assert header_lines(district) == ("", ["ỦY BAN NHÂN DÂN", "HUYỆN CAO LỘC"])
    # Known by its kind's level, not by its name: a commune heads the level below the district's.
    assert header_lines(commune) == ("", ["ỦY BAN NHÂN DÂN", "XÃ ĐỊNH HƯNG"])


def test_a_body_under_a_parent_prints_its_parent_s_line_then_its_own_name() -> None:
    province = _unit("UBND tỉnh Lạng Sơn", "cấp tỉnh")
    department = _unit("Sở Nội vụ", "cấp tỉnh", province)
    office = _unit("Phòng Nội vụ", "cấp huyện", _unit("UBND huyện Cao Lộc", "cấp huyện", province))
    assert header_lines(department) == ("UBND TỈNH LẠNG SƠN", ["SỞ NỘI VỤ"])
    assert header_lines(office) == ("UBND HUYỆN CAO LỘC", ["PHÒNG NỘI VỤ"])


# --- Numbers and blanks -----------------------------------------------------------------


def test_a_number_saved_with_its_symbol_prints_the_symbol_once(seed_plan: Plan, secretariat: Any) -> None:
    narrative = narrative_save(plan=seed_plan, kind="year", user=secretariat, number="125/BC-UBND").record
    assert report_data(plan=seed_plan, kind="year", narrative=narrative).reference == "Số: 125/BC-UBND"


def test_the_number_field_keeps_the_number_and_refuses_another_symbol(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(secretariat)
    url = reverse("report-narrative", args=[seed_plan.pk, "year"])
    form = client.get(url).context["form"]
    data = {name: str(form[name].value() or "") for name in form.fields}
    assert client.post(url, {**data, "number": "125/BC-UBND", "action": "save"}).status_code == 302
    assert ReportNarrative.objects.get(plan=seed_plan, kind="year").number == "125"
    refused = client.post(url, {**data, "number": "125/KH-UBND", "action": "save"})
    assert refused.status_code == 200
    assert "Chỉ ghi số của báo cáo (ví dụ 125)" in " ".join(refused.context["form"].errors["number"])


def test_a_plan_without_number_is_cited_with_a_dotted_blank_and_flagged_before_generation(
    seed_plan: Plan, secretariat: Any, client_for: Callable[[Any], Client]
) -> None:
    assert seed_plan.number == ""
    data = report_data(plan=seed_plan, kind="year")
    assert "Thực hiện Kế hoạch số ....../KH-UBND ngày 15/01/2024 về " in data.intro
    assert "số /KH-UBND" not in data.intro
    page = client_for(secretariat).get(reverse("report-narrative", args=[seed_plan.pk, "year"])).content.decode()
    assert "Kế hoạch chưa có số" in page and "Báo cáo chưa có số" in page
    home = client_for(secretariat).get(reverse("report-home", args=[seed_plan.pk])).content.decode()
    assert "Kế hoạch chưa có số" in home


# --- Tasks and indicators ---------------------------------------------------------------


def _lines(plan: Plan) -> list[Any]:
    return [line for area in report_data(plan=plan, kind="year").areas for line in (*area.done, *area.not_done)]


def test_tasks_are_named_in_full_never_cut_with_an_ellipsis(seed_plan: Plan) -> None:
    cut = Task.objects.filter(area__plan=seed_plan, title__endswith="…")
    assert cut.exists(), "the demo has titles shortened for lists"
    lines = _lines(seed_plan)
    assert not [line for line in lines if line.title.endswith("…")]
    task = cut.select_related("area").first()
    assert task is not None
    line = next(line for line in lines if line.number == f"{task.area.number}.{task.position}")
    assert line.title == " ".join(plain(task.text).split()).rstrip(" ;.")


def test_assumed_lead_units_are_marked_as_assumed(seed_plan: Plan) -> None:
    assumed = Task.objects.filter(area__plan=seed_plan, assignment_assumed=True, lead_unit__isnull=False)
    assert assumed.exists()
    task = assumed.select_related("area", "lead_unit").first()
    assert task is not None
    line = next(line for line in _lines(seed_plan) if line.number == f"{task.area.number}.{task.position}")
    assert line.lead_unit == f"{task.lead_unit.name}, tạm giao theo chức năng, chưa xác nhận"


def test_each_indicator_of_a_multi_indicator_target_is_named(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    target = next(t for area in data.areas for t in area.targets if len(t.indicators) > 1)
    html = report_html(data)
    for result in target.indicators:
        assert f"+ {result.name}: " in html


def test_completed_tasks_are_described_from_their_latest_progress_report(seed_plan: Plan) -> None:
    lines = _lines(seed_plan)
    done = [line for line in lines if line.state in (TaskState.COMPLETED_ON_TIME.label, TaskState.COMPLETED_LATE.label)]
    assert done
    for line in done:
        area, position = map(int, line.number.split("."))
        task = Task.objects.get(area__plan=seed_plan, area__number=area, position=position)
        latest = ProgressReport.objects.filter(task=task, role="lead").order_by("-created_at", "-pk").first()
        expected = latest.text if latest else task.progress_note
        assert line.result and line.result == plain(expected).rstrip(" .")


def test_a_late_task_is_reported_with_its_extension_and_reason_in_the_causes(seed_plan: Plan, secretariat: Any) -> None:
    line = next(line for line in _lines(seed_plan) if line.state == TaskState.OVERDUE.label)
    area, position = map(int, line.number.split("."))
    task = Task.objects.get(area__plan=seed_plan, area__number=area, position=position)
    request = ExtensionRequest.objects.create(
        task=task, requested_by=secretariat, current_due_date=task.due_date, new_due_date=datetime.date(2025, 3, 31),
        reason="Chờ hướng dẫn của Bộ Nội vụ", state=ExtensionState.APPROVED,
    )  # fmt: skip
    # Asked before the cut-off (the report sees only what was known by then).
    ExtensionRequest.objects.filter(pk=request.pk).update(
        requested_at=datetime.datetime(2024, 11, 1, tzinfo=datetime.UTC)
    )
    data = report_data(plan=seed_plan, kind="year")
    extended = next(t for area in data.areas for t in area.not_done if t.number == line.number)
    assert extended.extensions == "đã được gia hạn đến ngày 31/03/2025 (Chờ hướng dẫn của Bộ Nội vụ)"
    assert f"Nhiệm vụ {line.number} (" in data.causes and "Chờ hướng dẫn của Bộ Nội vụ" in data.causes
    # Overdue, it is named among the tasks of the next period; a task with no due date is not.
    assert f"- Nhiệm vụ {line.number}: " in data.next_tasks
    undated = next(t for area in data.areas for t in area.not_done if not t.due_date)
    assert f"- Nhiệm vụ {undated.number}: " not in data.next_tasks


def test_the_generated_assessment_does_not_call_a_low_completion_a_strength(seed_plan: Plan) -> None:
    # The demo's 2024 plan has three tasks confirmed done (1.1, 3.2 and Bảo Lâm's 4.2).
    data = report_data(plan=seed_plan, kind="year")
    assert not data.strengths.startswith("Hoàn thành 3/37")
    assert "Còn 34/37 nhiệm vụ chưa hoàn thành." in data.weaknesses
    assert data.causes and data.next_tasks


# --- Text and headings ------------------------------------------------------------------


def test_markup_typed_in_the_narrative_is_not_printed(seed_plan: Plan, secretariat: Any) -> None:
    narrative = narrative_save(
        plan=seed_plan, kind="year", user=secretariat,
        strengths="**Ưu điểm nổi bật**: công tác *chỉ đạo* sát sao\n* một\n* hai", causes="## Nguyên nhân __chủ quan__",
    ).record  # fmt: skip
    data = report_data(plan=seed_plan, kind="year", narrative=narrative)
    assert data.strengths == "Ưu điểm nổi bật: công tác chỉ đạo sát sao\n- một\n- hai"
    assert data.causes == "Nguyên nhân chủ quan"
    body = re.sub(r"<style>.*?</style>", "", report_html(data), flags=re.DOTALL)
    assert "*" not in body and "__" not in body


@pytest.mark.parametrize("plan_name", ["seed_plan", "odd_plan"])
def test_no_heading_is_printed_without_text_under_it(request: pytest.FixtureRequest, plan_name: str) -> None:
    plan = request.getfixturevalue(plan_name)
    html = re.sub(r"\s+", " ", report_html(report_data(plan=plan, kind="year")))
    body = html.split("<body>", 1)[1]
    # A heading followed by one of its own level or above, or by the signature, is bare.
    assert not re.search(r"</h2> <h2", body)
    assert not re.search(r"</h3> <h[23]", body)
    assert not re.search(r"</h[234]> <table class=\"signature\"", body)
    assert "<h3>3. Nguyên nhân</h3>" in body and "IV. PHƯƠNG HƯỚNG" in body


def test_recipients_are_listed_as_the_decree_lists_them() -> None:
    typed = "Sở Nội vụ\n+ Ban Chỉ đạo CCHC huyện,\n\n• Các xã, thị trấn;\nLưu: VT, NV"
    assert recipient_lines(typed) == [
        "- Sở Nội vụ;",
        "- Ban Chỉ đạo CCHC huyện;",
        "- Các xã, thị trấn;",
        "- Lưu: VT, NV.",
    ]


@pytest.mark.parametrize(
    ("typed", "last"),
    [("Sở Nội vụ\nLưu: VT", "- Lưu: VT, NV."), ("Sở Nội vụ\n- Lưu: VT.", "- Lưu: VT, NV."),
     ("Sở Nội vụ\nLưu", "- Lưu: VT, NV."), ("Sở Nội vụ;", "- Lưu: VT, NV."),
     ("Sở Nội vụ\n- Lưu: VT, TCKH", "- Lưu: VT, TCKH."), ("Lưu trữ lịch sử tỉnh", "- Lưu: VT, NV.")],
)  # fmt: skip
def test_the_last_recipient_files_the_copy_with_the_office_of_records_and_the_drafting_unit(
    typed: str, last: str
) -> None:
    lines = recipient_lines(typed, "NV")
    assert lines[-1] == last
    assert all(line.startswith("- ") and line.endswith(";") for line in lines[:-1])


@pytest.mark.parametrize(
    ("name", "short"),
    [("Phòng Nội vụ", "NV"), ("Phòng Tài chính - Kế hoạch", "TCKH"), ("Văn phòng HĐND và UBND", "VP"),
     ("Sở Nội vụ", "NV"), ("Phòng Văn hóa và Thông tin", "VHTT")],
)  # fmt: skip
def test_a_unit_files_under_the_initials_of_its_name_without_its_type_word(name: str, short: str) -> None:
    assert unit_short_name(name) == short


def test_the_printed_recipients_each_end_with_a_semicolon_and_the_filing_line_with_the_drafting_unit(
    year_report: RenderedReport,
) -> None:
    """Read back with pdfplumber: from "Nơi nhận:" down the left column, each recipient on its own line."""
    with pdfplumber.open(year_report.pdf_path) as pdf:
        page = next(page for page in pdf.pages if "Nơi nhận:" in (page.extract_text() or ""))
        label = page.search("Nơi nhận:")[0]
        column = page.crop((0, label["top"], label["x0"] + (page.width - label["x0"]) * 0.4, page.height))
        lines = [unicodedata.normalize("NFC", line) for line in (column.extract_text() or "").splitlines()]
    recipients = lines[1 : next(i for i, line in enumerate(lines) if line.startswith("- Lưu")) + 1]
    assert recipients == year_report.data.recipients and len(recipients) == 8
    assert all(line.startswith("- ") and line.endswith(";") for line in recipients[:-1])
    assert recipients[-1] == "- Lưu: VT, NV."


def test_the_annex_tables_end_with_total_rows(seed_plan: Plan) -> None:
    data = report_data(plan=seed_plan, kind="year")
    assert data.annex_units_total is not None and data.annex_dossiers_total is not None
    assert data.annex_units_total.assigned == sum(r.assigned for r in data.annex_units) == 37
    html = report_html(data)
    assert html.count('<tr class="total">') == 2


# --- The PDF read back, generated as the web page does ---------------------------------

HOSTILE = (
    "Thực hiện 👍 nghiêm túc \u200fchỉ đạo\u200e của Ủy ban nhân dân tỉnh\u200b; "
    # Typed with combining marks (NFD), as some keyboards on Windows send it.
    + unicodedata.normalize("NFD", "Đổi mới phương thức làm việc")
    + " ✅ 🇻🇳\n"
    + "Phòng Nội vụ tham mưu ban hành văn bản hướng dẫn. " * 120
)
WORDS = ["Thực hiện", "nghiêm túc", "chỉ đạo", "Ủy ban nhân dân tỉnh", "Đổi mới phương thức làm việc",
         "Phòng Nội vụ tham mưu ban hành văn bản hướng dẫn", "Ưu điểm nổi bật",
         # After a right-to-left override (U+202E): still in reading order.
         "Đề nghị Sở Nội vụ hướng dẫn bổ sung biên chế",
         "ỦY BAN NHÂN DÂN", "HUYỆN CAO LỘC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Nơi nhận:", "Phụ lục II"]  # fmt: skip


@pytest.fixture
def edited_report(
    seed_plan: Plan, secretariat: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> GeneratedReport:
    """The year report after a narrative edit with emoji, direction marks and long text, made by the Celery job."""
    narrative_save(
        plan=seed_plan, kind="year", user=secretariat, direction=HOSTILE,
        strengths="**Ưu điểm nổi bật** 😀", proposals="Đề nghị Sở Nội vụ hướng dẫn 🙏 \u202ebổ sung biên chế.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(plan=seed_plan, kind="year", user=secretariat)
    report.refresh_from_db()
    assert report.state == GenerationState.DONE, report.error
    return report


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def test_an_edited_report_made_by_the_job_reads_back_as_unicode_with_pypdf(edited_report: GeneratedReport) -> None:
    with edited_report.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for word in WORDS:
        assert word in text
    assert "\x00" not in text


def test_an_edited_report_made_by_the_job_reads_back_as_unicode_with_pdfplumber(
    edited_report: GeneratedReport,
) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with edited_report.pdf.open("rb") as stored, pdfplumber.open(io.BytesIO(stored.read())) as pdf:
        text = _flat(" ".join(page.extract_text() or "" for page in pdf.pages))
        fonts = {char["fontname"].split("+", 1)[-1] for page in pdf.pages[:2] for char in page.chars}
    for word in WORDS:
        assert word in text
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= fonts


def test_the_report_is_pdf_a_3b_with_every_font_embedded_and_mapped_to_unicode(edited_report: GeneratedReport) -> None:
    with edited_report.pdf.open("rb") as stored:
        content = stored.read()
    reader = PdfReader(io.BytesIO(content))
    xmp = reader.xmp_metadata
    assert xmp is not None
    stream: Any = reader.root_object["/Metadata"].get_object()
    metadata = stream.get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", metadata) and re.search(r"pdfaid:conformance(>|=\")B", metadata)
    fonts = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[str(font["/BaseFont"])] = (
                "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"],
                font["/Encoding"],
                "/ToUnicode" in font,
            )
    assert fonts
    for name, (embedded, encoding, to_unicode) in fonts.items():
        assert embedded and encoding == "/Identity-H" and to_unicode, name
