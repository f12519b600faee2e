"""Pages of the nonconformity register, a nonconformity's workflow, the actions ("my actions",
overdue by unit) and the analysis. Views parse input and call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, paginate, save_form
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Unit
from sapat.org.selectors import current_institution, get_visible
from sapat.processes.models import Process
from sapat.processes.selectors_risks import risks_for
from sapat.processes.views import _can_see_history

from . import figures
from . import selectors as sel
from . import services as svc
from .forms import (
    ActionForm,
    AnalysisForm,
    CancelForm,
    CheckForm,
    DoneForm,
    NcTypeForm,
    NonconformityForm,
    NoteForm,
    SettingsForm,
)
from .models import ActionStatus, NcSource, NcState, NcType


def _institution(request):
    institution = current_institution(request)
    if institution is None or not (access.can(request.user, Perm.VIEW_ORG) or access.can(request.user, Perm.VIEW_NC)):
        raise Http404
    return institution


def _post_step(request, nc, step, **kwargs):
    """Run one workflow step from a button; its refusal is shown as a message."""
    try:
        step(actor=request.user, nonconformity=nc, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(nc.get_absolute_url())


# --- the register -----------------------------------------------------------------------------


@login_required
def nc_list(request):
    institution = _institution(request)
    filters = sel.parse_filters(request.GET)
    qs = sel.filter_nonconformities(sel.nonconformities_for(request.user).filter(institution=institution), filters)
    qs = sel.with_counts(qs).order_by("-detected_on", "-id")
    context = {
        "institution": institution,
        "page": paginate(request, qs),
        "filters": filters,
        "states": NcState.choices,
        "sources": NcSource.choices,
        "types": svc.types_for(institution.pk),
        "units": Unit.objects.filter(institution=institution, nonconformities__isnull=False).distinct(),
        "processes": Process.objects.filter(institution=institution, nonconformities__isnull=False).distinct(),
        "can_add": svc.can_register(request.user, institution.pk),
    }
    return render(request, "improvement/nc_list.html", context)


@login_required
def nc_add(request):
    institution = _institution(request)
    if not svc.can_register(request.user, institution.pk):
        raise PermissionDenied(_("You may not register nonconformities in this institution."))
    form = NonconformityForm(request.POST or None, institution=institution, types=svc.types_for(institution.pk))
    return save_form(
        request,
        form,
        lambda data: svc.nonconformity_register(actor=request.user, institution=institution, **data),
        success_url=lambda nc: nc.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("Register a nonconformity"), "back_url": reverse("nc_list")},
    )


def _buttons(user, nc, actions) -> dict:
    """Which workflow steps this user may take now."""
    handler = svc.can_handle(user, nc.unit)
    quality = svc.is_quality(user, nc.institution_id)
    plan = nc.state == NcState.ACTION_PLAN
    return {
        "start": handler and nc.state == NcState.REGISTERED,
        "analyse": handler and nc.state in (NcState.ANALYSIS, NcState.ACTION_PLAN),
        "add_action": handler and nc.state in svc.PLANNING_STATES,
        "approve_unit": plan
        and not nc.unit_approved_at
        and svc.can_approve_for_unit(user, nc)
        and nc.quality_approved_by_id != user.pk,
        "approve_quality": plan and not nc.quality_approved_at and quality and nc.unit_approved_by_id != user.pk,
        "check": nc.state == NcState.CHECK and not nc.verdict and svc.can_check(user, nc),
        "close": nc.state == NcState.CHECK and nc.verdict == "effective" and quality,
        "edit": nc.state in (NcState.REGISTERED, NcState.ANALYSIS) and (handler or nc.registered_by_id == user.pk),
    }


def _next_step(nc) -> str:
    return {
        NcState.REGISTERED: _("Next: the unit starts the analysis."),
        NcState.ANALYSIS: _("Next: find the root cause and record the immediate correction."),
        NcState.ACTION_PLAN: _("Next: plan the actions; the unit's head and the quality department approve the plan."),
        NcState.IN_PROGRESS: _("Next: the owners carry out the actions and report them done."),
        NcState.CHECK: _("Next: check that the actions were effective, then close."),
        NcState.CLOSED: _("Closed."),
    }[nc.state]


@login_required
def nc_detail(request, pk):
    nc = sel.nonconformity_detail(request.user, pk)
    actions = sel.actions_of(nc)
    context = {
        "nc": nc,
        "actions": actions,
        "can": _buttons(request.user, nc, actions),
        "checks": list(nc.checks.select_related("checked_by__person")),
        "states": NcState.choices,
        "next_step": _next_step(nc),
        "check_form": CheckForm(),
        "can_see_history": _can_see_history(request.user, nc),
        **_raised_from(request.user, nc),
    }
    return render(request, "improvement/nc_detail.html", context)


def _raised_from(user, record) -> dict:
    """The finding's evidence files, and whether this user may see the complaint it came from:
    complaints stay with the quality department and the unit they are routed to."""
    from . import raising

    complaint = record.complaint if record.complaint_id else None
    return {
        "evidence_files": raising.evidence_files(record.audit_finding) if record.audit_finding_id else [],
        "show_complaint": complaint is not None and raising.can_raise_from_complaint(user, complaint),
    }


def _nc_for(request, pk, can_key):
    nc = sel.nonconformity_detail(request.user, pk)
    if not _buttons(request.user, nc, None)[can_key]:
        raise PermissionDenied(_("You do not have permission to do this here."))
    return nc


@login_required
def nc_edit(request, pk):
    nc = _nc_for(request, pk, "edit")
    initial = {
        f: getattr(nc, f)
        for f in (
            "title",
            "nc_type",
            "source",
            "unit",
            "process",
            "requirement",
            "description",
            "severity",
            "detected_on",
        )
    }
    form = NonconformityForm(
        request.POST or None, initial=initial, institution=nc.institution, types=svc.types_for(nc.institution_id)
    )

    def save(data):
        for name, value in data.items():
            setattr(nc, name, value)
        return svc.nonconformity_update(actor=request.user, nonconformity=nc)

    return save_form(
        request,
        form,
        save,
        success_url=nc.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("Edit %(code)s") % {"code": nc.code}, "back_url": nc.get_absolute_url()},
    )


@login_required
@require_POST
def nc_start(request, pk):
    nc = sel.nonconformity_detail(request.user, pk)
    return _post_step(request, nc, svc.nonconformity_start_analysis)


@login_required
def nc_analyse(request, pk):
    nc = _nc_for(request, pk, "analyse")
    form = AnalysisForm(request.POST or None, initial=AnalysisForm.initial_from(nc))

    def save(data):
        return svc.nonconformity_analyse(
            actor=request.user,
            nonconformity=nc,
            root_cause=data["root_cause"],
            whys=form.whys(),
            immediate_correction=data["immediate_correction"],
        )

    return save_form(
        request,
        form,
        save,
        success_url=nc.get_absolute_url(),
        template="improvement/analysis_form.html",
        context={"title": _("Root cause analysis"), "nc": nc, "back_url": nc.get_absolute_url()},
    )


@login_required
@require_POST
def nc_approve(request, pk, side):
    nc = sel.nonconformity_detail(request.user, pk)
    return _post_step(request, nc, svc.nonconformity_approve_plan, side=side)


@login_required
@require_POST
def nc_check(request, pk):
    nc = sel.nonconformity_detail(request.user, pk)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the verdict and describe the evidence."))
        return redirect(nc.get_absolute_url())
    return _post_step(
        request, nc, svc.nonconformity_check, verdict=form.cleaned_data["verdict"], note=form.cleaned_data["note"]
    )


@login_required
@require_POST
def nc_close(request, pk):
    nc = sel.nonconformity_detail(request.user, pk)
    return _post_step(request, nc, svc.nonconformity_close)


@login_required
def nc_action_add(request, pk):
    nc = _nc_for(request, pk, "add_action")
    form = ActionForm(request.POST or None, user=request.user, institution=nc.institution)
    return save_form(
        request,
        form,
        lambda data: svc.action_create(actor=request.user, nonconformity=nc, **data),
        success_url=nc.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("Plan an action"), "lead": str(nc), "back_url": nc.get_absolute_url()},
    )


# --- actions ---------------------------------------------------------------------------------


@login_required
def action_add(request):
    """An action on its own, or raised from a risk (?risk=<id>)."""
    institution = _institution(request)
    risk = None
    if request.GET.get("risk"):
        risk = get_visible(risks_for(request.user).filter(institution=institution), pk=sel._int(request.GET["risk"]))
    elif not access.can(request.user, Perm.HANDLE_NC):
        raise PermissionDenied(
            _("Only the unit's head or quality responsible, or the quality department, may do this.")
        )
    form = ActionForm(request.POST or None, user=request.user, institution=institution, with_unit=risk is None)
    if risk is not None:

        def save(data):
            return svc.action_create(actor=request.user, risk=risk, **data)

        back = risk.get_absolute_url()
    else:

        def save(data):
            return svc.action_create(actor=request.user, institution=institution, **data)

        back = reverse("my_actions")
    return save_form(
        request,
        form,
        save,
        success_url=lambda a: a.get_absolute_url(),
        template="improvement/form.html",
        context={"title": _("New improvement action"), "lead": str(risk) if risk else "", "back_url": back},
    )


@login_required
def action_detail(request, pk):
    action = sel.action_detail(request.user, pk)
    is_open = action.status == ActionStatus.OPEN
    worker = svc.can_work_on_action(request.user, action)
    context = {
        "action": action,
        "notes": list(action.notes.select_related("author__person")),
        "can_work": is_open and worker,
        "can_cancel": is_open and svc.can_handle(request.user, action.unit),
        "note_form": NoteForm(),
        "done_form": DoneForm(),
        "cancel_form": CancelForm(),
        "can_see_history": _can_see_history(request.user, action),
        **_raised_from(request.user, action),
    }
    return render(request, "improvement/action_detail.html", context)


def _action_step(request, pk, form_class, step):
    action = sel.action_detail(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            step(action, form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(action.get_absolute_url())
    for error in [*form.non_field_errors(), *[e for errs in form.errors.values() for e in errs]][:1]:
        messages.error(request, error)
    return redirect(action.get_absolute_url())


@login_required
@require_POST
def action_note(request, pk):
    return _action_step(
        request, pk, NoteForm, lambda a, d: svc.action_note_add(actor=request.user, action=a, text=d["text"])
    )


@login_required
@require_POST
def action_done(request, pk):
    return _action_step(
        request, pk, DoneForm, lambda a, d: svc.action_done(actor=request.user, action=a, result=d["result"])
    )


@login_required
@require_POST
def action_cancel(request, pk):
    return _action_step(
        request, pk, CancelForm, lambda a, d: svc.action_cancel(actor=request.user, action=a, reason=d["reason"])
    )


@login_required
def my_actions(request):
    actions = list(sel.my_actions(request.user))
    context = {
        "open": [a for a in actions if a.status == ActionStatus.OPEN],
        "finished": [a for a in actions if a.status != ActionStatus.OPEN][:50],
        "can_add": access.can(request.user, Perm.HANDLE_NC),
    }
    return render(request, "improvement/my_actions.html", context)


@login_required
def overdue_actions(request):
    institution = _institution(request)
    if not svc.is_quality(request.user, institution.pk) and not access.can(request.user, Perm.VIEW_NC):
        raise PermissionDenied(_("Only the quality department may do this."))
    groups = sel.overdue_by_unit(request.user, institution)
    return render(
        request,
        "improvement/overdue.html",
        {"groups": groups, "institution": institution, "total": sum(len(g[1]) for g in groups)},
    )


@login_required
def analysis(request):
    institution = _institution(request)
    ncs = sel.nonconformities_for(request.user).filter(institution=institution)
    actions = sel.actions_for(request.user).filter(institution=institution)
    titles = (_("By type"), _("By source"), _("By unit"), _("By process"))
    return render(
        request, "improvement/analysis.html", {"a": figures.analysis(ncs, actions, titles), "institution": institution}
    )


# --- configuration ---------------------------------------------------------------------------


@login_required
def configuration(request):
    institution = _institution(request)
    if not svc.is_quality(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department may do this."))
    settings = svc.settings_for(institution.pk)
    form = SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST":
        return save_form(
            request,
            form,
            lambda s: svc.settings_save(actor=request.user, settings=s),
            success_url=reverse("improvement_config"),
            template="improvement/config.html",
            context={"types": svc.types_for(institution.pk)},
        )
    return render(request, "improvement/config.html", {"form": form, "types": svc.types_for(institution.pk)})


@login_required
def nc_type_edit(request, pk=None):
    institution = _institution(request)
    if not svc.is_quality(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department may do this."))
    instance = (
        get_visible(NcType.objects.filter(institution=institution), pk=pk) if pk else NcType(institution=institution)
    )
    form = NcTypeForm(request.POST or None, instance=instance)
    return save_form(
        request,
        form,
        lambda t: svc.nc_type_save(actor=request.user, nc_type=t),
        success_url=reverse("improvement_config"),
        template="improvement/form.html",
        context={"title": _("Nonconformity type"), "back_url": reverse("improvement_config")},
    )
