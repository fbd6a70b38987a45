from __future__ import annotations

from django.urls import path

from targets import views

urlpatterns = [
    path("plans/<int:pk>/indicators/", views.indicator_list, name="indicator-list"),
    path("plans/<int:pk>/areas/<int:number>/targets/new/", views.target_edit_view, name="target-new"),
    path("plans/<int:pk>/areas/<int:number>/targets/<int:position>/edit/", views.target_edit_view, name="target-edit"),
    path("plans/<int:pk>/figures/", views.figures_home, name="figures-home"),
    path("plans/<int:pk>/figures/review/", views.review_queue, name="figures-review"),
    path("plans/<int:pk>/figures/<str:code>/", views.figures_entry_view, name="figures-entry"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("figures/<int:pk>/reopen/", views.measurement_reopen_view, name="measurement-reopen"),
    path("periods/<int:pk>/lock/", views.period_lock_view, name="period-lock"),
]
