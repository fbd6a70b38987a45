"""Three plans of the shapes authorities issue since July 2025, with the unit trees they name.

Each is written the way its kind of authority writes (docs/domain.md): a
commune's ("1.1. Mục tiêu / 1.2. Nhiệm vụ", "(1)" targets, "-" tasks with a
label over "+" items, an annex table), a department's (its header naming the
province above it, "a) Mục tiêu:" inline, several rates in one sentence, "(1)"
tasks that name their units in brackets, a funding part, a skipped number), and
a province's ("tương ứng" rates by level, "+" tasks, an annex whose columns are
in another order under a row of column numbers).
"""

from __future__ import annotations

from parplan.models import Unit, UnitKind
from parplan.services import unit_kind_upsert, unit_upsert
from tests.planio.documents import Part, docx_bytes

HEADER_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def _kind(code: str, name: str, level: str) -> UnitKind:
    return unit_kind_upsert(code=code, name=name, administrative_level=level)


def _units(parent: Unit, kind: UnitKind, names: dict[str, str]) -> dict[str, Unit]:
    return {code: unit_upsert(code=code, name=name, kind=kind, parent=parent) for code, name in names.items()}


# --- A commune -------------------------------------------------------------------------


def commune_tree() -> Unit:
    province = Unit.objects.get(code="20")
    commune = unit_upsert(
        code="T-HVT", name="UBND xã Hoàng Văn Thụ", kind=_kind("commune", "Xã", "cấp xã"), parent=province
    )
    _units(commune, _kind("commune_office", "Cơ quan chuyên môn cấp xã", "cấp xã"), {
        "T-HVT-VP": "Văn phòng HĐND và UBND", "T-HVT-KT": "Phòng Kinh tế", "T-HVT-VHXH": "Phòng Văn hóa - Xã hội",
    })  # fmt: skip
    _units(commune, _kind("service_centre", "Trung tâm phục vụ hành chính công", "cấp xã"), {
        "T-HVT-PVHCC": "Trung tâm Phục vụ hành chính công",
    })  # fmt: skip
    return commune


COMMUNE_PLAN: list[Part] = [
    ([["UBND XÃ HOÀNG VĂN THỤ", HEADER_MOTTO], ["Số: 15/KH-UBND", "Hoàng Văn Thụ, ngày 20 tháng 01 năm 2026"]],),
    "KẾ HOẠCH",
    "Cải cách hành chính xã Hoàng Văn Thụ năm 2026",
    "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2026 của UBND tỉnh Lạng Sơn về cải cách hành chính năm 2026;",
    "UBND xã ban hành Kế hoạch cải cách hành chính năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Nâng cao chất lượng phục vụ người dân, doanh nghiệp của chính quyền xã sau sắp xếp.",
    "2. Yêu cầu",
    "Các nhiệm vụ phải cụ thể, có sản phẩm và thời hạn hoàn thành.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "1. Công tác chỉ đạo, điều hành",
    "1.1. Mục tiêu",
    "(1) Chỉ số CCHC của xã năm 2026 nằm trong nhóm 20 xã, phường có chỉ số cao nhất tỉnh.",
    "1.2. Nhiệm vụ",
    "- Ban hành kế hoạch kiểm tra công tác CCHC năm 2026; kiểm tra ít nhất 50% các thôn.",
    "- Tuyên truyền về cải cách hành chính:",
    "+ Đăng tin, bài trên Trang thông tin điện tử của xã;",
    "+ Tổ chức hội nghị đối thoại với Nhân dân.",
    "- Tổng hợp, báo cáo kết quả CCHC hằng quý.",
    "2. Cải cách thể chế",
    "2.1. Mục tiêu",
    "(1) 100% văn bản quy phạm pháp luật của xã được ban hành đúng trình tự, thủ tục.",
    "2.2. Nhiệm vụ",
    "- Rà soát, hệ thống hóa văn bản quy phạm pháp luật của HĐND, UBND xã.",
    "3. Cải cách thủ tục hành chính",
    "3.1. Mục tiêu",
    "(1) Trên 98% hồ sơ TTHC được giải quyết đúng hạn;",
    "(2) Tối thiểu 80% hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình.",
    "3.2. Nhiệm vụ",
    "- Niêm yết, công khai đầy đủ TTHC tại Trung tâm Phục vụ hành chính công xã.",
    "- Số hóa hồ sơ, kết quả giải quyết TTHC theo quy định.",
    "4. Cải cách tổ chức bộ máy",
    "4.1. Mục tiêu",
    "(1) Hoàn thành sắp xếp thôn, tổ dân phố theo Nghị quyết của HĐND tỉnh trước ngày 30/6/2026.",
    "4.2. Nhiệm vụ",
    "- Rà soát chức năng, nhiệm vụ của các phòng chuyên môn sau sắp xếp.",
    "5. Cải cách chế độ công vụ",
    "5.1. Mục tiêu",
    "(1) 100% cán bộ, công chức được đánh giá, xếp loại hằng tháng.",
    "5.2. Nhiệm vụ",
    "- Tổ chức ít nhất 02 lớp bồi dưỡng kỹ năng số cho cán bộ, công chức.",
    "6. Xây dựng chính quyền điện tử, chính quyền số",
    "6.1. Mục tiêu",
    "(1) 100% văn bản đi, đến được xử lý trên môi trường mạng (trừ văn bản mật).",
    "6.2. Nhiệm vụ",
    "- Duy trì hệ thống quản lý văn bản và điều hành.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng HĐND và UBND xã",
    "Tham mưu UBND xã theo dõi, đôn đốc thực hiện Kế hoạch; tổng hợp báo cáo định kỳ.",
    "2. Các phòng chuyên môn; Trung tâm Phục vụ hành chính công xã",
    "Căn cứ Kế hoạch này triển khai thực hiện các nhiệm vụ được giao.",
    "Trên đây là Kế hoạch cải cách hành chính năm 2026 của UBND xã Hoàng Văn Thụ./.",
    (
        [
            [
                "Nơi nhận:\n- UBND tỉnh;\n- Sở Nội vụ;\n- Lưu: VT.",
                "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n(Đã ký)\nHoàng Văn Minh",
            ]
        ],
    ),
    "PHỤ LỤC",
    "NHIỆM VỤ TRỌNG TÂM CẢI CÁCH HÀNH CHÍNH NĂM 2026",
    (
        [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
            ["I", "Công tác chỉ đạo, điều hành", "", "", "", ""],
            [
                "1",
                "Ban hành kế hoạch kiểm tra công tác CCHC năm 2026",
                "Văn phòng HĐND và UBND",
                "Phòng VH-XH",
                "Quý I/2026",
                "Kế hoạch kiểm tra",
            ],
            ["2", "Đăng tin, bài trên Trang thông tin điện tử của xã", "Phòng VH&XH", "", "Thường xuyên", "Tin, bài"],
            ["II", "Cải cách thủ tục hành chính", "", "", "", ""],
            [
                "3",
                "Niêm yết, công khai đầy đủ TTHC tại Trung tâm Phục vụ hành chính công xã",
                "Trung tâm PVHCC",
                "Các phòng chuyên môn",
                "trước 30/6/2026",
                "Danh mục TTHC niêm yết",
            ],
            [
                "4",
                "Số hóa hồ sơ, kết quả giải quyết TTHC theo quy định",
                "TT PVHCC",
                "Văn phòng HĐND và UBND",
                "Hằng tháng",
                "Báo cáo số hóa",
            ],
            [
                "5",
                "Khảo sát sự hài lòng của người dân đối với Trung tâm",
                "Trung tâm PVHCC",
                "",
                "Tháng 11",
                "Báo cáo kết quả khảo sát",
            ],
        ],
    ),  # fmt: skip
]


def commune_docx() -> bytes:
    return docx_bytes(COMMUNE_PLAN)


# --- A department -------------------------------------------------------------------------


def department_tree() -> Unit:
    province = Unit.objects.get(code="20")
    department = unit_upsert(code="S-NV", name="Sở Nội vụ", kind=_kind("department", "Sở", "cấp tỉnh"), parent=province)
    _units(department, _kind("department_office", "Phòng thuộc Sở", "cấp tỉnh"), {
        "S-NV-VP": "Văn phòng Sở", "S-NV-CCHC": "Phòng Cải cách hành chính", "S-NV-TCBC": "Phòng Tổ chức biên chế",
        "S-NV-TTR": "Thanh tra Sở",
    })  # fmt: skip
    _units(department, _kind("department_unit", "Đơn vị thuộc Sở", "cấp tỉnh"), {
        "S-NV-LT": "Trung tâm Lưu trữ lịch sử",
    })  # fmt: skip
    return department


DEPARTMENT_PLAN: list[Part] = [
    ([["UBND TỈNH LẠNG SƠN\nSỞ NỘI VỤ", HEADER_MOTTO], ["Số: 08/KH-SNV", "Lạng Sơn, ngày 12 tháng 01 năm 2026"]],),
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026",
    "Căn cứ Kế hoạch số 12/KH-UBND ngày 10/01/2026 của UBND tỉnh Lạng Sơn về cải cách hành chính năm 2026, "
    "Sở Nội vụ xây dựng Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "- Triển khai kịp thời, đầy đủ các nhiệm vụ CCHC của tỉnh giao cho Sở.",
    "- Gắn trách nhiệm của người đứng đầu với kết quả CCHC của phòng, đơn vị.",
    "II. NHIỆM VỤ TRỌNG TÂM",
    "1. Cải cách thể chế",
    "a) Mục tiêu: 100% văn bản do Sở tham mưu được thẩm định, kiểm tra trước khi ban hành.",
    "b) Nhiệm vụ, giải pháp",
    "(1) Rà soát văn bản quy phạm pháp luật thuộc lĩnh vực nội vụ.",
    "(2) Tham mưu ban hành quy định phân cấp quản lý công chức, viên chức.",
    "2. Cải cách thủ tục hành chính",
    "a) Mục tiêu",
    "Phấn đấu 100% hồ sơ TTHC thuộc thẩm quyền của Sở được giải quyết đúng hạn, tối thiểu 80% hồ sơ được tiếp "
    "nhận trực tuyến toàn trình và không quá 2% hồ sơ phải yêu cầu bổ sung quá một lần.",
    "b) Nhiệm vụ, giải pháp",
    "(1) Công bố, công khai TTHC thuộc thẩm quyền của Sở (Chủ trì: Phòng Cải cách hành chính; phối hợp: Văn phòng "
    "Sở; thời gian: Quý II/2026).",
    "(2) Kiểm tra việc giải quyết TTHC tại ít nhất 30% các phòng, đơn vị thuộc Sở như năm 2025.",
    "4. Cải cách chế độ công vụ",
    "a) Mục tiêu",
    "- 100% công chức, viên chức của Sở được bồi dưỡng kiến thức, kỹ năng theo vị trí việc làm.",
    "b) Nhiệm vụ, giải pháp",
    "(1) Tổ chức bồi dưỡng kỹ năng số cho công chức, viên chức (Chủ trì: Phòng Tổ chức biên chế; thời gian: Tháng 9).",
    "5. Chuyển đổi số",
    "a) Mục tiêu",
    "- Ban hành ít nhất 03 văn bản hướng dẫn về số hóa hồ sơ lưu trữ.",
    "b) Nhiệm vụ, giải pháp",
    "(1) Số hóa tài liệu lưu trữ lịch sử (Chủ trì: TT Lưu trữ lịch sử; thời gian: trước ngày 15/11/2026).",
    "III. KINH PHÍ THỰC HIỆN",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước giao cho Sở năm 2026.",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Phòng Cải cách hành chính",
    "Tham mưu Giám đốc Sở theo dõi, đôn đốc và báo cáo kết quả thực hiện Kế hoạch.",
    "2. Các phòng, đơn vị thuộc Sở",
    "Chủ động triển khai các nhiệm vụ được giao; báo cáo kết quả trước ngày 15 tháng cuối quý.",
    "Trên đây là Kế hoạch cải cách hành chính năm 2026 của Sở Nội vụ./.",
    "Nơi nhận:",
    "- UBND tỉnh (b/c);",
    "- Lưu: VT, CCHC.",
    "GIÁM ĐỐC",
    "Lê Thị Hoa",
]


def department_docx() -> bytes:
    return docx_bytes(DEPARTMENT_PLAN)


# --- A province -------------------------------------------------------------------------


def province_tree() -> Unit:
    province = Unit.objects.get(code="20")
    department_tree()
    commune_tree()
    unit_upsert(code="S-KHCN", name="Sở Khoa học và Công nghệ", kind=_kind("department", "Sở", "cấp tỉnh"),
                parent=province)  # fmt: skip
    unit_upsert(code="P-DK", name="UBND phường Đông Kinh", kind=_kind("ward", "Phường", "cấp xã"), parent=province)
    return province


PROVINCE_PLAN: list[Part] = [
    ([["UBND TỈNH LẠNG SƠN", HEADER_MOTTO], ["Số: 12/KH-UBND", "Lạng Sơn, ngày 10 tháng 01 năm 2026"]],),
    "KẾ HOẠCH",
    "Cải cách hành chính nhà nước tỉnh Lạng Sơn",
    "năm 2026",
    "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Xây dựng nền hành chính phục vụ, chuyên nghiệp sau khi sắp xếp đơn vị hành chính hai cấp.",
    "2. Yêu cầu",
    "Bám sát chỉ đạo của Chính phủ; phân công rõ cơ quan chủ trì, thời hạn, sản phẩm.",
    "II. NHIỆM VỤ, GIẢI PHÁP",
    "1. Công tác chỉ đạo, điều hành",
    "a) Chỉ tiêu",
    "- Chỉ số CCHC của tỉnh năm 2026 thuộc nhóm 30 tỉnh, thành phố có chỉ số cao nhất cả nước.",
    "b) Nhiệm vụ, giải pháp",
    "+ Kiểm tra công tác CCHC tại tối thiểu 30% cơ quan chuyên môn thuộc UBND tỉnh.",
    "+ Đánh giá, xác định Chỉ số CCHC của các sở, ban, ngành và UBND các xã, phường.",
    "2. Cải cách thủ tục hành chính",
    "a) Chỉ tiêu",
    "- Tỷ lệ hồ sơ TTHC được giải quyết đúng hạn của cấp tỉnh, cấp xã đạt tối thiểu tương ứng 98%, 95%.",
    "- 100% TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến toàn trình.",
    "b) Nhiệm vụ, giải pháp",
    "+ Rà soát, đơn giản hóa TTHC nội bộ giữa các cơ quan hành chính nhà nước.",
    "+ Nâng cao chất lượng hoạt động của Trung tâm Phục vụ hành chính công tỉnh.",
    "3. Cải cách tổ chức bộ máy",
    "a) Chỉ tiêu",
    "Hoàn thành sắp xếp các đơn vị sự nghiệp công lập theo kế hoạch của tỉnh.",
    "b) Nhiệm vụ, giải pháp",
    "+ Kiện toàn tổ chức bộ máy các cơ quan chuyên môn sau hợp nhất.",
    "4. Cải cách chế độ công vụ",
    "a) Chỉ tiêu",
    "- 90% cán bộ, công chức cấp xã có trình độ đại học trở lên.",
    "b) Nhiệm vụ, giải pháp",
    "+ Tổ chức thi tuyển công chức theo vị trí việc làm.",
    "5. Cải cách tài chính công",
    "a) Chỉ tiêu",
    "- Thu ngân sách nhà nước trên địa bàn hoàn thành hoặc vượt dự toán được giao.",
    "b) Nhiệm vụ, giải pháp",
    "+ Đẩy mạnh giải ngân vốn đầu tư công.",
    "6. Xây dựng chính quyền số",
    "a) Chỉ tiêu",
    "- Trên 95% hồ sơ công việc tại cấp tỉnh và trên 90% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.",
    "b) Nhiệm vụ, giải pháp",
    "+ Vận hành Trung tâm điều hành thông minh của tỉnh.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ",
    "- Tham mưu UBND tỉnh theo dõi, kiểm tra việc thực hiện Kế hoạch.",
    "- Tổng hợp báo cáo CCHC định kỳ.",
    "2. Các sở, ban, ngành; UBND các xã, phường",
    "Xây dựng kế hoạch CCHC của cơ quan, đơn vị và tổ chức thực hiện.",
    "Trên đây là Kế hoạch cải cách hành chính nhà nước tỉnh Lạng Sơn năm 2026./.",
    "Nơi nhận:",
    "- Bộ Nội vụ;",
    "- Lưu: VT, NC.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Đoàn Thu Hà",
    "PHỤ LỤC",
    (
        [
            ["TT", "Nhiệm vụ", "Sản phẩm", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [
                "1",
                "Kiểm tra công tác CCHC tại tối thiểu 30% cơ quan chuyên môn",
                "Báo cáo kết quả kiểm tra",
                "Sở Nội vụ",
                "Văn phòng UBND tỉnh",
                "Quý IV/2026",
            ],
            [
                "2",
                "Rà soát, đơn giản hóa TTHC nội bộ",
                "Quyết định phê duyệt phương án",
                "Văn phòng UBND tỉnh",
                "Các sở, ban, ngành",
                "6 tháng đầu năm",
            ],
            ["3", "Vận hành Trung tâm điều hành thông minh", "Báo cáo vận hành", "Sở KH&CN", "", "Thường xuyên"],
        ],
    ),  # fmt: skip
]


def province_docx() -> bytes:
    return docx_bytes(PROVINCE_PLAN)
