from __future__ import annotations

from django.urls import path

from inspections import views

urlpatterns = [
    path("", views.inspection_home, name="inspections"),
    path("new/<int:pk>/", views.plan_create, name="inspection-plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="inspection-plan"),
    path("plans/<int:pk>/units/", views.planned_add, name="inspection-planned-add"),
    path("plans/<int:pk>/visits/new/", views.visit_create, name="inspection-visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="inspection-visit"),
    path("visits/<int:pk>/findings/new/", views.finding_create, name="inspection-finding-create"),
    path("visits/<int:pk>/recommendations/new/", views.recommendation_create, name="inspection-recommendation-create"),
    path("findings/<int:pk>/settle/", views.finding_settle_view, name="inspection-finding-settle"),
    path("recommendations/<int:pk>/answer/", views.recommendation_answer_view, name="inspection-answer"),
    path("recommendations/<int:pk>/extension/", views.recommendation_extension_view, name="inspection-extension"),
    path("recommendations/<int:pk>/confirm/", views.recommendation_confirm_view, name="inspection-confirm"),
    path("recommendations/<int:pk>/return/", views.recommendation_return_view, name="inspection-return"),
    path(
        "recommendations/<int:pk>/extension/decide/",
        views.recommendation_extension_decide_view,
        name="inspection-extension-decide",
    ),
]
