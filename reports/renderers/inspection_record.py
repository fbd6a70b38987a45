"""The record of an inspection visit (biên bản kiểm tra) as a PDF, in the format of NĐ 30/2020.

The header is the conducting body's (`reports.selectors.header_lines`), the
rest is the visit as recorded: team, what was checked by area, findings,
conclusion, recommendations with their deadlines, and the two signatures.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from inspections.models import Visit
from reports.renderers.pdf import html_to_pdf
from reports.selectors import DOCUMENT_LANGUAGE, header_lines


def _date_words(visit: Visit) -> str:
    day = visit.start_date
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@translation.override(DOCUMENT_LANGUAGE)
def inspection_record_html(visit: Visit) -> str:
    """`visit` as `inspections.selectors.visit_page` loads it (team, checks, findings, recommendations)."""
    inspection_plan = visit.inspection_plan
    parent, issuer_lines = header_lines(inspection_plan.conducting_unit)
    return render_to_string(
        "reports/inspection_record.html",
        {
            "visit": visit,
            "inspection_plan": inspection_plan,
            "parent_authority": parent,
            "issuer_lines": issuer_lines,
            "place_and_date": f"{inspection_plan.plan.place or visit.unit.name}, {_date_words(visit)}",
            "team": list(visit.team.all()),
        },
    )


def render_inspection_record(visit: Visit) -> bytes:
    pdf, _pages = html_to_pdf(inspection_record_html(visit))
    return pdf
