from __future__ import annotations

from django.urls import path

from scoring import views

urlpatterns = [
    path("", views.round_list, name="scoring-rounds"),
    path("<int:pk>/", views.round_results_view, name="scoring-results"),
    path("<int:pk>/advance/", views.round_advance, name="scoring-advance"),
    path("<int:pk>/units/<str:code>/", views.unit_sheet, name="scoring-sheet"),
    path("scores/<int:pk>/<str:action>/", views.score_action, name="scoring-score"),
]
