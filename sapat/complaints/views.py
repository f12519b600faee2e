"""Pages of the people who handle complaints: the quality department (list, routing,
analysis, settings) and the unit a complaint is routed to (its answer and notes). Views
parse input and call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, paginate, save_form
from sapat.improvement.raising import raised_from
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Unit
from sapat.org.selectors import current_institution

from . import selectors as sel
from . import services as svc
from .choices import Kind, Status
from .forms import AnswerForm, NoteForm, RouteForm, SettingsForm


def _institution(request):
    if not (access.can(request.user, Perm.HANDLE_COMPLAINTS) or access.can(request.user, Perm.ANSWER_COMPLAINTS)):
        raise PermissionDenied(_("You do not have permission to do this here."))
    institution = current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _require_handle(request, institution):
    if not svc.can_handle(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department receives and routes complaints."))


@login_required
def complaint_list(request):
    institution = _institution(request)
    filters = sel.parse_filters(request.GET)
    visible = sel.complaints_for(request.user).filter(institution=institution)
    qs = sel.filter_complaints(visible, filters)
    context = {
        "institution": institution,
        "page": paginate(request, qs),
        "filters": filters,
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "units": Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("path"),
        "can_handle": svc.can_handle(request.user, institution.pk),
        "today": timezone.localdate(),
    }
    return render(request, "complaints/complaint_list.html", context)


def _detail(request, complaint, *, status=200, **forms):
    can_handle = svc.can_handle(request.user, complaint.institution_id)
    is_open = complaint.status != Status.CLOSED
    context = {
        "complaint": complaint,
        "thread": sel.messages_of(complaint, internal=True),
        "can_handle": can_handle,
        "route_form": forms.get("route") or (RouteForm(complaint=complaint) if can_handle and is_open else None),
        "answer_form": forms.get("answer") or (AnswerForm() if is_open else None),
        "note_form": forms.get("note") or NoteForm(),
        # Whoever sees the complaint may turn it into a nonconformity or an action, once.
        "raised": raised_from(complaint),
    }
    return render(request, "complaints/complaint_detail.html", context, status=status)


@login_required
def complaint_detail(request, pk):
    return _detail(request, sel.complaint_detail(request.user, pk))


def _post(request, pk, form_class, name, call, done_message):
    complaint = sel.complaint_detail(request.user, pk)
    kwargs = {"complaint": complaint} if form_class is RouteForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            call(complaint, form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, done_message)
            return redirect(complaint.get_absolute_url())
    return _detail(request, complaint, status=400, **{name: form})


@login_required
@require_POST
def complaint_route(request, pk):
    return _post(
        request,
        pk,
        RouteForm,
        "route",
        lambda c, d: svc.complaint_route(actor=request.user, complaint=c, unit=d["unit"], category=d["category"]),
        _("Sent to the unit; its head and quality responsible have been told."),
    )


@login_required
@require_POST
def complaint_answer(request, pk):
    return _post(
        request,
        pk,
        AnswerForm,
        "answer",
        lambda c, d: svc.complaint_answer(actor=request.user, complaint=c, answer=d["answer"], note=d["note"]),
        _("Answered and closed. The sender sees the answer on the tracking page."),
    )


@login_required
@require_POST
def complaint_note(request, pk):
    return _post(
        request,
        pk,
        NoteForm,
        "note",
        lambda c, d: svc.complaint_note(actor=request.user, complaint=c, text=d["text"]),
        _("Note added."),
    )


@login_required
def complaint_analysis(request):
    institution = _institution(request)
    _require_handle(request, institution)
    qs = sel.complaints_for(request.user).filter(institution=institution)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(created_at__year=int(year))
    years = sorted(
        {d.year for d in sel.complaints_for(request.user).filter(institution=institution).dates("created_at", "year")},
        reverse=True,
    )
    context = {"institution": institution, "data": sel.analysis(qs), "years": years, "year": year}
    return render(request, "complaints/analysis.html", context)


@login_required
def complaint_settings(request):
    institution = _institution(request)
    _require_handle(request, institution)
    form = SettingsForm(request.POST or None, instance=svc.settings_for(institution.pk))
    return save_form(
        request,
        form,
        lambda obj: svc.settings_save(actor=request.user, obj=obj),
        success_url="complaint_list",
        template="complaints/settings.html",
        context={"institution": institution},
    )
