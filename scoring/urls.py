from __future__ import annotations

from django.urls import path

from scoring import views

urlpatterns = [
    path("", views.round_list, name="scoring-rounds"),
    path("authorities/<str:code>/trees/", views.tree_list, name="scoring-trees"),
    path("trees/<int:pk>/", views.tree_detail, name="scoring-tree"),
    path("trees/<int:pk>/import/", views.tree_import, name="scoring-tree-import"),
    path("trees/<int:pk>/copy/", views.tree_copy, name="scoring-tree-copy"),
    path("trees/<int:pk>/open/", views.round_open, name="scoring-round-open"),
    path("criteria/<int:pk>/", views.criterion_edit, name="scoring-criterion"),
    path("criteria/<int:pk>/delete/", views.criterion_remove, name="scoring-criterion-delete"),
    path("<int:pk>/", views.round_results_view, name="scoring-results"),
    path("<int:pk>/advance/", views.round_advance, name="scoring-advance"),
    path("<int:pk>/survey/", views.round_survey_import, name="scoring-survey-import"),
    path("<int:pk>/survey/template.xlsx", views.round_survey_template, name="scoring-survey-template"),
    path("<int:pk>/units/<str:code>/", views.unit_sheet, name="scoring-sheet"),
    path("<int:pk>/units/<str:code>/survey/", views.survey_entry, name="scoring-survey"),
    path("scores/<int:pk>/<str:action>/", views.score_action, name="scoring-score"),
]
