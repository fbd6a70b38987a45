"""Opening and removing one evidence file; who may is the owner app's rule (evidence.owners)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from evidence.access import OwnedEvidence, get_evidence_for_user
from evidence.services import evidence_remove
from parplan.files import send_stored_file
from parplan.http import AuthenticatedHttpRequest


@require_safe
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk).evidence
    return send_stored_file(request, evidence.file, evidence.original_name)


@require_http_methods(["GET", "POST"])
def evidence_remove_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (a page of its own: the lists that offer "Xóa" sit inside other forms); POST removes."""
    owned = get_evidence_for_user(request.user, pk, perm="remove")
    back = _back(request, owned)
    if request.method == "GET":
        context = {"evidence": owned.evidence, "owner": owned.owner, "frozen": owned.rules.frozen(owned.owner),
                   "back": back}  # fmt: skip
        return render(request, "evidence/evidence_remove.html", context)
    try:
        evidence_remove(evidence=owned.evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xóa tài liệu “%(name)s”.") % {"name": owned.evidence.original_name})
    return redirect(back)


def _back(request: HttpRequest, owned: OwnedEvidence) -> str:
    """The page that offered the button, when it is one of ours; otherwise the owner's own page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return owned.rules.page(owned.owner)
