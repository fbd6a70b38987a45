from django.urls import path

from planio import plan_views, views

urlpatterns = [
    path("plans/documents/", views.document_list, name="plan-documents"),
    path("plans/documents/<int:pk>/", views.document_review, name="plan-document-review"),
    path("plans/new/", plan_views.plan_new, name="plan-new"),
    path("plans/<int:pk>/copy/", plan_views.plan_copy_view, name="plan-copy"),
]
