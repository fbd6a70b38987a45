from __future__ import annotations

from django.urls import path

from tasks import views

urlpatterns = [
    path("", views.task_list_view, name="task-list"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("<int:pk>/contribute/", views.task_contribute_view, name="task-contribute"),
    path("<int:pk>/claim/", views.task_claim, name="task-claim"),
    path("<int:pk>/confirm/", views.task_confirm, name="task-confirm"),
    path("<int:pk>/return/", views.task_return, name="task-return"),
    path("<int:pk>/cancel/", views.task_cancel_view, name="task-cancel"),
    path("<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("<int:pk>/assign/", views.task_assign_view, name="task-assign"),
    path("<int:pk>/extension/", views.extension_request_view, name="task-extension"),
    path("<int:pk>/extension/<int:extension_pk>/decide/", views.extension_decide_view, name="task-extension-decide"),
    path("<int:pk>/occurrences/<int:occurrence_pk>/done/", views.occurrence_done, name="task-occurrence-done"),
]
