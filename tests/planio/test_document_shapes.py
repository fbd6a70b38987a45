"""Plans of a commune, a department and a province read back to their known contents (planio.documents).

The documents are in tests/planio/shapes.py; what each should read to is
written out here by hand from the document, item by item.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from parplan.models import Unit
from planio.documents.drafting import ReadDocument, plan_document_read
from tests.planio import shapes

pytestmark = pytest.mark.django_db


def _read(content: bytes, issuer: Unit | None = None) -> ReadDocument:
    return plan_document_read(content, "ke-hoach.docx", issuer=issuer)


def _outline(read: ReadDocument) -> list[tuple]:
    return [(area["number"], area["name"], len(area["targets"]), len(area["tasks"])) for area in read.data["areas"]]


def _indicators(read: ReadDocument) -> list[tuple]:
    return [
        (area["number"], t, i["kind"], i["comparator"], Decimal(i["threshold"]) if i["threshold"] else None,
         i["applies_to_level"], i["scope"], len(i.get("scope_units", [])))
        for area in read.data["areas"]
        for t, target in enumerate(area["targets"], start=1)
        for i in target["indicators"]
    ]  # fmt: skip


def _assignments(read: ReadDocument) -> dict[str, tuple]:
    return {
        f"{area['number']}.{k}": (task["lead_unit"], sorted(task["coordinating_units"]), task["due_date"],
                                  task.get("recurrence", ""), task["expected_output"])
        for area in read.data["areas"]
        for k, task in enumerate(area["tasks"], start=1)
        if task["lead_unit"] or task["due_date"] or task.get("recurrence")
    }  # fmt: skip


def _codes(read: ReadDocument) -> list[str]:
    return [warning["code"] for warning in read.warnings]


# --- A commune ---------------------------------------------------------------------------


@pytest.fixture
def commune(db) -> ReadDocument:
    shapes.commune_tree()
    return _read(shapes.commune_docx())  # the issuer from the header


def test_a_communes_header_title_and_signature(commune):
    plan = commune.data["plan"]
    assert (plan["issuing_unit"], plan["year"], plan["number"], plan["symbol"]) == ("T-HVT", 2026, "15", "KH-UBND")
    assert (plan["place"], plan["issue_date"]) == ("Hoàng Văn Thụ", "2026-01-20")
    assert plan["title"] == "Cải cách hành chính xã Hoàng Văn Thụ năm 2026"
    assert plan["purpose"] == "Nâng cao chất lượng phục vụ người dân, doanh nghiệp của chính quyền xã sau sắp xếp."
    assert plan["requirements"] == "Các nhiệm vụ phải cụ thể, có sản phẩm và thời hạn hoàn thành."
    assert (plan["signing_authority"], plan["signer_title"], plan["signer_name"]) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Minh",
    )  # fmt: skip
    assert plan["recipients"] == ["- UBND tỉnh;", "- Sở Nội vụ;", "- Lưu: VT."]


def test_a_communes_six_areas_numbered_1_1_and_1_2_with_their_items(commune):
    assert _outline(commune) == [
        (1, "Công tác chỉ đạo, điều hành", 1, 4),
        (2, "Cải cách thể chế", 1, 1),
        (3, "Cải cách thủ tục hành chính", 2, 3),  # the third task is the annex's own row 5
        (4, "Cải cách tổ chức bộ máy", 1, 1),
        (5, "Cải cách chế độ công vụ", 1, 1),
        (6, "Xây dựng chính quyền điện tử, chính quyền số", 1, 1),
    ]
    tasks = [task["text"] for task in commune.data["areas"][0]["tasks"]]
    # The label "- Tuyên truyền về cải cách hành chính:" heads two "+" tasks; it is not a task itself.
    assert tasks == [
        "Ban hành kế hoạch kiểm tra công tác CCHC năm 2026; kiểm tra ít nhất 50% các thôn.",
        "Đăng tin, bài trên Trang thông tin điện tử của xã;",
        "Tổ chức hội nghị đối thoại với Nhân dân.",
        "Tổng hợp, báo cáo kết quả CCHC hằng quý.",
    ]
    assert commune.data["areas"][2]["targets"][0]["text"] == "Trên 98% hồ sơ TTHC được giải quyết đúng hạn;"


def test_a_communes_targets_become_indicators_for_the_commune_itself(commune):
    # A commune has no commune-level units below it: its dossier rates are its own (one figure).
    assert _indicators(commune) == [
        (1, 1, "rank", "lte", Decimal(20), "", "authority", 0),
        (2, 1, "ratio", "gte", Decimal(100), "", "authority", 0),
        (3, 1, "ratio", "gt", Decimal(98), "", "authority", 0),
        (3, 2, "ratio", "gte", Decimal(80), "", "authority", 0),
        (4, 1, "milestone", "", None, "", "authority", 0),
        (5, 1, "ratio", "gte", Decimal(100), "", "authority", 0),
        (6, 1, "ratio", "gte", Decimal(100), "", "authority", 0),
    ]
    # "… trước ngày 30/6/2026": the milestone is due then, not at the year's end.
    assert commune.data["areas"][3]["targets"][0]["indicators"][0]["due_date"] == "2026-06-30"
    assert all("due_date" not in i for a in commune.data["areas"] for t in a["targets"] for i in t["indicators"]
               if i["kind"] != "milestone")  # fmt: skip
    hidden = commune.data["areas"][0]["tasks"][0]["indicators"]
    assert [(i["comparator"], i["threshold"]) for i in hidden] == [("gte", "50")]


def test_a_communes_annex_gives_its_tasks_units_deadlines_and_outputs(commune):
    offices = ["T-HVT-KT", "T-HVT-VHXH", "T-HVT-VP"]
    assert _assignments(commune) == {
        "1.1": ("T-HVT-VP", ["T-HVT-VHXH"], "2026-03-31", "", "Kế hoạch kiểm tra"),  # Quý I/2026; "Phòng VH-XH"
        "1.2": ("T-HVT-VHXH", [], None, "", "Tin, bài"),  # "Phòng VH&XH", "Thường xuyên"
        "3.1": ("T-HVT-PVHCC", offices, "2026-06-30", "", "Danh mục TTHC niêm yết"),  # "trước 30/6/2026"
        "3.2": ("T-HVT-PVHCC", ["T-HVT-VP"], None, "monthly", "Báo cáo số hóa"),  # "TT PVHCC", "Hằng tháng"
        "3.3": ("T-HVT-PVHCC", [], "2026-11-30", "", "Báo cáo kết quả khảo sát"),  # "Tháng 11"
    }
    assert commune.data["areas"][2]["tasks"][2]["text"] == "Khảo sát sự hài lòng của người dân đối với Trung tâm"
    assert _codes(commune).count("annex_unmatched") == 1


def test_a_communes_responsibilities_name_its_units(commune):
    assert [(r["number"], r["heading"], sorted(r["units"])) for r in commune.data["responsibilities"]] == [
        (1, "Văn phòng HĐND và UBND xã", ["T-HVT-VP"]),
        (2, "Các phòng chuyên môn; Trung tâm Phục vụ hành chính công xã", [
            "T-HVT-KT", "T-HVT-PVHCC", "T-HVT-VHXH", "T-HVT-VP"]),
    ]  # fmt: skip
    assert "unit_unknown" not in _codes(commune)


# --- A department ------------------------------------------------------------------------


@pytest.fixture
def department(db) -> ReadDocument:
    shapes.department_tree()
    return _read(shapes.department_docx())


def test_a_departments_header_names_it_under_its_province(department):
    plan = department.data["plan"]
    assert (plan["issuing_unit"], plan["year"], plan["number"], plan["symbol"]) == ("S-NV", 2026, "08", "KH-SNV")
    assert plan["title"] == "Cải cách hành chính năm 2026"
    assert plan["purpose"] == (
        "- Triển khai kịp thời, đầy đủ các nhiệm vụ CCHC của tỉnh giao cho Sở.\n\n"
        "- Gắn trách nhiệm của người đứng đầu với kết quả CCHC của phòng, đơn vị."
    )
    assert (plan["signing_authority"], plan["signer_title"], plan["signer_name"]) == ("", "GIÁM ĐỐC", "Lê Thị Hoa")


def test_a_departments_areas_keep_their_numbers_and_the_gap_is_warned(department):
    assert _outline(department) == [
        (1, "Cải cách thể chế", 1, 2),
        (2, "Cải cách thủ tục hành chính", 1, 2),
        (4, "Cải cách chế độ công vụ", 1, 1),
        (5, "Chuyển đổi số", 1, 1),
    ]
    assert "numbering_areas" in _codes(department)
    # "III. KINH PHÍ THỰC HIỆN" has no place in the portal's plan: said, not silently dropped.
    assert "part_unplaced" in _codes(department)


def test_several_rates_in_one_sentence_and_a_count(department):
    assert _indicators(department) == [
        (1, 1, "ratio", "gte", Decimal(100), "", "authority", 0),  # "a) Mục tiêu: 100% …" on the heading's line
        (2, 1, "ratio", "gte", Decimal(100), "", "authority", 0),
        (2, 1, "ratio", "gte", Decimal(80), "", "authority", 0),  # "tối thiểu 80%"
        (2, 1, "ratio", "lte", Decimal(2), "", "authority", 0),  # "không quá 2%"
        (4, 1, "ratio", "gte", Decimal(100), "", "authority", 0),
        (5, 1, "count", "gte", Decimal(3), "", "authority", 0),  # "ít nhất 03 văn bản"
    ]
    assert department.data["areas"][3]["targets"][0]["indicators"][0]["unit_of_measure"] == "văn bản"


def test_units_and_deadlines_in_brackets_after_a_task(department):
    assert _assignments(department) == {
        "2.1": ("S-NV-CCHC", ["S-NV-VP"], "2026-06-30", "", ""),
        "4.1": ("S-NV-TCBC", [], "2026-09-30", "", ""),  # "Tháng 9": its last day
        "5.1": ("S-NV-LT", [], "2026-11-15", "", ""),  # "TT Lưu trữ lịch sử"
    }
    assert department.data["areas"][1]["tasks"][0]["text"] == "Công bố, công khai TTHC thuộc thẩm quyền của Sở"
    stale = [w for w in department.warnings if w["code"] == "stale_year"]
    assert [w["message"] for w in stale] == [
        "Đoạn này nhắc “năm 2025” trong kế hoạch năm 2026: có phải chép từ kế hoạch năm trước?"
    ]


def test_a_departments_responsibilities(department):
    assert [(r["number"], sorted(r["units"])) for r in department.data["responsibilities"]] == [
        (1, ["S-NV-CCHC"]),
        (2, ["S-NV-CCHC", "S-NV-LT", "S-NV-TCBC", "S-NV-TTR", "S-NV-VP"]),  # "Các phòng, đơn vị thuộc Sở"
    ]


# --- A province ----------------------------------------------------------------------------


@pytest.fixture
def province(db) -> ReadDocument:
    shapes.province_tree()
    return _read(shapes.province_docx(), issuer=Unit.objects.get(code="20"))


def _commune_level_units() -> int:
    # Communes and wards under the province (the demo's 2024 communes too), not a commune's own offices.
    return (
        Unit.objects.filter(kind__administrative_level="cấp xã")
        .exclude(parent__kind__administrative_level="cấp xã")
        .count()
    )


def test_a_provinces_title_on_two_lines_and_its_signer_for_the_chair(province):
    plan = province.data["plan"]
    assert plan["title"] == "Cải cách hành chính nhà nước tỉnh Lạng Sơn năm 2026"
    assert (plan["signing_authority"], plan["signer_title"], plan["signer_name"]) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đoàn Thu Hà",
    )  # fmt: skip
    assert _outline(province) == [
        (1, "Công tác chỉ đạo, điều hành", 1, 2),
        (2, "Cải cách thủ tục hành chính", 2, 2),
        (3, "Cải cách tổ chức bộ máy", 1, 1),
        (4, "Cải cách chế độ công vụ", 1, 1),
        (5, "Cải cách tài chính công", 1, 1),
        (6, "Xây dựng chính quyền số", 1, 1),
    ]


def test_rates_by_level_become_one_indicator_per_level_reported_by_its_units(province):
    communes = _commune_level_units()
    departments = 2  # its own level: the departments directly under it
    assert _indicators(province) == [
        (1, 1, "rank", "lte", Decimal(30), "", "authority", 0),
        (2, 1, "ratio", "gte", Decimal(98), "cấp tỉnh", "units", departments),  # "tương ứng 98%, 95%"
        (2, 1, "ratio", "gte", Decimal(95), "cấp xã", "units", communes),
        (2, 2, "ratio", "gte", Decimal(100), "", "authority", 0),
        (3, 1, "milestone", "", None, "", "authority", 0),
        (4, 1, "ratio", "gte", Decimal(90), "", "units", communes),  # one rate, for cấp xã
        (5, 1, "ratio", "gte", Decimal(100), "", "authority", 0),  # "hoàn thành hoặc vượt"
        (6, 1, "ratio", "gt", Decimal(95), "cấp tỉnh", "units", departments),
        (6, 1, "ratio", "gt", Decimal(90), "cấp xã", "units", communes),
    ]
    assert "levels" not in _codes(province)


def test_an_annex_with_columns_in_another_order_under_a_row_of_column_numbers(province):
    assert _assignments(province) == {
        "1.1": ("S-NV", [], "2026-12-31", "", "Báo cáo kết quả kiểm tra"),  # "Quý IV/2026"
        "2.1": (None, ["S-KHCN", "S-NV"], "2026-06-30", "", "Quyết định phê duyệt phương án"),  # "6 tháng đầu năm"
        "6.1": ("S-KHCN", [], None, "", "Báo cáo vận hành"),  # "Sở KH&CN", "Thường xuyên"
    }
    unknown = [w["message"] for w in province.warnings if w["code"] == "unit_unknown"]
    assert unknown == ["Không có đơn vị “Văn phòng UBND tỉnh” trong cây đơn vị của UBND tỉnh Lạng Sơn."] * 2
    assert "annex_unmatched" not in _codes(province)


def test_a_provinces_responsibilities_name_departments_communes_and_wards(province):
    responsibilities = province.data["responsibilities"]
    assert responsibilities[0]["units"] == ["S-NV"]
    assert len(responsibilities[1]["units"]) == 2 + _commune_level_units()
    assert "P-DK" in responsibilities[1]["units"] and "T-HVT-VP" not in responsibilities[1]["units"]
