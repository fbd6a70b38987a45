"""Pages that start a plan: from nothing, or as a copy of a year's plan for the next (planio.copying)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parplan.access import get_plan_for_user
from parplan.http import AuthenticatedHttpRequest
from planio.access import START, require_upload_right
from planio.copying import plan_copy, plan_start
from planio.forms import PlanStartForm


@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlanStartForm(request.POST or None, issuers=require_upload_right(request.user, perm=START))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plan_start(issuer=data["issuer"], year=data["year"], title=data["title"], by=request.user)
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, _("Đã tạo kế hoạch dự thảo. Thêm lĩnh vực, chỉ tiêu và nhiệm vụ rồi kích hoạt."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "planio/plan_new.html", {"form": form})


@require_POST
def plan_copy_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, perm="parplan.add_plan")
    try:
        copy = plan_copy(plan, plan.year + 1, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan-detail", pk=plan.pk)
    messages.success(
        request,
        _("Đã sao chép thành kế hoạch dự thảo năm %(year)s: hạn nhiệm vụ lùi một năm, chưa có tiến độ, số liệu.")
        % {"year": copy.year},
    )
    return redirect("plan-detail", pk=copy.pk)
