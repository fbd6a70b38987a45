"""Pages that start a plan: from nothing, or as a copy of a year's plan for the next (planio.copying)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from parplan.access import get_plan_for_user
from parplan.http import AuthenticatedHttpRequest
from parplan.models import PlanStatus
from parplan.services import plan_upsert
from planio.access import require_upload_right
from planio.copying import plan_copy
from planio.forms import PlanStartForm
from targets.services import plan_generate_periods


@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlanStartForm(request.POST or None, issuers=require_upload_right(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            plan = plan_upsert(
                issuing_unit=data["issuer"], year=data["year"], title=data["title"], status=PlanStatus.DRAFT,
                user=request.user, reason=_("Tạo kế hoạch mới"),
            )  # fmt: skip
            plan_generate_periods(plan=plan)
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
