"""/documents/records/: the register of records, their retention and disposal."""

from django.urls import path

from . import views_records

urlpatterns = [
    path("records/", views_records.record_list, name="record_list"),
    path("records/new/", views_records.record_add, name="record_add"),
    path("records/<int:pk>/edit/", views_records.record_edit, name="record_edit"),
    path("records/<int:pk>/dispose/", views_records.record_dispose, name="record_dispose"),
]
