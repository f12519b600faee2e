"""Pages of the quality policy and the quality objectives. Views parse input and call the
services in `services_policy`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.web import save_form
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import UnitType
from sapat.org.models import Unit

from . import selectors_policy as selectors
from . import services_policy as services
from .forms_policy import ObjectiveForm, PolicyApproveForm, PolicyForm, ReviewForm
from .models_policy import ObjectiveReview, PolicyState, QualityObjective, QualityPolicy
from .views import _can_see_history, _institution

# --- the policy -------------------------------------------------------------------------------


def _policy_page(request, institution, shown):
    manage = services.can_manage_policy(request.user, institution.pk)
    versions = list(selectors.policies_for(request.user, institution, drafts=manage))
    context = {
        "institution": institution,
        "policy": shown,
        "versions": versions,
        "in_force": next((v for v in versions if v.state == PolicyState.IN_FORCE), None),
        "can_manage": manage,
        "can_see_history": shown is not None and _can_see_history(request.user, shown),
    }
    return render(request, "processes/policy/policy.html", context)


@login_required
def quality_policy(request):
    institution = _institution(request)
    shown = selectors.policies_for(request.user, institution).filter(state=PolicyState.IN_FORCE).first()
    return _policy_page(request, institution, shown)


def _policy(request, pk) -> QualityPolicy:
    institution = _institution(request)
    drafts = services.can_manage_policy(request.user, institution.pk)
    return get_object_or_404(selectors.policies_for(request.user, institution, drafts=drafts), pk=pk)


@login_required
def policy_version(request, pk):
    policy = _policy(request, pk)
    return _policy_page(request, policy.institution, policy)


def _require_policy(request, institution_id):
    if not services.can_manage_policy(request.user, institution_id):
        raise PermissionDenied(_("Only the quality department keeps the quality policy."))


@login_required
def policy_add(request):
    institution = _institution(request)
    _require_policy(request, institution.pk)
    base = QualityPolicy.objects.filter(institution=institution).order_by("-version_number").first()
    initial = {f: getattr(base, f) for f in ("text_ky", "text_ru", "text_en")} if base else {}
    form = PolicyForm(request.POST or None, instance=QualityPolicy(institution=institution), initial=initial)
    return save_form(
        request,
        form,
        lambda p: services.policy_save(actor=request.user, policy=p),
        success_url=lambda p: p.get_absolute_url(),
        template="processes/policy/form.html",
        context={"title": _("New version of the quality policy"), "back_url": reverse("quality_policy")},
        success_message=_("The draft is saved. Approve it to put it in force."),
    )


@login_required
def policy_edit(request, pk):
    policy = _policy(request, pk)
    _require_policy(request, policy.institution_id)
    if policy.state != PolicyState.DRAFT:
        raise PermissionDenied(_("An approved policy cannot be edited; write a new version instead."))
    form = PolicyForm(request.POST or None, instance=policy)
    return save_form(
        request,
        form,
        lambda p: services.policy_save(actor=request.user, policy=p),
        success_url=lambda p: p.get_absolute_url(),
        template="processes/policy/form.html",
        context={"title": _("Edit the draft"), "back_url": policy.get_absolute_url()},
    )


@login_required
def policy_approve(request, pk):
    policy = _policy(request, pk)
    _require_policy(request, policy.institution_id)
    form = PolicyApproveForm(
        request.POST or None, institution=policy.institution, initial={"approved_on": timezone.localdate()}
    )

    def save(data):
        return services.policy_approve(
            actor=request.user,
            policy=policy,
            approved_on=data["approved_on"],
            body=data["approved_by_body"],
            protocol_number=data["protocol_number"],
        )

    return save_form(
        request,
        form,
        save,
        success_url=reverse("quality_policy"),
        template="processes/policy/form.html",
        context={
            "title": _("Approve version %(n)s") % {"n": policy.version_number},
            "back_url": policy.get_absolute_url(),
        },
        success_message=_("The version is in force."),
    )


# --- objectives -------------------------------------------------------------------------------


@login_required
def objective_list(request):
    institution = _institution(request)
    objectives = selectors.objectives_for(request.user).filter(institution=institution)
    unit = None
    if request.GET.get("unit"):
        unit = Unit.objects.filter(institution=institution, pk=request.GET["unit"]).first()
        if unit is not None:
            objectives = objectives.filter(unit__path__startswith=unit.path)
    context = {
        "institution": institution,
        "rows": selectors.objective_tree(objectives),
        "units": selectors.filter_units(institution),
        "unit": unit,
        "can_add": _editable_units(request.user, institution).exists(),
    }
    return render(request, "processes/policy/objective_list.html", context)


@login_required
def objective_detail(request, pk):
    objective = selectors.objective_detail(request.user, pk)
    context = {
        "objective": objective,
        "chain": selectors.chain_of(objective),
        "children": selectors.children_of(request.user, objective),
        "can_edit": services.can_set_objectives(request.user, objective.unit),
        "can_see_history": access.can(request.user, Perm.VIEW_AUDIT, objective.unit),
    }
    return render(request, "processes/policy/objective_detail.html", context)


def _editable_units(user, institution):
    units = Unit.objects.filter(institution=institution, closed_on__isnull=True).exclude(unit_type=UnitType.COUNCIL)
    if services.can_manage(user, institution.pk):
        return units.order_by("path")
    return (
        units.filter(access.unit_q(user, Perm.MANAGE_DOCUMENTS, prefix=""))
        .exclude(parent__isnull=True)
        .order_by("path")
    )


def _objective_form(request, objective, institution, title, back_url, initial=None):
    units = _editable_units(request.user, institution)
    if objective.unit_id:
        units = Unit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=objective.unit_id)).order_by("path")
    form = ObjectiveForm(
        request.POST or None,
        instance=objective,
        user=request.user,
        institution=institution,
        units=units,
        initial=initial,
    )
    return save_form(
        request,
        form,
        lambda o: services.objective_save(actor=request.user, objective=o, processes=form.cleaned_data["processes"]),
        success_url=lambda o: o.get_absolute_url(),
        template="processes/policy/form.html",
        context={"title": title, "back_url": back_url},
    )


@login_required
def objective_add(request):
    institution = _institution(request)
    units = _editable_units(request.user, institution)
    if not units.exists():
        raise PermissionDenied(_("You may not set quality objectives."))
    objective = QualityObjective(institution=institution)
    parent = QualityObjective.objects.filter(institution=institution, pk=request.GET.get("parent") or 0).first()
    initial = {}
    if parent is not None:
        initial = {"parent": parent, "start_year": parent.start_year, "end_year": parent.end_year}
        below = units.filter(parent_id=parent.unit_id).first() if parent.unit.parent_id is None else None
        initial["unit"] = below or (parent.unit if units.filter(pk=parent.unit_id).exists() else None)
    else:
        year = timezone.localdate().year
        initial = {"start_year": year, "end_year": year + 4}
    return _objective_form(
        request, objective, institution, _("New quality objective"), reverse("objective_list"), initial
    )


@login_required
def objective_edit(request, pk):
    objective = selectors.objective_detail(request.user, pk)
    if not services.can_set_objectives(request.user, objective.unit):
        raise PermissionDenied(
            _("Only the unit's head, its quality responsible or the quality department may set its objectives.")
        )
    return _objective_form(
        request, objective, objective.institution, _("Edit quality objective"), objective.get_absolute_url()
    )


@login_required
def review_add(request, pk):
    objective = selectors.objective_detail(request.user, pk)
    if not services.can_set_objectives(request.user, objective.unit):
        raise PermissionDenied(
            _("Only the unit's head, its quality responsible or the quality department may set its objectives.")
        )
    year = min(max(timezone.localdate().year, objective.start_year), objective.end_year)
    form = ReviewForm(request.POST or None, instance=ObjectiveReview(objective=objective), initial={"year": year})
    return save_form(
        request,
        form,
        lambda r: services.review_save(actor=request.user, review=r),
        success_url=objective.get_absolute_url() + "#reviews",
        template="processes/policy/form.html",
        context={"title": _("Year's review"), "subtitle": str(objective), "back_url": objective.get_absolute_url()},
    )
