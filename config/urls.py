"""The project's URLs: every app's pages, so this module sits above all the apps (docs/architecture.md)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from dashboard import views as dashboard_views
from notifications import views as notification_views
from parplan import views
from reports import scoring_views
from tasks import views as task_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("parplan.accounts.urls")),
    # The language switch works before signing in too (the login page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan-list"),
    path("", include("planio.urls")),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/areas/<int:number>/", views.area_detail, name="area-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/activate/", views.plan_activate_view, name="plan-activate"),
    path("plans/<int:pk>/areas/new/", views.area_edit_view, name="area-new"),
    path("plans/<int:pk>/areas/<int:number>/edit/", views.area_edit_view, name="area-edit"),
    path("plans/<int:pk>/responsibilities/new/", views.responsibility_edit_view, name="responsibility-new"),
    path(
        "plans/<int:pk>/responsibilities/<int:number>/edit/",
        views.responsibility_edit_view,
        name="responsibility-edit",
    ),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<str:code>/new/", views.unit_new, name="unit-new"),
    path("units/<str:code>/structure/", views.unit_structure, name="unit-structure"),
    path("units/<str:code>/merge/", views.unit_merge, name="unit-merge"),
    path("units/<str:code>/end/", views.unit_end_view, name="unit-end"),
    path("tasks/", include("tasks.urls")),
    path("inspections/", include("inspections.urls")),
    path("scoring/", include("scoring.urls")),
    path("scoring/<int:pk>/results.<str:fmt>", scoring_views.results_export, name="scoring-results-export"),
    path(
        "scoring/<int:pk>/units/<str:code>/scorecard.<str:fmt>",
        scoring_views.scorecard_export,
        name="scoring-sheet-export",
    ),
    path("", include("dossiers.urls")),
    path("plans/<int:pk>/tasks/new/", task_views.task_create_view, name="task-create"),
    path("plans/<int:pk>/tasks/statistics/", task_views.task_statistics, name="task-statistics"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    # Evidence files open only here, after the owner's rights are checked; nothing under MEDIA_URL is routed.
    path("evidence/", include("evidence.urls")),
    path("", include("targets.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

# Error pages in the portal's layout (parplan/errors.py); DEBUG's pages are never on in production.
handler400 = "parplan.errors.bad_request"
handler403 = "parplan.errors.permission_denied"
handler404 = "parplan.errors.page_not_found"
handler500 = "parplan.errors.server_error"
