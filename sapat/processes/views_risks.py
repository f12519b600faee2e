"""Pages of the risk register (with its heat map) and of SWOT analyses. Views parse input and
call the services in `services_risks`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, save_form
from sapat.org.models import Unit

from . import selectors_risks as sel
from . import services_risks as svc
from .forms_risks import RiskActionForm, RiskForm, RiskScaleForm, SwotForm, SwotItemForm, ToObjectiveForm, ToRiskForm
from .models import (
    Process,
    QualityObjective,
    Risk,
    RiskAction,
    RiskKind,
    RiskLevel,
    RiskStatus,
    SwotAnalysis,
    SwotItem,
)
from .models_risks import shown_label
from .services import root_unit
from .views import _can_see_history, _institution


def _risk_for_edit(request, pk) -> Risk:
    risk = sel.risk_detail(request.user, pk)
    if not svc.can_manage_risk(request.user, risk):
        raise PermissionDenied(_("You do not have permission to do this here."))
    return risk


# --- the register -----------------------------------------------------------------------------


@login_required
def risk_list(request):
    institution = _institution(request)
    scale = svc.scale_for(institution.pk)
    filters = sel.parse_filters(request.GET)
    qs = sel.filter_risks(
        sel.risks_for(request.user).filter(institution=institution),
        filters,
        scale,
        likelihood=sel._int(request.GET.get("likelihood")),
        impact=sel._int(request.GET.get("impact")),
        residual=filters.residual,
    ).order_by("-score", "code")
    context = {
        "institution": institution,
        "risks": sel.attach_scale(qs, scale),
        "filters": filters,
        "processes": Process.objects.filter(institution=institution, is_active=True),
        "units": Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by("path"),
        "kinds": RiskKind.choices,
        "levels": RiskLevel.choices,
        "statuses": RiskStatus.choices,
        "can_add": svc.can_add_risks(request.user, institution.pk),
        "cell": request.GET.get("likelihood") and request.GET.get("impact"),
    }
    return render(request, "processes/risks/risk_list.html", context)


@login_required
def risk_heatmap(request):
    institution = _institution(request)
    scale = svc.scale_for(institution.pk)
    filters = sel.parse_filters(request.GET)
    level = filters.level
    filters.level = ""  # the map shows every level
    qs = sel.filter_risks(sel.risks_for(request.user).filter(institution=institution), filters, scale)
    filters.level = level
    context = {
        "institution": institution,
        "map": sel.heat_map(qs, scale, residual=filters.residual),
        "filters": filters,
        "base_query": filters.query(view="residual" if filters.residual else ""),
        "impact_labels": [(n, shown_label(label)) for n, label in enumerate(scale.impact_labels, start=1)],
    }
    return render(request, "processes/risks/heatmap.html", context)


@login_required
def risk_detail(request, pk):
    risk = sel.risk_detail(request.user, pk)
    can_edit = svc.can_manage_risk(request.user, risk)
    context = {
        "risk": risk,
        "actions": sel.actions_of(risk),
        "can_edit": can_edit,
        "action_form": RiskActionForm(user=request.user, institution=risk.institution) if can_edit else None,
        "can_see_history": _can_see_history(request.user, risk),
    }
    return render(request, "processes/risks/risk_detail.html", context)


def _risk_form(request, risk, title, back_url):
    scale = svc.scale_for(risk.institution_id)
    form = RiskForm(request.POST or None, instance=risk, user=request.user, institution=risk.institution, scale=scale)
    return save_form(
        request,
        form,
        lambda r: svc.risk_save(actor=request.user, risk=r),
        success_url=lambda r: r.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": title, "back_url": back_url},
    )


@login_required
def risk_add(request):
    institution = _institution(request)
    if not svc.can_add_risks(request.user, institution.pk):
        raise PermissionDenied(_("You do not have permission to do this here."))
    risk = Risk(institution=institution)
    process_id = sel._int(request.GET.get("process"))
    if process_id and request.method == "GET":
        risk.process = Process.objects.filter(institution=institution, pk=process_id).first()
    return _risk_form(request, risk, _("New risk or opportunity"), reverse("risk_list"))


@login_required
def risk_edit(request, pk):
    risk = _risk_for_edit(request, pk)
    return _risk_form(request, risk, _("Edit %(code)s") % {"code": risk.code}, risk.get_absolute_url())


@login_required
def action_add(request, pk):
    risk = _risk_for_edit(request, pk)
    form = RiskActionForm(
        request.POST or None, instance=RiskAction(risk=risk), user=request.user, institution=risk.institution
    )
    return save_form(
        request,
        form,
        lambda a: svc.action_add(actor=request.user, action=a),
        success_url=risk.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": _("New treatment action"), "back_url": risk.get_absolute_url(), "risk": risk},
    )


@login_required
@require_POST
def action_done(request, pk):
    action = get_object_or_404(RiskAction, pk=pk)
    risk = _risk_for_edit(request, action.risk_id)
    try:
        svc.action_done(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(risk.get_absolute_url())


# --- SWOT ------------------------------------------------------------------------------------


@login_required
def swot_list(request):
    institution = _institution(request)
    context = {
        "institution": institution,
        "analyses": sel.swots_for(request.user).filter(institution=institution),
        "can_add": svc.can_add_risks(request.user, institution.pk),
    }
    return render(request, "processes/risks/swot_list.html", context)


@login_required
def swot_detail(request, pk):
    analysis = sel.swot_detail(request.user, pk)
    context = {
        "analysis": analysis,
        "quadrants": sel.quadrants(analysis),
        "can_edit": svc.can_manage_swot(request.user, analysis),
    }
    return render(request, "processes/risks/swot_detail.html", context)


@login_required
def swot_add(request):
    institution = _institution(request)
    if not svc.can_add_risks(request.user, institution.pk):
        raise PermissionDenied(_("You do not have permission to do this here."))
    form = SwotForm(request.POST or None, instance=SwotAnalysis(institution=institution), institution=institution)
    return save_form(
        request,
        form,
        lambda a: svc.swot_save(actor=request.user, analysis=a),
        success_url=lambda a: a.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": _("New SWOT analysis"), "back_url": reverse("swot_list")},
    )


def _swot_for_edit(request, pk):
    analysis = sel.swot_detail(request.user, pk)
    if not svc.can_manage_swot(request.user, analysis):
        raise PermissionDenied(_("You do not have permission to do this here."))
    return analysis


@login_required
def swot_item_add(request, pk):
    analysis = _swot_for_edit(request, pk)
    quadrant = request.GET.get("quadrant", "")
    form = SwotItemForm(request.POST or None, instance=SwotItem(analysis=analysis), initial={"quadrant": quadrant})
    return save_form(
        request,
        form,
        lambda item: svc.swot_item_add(actor=request.user, item=item),
        success_url=analysis.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": _("New SWOT item"), "back_url": analysis.get_absolute_url()},
    )


@login_required
def swot_item_to_risk(request, pk):
    item = get_object_or_404(SwotItem, pk=pk)
    analysis = _swot_for_edit(request, item.analysis_id)
    item.analysis = analysis
    scale = svc.scale_for(analysis.institution_id)
    form = ToRiskForm(request.POST or None, institution=analysis.institution, scale=scale)

    def save(data):
        return svc.swot_item_to_risk(
            actor=request.user,
            item=item,
            process=data["process"],
            likelihood=data["likelihood"],
            impact=data["impact"],
        )

    return save_form(
        request,
        form,
        save,
        success_url=lambda r: r.get_absolute_url(),
        template="processes/risks/form.html",
        context={
            "title": _("Turn into a risk") if item.risk_kind == RiskKind.RISK else _("Turn into an opportunity"),
            "lead": item.text,
            "back_url": analysis.get_absolute_url(),
        },
    )


@login_required
def action_edit(request, pk):
    action = get_object_or_404(RiskAction, pk=pk)
    risk = _risk_for_edit(request, action.risk_id)
    action.risk = risk
    form = RiskActionForm(request.POST or None, instance=action, user=request.user, institution=risk.institution)
    return save_form(
        request,
        form,
        lambda a: svc.action_save(actor=request.user, action=a),
        success_url=risk.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": _("Edit the treatment action"), "back_url": risk.get_absolute_url(), "risk": risk},
    )


def _refused_or_done(request, call, success_message):
    """Run a service call that may be refused with a reason; show the reason or the success."""
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)


@login_required
@require_POST
def action_delete(request, pk):
    action = get_object_or_404(RiskAction, pk=pk)
    risk = _risk_for_edit(request, action.risk_id)
    action.risk = risk
    _refused_or_done(request, lambda: svc.action_delete(actor=request.user, action=action), _("The action is removed."))
    return redirect(risk.get_absolute_url())


# --- the scale -------------------------------------------------------------------------------


@login_required
def risk_scale(request):
    """The institution's rating scale: the levels it gives every cell and how the register
    would be re-levelled. "Preview" shows the result of the proposed scale without saving."""
    institution = _institution(request)
    current = svc.scale_for(institution.pk)
    can_edit = svc.can_manage(request.user, institution.pk)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the quality department keeps the process register."))
    proposed = svc.scale_for(institution.pk)  # a second copy for the form to change
    form = RiskScaleForm(request.POST or None, instance=proposed)
    previewing = False
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                svc.scale_check(proposed)
                previewing = True
            else:
                svc.scale_save(actor=request.user, scale=proposed)
                messages.success(request, _("Saved. Every risk is now levelled on the new scale."))
                return redirect("risk_scale")
        except ValidationError as error:
            add_validation_error(form, error)
    shown = proposed if previewing else current
    context = {
        "institution": institution,
        "form": form,
        "can_edit": can_edit,
        "previewing": previewing,
        "grid": sel.level_grid(shown),
        "impact_labels": [(n, shown_label(label)) for n, label in enumerate(shown.impact_labels, start=1)],
        "levels": sel.relevel(institution.pk, current, shown),
    }
    status = 400 if request.method == "POST" and not previewing else 200
    return render(request, "processes/risks/scale.html", context, status=status)


# --- SWOT items: edit, delete, turn into an objective ------------------------------------------


def _item_for_edit(request, pk):
    item = get_object_or_404(SwotItem, pk=pk)
    item.analysis = _swot_for_edit(request, item.analysis_id)
    return item


@login_required
def swot_item_edit(request, pk):
    item = _item_for_edit(request, pk)
    analysis = item.analysis
    form = SwotItemForm(request.POST or None, instance=item)
    return save_form(
        request,
        form,
        lambda i: svc.swot_item_save(actor=request.user, item=i),
        success_url=analysis.get_absolute_url(),
        template="processes/risks/form.html",
        context={"title": _("Edit the SWOT item"), "back_url": analysis.get_absolute_url()},
    )


@login_required
@require_POST
def swot_item_delete(request, pk):
    item = _item_for_edit(request, pk)
    analysis = item.analysis
    _refused_or_done(request, lambda: svc.swot_item_delete(actor=request.user, item=item), _("The item is removed."))
    return redirect(analysis.get_absolute_url())


@login_required
def swot_item_to_objective(request, pk):
    item = _item_for_edit(request, pk)
    analysis = item.analysis
    unit = analysis.unit or root_unit(analysis.institution_id)
    year = timezone.localdate().year
    objective = QualityObjective(institution=analysis.institution, unit=unit)
    form = ToObjectiveForm(
        request.POST or None,
        instance=objective,
        user=request.user,
        unit=unit,
        initial={"title_ky": item.text[:500], "start_year": year, "end_year": year + 2},
    )
    return save_form(
        request,
        form,
        lambda o: svc.swot_item_to_objective(actor=request.user, item=item, objective=o),
        success_url=lambda o: o.get_absolute_url(),
        template="processes/risks/form.html",
        context={
            "title": _("Turn into a quality objective"),
            "lead": _("An objective of %(unit)s, from: %(text)s") % {"unit": unit.name, "text": item.text},
            "back_url": analysis.get_absolute_url(),
        },
    )
