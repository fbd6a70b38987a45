"""Pages of plan documents: upload a plan's .docx, review what was read, confirm it as a draft plan.

Thin: check access (planio.access), read or call a service (planio.documents.saving), render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parplan.http import AuthenticatedHttpRequest
from planio.access import documents_for, get_document_for_user, require_upload_right
from planio.documents.blocks import DocumentError
from planio.documents.drafting import plan_document_read
from planio.documents.review import ReviewInitial, review_apply, review_initial, review_notes
from planio.documents.saving import StaleReview, plan_document_confirm, plan_document_revise, plan_document_store
from planio.documents.unit_names import UnitDirectory
from planio.forms import (
    AreaFormSet,
    DocumentUploadForm,
    ItemFormSet,
    PlanDetailsForm,
    ResponsibilityFormSet,
)
from planio.interchange import PlanImportError
from planio.models import PlanDocument


@require_http_methods(["GET", "POST"])
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    issuers = require_upload_right(request.user)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, issuers=issuers)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            read = plan_document_read(
                content, upload.name, issuer=form.cleaned_data["issuer"], year=form.cleaned_data["year"]
            )
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            document = plan_document_store(content=content, name=upload.name, read=read, by=request.user)
            return redirect("plan-document-review", pk=document.pk)
    documents = documents_for(request.user).for_list()[:50]
    return render(request, "planio/document_list.html", {"form": form, "documents": documents})


@require_http_methods(["GET", "POST"])
def document_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    if document.plan_id is not None:
        return redirect("plan-detail", pk=document.plan_id)
    initial = review_initial(document)
    forms = _review_forms(document, initial, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not _same_rows(initial, forms):
        # Rows are matched to what was read by their place: a page from before another reviewer's split or merge,
        # or a hand-made request, would apply corrections to the wrong items.
        messages.error(request, _("Trang này không còn khớp với bản đọc đã lưu: hãy tải lại trang rồi sửa tiếp."))
        return redirect("plan-document-review", pk=document.pk)
    if request.method == "POST" and all(form.is_valid() for form in forms.values()):
        data = review_apply(
            document,
            plan=forms["plan"].cleaned_data,
            areas=[form.cleaned_data for form in forms["areas"]],
            items=[form.cleaned_data for form in forms["items"]],
            responsibilities=[form.cleaned_data for form in forms["responsibilities"]],
        )
        outcome = _save(request, document, data)
        if outcome is not None:
            return outcome
    return render(request, "planio/document_review.html", _review_context(document, initial, forms))


def _save(request: AuthenticatedHttpRequest, document: PlanDocument, data: dict[str, Any]) -> HttpResponse | None:
    """Save the corrections, and confirm when asked; None: show the page again with the reason."""
    try:
        document = plan_document_revise(document=document, data=data, version=int(request.POST.get("version", 0)))
    except (StaleReview, ValueError):
        messages.error(
            request,
            _(
                "Người khác đã lưu chỉnh sửa của văn bản này sau khi bạn mở trang: chỉnh sửa của bạn chưa được lưu "
                "và vẫn còn trên trang. Tải lại trang để xem bản mới nhất."
            ),
        )
        return None
    if "confirm" not in request.POST:
        messages.success(request, _("Đã lưu chỉnh sửa. Kế hoạch chưa được tạo cho đến khi bạn xác nhận."))
        return redirect("plan-document-review", pk=document.pk)
    try:
        plan = plan_document_confirm(document=document, by=request.user, version=document.version)
    except StaleReview:
        messages.error(
            request, _("Người khác vừa lưu chỉnh sửa của văn bản này: hãy xem lại bản mới nhất rồi xác nhận.")
        )
        return redirect("plan-document-review", pk=document.pk)
    except PlanImportError as error:
        for message in error.errors:
            messages.error(request, message)
        return redirect("plan-document-review", pk=document.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan-document-review", pk=document.pk)
    messages.success(request, _("Đã tạo kế hoạch dự thảo từ văn bản. Kiểm tra lại rồi kích hoạt kế hoạch."))
    return redirect("plan-detail", pk=plan.pk)


def _same_rows(initial: ReviewInitial, forms: dict[str, Any]) -> bool:
    expected = (len(initial.areas), len(initial.items), len(initial.responsibilities))
    sets = (forms["areas"], forms["items"], forms["responsibilities"])
    return all(formset.management_form.is_valid() for formset in sets) and expected == tuple(
        formset.total_form_count() for formset in sets
    )


def _review_forms(document: PlanDocument, initial: ReviewInitial, data: Any) -> dict[str, Any]:
    directory = UnitDirectory(document.issuer)
    units = [(unit.code, unit.name) for unit in directory.units if unit != document.issuer]
    # Rows name their area by its place in the list, so an area renumbered in the same sending keeps its rows.
    areas = [(index, f"{area['number']}. {area['name']}") for index, area in enumerate(initial.areas)]
    return {
        "plan": PlanDetailsForm(data, initial=initial.plan, prefix="plan"),
        "areas": AreaFormSet(data, initial=initial.areas, prefix="area"),
        "items": ItemFormSet(data, initial=initial.items, prefix="item", form_kwargs={"areas": areas, "units": units}),
        "responsibilities": ResponsibilityFormSet(
            data, initial=initial.responsibilities, prefix="resp", form_kwargs={"units": units}
        ),
    }


def _review_context(document: PlanDocument, initial: ReviewInitial, forms: dict[str, Any]) -> dict[str, Any]:
    # One row per item: the posted page was checked to have the stored number of rows (_same_rows).
    notes = review_notes(document, initial)
    rows = [{"form": form, "notes": note} for form, note in zip(forms["items"], notes, strict=True)]
    return {
        "document": document,
        "forms": forms,
        "rows": rows,
        "blocks": document.blocks,
        "warnings": document.warnings,
        "any_errors": any(not form.is_valid() for form in forms.values() if form.is_bound),
    }
