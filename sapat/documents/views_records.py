"""Records (жазуулар) and their retention: what is kept where and until when; records past
their retention period are listed for disposal, and the disposal itself stays on record
with its act. Everyone in the institution sees the register; keeping it needs
`Perm.MANAGE_RECORDS` in the record's unit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapat.core.web import add_validation_error, paginate, save_form
from sapat.org import access
from sapat.org import selectors as org_selectors
from sapat.org.access import Perm

from . import selectors, services
from .forms_config import RecordDisposeForm, RecordForm
from .models import Record

STATES = (
    ("kept", gettext_lazy("Kept")),
    ("due", gettext_lazy("Due for disposal")),
    ("disposed", gettext_lazy("Disposed of")),
)


def _institution(request):
    institution = org_selectors.current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _record(request, pk) -> Record:
    return org_selectors.get_visible(selectors.records_for(request.user).select_related("unit__institution"), pk=pk)


@login_required
def record_list(request):
    user = request.user
    access.require(user, Perm.VIEW_ORG)
    institution = _institution(request)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state == "due":
        records = selectors.records_due_for_disposal(user).order_by("keep_until", "id")
    else:
        records = selectors.records_for(user)
        if state == "kept":
            records = records.filter(disposed_on__isnull=True)
        elif state == "disposed":
            records = records.filter(disposed_on__isnull=False).order_by("-disposed_on", "id")
        else:
            state = ""
    records = records.filter(unit__institution=institution)
    types = selectors.record_types_for(user).filter(institution=institution)
    type_id = request.GET.get("type", "")
    if type_id.isdigit():
        records = records.filter(record_type_id=type_id)
    units = (
        org_selectors.units_for(user)
        .filter(institution=institution)
        .select_related(None)
        .only("id", "code", "path", "name_ky", "name_ru", "name_en")
        .order_by("path")
    )
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        path = units.filter(pk=unit_id).values_list("path", flat=True).first()
        records = records.filter(unit__path__startswith=path) if path else records.none()
    page = paginate(request, records)
    for record in page:
        record.is_due = record.disposed_on is None and record.keep_until < today
        record.can_manage = access.can(user, Perm.MANAGE_RECORDS, record.unit)
    can_add = access.can(user, Perm.MANAGE_RECORDS)
    context = {
        "page": page,
        "types": types,
        "units": units,
        "states": STATES,
        "state": state,
        "type_id": type_id,
        "unit_id": unit_id,
        "can_add": can_add and types.exists(),
        "can_configure": access.can(user, Perm.CONFIGURE_DOCUMENTS),
        "due_count": (
            selectors.records_due_for_disposal(user).filter(unit__institution=institution).count() if can_add else 0
        ),
        "filtered": bool(state or type_id or unit_id),
    }
    return render(request, "documents/records/record_list.html", context)


@login_required
def record_add(request):
    access.require(request.user, Perm.MANAGE_RECORDS)
    institution = _institution(request)
    initial = {key: request.GET[key] for key in ("record_type", "unit") if request.GET.get(key, "").isdigit()}
    form = RecordForm(request.POST or None, user=request.user, institution=institution, initial=initial)
    return save_form(
        request,
        form,
        lambda r: services.record_save(actor=request.user, record=r),
        success_url=reverse("record_list"),
        template="documents/records/form.html",
        context={"title": _("New record"), "cancel_url": reverse("record_list")},
    )


@login_required
def record_edit(request, pk):
    record = _record(request, pk)
    access.require(request.user, Perm.MANAGE_RECORDS, record.unit)
    if record.disposed_on:
        messages.error(request, _("A disposed record cannot be changed."))
        return redirect("record_list")
    form = RecordForm(request.POST or None, instance=record, user=request.user, institution=record.unit.institution)
    return save_form(
        request,
        form,
        lambda r: services.record_save(actor=request.user, record=r),
        success_url=reverse("record_list"),
        template="documents/records/form.html",
        context={"title": _("Edit record"), "cancel_url": reverse("record_list"), "record": record},
    )


@login_required
def record_dispose(request, pk):
    """Record the disposal of a record past its retention period, with the disposal act."""
    record = _record(request, pk)
    access.require(request.user, Perm.MANAGE_RECORDS, record.unit)
    form = RecordDisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dispose(actor=request.user, record=record, note=form.cleaned_data["disposal_note"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The disposal of the record is recorded."))
            return redirect(reverse("record_list") + "?state=disposed")
    context = {
        "form": form,
        "record": record,
        "too_early": record.disposed_on is None and record.keep_until >= timezone.localdate(),
        "cancel_url": reverse("record_list"),
    }
    return render(request, "documents/records/dispose.html", context, status=400 if request.method == "POST" else 200)
