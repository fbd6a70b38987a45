"""Downloads of the scoring's results table and scorecards (Excel, PDF); access is the scoring's own."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from parplan.http import AuthenticatedHttpRequest
from reports.scoring_exports import results_pdf, results_xlsx, scorecard_pdf, scorecard_xlsx
from scoring.access import get_round_for_results, get_unit_sheet

_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def results_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in _TYPES:
        raise Http404
    scoring_round = get_round_for_results(request.user, pk)
    content = results_xlsx(scoring_round) if fmt == "xlsx" else results_pdf(scoring_round)
    return _download(content, fmt, f"chi-so-cchc-{scoring_round.tree.year}-{scoring_round.tree.group}")


def scorecard_export(request: AuthenticatedHttpRequest, pk: int, code: str, fmt: str) -> HttpResponse:
    if fmt not in _TYPES:
        raise Http404
    scoring_round, unit = get_unit_sheet(request.user, pk, code)
    content = scorecard_xlsx(scoring_round, unit) if fmt == "xlsx" else scorecard_pdf(scoring_round, unit)
    return _download(content, fmt, f"phieu-cham-{scoring_round.tree.year}-{unit.code}")
