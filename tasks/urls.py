from __future__ import annotations

from django.urls import path

from tasks import views

urlpatterns = [
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("<int:pk>/assign/", views.task_assign_view, name="task-assign"),
]
