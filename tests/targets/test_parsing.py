"""Reading indicators out of target statements, on the seed plan's own sentences."""

from __future__ import annotations

from decimal import Decimal

from targets.parsing import parse_target

# Target statements of the 2024 Cao Lộc plan, as written.
PAR_INDEX = "Chỉ số cải CCHC (PAR INDEX) năm 2024 của UBND huyện nằm trong nhóm 06 huyện, thành phố có chỉ số cao nhất."
CUT_RULES = (
    "Rà soát, đề xuất cắt giảm, đơn giản hóa tối thiểu 20% số quy định và cắt giảm tối thiểu 20% chi phí tuân thủ "
    "quy định liên quan đến hoạt động kinh doanh tại các văn bản đang có hiệu lực thi hành tính đến hết ngày 31/5/2020."
)
CUT_TIME = (
    "Rà soát, cắt giảm tối thiểu 30% thời gian thực hiện đối với các thủ tục hành chính (TTHC) có quy định về thời "
    "hạn giải quyết từ 03 ngày trở lên."
)
ON_TIME = (
    "Trên 99% tỷ lệ hồ sơ TTHC do cơ quan chuyên môn, UBND cấp xã tiếp nhận trong năm được giải quyết đúng hạn và "
    "trước hạn."
)
LAWFUL_DOCUMENTS = "100% văn bản văn bản quy phạm pháp luật (QPPL) được ban hành đúng trình tự, thủ tục, thẩm quyền;"
STAFF_DEGREES = (
    "Xây dựng đội ngũ cán bộ, công chức, viên chức có cơ cấu hợp lý, đáp ứng tiêu chuẩn chức danh, vị trí việc làm "
    "theo quy định; 95% cán bộ, công chức có trình độ đại học trở lên; 60% viên chức có trình độ đại học trở lên; "
    "80% cán bộ, công chức cấp xã có trình độ đại học trở lên;"
)
DISBURSEMENT = "Tỷ lệ thực hiện Kế hoạch giải ngân kế hoạch vốn ngân sách nhà nước đạt ít nhất 70% kế hoạch được giao."
REPORTING = "Chấp hành chế độ báo cáo công tác tài chính - ngân sách theo quy định."
REVENUE = (
    "Thực hiện thu ngân sách hàng năm của huyện theo Kế hoạch được UBND tỉnh giao "
    "(*hoàn thành hoặc vượt chỉ tiêu được giao*)"
)
ONLINE_FILES = (
    "85% hồ sơ công việc tại cấp huyện và 60% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng "
    "(trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)."
)
DIGITISATION = (
    "Số hóa hồ sơ, kết quả giải quyết còn hiệu lực và có giá trị tái sử dụng thuộc thẩm quyền giải quyết của cấp "
    "huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng 90%, 80%, 75%."
)
APPARATUS = (
    "Hoàn thành chỉ tiêu sắp xếp tổ chức bộ máy, biên chế năm 2024 của các tổ chức hành chính, đơn vị sự nghiệp "
    "công lập trên địa bàn huyện giai đoạn 2022-2025 theo Quyết định số 2007/QĐ-UBND ngày 20/12/2022 của UBND tỉnh."
)


def _rules(text: str) -> list[tuple[str, Decimal | None, str]]:
    return [(i.comparator, i.threshold, i.applies_to_level) for i in parse_target(text).indicators]


# --- Comparators ---------------------------------------------------------------------


def test_tren_99_percent_is_strictly_greater_than_99():
    assert _rules(ON_TIME) == [("gt", Decimal(99), "")]


def test_toi_thieu_is_at_least():
    assert _rules(CUT_TIME) == [("gte", Decimal(30), "")]


def test_it_nhat_is_at_least():
    assert _rules(DISBURSEMENT) == [("gte", Decimal(70), "")]


def test_a_bare_percentage_is_at_least():
    assert _rules(LAWFUL_DOCUMENTS) == [("gte", Decimal(100), "")]


def test_khong_qua_is_at_most():
    assert _rules("Tỷ lệ hồ sơ trễ hạn không quá 2%.") == [("lte", Decimal(2), "")]


def test_a_decimal_comma_is_read_as_a_decimal_point():
    assert _rules("Trên 99,5% hồ sơ được giải quyết đúng hạn.") == [("gt", Decimal("99.5"), "")]


def test_percentages_are_ratios_in_percent():
    indicator = parse_target(ON_TIME).indicators[0]
    assert (indicator.kind, indicator.unit_of_measure) == ("ratio", "%")


# --- Several indicators in one statement ---------------------------------------------------


def test_area_five_staff_target_holds_three_indicators():
    assert _rules(STAFF_DEGREES) == [
        ("gte", Decimal(95), ""),
        ("gte", Decimal(60), ""),
        ("gte", Decimal(80), "cấp xã"),
    ]


def test_each_of_several_indicators_is_named_by_its_own_clause():
    names = [i.name for i in parse_target(STAFF_DEGREES).indicators]
    assert names == [
        "95% cán bộ, công chức có trình độ đại học trở lên",
        "60% viên chức có trình độ đại học trở lên",
        "80% cán bộ, công chức cấp xã có trình độ đại học trở lên",
    ]


def test_area_seven_online_files_target_holds_one_indicator_per_level():
    assert _rules(ONLINE_FILES) == [("gte", Decimal(85), "cấp huyện"), ("gte", Decimal(60), "cấp xã")]


def test_a_single_rate_naming_commune_level_among_others_applies_to_the_whole_authority():
    # "cơ quan chuyên môn, UBND cấp xã" covers both levels with one rate.
    assert _rules(ON_TIME)[0][2] == ""


def test_two_rates_joined_by_va_make_two_indicators():
    assert _rules(CUT_RULES) == [("gte", Decimal(20), ""), ("gte", Decimal(20), "")]


def test_digitisation_target_yields_three_rates_for_two_levels():
    assert _rules(DIGITISATION) == [
        ("gte", Decimal(90), "cấp huyện"),
        ("gte", Decimal(80), "cấp xã"),
        ("gte", Decimal(75), ""),
    ]


def test_digitisation_target_warns_that_three_rates_name_two_levels():
    warnings = parse_target(DIGITISATION).warnings
    assert len(warnings) == 1
    assert "3 tỷ lệ cho 2 cấp" in warnings[0]


def test_the_rate_beyond_the_levels_listed_is_named_without_a_placeholder():
    """Found in the Quý III report: "… tương ứng 75% (chưa rõ cấp)", a parser's placeholder printed in the
    official annex; the rate is named by its statement and figure alone, the warning asks which level it is."""
    names = [indicator.name for indicator in parse_target(DIGITISATION).indicators]
    head = names[2].removesuffix(" 75%")
    assert [name.removeprefix(head) for name in names] == [" 90% (cấp huyện)", " 80% (cấp xã)", " 75%"]
    assert not any("chưa rõ" in name for name in names)


def test_a_rate_per_listed_level_draws_no_warning():
    text = "Số hóa hồ sơ của cấp huyện, cấp xã đạt tỷ lệ tối thiểu tương ứng 90%, 80%."
    result = parse_target(text)
    assert result.warnings == []
    assert [(i.threshold, i.applies_to_level) for i in result.indicators] == [
        (Decimal(90), "cấp huyện"),
        (Decimal(80), "cấp xã"),
    ]


def test_a_plain_target_draws_no_warning():
    assert parse_target(STAFF_DEGREES).warnings == []


# --- Milestones, ranks, meet-or-exceed --------------------------------------------------------


def test_a_qualitative_target_is_one_milestone_without_threshold():
    indicators = parse_target(REPORTING).indicators
    assert len(indicators) == 1
    assert (indicators[0].kind, indicators[0].comparator, indicators[0].threshold) == ("milestone", "", None)


def test_a_milestone_is_named_by_the_whole_statement():
    assert parse_target(REPORTING).indicators[0].name == REPORTING.rstrip(".")


def test_par_index_target_is_a_rank_of_at_most_six():
    indicators = parse_target(PAR_INDEX).indicators
    assert [(i.kind, i.comparator, i.threshold) for i in indicators] == [("rank", "lte", Decimal(6))]


def test_hoan_thanh_hoac_vuot_is_a_ratio_of_at_least_100():
    indicators = parse_target(REVENUE).indicators
    assert [(i.kind, i.comparator, i.threshold, i.unit_of_measure) for i in indicators] == [
        ("ratio", "gte", Decimal(100), "%")
    ]


def test_asterisks_of_emphasis_are_dropped_from_the_name():
    assert "*" not in parse_target(REVENUE).indicators[0].name


# --- Numbers that are not thresholds -------------------------------------------------------------


def test_a_date_is_not_taken_for_a_threshold():
    thresholds = [threshold for _, threshold, _ in _rules(CUT_RULES)]
    assert Decimal(31) not in thresholds
    assert Decimal(5) not in thresholds
    assert Decimal(2020) not in thresholds


def test_a_number_of_days_is_not_taken_for_a_threshold():
    assert [threshold for _, threshold, _ in _rules(CUT_TIME)] == [Decimal(30)]


def test_a_decision_number_and_years_do_not_make_a_milestone_measurable():
    indicators = parse_target(APPARATUS).indicators
    assert [(i.kind, i.threshold) for i in indicators] == [("milestone", None)]
