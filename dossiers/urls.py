from __future__ import annotations

from django.urls import path

from dossiers import views

urlpatterns = [
    path("plans/<int:pk>/dossiers/", views.dossier_table, name="dossier-table"),
    path("plans/<int:pk>/dossiers/units/<str:code>/", views.dossier_unit, name="dossier-unit"),
    path("plans/<int:pk>/dossiers/import/", views.dossier_import, name="dossier-import"),
    path("plans/<int:pk>/dossiers/template.xlsx", views.dossier_template, name="dossier-template"),
    path("dossiers/imports/<int:pk>/", views.dossier_import_detail, name="dossier-import-detail"),
    path("dossiers/imports/<int:pk>/mappings/", views.dossier_import_mappings, name="dossier-import-mappings"),
    path("dossiers/imports/<int:pk>/confirm/", views.dossier_import_confirm_view, name="dossier-import-confirm"),
    path("dossiers/imports/<int:pk>/status/", views.dossier_import_status, name="dossier-import-status"),
]
