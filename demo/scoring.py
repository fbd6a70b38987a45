"""Demo scoring (issue 16): the 2024 PAR-index round of the district's offices and communes, finished,
and the current year's round, open for self-scoring, on a tree copied from 2024's.

The tree follows the shape in docs/domain.md (QĐ 2948/QĐ-BNV's areas: 10 + 10 + 14,5 + 11 +
16 + 7 + 16 + 15,5 survey = 100), with sub-criteria a district would use. Points are
deterministic (from the unit's position), so running the demo twice changes nothing.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parplan.models import Unit
from scoring.models import Method, Part, Score, ScoringRound, ScoringTree, Step, UnitGroup
from scoring.services import (
    CriterionInput,
    appraise,
    round_open,
    round_units,
    self_score,
    step_advance,
    survey_enter,
    tree_copy,
    tree_create,
)
from targets.models import Indicator

D = Decimal
AUTHORITY = "183"
YEAR = 2024


def _dossiers_on_time(authority: Unit) -> int | None:
    """The 2024 plan's indicator of dossiers resolved early or on time, reported by the units (its id)."""
    indicator = Indicator.objects.filter(
        area__plan__issuing_unit=authority, area__plan__year=YEAR, numerator_label="hồ sơ giải quyết trước và đúng hạn"
    ).first()
    return indicator.pk if indicator else None


# What a commune is scored on where its work differs from an office's (same codes and points; the
# provinces' published trees for communes name the village, the one-stop desk and the community).
_COMMUNE_ITEMS: dict[str, tuple[str, str]] = {
    "1.3": ("Tuyên truyền CCHC tại thôn, khối phố", "Có tuyên truyền trên loa truyền thanh và tại các cuộc họp thôn."),
    "2.1": ("Tự kiểm tra, rà soát văn bản của HĐND, UBND xã", ""),
    "3.1": ("Niêm yết, công khai thủ tục hành chính tại bộ phận một cửa của xã", ""),
    "4.1": ("Thực hiện quy định về thôn, tổ dân phố", "Sáp nhập, đặt tên thôn theo nghị quyết của HĐND tỉnh."),
    "5.1": ("Bố trí cán bộ, công chức cấp xã đúng số lượng, chức danh", ""),
    "6.1": ("Thu ngân sách xã và công khai tài chính", ""),
    "7.2": ("Hỗ trợ người dân nộp hồ sơ trực tuyến (tổ công nghệ số cộng đồng)", ""),
}


def _items(dossiers: int | None = None, group: str = UnitGroup.OFFICES) -> list[CriterionInput]:
    """Areas → criteria → sub-criteria; leaves carry the scoring rules. Communes get their own wording."""
    items = _office_items(dossiers)
    if group != UnitGroup.COMMUNES:
        return items
    return [
        replace(item, name=_COMMUNE_ITEMS[item.code][0], guidance=_COMMUNE_ITEMS[item.code][1] or item.guidance)
        if item.code in _COMMUNE_ITEMS
        else item
        for item in items
    ]


def _office_items(dossiers: int | None) -> list[CriterionInput]:
    c = CriterionInput
    return [
        c("1", "Công tác chỉ đạo, điều hành CCHC", D(10)),
        c("1.1", "Kế hoạch CCHC năm", D(3), "1"),
        c(
            "1.1.1",
            "Ban hành kế hoạch CCHC năm đúng thời hạn",
            D(1.5),
            "1.1",
            method=Method.CHOICES,
            choices="1.5|Ban hành đúng hạn\n0.5|Ban hành chậm\n0|Không ban hành",
            evidence_required=True,
        ),
        c(
            "1.1.2",
            "Mức độ thực hiện kế hoạch CCHC (tỷ lệ nhiệm vụ hoàn thành đúng hạn)",
            D(1.5),
            "1.1",
            method=Method.RATIO,
            ratio_full=D(100),
            source="tasks",
            guidance="Hoàn thành 100% nhiệm vụ đúng hạn: 1,5 điểm; dưới 100%: điểm tính theo tỷ lệ.",
        ),
        c("1.2", "Báo cáo CCHC định kỳ", D(3), "1"),
        c(
            "1.2.1",
            "Gửi số liệu, báo cáo đúng hạn",
            D(3),
            "1.2",
            method=Method.RATIO,
            ratio_full=D(100),
            source="units",
        ),
        c("1.3", "Tuyên truyền CCHC", D(2), "1", method=Method.FREE),
        c("1.4", "Sáng kiến, giải pháp mới trong CCHC", D(2), "1", method=Method.FREE),
        c("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", D(10)),
        c("2.1", "Rà soát, hệ thống hóa văn bản", D(5), "2", method=Method.FREE),
        c("2.2", "Kiểm tra, xử lý văn bản sau kiểm tra", D(5), "2", method=Method.FREE),
        c("3", "Cải cách thủ tục hành chính", D(14.5)),
        c("3.1", "Công khai thủ tục hành chính", D(4.5), "3", method=Method.FREE),
        c(
            "3.2",
            "Tỷ lệ hồ sơ giải quyết đúng hạn",
            D(6),
            "3",
            method=Method.RATIO,
            ratio_full=D(99),
            indicator_id=dossiers,
            guidance="Từ 99% hồ sơ giải quyết trước và đúng hạn: 6 điểm; dưới 99%: điểm tính theo tỷ lệ.",
        ),
        c(
            "3.3",
            "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi tổ chức, cá nhân",
            D(4),
            "3",
            method=Method.RATIO,
            ratio_full=D(100),
            guidance="Đơn vị nhập số hồ sơ trễ hạn đã xin lỗi và tổng số hồ sơ trễ hạn; 100%: 4 điểm.",
        ),
        c("4", "Cải cách tổ chức bộ máy", D(11)),
        c("4.1", "Thực hiện quy định về tổ chức bộ máy", D(6), "4", method=Method.FREE),
        c("4.2", "Xử lý sau thanh tra, kiểm tra", D(5), "4", method=Method.RATIO, source="insp_law"),
        c("5", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức", D(16)),
        c("5.1", "Vị trí việc làm và cơ cấu ngạch", D(6), "5", method=Method.FREE),
        c("5.2", "Đào tạo, bồi dưỡng", D(5), "5", method=Method.FREE),
        c("5.3", "Kỷ luật, kỷ cương hành chính", D(5), "5", method=Method.FREE),
        c("6", "Cải cách tài chính công", D(7)),
        c("6.1", "Giải ngân vốn đầu tư công", D(4), "6", method=Method.FREE),
        c("6.2", "Tự chủ tài chính", D(3), "6", method=Method.FREE),
        c("7", "Hiện đại hóa hành chính", D(16)),
        c("7.1", "Ứng dụng công nghệ thông tin", D(8), "7", method=Method.FREE),
        c("7.2", "Dịch vụ công trực tuyến", D(8), "7", method=Method.FREE),
        c("8", "Tác động của CCHC (điều tra xã hội học)", D(15.5)),
        c("8.1", "Sự hài lòng của người dân, tổ chức", D(15.5), "8", method=Method.FREE, is_survey=True),
        c("T", "Điểm thưởng: mô hình, sáng kiến được cấp trên công nhận", D(2), part=Part.BONUS, method=Method.FREE),
        c("P", "Điểm trừ: vi phạm kỷ luật, kỷ cương hành chính", D(3), part=Part.PENALTY, method=Method.FREE),
    ]


def _pdf() -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile("ke-hoach-cchc.pdf", buffer.getvalue(), content_type="application/pdf")


def _share(unit: Unit, salt: int) -> Decimal:
    """A unit's share of an item's maximum, 0,60 to 1,00, fixed by its code."""
    digits = sum(ord(ch) * (i + 1) for i, ch in enumerate(unit.code))
    return D(60 + (digits * 7 + salt * 13) % 41) / 100


def _finish_2024(tree: ScoringTree) -> None:
    secretariat = get_user_model().objects.get(username="noivu")
    heads = {unit.pk: unit for unit in round_units(tree)}
    scoring_round = round_open(
        tree=tree,
        self_until=datetime.date(2025, 1, 15),
        appraisal_until=datetime.date(2025, 1, 31),
        explanation_until=datetime.date(2025, 2, 10),
        final_until=datetime.date(2025, 2, 20),
        user=secretariat,
    )
    scores = list(Score.objects.filter(round=scoring_round).select_related("criterion", "unit"))
    day = datetime.date(2025, 1, 10)
    for score in scores:
        item = score.criterion
        if item.is_survey:
            continue
        if item.evidence_required and score.unit.code != "06184":
            continue  # only Đồng Đăng sent its plan; the others get no points for it
        points: Decimal | None
        if item.method == Method.CHOICES:
            points = max(item.choice_points())
        elif item.part == Part.PENALTY:
            points = D(1) if _share(score.unit, item.position) < D("0.65") else D(0)
        else:
            points = (item.max_points * _share(score.unit, item.position)).quantize(D("0.01"))
        ratio = None
        if item.method == Method.RATIO and score.suggested_points is not None:
            points = score.suggested_points
        elif item.method == Method.RATIO:
            # No record of the portal counts it for 2024: the unit gives its figures (61 of 100, 3 of 4).
            share = Fraction(_share(score.unit, item.position))
            ratio = (D(share.numerator), D(share.denominator))
            points = None  # the portal computes them from the figures
        uploads = [_pdf()] if item.evidence_required else []
        self_score(
            score=score,
            points=points,
            ratio=ratio,
            comment="Đơn vị tự chấm theo kết quả thực hiện năm 2024.",
            uploads=uploads,
            user=None,
            today=day,
        )
    scoring_round = step_advance(scoring_round=scoring_round, user=secretariat)
    day = datetime.date(2025, 1, 25)
    for score in Score.objects.filter(round=scoring_round).select_related("criterion", "unit"):
        if score.criterion.is_survey:
            continue
        if score.self_points is None:
            appraise(score=score, points=D(0), comment="Không có tài liệu kiểm chứng.", user=secretariat, today=day)
        elif score.criterion.code == "2.1" and score.self_points > D(4):
            appraise(
                score=score, points=D(4), comment="Chưa rà soát đủ văn bản hết hiệu lực.", user=secretariat, today=day
            )
    scoring_round = step_advance(scoring_round=scoring_round, user=secretariat)
    scoring_round = step_advance(scoring_round=scoring_round, user=secretariat)
    day = datetime.date(2025, 2, 15)
    for unit in heads.values():
        survey_enter(
            scoring_round=scoring_round,
            unit=unit,
            points={"8.1": (D("15.5") * _share(unit, 99)).quantize(D("0.01"))},
            user=secretariat,
        )
    step_advance(scoring_round=scoring_round, user=secretariat)
    del day


def demo_scoring_load() -> int:
    """The demo's scoring rounds; returns how many it created (0 when they are there already)."""
    authority = Unit.objects.get(code=AUTHORITY)
    secretariat = get_user_model().objects.get(username="noivu")
    created = 0
    today = timezone.localdate()
    for group, title in ((UnitGroup.OFFICES, "cơ quan chuyên môn"), (UnitGroup.COMMUNES, "xã, thị trấn")):
        tree = ScoringTree.objects.filter(authority=authority, year=YEAR, group=group).first()
        if tree is None:
            tree = tree_create(
                authority=authority,
                year=YEAR,
                group=group,
                title=f"Bộ tiêu chí Chỉ số CCHC {title} năm {YEAR}",
                items=_items(_dossiers_on_time(authority), group),
                bonus_cap=D(2),
                penalty_cap=D(3),
                user=secretariat,
            )
            _finish_2024(tree)
            created += 1
        if (
            today.year > YEAR
            and not ScoringTree.objects.filter(authority=authority, year=today.year, group=group).exists()
        ):
            current = tree_copy(tree=tree, year=today.year, user=secretariat)
            round_open(
                tree=current,
                self_until=today + datetime.timedelta(days=20),
                appraisal_until=today + datetime.timedelta(days=35),
                explanation_until=today + datetime.timedelta(days=45),
                final_until=today + datetime.timedelta(days=55),
                user=secretariat,
            )
            created += 1
    return created


__all__ = ["demo_scoring_load", "ScoringRound", "Step"]
