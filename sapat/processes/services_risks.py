"""Every write to the risk register and to SWOT analyses: permission first, then
validation, the save and its audit entry, in one transaction.

Who may manage a risk (add, change, add and close its actions):
- those holding MANAGE_PROCESSES at the institution's top unit (quality department, admin):
  every risk;
- those holding MANAGE_DOCUMENTS (unit heads, unit quality responsibles) over the risk's unit,
  or over the unit that currently owns the risk's process: that risk;
- the current owner (the person) of the risk's process: the risks of that process.
A SWOT analysis of the institution is kept by the quality department; one of a unit also by
those holding MANAGE_DOCUMENTS over that unit.

`actor=None` is the system itself (the demo loader): no permission check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import delete_audited, save_audited
from sapat.org import access
from sapat.org.access import Perm

from .models import QualityObjective, Risk, RiskAction, RiskScale, SwotAnalysis, SwotItem
from .services import can_manage, is_current_owner, root_unit
from .services_policy import objective_save


def scale_for(institution_id) -> RiskScale:
    """The institution's scale, created with the defaults the first time it is asked for."""
    return RiskScale.objects.get_or_create(institution_id=institution_id)[0]


def can_manage_risk(user, risk: Risk) -> bool:
    if can_manage(user, risk.institution_id):
        return True
    if risk.unit_id and access.can(user, Perm.MANAGE_DOCUMENTS, risk.unit):
        return True
    if risk.process_id:
        owning_units = [o.unit for o in risk.process.ownerships.current().select_related("unit") if o.unit_id]
        if any(access.can(user, Perm.MANAGE_DOCUMENTS, unit) for unit in owning_units):
            return True
        if is_current_owner(user, risk.process):
            return True
    return False


def can_add_risks(user, institution_id) -> bool:
    """May the user add a risk somewhere in the institution (shows the "add" button)?"""
    if can_manage(user, institution_id):
        return True
    if access.can(user, Perm.MANAGE_DOCUMENTS):
        return True
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return bool(person and person.process_ownerships.current().filter(process__institution_id=institution_id))


def can_manage_swot(user, analysis: SwotAnalysis) -> bool:
    if can_manage(user, analysis.institution_id):
        return True
    return bool(analysis.unit_id and access.can(user, Perm.MANAGE_DOCUMENTS, analysis.unit))


def _deny(message):
    raise PermissionDenied(message)


def _require_risk(actor, risk):
    if actor is not None and not can_manage_risk(actor, risk):
        _deny(
            _(
                "Only the quality department, the unit's head or quality responsible, or the process's owner "
                "may manage this risk."
            )
        )


def _require_swot(actor, analysis):
    if actor is not None and not can_manage_swot(actor, analysis):
        _deny(_("Only the quality department or the unit's head or quality responsible may keep this SWOT analysis."))


# --- the scale --------------------------------------------------------------------------------


@transaction.atomic
def scale_save(*, actor, scale: RiskScale) -> RiskScale:
    if actor is not None and not can_manage(actor, scale.institution_id):
        _deny(_("Only the quality department keeps the process register."))
    scale_check(scale)
    return save_audited(actor, scale)


def scale_check(scale: RiskScale) -> None:
    """Refuse a scale that is wrong in itself or that the register's ratings do not fit."""
    scale.full_clean()
    risks = Risk.objects.filter(institution_id=scale.institution_id)
    too_big = (
        risks.filter(Q(likelihood__gt=scale.likelihood_max) | Q(impact__gt=scale.impact_max)).exists()
        or risks.filter(
            Q(residual_likelihood__gt=scale.likelihood_max) | Q(residual_impact__gt=scale.impact_max)
        ).exists()
    )
    if too_big:
        raise ValidationError(_("Some risks are rated above the new scale's top level; re-rate them first."))


# --- risks ------------------------------------------------------------------------------------


def _next_code(institution_id) -> str:
    """R-001, R-002, …: the counter lives on the scale, locked while it is read, so a code is
    given once and never again, even when its risk is deleted."""
    scale_for(institution_id)
    scale = RiskScale.objects.select_for_update(of=("self",)).get(institution_id=institution_id)
    scale.last_number += 1
    scale.save(update_fields=["last_number", "updated_at"])
    return f"R-{scale.last_number:03d}"


@transaction.atomic
def risk_save(*, actor, risk: Risk) -> Risk:
    """Add a risk to the register or change it. The permission is checked against the
    record as it was (for a change) and as it will be (it may not be moved out of reach)."""
    if not risk._state.adding:
        original = Risk.objects.get(pk=risk.pk)
        _require_risk(actor, original)
        risk.institution_id = original.institution_id
        risk.code = original.code
        risk.source_item_id = original.source_item_id
    _require_risk(actor, risk)
    risk.scale = scale_for(risk.institution_id)
    risk.full_clean(exclude=["code"])
    if risk._state.adding:
        risk.code = _next_code(risk.institution_id)
    return save_audited(actor, risk, validate=False)


@transaction.atomic
def action_add(*, actor, action: RiskAction) -> RiskAction:
    if not action._state.adding:
        raise ValidationError(_("An action is added once."))
    _require_risk(actor, action.risk)
    if actor is not None and action.deadline and action.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline of a new action cannot be in the past.")})
    return save_audited(actor, action)


@transaction.atomic
def action_save(*, actor, action: RiskAction) -> RiskAction:
    """Change an action's description, responsible person or deadline; it stays with its risk
    and its "done on" date is kept (only `action_done` sets it)."""
    if action._state.adding:
        raise ValidationError(_("Add the action first."))
    original = RiskAction.objects.select_related("risk").get(pk=action.pk)
    _require_risk(actor, original.risk)
    if original.risk_id != action.risk_id:
        raise ValidationError(_("An action stays with its risk."))
    action.done_on = original.done_on
    if (
        actor is not None
        and action.deadline != original.deadline
        and action.deadline
        and action.deadline < timezone.localdate()
    ):
        raise ValidationError({"deadline": _("A deadline cannot be moved into the past.")})
    return save_audited(actor, action)


@transaction.atomic
def action_delete(*, actor, action: RiskAction) -> None:
    """Remove an action entered by mistake. A done action is the record of the treatment and
    stays."""
    _require_risk(actor, action.risk)
    if action.done_on is not None:
        raise ValidationError(_("A done action is the record of the treatment; it cannot be deleted."))
    delete_audited(actor, action)


@transaction.atomic
def action_done(*, actor, action: RiskAction, done_on=None) -> RiskAction:
    _require_risk(actor, action.risk)
    if action.done_on is not None:
        raise ValidationError(_("This action is already done."))
    action.done_on = done_on or timezone.localdate()
    return save_audited(actor, action)


# --- SWOT -------------------------------------------------------------------------------------


@transaction.atomic
def swot_save(*, actor, analysis: SwotAnalysis) -> SwotAnalysis:
    if not analysis._state.adding:
        original = SwotAnalysis.objects.get(pk=analysis.pk)
        _require_swot(actor, original)
        analysis.institution_id = original.institution_id
    _require_swot(actor, analysis)
    return save_audited(actor, analysis)


@transaction.atomic
def swot_item_add(*, actor, item: SwotItem) -> SwotItem:
    _require_swot(actor, item.analysis)
    return save_audited(actor, item)


@transaction.atomic
def swot_item_save(*, actor, item: SwotItem) -> SwotItem:
    """Change an item's quadrant or text; it stays in its analysis."""
    if item._state.adding:
        return swot_item_add(actor=actor, item=item)
    original = SwotItem.objects.select_related("analysis").get(pk=item.pk)
    _require_swot(actor, original.analysis)
    if original.analysis_id != item.analysis_id:
        raise ValidationError(_("An item stays in its analysis."))
    item.objective_id = original.objective_id
    return save_audited(actor, item)


def _turned_into(item: SwotItem) -> str:
    """What the item became, as the refusal to delete it names it; "" if nothing."""
    risk = Risk.objects.filter(source_item=item).first()
    if risk is not None:
        return _("the risk %(code)s") % {"code": risk.code}
    if item.objective_id:
        objective = QualityObjective.objects.get(pk=item.objective_id)
        return _("the quality objective %(code)s") % {"code": objective.code}
    return ""


@transaction.atomic
def swot_item_delete(*, actor, item: SwotItem) -> None:
    """Remove an item, unless it was turned into a risk or an objective: it is their source."""
    item = SwotItem.objects.select_for_update(of=("self",)).select_related("analysis").get(pk=item.pk)
    _require_swot(actor, item.analysis)
    became = _turned_into(item)
    if became:
        raise ValidationError(
            _("This item was turned into %(what)s and stays as its source; change the text instead.") % {"what": became}
        )
    delete_audited(actor, item)


@transaction.atomic
def swot_item_to_objective(*, actor, item: SwotItem, objective: QualityObjective) -> QualityObjective:
    """Turn a SWOT item into a quality objective of the analysis's unit (the institution's top
    unit for the institution's own analysis), linked back to the item. An item becomes one
    objective only. `objective` carries what the user chose (text, objective above, period);
    the unit is the analysis's. The objective's own rules (who sets a unit's objectives, the
    cascade) are `objective_save`'s."""
    item = SwotItem.objects.select_for_update(of=("self",)).select_related("analysis").get(pk=item.pk)
    analysis = item.analysis
    _require_swot(actor, analysis)
    if item.objective_id:
        raise ValidationError(_("This item has already been turned into an objective."))
    objective.unit = analysis.unit or root_unit(analysis.institution_id)
    objective.institution_id = analysis.institution_id
    if not (objective.title_ky or "").strip():
        objective.title_ky = item.text[:500]
    objective = objective_save(actor=actor, objective=objective)
    item.objective = objective
    save_audited(actor, item, note=_("turned into the objective %(code)s") % {"code": objective.code})
    return objective


@transaction.atomic
def swot_item_to_risk(*, actor, item: SwotItem, process=None, likelihood=3, impact=3, owner=None) -> Risk:
    """Turn a SWOT item into a risk (weaknesses, threats) or an opportunity (strengths,
    opportunities) of the analysis's unit — or, for the institution's own analysis, of the
    institution's top unit — linked back to the item. An item becomes one risk only."""
    analysis = item.analysis
    _require_swot(actor, analysis)
    if Risk.objects.filter(source_item=item).exists():
        raise ValidationError(_("This item has already been turned into a risk."))
    unit = analysis.unit or root_unit(analysis.institution_id)
    risk = Risk(
        institution_id=analysis.institution_id,
        kind=item.risk_kind,
        unit=unit,
        process=process,
        title=item.text[:300],
        cause=item.text,
        likelihood=likelihood,
        impact=impact,
        owner=owner,
    )
    risk.source_item = item
    return risk_save(actor=actor, risk=risk)
