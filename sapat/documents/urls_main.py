"""The register, a document's page with its life-cycle actions, drafts, files and my tasks."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("new/", views.document_add, name="document_add"),
    path("mine/", views.my_documents, name="my_documents"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    # Life-cycle steps (POST only).
    path("<int:pk>/revise/", views.document_revise, name="document_revise"),
    path("<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("<int:pk>/decide/", views.document_decide, name="document_decide"),
    path("<int:pk>/approve/", views.document_approve, name="document_approve"),
    path("<int:pk>/return/", views.document_return, name="document_return"),
    path("<int:pk>/register/", views.document_register, name="document_register"),
    path("<int:pk>/external-register/", views.document_external_register, name="document_external_register"),
    path("<int:pk>/withdraw/", views.document_withdraw, name="document_withdraw"),
    path("<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("<int:pk>/review/", views.document_review, name="document_review"),
    path("<int:pk>/remind/", views.document_remind, name="document_remind"),
    path("<int:pk>/confirm/", views.document_confirm, name="document_confirm"),
    # A draft revision: its summary, language versions and agreement sheet.
    path("revisions/<int:pk>/edit/", views.revision_edit, name="revision_edit"),
    path("revisions/<int:pk>/versions/<str:language>/", views.version_edit, name="version_edit"),
    path("revisions/<int:pk>/agreement/", views.agreement_edit, name="agreement_edit"),
    # Stored files, only through the permission check.
    path("files/<int:pk>/", views.version_download, name="version_download"),
]
