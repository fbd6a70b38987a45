from __future__ import annotations

from django.urls import path

from reports import views

urlpatterns = [
    path("plans/<int:pk>/reports/", views.report_home, name="report-home"),
    path("plans/<int:pk>/reports/<str:kind>/narrative/", views.narrative_edit, name="report-narrative"),
    path("plans/<int:pk>/reports/<str:kind>/generate/", views.report_generate_view, name="report-generate"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/status/", views.report_status, name="report-status"),
    path("reports/<int:pk>/retry/", views.report_retry_view, name="report-retry"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report-download"),
    path("inspections/visits/<int:pk>/record.pdf", views.inspection_record, name="inspection-record"),
]
