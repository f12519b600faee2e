"""Pages of the accreditation register: every subject's status with its history on a timeline
and the results over the years, one accreditation with its events, and the forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import save_form
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.selectors import get_visible

from . import selectors_register as sel
from . import services_register as svc
from . import timeline
from .forms_register import AccreditationForm, EventForm, FirstGraduationForm
from .models_register import Accreditation, AccreditationEvent, FirstGraduation
from .services_frameworks import can_manage
from .views_frameworks import _require_manage, institution_in_view


@login_required
def register(request):
    institution = institution_in_view(request)
    rows, accreditations = sel.status_board(request.user, institution)
    today = timezone.localdate()
    for row in rows:
        row["standing"] = row["current"].standing(today) if row["current"] else None
        source = row["current"] or row["first"]
        due = row["due"] = source.application_due if source else None
        row["due_soon"] = due is not None and (due - today).days <= max(svc.REMINDER_THRESHOLDS)
    context = {
        "rows": rows,
        "timeline": mark_safe(timeline.timeline_svg([r for r in rows if r["history"]], today=today)),  # noqa: S308 — built from escaped parts
        "results": mark_safe(timeline.results_svg(sel.results_by_year(accreditations))),  # noqa: S308
        "can_manage": can_manage(request.user, institution.pk),
        "today": today,
    }
    return render(request, "accreditation/register/board.html", context)


def _visible(request, pk) -> Accreditation:
    access.require(request.user, Perm.VIEW_ACCREDITATION)
    return get_visible(sel.with_events(sel.accreditations_for(request.user)), pk=pk)


@login_required
def accreditation_detail(request, pk):
    acc = _visible(request, pk)
    manage = can_manage(request.user, acc.institution_id)
    context = {
        "acc": acc,
        "standing": acc.standing(),
        "can_manage": manage,
        "event_form": EventForm() if manage else None,
    }
    return render(request, "accreditation/register/detail.html", context)


def _form(request, acc, title, back_url):
    form = AccreditationForm(request.POST or None, instance=acc, institution=acc.institution)
    return save_form(
        request,
        form,
        lambda a: svc.accreditation_save(actor=request.user, accreditation=a),
        success_url=lambda a: reverse("accreditation_detail", args=[a.pk]),
        template="accreditation/register/form.html",
        context={"title": title, "back_url": back_url},
    )


@login_required
def accreditation_add(request):
    institution = institution_in_view(request)
    _require_manage(request, institution)
    acc = Accreditation(institution=institution)
    return _form(request, acc, _("Record an accreditation decision"), reverse("accreditation_register"))


@login_required
def accreditation_edit(request, pk):
    acc = _visible(request, pk)
    _require_manage(request, acc.institution)
    return _form(request, acc, _("Correct the accreditation record"), reverse("accreditation_detail", args=[pk]))


@login_required
@require_POST
def event_add(request, pk):
    acc = _visible(request, pk)
    _require_manage(request, acc.institution)
    form = EventForm(request.POST, instance=AccreditationEvent(accreditation=acc))
    if form.is_valid():
        try:
            svc.event_add(actor=request.user, event=form.save(commit=False))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The event is recorded."))
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect("accreditation_detail", pk)


@login_required
def first_graduation_add(request):
    institution = institution_in_view(request)
    _require_manage(request, institution)
    record = FirstGraduation(institution=institution)
    form = FirstGraduationForm(request.POST or None, instance=record, institution=institution)
    return save_form(
        request,
        form,
        lambda f: svc.first_graduation_save(actor=request.user, record=f),
        success_url=reverse("accreditation_register"),
        template="accreditation/register/form.html",
        context={
            "title": _("First graduation of a new organisation or programme"),
            "lead": _("The application is due 3 months before the first graduation."),
            "back_url": reverse("accreditation_register"),
        },
    )
