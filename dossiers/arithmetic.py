"""The arithmetic a month's counts must satisfy (docs/dossiers.md, "Checks").

A file that breaks any of them is not imported: the one-stop system's totals
would disagree with themselves, and the indicators computed from them too.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

Counts = Mapping[str, int | None]
Problem = tuple[str, str]  # (column key, message)


def arithmetic_problems(counts: Counts, *, received_total: int | None, resolved_total: int | None) -> list[Problem]:
    """Each check `counts` fails; `*_total` are the file's own totals, when it has those columns."""
    c = {key: value or 0 for key, value in counts.items()}
    received = c["received_online"] + c["received_in_person"] + c["received_by_post"]
    resolved = c["resolved_early"] + c["resolved_on_time"] + c["resolved_late"]
    handled = resolved + c["pending_on_time"] + c["pending_overdue"] + c["awaiting_supplements"] + c["paused"]
    handled += c["withdrawn"]
    problems: list[Problem] = []
    if received_total is not None and received_total != received:
        message = _("Tổng tiếp nhận (%(total)d) khác trực tuyến + trực tiếp + bưu chính (%(sum)d).")
        problems.append(("received_total", message % {"total": received_total, "sum": received}))
    if resolved_total is not None and resolved_total != resolved:
        message = _("Tổng đã giải quyết (%(total)d) khác trước hạn + đúng hạn + quá hạn (%(sum)d).")
        problems.append(("resolved_total", message % {"total": resolved_total, "sum": resolved}))
    if c["carried_over"] + received != handled:
        message = _(
            "Số hồ sơ không khớp: kỳ trước chuyển sang + tiếp nhận (%(in)d) phải bằng đã giải quyết + đang giải"
            " quyết + chờ bổ sung + tạm dừng + rút hồ sơ (%(out)d)."
        )
        problems.append(("carried_over", message % {"in": c["carried_over"] + received, "out": handled}))
    if c["apologised"] > c["resolved_late"]:
        message = _("Số hồ sơ có phiếu xin lỗi (%(a)d) lớn hơn số hồ sơ giải quyết quá hạn (%(l)d).")
        problems.append(("apologised", message % {"a": c["apologised"], "l": c["resolved_late"]}))
    digitised = counts.get("dossiers_digitised")
    if digitised is not None and digitised > c["carried_over"] + received:
        message = _("Số hồ sơ được số hóa (%(d)d) lớn hơn số hồ sơ chuyển sang và tiếp nhận (%(n)d).")
        problems.append(("dossiers_digitised", message % {"d": digitised, "n": c["carried_over"] + received}))
    results = counts.get("results_digitised")
    if results is not None and results > resolved:
        message = _("Số kết quả được số hóa (%(d)d) lớn hơn số hồ sơ đã giải quyết (%(n)d).")
        problems.append(("results_digitised", message % {"d": results, "n": resolved}))
    return problems
