from __future__ import annotations

from django.urls import path

from evidence import views

urlpatterns = [
    path("<int:pk>/", views.evidence_download, name="evidence-download"),
    path("<int:pk>/remove/", views.evidence_remove_view, name="evidence-remove"),
]
