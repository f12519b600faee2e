"""/documents/types/ and /documents/record-types/: setting up the kinds of documents and records."""

from django.urls import path

from . import views_config

urlpatterns = [
    path("types/", views_config.document_type_list, name="document_type_list"),
    path("types/new/", views_config.document_type_add, name="document_type_add"),
    path("types/<int:pk>/edit/", views_config.document_type_edit, name="document_type_edit"),
    path("record-types/", views_config.record_type_list, name="record_type_list"),
    path("record-types/new/", views_config.record_type_add, name="record_type_add"),
    path("record-types/<int:pk>/edit/", views_config.record_type_edit, name="record_type_edit"),
]
