"""Writes to the quality policy and the quality objectives: permission first, then state and
validation, then the save with its audit log entry, in one transaction.

Who may write: the policy and the institution's own objectives are kept by those holding
MANAGE_PROCESSES at the institution's top unit (the quality department and the
administrator). A unit's objectives may also be set by those holding MANAGE_DOCUMENTS in the
unit's scope — its head and its quality responsible: the seeds make the heads of faculties,
departments and colleges write their unit's objectives. `actor=None` is the system itself
(the demo loader)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sapat.core.audit import save_audited
from sapat.org import access
from sapat.org.access import Perm

from .models_policy import ObjectiveReview, PolicyState, QualityObjective, QualityPolicy
from .services import can_manage, set_links

# --- permissions -----------------------------------------------------------------------------


def can_manage_policy(user, institution_id) -> bool:
    return can_manage(user, institution_id)


def can_set_objectives(user, unit) -> bool:
    """May `user` add or change the objectives of `unit`?"""
    if can_manage(user, unit.institution_id):
        return True
    return unit.parent_id is not None and access.can(user, Perm.MANAGE_DOCUMENTS, unit)


def _require_policy(actor, institution_id):
    if actor is not None and not can_manage_policy(actor, institution_id):
        raise PermissionDenied(_("Only the quality department keeps the quality policy."))


def _require_objectives(actor, unit):
    if actor is not None and not can_set_objectives(actor, unit):
        raise PermissionDenied(
            _("Only the unit's head, its quality responsible or the quality department may set its objectives.")
        )


# --- the policy ------------------------------------------------------------------------------


@transaction.atomic
def policy_save(*, actor, policy: QualityPolicy) -> QualityPolicy:
    """Write a new draft version, or change a draft. Approved versions are not edited."""
    if policy._state.adding:
        _require_policy(actor, policy.institution_id)
        last = QualityPolicy.objects.filter(institution_id=policy.institution_id).aggregate(n=Max("version_number"))
        policy.version_number = (last["n"] or 0) + 1
        policy.state = PolicyState.DRAFT
    else:
        original = QualityPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        _require_policy(actor, original.institution_id)
        if original.state != PolicyState.DRAFT:
            raise ValidationError(_("An approved policy cannot be edited; write a new version instead."))
        policy.institution_id = original.institution_id
        policy.version_number = original.version_number
        policy.state = original.state
        policy.approved_on, policy.approved_by_body, policy.protocol_number = None, None, ""
    return save_audited(actor, policy)


@transaction.atomic
def policy_approve(*, actor, policy: QualityPolicy, approved_on, body, protocol_number="") -> QualityPolicy:
    """Put a draft in force; the version in force until then is superseded."""
    policy = QualityPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
    _require_policy(actor, policy.institution_id)
    if policy.state != PolicyState.DRAFT:
        raise ValidationError(_("This version is already approved."))
    errors = {}
    if not approved_on:
        errors["approved_on"] = _("Give the date of approval.")
    if body is None:
        errors["approved_by_body"] = _("Name the body that approved it.")
    elif body.institution_id != policy.institution_id:
        errors["approved_by_body"] = _("The body belongs to another institution.")
    if errors:
        raise ValidationError(errors)
    current = (
        QualityPolicy.objects.select_for_update(of=("self",))
        .filter(institution_id=policy.institution_id, state=PolicyState.IN_FORCE)
        .first()
    )
    if current is not None:
        if current.approved_on and approved_on < current.approved_on:
            raise ValidationError({"approved_on": _("The date is before the approval of the version in force.")})
        current.state = PolicyState.SUPERSEDED
        save_audited(actor, current, note=_("superseded by version %(n)s") % {"n": policy.version_number})
    policy.state = PolicyState.IN_FORCE
    policy.approved_on, policy.approved_by_body, policy.protocol_number = approved_on, body, protocol_number
    return save_audited(actor, policy, note=_("approved"))


# --- objectives ------------------------------------------------------------------------------


def next_code(objective: QualityObjective) -> str:
    """The next free code in the cascade: "3" at the top, "1.2.4" under "1.2"."""
    siblings = QualityObjective.objects.filter(institution_id=objective.institution_id)
    prefix = f"{objective.parent.code}." if objective.parent_id and objective.parent.code else ""
    taken = set(siblings.values_list("code", flat=True))
    used = [c[len(prefix) :] for c in taken if c.startswith(prefix)] if prefix else list(taken)
    numbers = [int(c) for c in used if c.isdigit()]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _check_links(objective, processes):
    if processes is not None and any(p.institution_id != objective.institution_id for p in processes):
        raise ValidationError({"processes": _("The process belongs to another institution.")})


@transaction.atomic
def objective_save(*, actor, objective: QualityObjective, processes=None) -> QualityObjective:
    """Add an objective or change it; `processes`, when given, replace its processes."""
    if not objective._state.adding:
        original = QualityObjective.objects.select_related("unit").get(pk=objective.pk)
        _require_objectives(actor, original.unit)
        objective.institution_id = original.institution_id  # an objective never changes institution
    if objective.unit_id is None:
        raise ValidationError({"unit": _("Choose the unit.")})
    objective.institution_id = objective.unit.institution_id
    _require_objectives(actor, objective.unit)
    _check_links(objective, processes)
    if not (objective.code or "").strip():
        objective.full_clean(exclude=["code"])  # the parent must be right before it names the code
        objective.code = next_code(objective)
    elif (
        QualityObjective.objects.filter(
            institution_id=objective.institution_id, code=objective.code.strip().rstrip(".")
        )
        .exclude(pk=objective.pk)
        .exists()
    ):
        raise ValidationError({"code": _("This code is already used.")})
    save_audited(actor, objective)
    if processes is not None:
        set_links(actor, objective, "processes", processes)
    return objective


@transaction.atomic
def review_save(*, actor, review: ObjectiveReview) -> ObjectiveReview:
    """Record (or correct) the year's achievement of an objective."""
    objective = review.objective
    _require_objectives(actor, objective.unit)
    if not review._state.adding:
        original = ObjectiveReview.objects.get(pk=review.pk)
        if original.objective_id != review.objective_id:
            raise ValidationError(_("A review stays with its objective."))
    return save_audited(actor, review)
