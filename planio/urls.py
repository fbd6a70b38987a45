from django.urls import path

from planio import views

urlpatterns = [
    path("plans/documents/", views.document_list, name="plan-documents"),
    path("plans/documents/<int:pk>/", views.document_review, name="plan-document-review"),
]
