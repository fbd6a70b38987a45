"""The yardstick for bench/dashboard.py: what a hand-tuned page of this portal costs.

Ten simple ORM queries (each a primary-key, foreign-key or indexed lookup, a count
or a short list) and a 200-row table, rendered in the portal's own layout
(`base.html`, with its context processors), behind the same login and middleware
as the dashboard. Its cost does not grow with the data set, which is the point:
the dashboard's throughput is compared with it at each scale.

Served only by the bench URLconf (`bench.urls`), never by the product's.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.db.models import Max
from django.http import HttpResponse
from django.template import engines
from django.utils import timezone

from parplan.http import AuthenticatedHttpRequest
from parplan.models import Membership, Plan, PlanStatus, ReformArea, Unit
from targets.models import Indicator, IndicatorSnapshot, Period
from tasks.models import Task

if TYPE_CHECKING:
    from django.template.backends.base import _EngineTemplate

ROWS = 200

TEMPLATE = """{% extends "base.html" %}{% load i18n %}
{% block title %}Reference — {{ plan.title }}{% endblock %}
{% block content %}
<header class="doc-header">
  <h1>{{ plan.title }}</h1>
  <p class="muted">{{ plan.issuing_unit.name }} · {{ areas|length }} {% translate "lĩnh vực" %} · {{ tasks }}
    {% translate "nhiệm vụ" %} ({{ overdue }} {% translate "quá hạn" %}) · {{ indicators }} {% translate "chỉ số" %}
    · {{ units }} {% translate "đơn vị" %} · {{ period.label }} · {{ day|date:"d/m/Y" }}
    {% if membership %}· {{ membership.unit.name }}{% endif %}</p>
</header>
<section class="card">
  <div class="table-wrap"><table>
    <thead><tr><th>#</th><th>{% translate "Nhiệm vụ" %}</th><th>{% translate "Đơn vị chủ trì" %}</th>
      <th>{% translate "Hạn" %}</th><th>{% translate "Tiến độ" %}</th></tr></thead>
    <tbody>{% for t in rows %}<tr><td>{{ t.area__number }}.{{ t.position }}</td>
      <td><a href="{% url 'task-detail' t.pk %}">{{ t.title|truncatechars:70 }}</a></td>
      <td>{{ t.lead_unit__name|default:"—" }}</td><td>{{ t.due_date|date:"d/m/Y" }}</td>
      <td>{{ t.progress_percent }}%</td></tr>{% endfor %}</tbody>
  </table></div>
</section>
{% endblock %}
"""


@cache
def _template() -> _EngineTemplate:
    """Compiled once per process, as Django's cached loader does for file templates."""
    return engines["django"].from_string(TEMPLATE)


def reference(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan = Plan.objects.select_related("issuing_unit").filter(status=PlanStatus.ACTIVE).order_by("-year").first()  # 1
    if plan is None:
        return HttpResponse("No active plan.", status=404)
    plan_tasks = Task.objects.filter(area__plan=plan)
    context = {
        "plan": plan,
        "areas": list(ReformArea.objects.filter(plan=plan).order_by("number")),  # 2
        "tasks": plan_tasks.count(),  # 3
        "overdue": plan_tasks.past_due(today).count(),  # 4
        "indicators": Indicator.objects.filter(area__plan=plan).count(),  # 5
        "units": Unit.objects.filter(parent=plan.issuing_unit).count(),  # 6
        "period": Period.objects.filter(plan=plan, frequency="monthly", end__lt=today).order_by("-end").first(),  # 7
        "day": IndicatorSnapshot.objects.filter(unit=plan.issuing_unit).aggregate(day=Max("day"))["day"],  # 8
        "membership": Membership.objects.filter(user=request.user).select_related("unit").first(),  # 9
        "rows": list(  # 10
            plan_tasks.order_by("area__number", "position").values(
                "pk", "area__number", "position", "title", "lead_unit__name", "due_date", "progress_percent"
            )[:ROWS]
        ),
    }
    return HttpResponse(_template().render(context, request))
