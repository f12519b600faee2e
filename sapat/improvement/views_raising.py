"""The pages that raise a nonconformity or an improvement action from an audit finding or a
complaint: a form prefilled from the source; the services check and link."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sapat.core.web import save_form

from . import raising
from . import services as svc
from .forms import ActionForm, NonconformityForm


def _finding(request, pk):
    from sapat.audits.models import Finding
    from sapat.audits.services import can_see_audit

    finding = get_object_or_404(
        Finding.objects.select_related("audit__institution", "audit__lead_auditor", "category", "unit", "process"),
        pk=pk,
    )
    if not can_see_audit(request.user, finding.audit):
        raise Http404
    if not raising.can_raise_from_finding(request.user, finding):
        raise PermissionDenied(_("Only the audit team or the quality department may do this."))
    return finding, finding.audit.institution, finding.get_absolute_url()


def _complaint(request, pk):
    from sapat.complaints.selectors import complaint_detail

    complaint = complaint_detail(request.user, pk)
    if not raising.can_raise_from_complaint(request.user, complaint):
        raise PermissionDenied(_("Only the unit this complaint is routed to, or the quality department, may do this."))
    return complaint, complaint.institution, complaint.get_absolute_url()


SOURCES = {
    "finding": (_finding, raising.nc_initial_from_finding, raising.action_initial_from_finding),
    "complaint": (_complaint, raising.nc_initial_from_complaint, raising.action_initial_from_complaint),
}


def _source(source):
    if source not in SOURCES:
        raise Http404
    return SOURCES[source]


@login_required
def raise_nonconformity(request, source, pk):
    load, initial, _action_initial = _source(source)
    record, institution, back = load(request, pk)
    form = NonconformityForm(
        request.POST or None, initial=initial(record), institution=institution, types=svc.types_for(institution.pk)
    )
    del form.fields["source"]  # set by where it comes from
    step = raising.nonconformity_from_finding if source == "finding" else raising.nonconformity_from_complaint
    return save_form(
        request,
        form,
        lambda data: step(actor=request.user, **{source: record}, **data),
        success_url=lambda nc: nc.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("Raise a nonconformity"), "lead": str(record), "back_url": back},
    )


@login_required
def raise_action(request, source, pk):
    load, _nc_initial, initial = _source(source)
    record, institution, back = load(request, pk)
    form = ActionForm(request.POST or None, initial=initial(record), user=request.user, institution=institution)
    step = raising.action_from_finding if source == "finding" else raising.action_from_complaint
    return save_form(
        request,
        form,
        lambda data: step(actor=request.user, **{source: record}, **data),
        success_url=lambda action: action.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("Raise an improvement action"), "lead": str(record), "back_url": back},
    )
