"""Setting up the documents module: the kinds of documents an institution keeps (their level,
how their codes are made, who approves them, how often they are reviewed) and the kinds of
records (how long they are kept, by whom). For the quality department and administrators:
`Perm.CONFIGURE_DOCUMENTS` at the institution's top unit."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from sapat.core.web import save_form
from sapat.org import access, selectors
from sapat.org.access import Perm
from sapat.org.models import Unit
from sapat.org.selectors import get_visible

from . import services
from .forms_config import DocumentTypeForm, RecordTypeForm
from .models import DocumentType, RecordType


def _institution(request):
    access.require(request.user, Perm.CONFIGURE_DOCUMENTS)  # 403 before asking which institution
    institution = selectors.current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _require_configure(user, institution_id) -> None:
    """The set-up belongs to the whole institution: the right is checked at its top unit."""
    root = Unit.objects.filter(institution_id=institution_id, parent__isnull=True).first()
    if root is None:
        raise Http404
    access.require(user, Perm.CONFIGURE_DOCUMENTS, root)


def _configurable(user, model):
    """Rows of the institutions the user may set up: 403 without the right anywhere, 404
    for another institution's row."""
    access.require(user, Perm.CONFIGURE_DOCUMENTS)
    ids = access.institution_ids(user, Perm.CONFIGURE_DOCUMENTS)
    return model.objects.all() if ids is None else model.objects.filter(institution_id__in=ids)


# --- document types -----------------------------------------------------------------------


@login_required
def document_type_list(request):
    institution = _institution(request)
    _require_configure(request.user, institution.pk)
    types = (
        DocumentType.objects.filter(institution=institution)
        .select_related("approver", "approval_body")
        .annotate(document_count=Count("documents"))
        .order_by("level", "code")
    )
    return render(request, "documents/config/document_type_list.html", {"types": types, "institution": institution})


def _document_type_form(request, doc_type, institution, title):
    form = DocumentTypeForm(request.POST or None, instance=doc_type, user=request.user, institution=institution)
    return save_form(
        request,
        form,
        lambda t: services.document_type_save(actor=request.user, doc_type=t),
        success_url=reverse("document_type_list"),
        template="documents/config/form.html",
        context={"title": title, "cancel_url": reverse("document_type_list"), "pattern_help": True},
    )


@login_required
def document_type_add(request):
    institution = _institution(request)
    _require_configure(request.user, institution.pk)
    return _document_type_form(request, DocumentType(institution=institution), institution, _("New document type"))


@login_required
def document_type_edit(request, pk):
    doc_type = get_visible(_configurable(request.user, DocumentType).select_related("institution"), pk=pk)
    _require_configure(request.user, doc_type.institution_id)
    return _document_type_form(request, doc_type, doc_type.institution, _("Edit document type"))


# --- record types -------------------------------------------------------------------------


@login_required
def record_type_list(request):
    institution = _institution(request)
    _require_configure(request.user, institution.pk)
    types = (
        RecordType.objects.filter(institution=institution)
        .select_related("unit")
        .annotate(record_count=Count("records"))
        .order_by("name_ky")
    )
    return render(request, "documents/config/record_type_list.html", {"types": types, "institution": institution})


def _record_type_form(request, record_type, institution, title):
    form = RecordTypeForm(request.POST or None, instance=record_type, user=request.user, institution=institution)
    return save_form(
        request,
        form,
        lambda t: services.record_type_save(actor=request.user, record_type=t),
        success_url=reverse("record_type_list"),
        template="documents/config/form.html",
        context={"title": title, "cancel_url": reverse("record_type_list")},
    )


@login_required
def record_type_add(request):
    institution = _institution(request)
    _require_configure(request.user, institution.pk)
    return _record_type_form(request, RecordType(institution=institution), institution, _("New record type"))


@login_required
def record_type_edit(request, pk):
    record_type = get_visible(_configurable(request.user, RecordType).select_related("institution"), pk=pk)
    _require_configure(request.user, record_type.institution_id)
    return _record_type_form(request, record_type, record_type.institution, _("Edit record type"))
