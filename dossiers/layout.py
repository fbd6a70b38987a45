"""The one documented column layout of a one-stop export (docs/dossiers.md, "File layout").

Headers are matched after normalising (case, diacritics, spacing, punctuation do
not matter) against each column's header and its common synonyms; column order
does not matter either.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def normalise(text: str) -> str:
    """'Giải quyết  ĐÚNG hạn' → 'giai quyet dung han': no case, no diacritics, single spaces."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def unit_name_key(name: str) -> str:
    """A unit's name as compared for an exact match: case and spacing ignored, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise  # as written in the template
    synonyms: tuple[str, ...] = ()
    required: bool = True  # a count column that must be in the file and filled in each row

    def names(self) -> set[str]:
        return {normalise(str(self.header)), *(normalise(s) for s in self.synonyms)}


UNIT_CODE = Column("unit_code", _("Mã đơn vị"), ("ma dv", "ma co quan", "ma don vi xu ly"), required=False)
UNIT_NAME = Column("unit_name", _("Tên đơn vị"), ("don vi", "co quan", "ten co quan", "co quan don vi"), False)
MONTH = Column("month", _("Tháng"), ("ky", "ky bao cao", "thang nam", "thang bao cao"), required=False)
RECEIVED_TOTAL = Column("received_total", _("Tổng số tiếp nhận trong kỳ"), ("tong tiep nhan",), False)
RESOLVED_TOTAL = Column("resolved_total", _("Tổng số đã giải quyết"), ("da giai quyet", "tong da giai quyet"), False)

COUNT_COLUMNS = (
    Column("carried_over", _("Từ kỳ trước chuyển sang"), ("ky truoc chuyen sang", "tu ky truoc", "ton ky truoc")),
    Column("received_online", _("Tiếp nhận trực tuyến"), ("truc tuyen", "nop truc tuyen", "so ho so truc tuyen")),
    Column("received_in_person", _("Tiếp nhận trực tiếp"), ("truc tiep", "nop truc tiep")),
    Column("received_by_post", _("Tiếp nhận qua bưu chính"), ("buu chinh", "qua buu chinh", "buu chinh cong ich")),
    Column("resolved_early", _("Giải quyết trước hạn"), ("truoc han", "da giai quyet truoc han")),
    Column("resolved_on_time", _("Giải quyết đúng hạn"), ("dung han", "da giai quyet dung han")),
    Column("resolved_late", _("Giải quyết quá hạn"), ("qua han", "tre han", "giai quyet tre han")),
    Column("pending_on_time", _("Đang giải quyết trong hạn"), ("dang giai quyet chua den han", "trong han")),
    Column("pending_overdue", _("Đang giải quyết quá hạn"), ("dang giai quyet tre han", "dang giai quyet qua han")),
    Column("awaiting_supplements", _("Chờ bổ sung"), ("cho bo sung ho so", "yeu cau bo sung", "bo sung")),
    Column("paused", _("Tạm dừng"), ("tam dung giai quyet", "dung giai quyet")),
    Column("withdrawn", _("Rút hồ sơ"), ("cong dan rut ho so", "da rut", "rut", "rut ho so")),
    Column("apologised", _("Quá hạn có phiếu xin lỗi"), ("phieu xin loi", "co phieu xin loi", "xin loi")),
    Column("dossiers_digitised", _("Hồ sơ được số hóa"), ("so hoa ho so", "ho so so hoa"), required=False),
    Column("results_digitised", _("Kết quả được số hóa"), ("so hoa ket qua", "ket qua so hoa"), required=False),
)
COLUMNS = (UNIT_CODE, UNIT_NAME, MONTH, RECEIVED_TOTAL, RESOLVED_TOTAL, *COUNT_COLUMNS)
BY_KEY = {column.key: column for column in COLUMNS}
# The template's order: who and when, then the counts, the two totals beside their parts.
TEMPLATE_ORDER = (
    "unit_code", "unit_name", "month", "carried_over", "received_online", "received_in_person", "received_by_post",
    "received_total", "resolved_early", "resolved_on_time", "resolved_late", "resolved_total", "pending_on_time",
    "pending_overdue", "awaiting_supplements", "paused", "withdrawn", "apologised", "dossiers_digitised",
    "results_digitised",
)  # fmt: skip
_BY_NAME = {name: column for column in COLUMNS for name in column.names()}


def column_for(header: object) -> Column | None:
    return None if header is None else _BY_NAME.get(normalise(str(header)))
