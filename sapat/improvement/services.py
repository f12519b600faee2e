"""Every step of a nonconformity and of an improvement action. Each step is one function
`<entity>_<step>(*, actor, ...)`: atomic, checks who may take it and from which state first,
writes the audit log, sends its e-mail once the transaction has committed.

Who does what:
- anyone at work in the institution (REGISTER_NC) registers a nonconformity;
- the unit's head and quality responsible (HANDLE_NC over the unit) and the quality
  department (MANAGE_NC at the institution's top unit) analyse it and plan its actions;
- the plan is approved twice, by two different people: for the unit (APPROVE_NC_PLAN over the
  unit, or the unit's head) and by the quality department;
- an action's owner, and those who handle the unit, record progress and mark it done;
- the effectiveness is checked by a handler who owns none of the actions, not before
  `check_after_days` after the last action was done;
- the quality department closes it.

`actor=None` is the system itself (the demo loader, the daily command): no permission check."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import save_audited
from sapat.core.notify import notify
from sapat.org import access
from sapat.org.access import Perm
from sapat.processes.services import root_unit

from . import raising
from .models import (
    DEFAULT_TYPES,
    MAX_WHYS,
    Action,
    ActionKind,
    ActionNote,
    ActionStatus,
    EffectivenessCheck,
    ImprovementSettings,
    NcState,
    NcType,
    Nonconformity,
    Origin,
    Verdict,
)

# --- who -------------------------------------------------------------------------------------


def _person(user):
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def is_quality(user, institution_id) -> bool:
    root = root_unit(institution_id)
    return root is not None and access.can(user, Perm.MANAGE_NC, root)


def can_handle(user, unit) -> bool:
    """The unit's head or quality responsible, or the quality department."""
    return access.can(user, Perm.HANDLE_NC, unit) or is_quality(user, unit.institution_id)


def can_register(user, institution_id) -> bool:
    root = root_unit(institution_id)
    return root is not None and access.can(user, Perm.REGISTER_NC, root)


def can_approve_for_unit(user, nc: Nonconformity) -> bool:
    person = _person(user)
    if person is not None and nc.unit.head_id == person.pk:
        return True
    return access.can(user, Perm.APPROVE_NC_PLAN, nc.unit)


def owner_ids(nc: Nonconformity) -> set[int]:
    return set(nc.actions.exclude(status=ActionStatus.CANCELLED).values_list("owner_id", flat=True))


def can_check(user, nc: Nonconformity) -> bool:
    """A handler of the unit who owns none of the nonconformity's actions."""
    person = _person(user)
    if person is not None and person.pk in owner_ids(nc):
        return False
    return can_handle(user, nc.unit)


def is_action_owner(user, action: Action) -> bool:
    person = _person(user)
    return person is not None and action.owner_id == person.pk


def can_work_on_action(user, action: Action) -> bool:
    """Record progress, add evidence, mark done: the owner, or a handler of the unit."""
    return is_action_owner(user, action) or can_handle(user, action.unit)


def can_view_nonconformity(user, nc) -> bool:
    from .selectors import nonconformities_for

    return user is not None and nonconformities_for(user).filter(pk=nc.pk).exists()


def can_attach_to_nonconformity(user, nc) -> bool:
    if user is None or not user.is_authenticated or not nc.is_open:
        return False
    return nc.registered_by_id == user.pk or can_handle(user, nc.unit)


def can_view_action(user, action) -> bool:
    from .selectors import actions_for

    return user is not None and actions_for(user).filter(pk=action.pk).exists()


def can_attach_to_action(user, action) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and action.status == ActionStatus.OPEN
        and can_work_on_action(user, action)
    )


def _deny(message):
    raise PermissionDenied(message)


def _require_state(nc: Nonconformity, *states):
    if nc.state not in states:
        raise ValidationError(
            _("This cannot be done while the nonconformity is “%(state)s”.") % {"state": nc.get_state_display()}
        )


def _require_handler(actor, nc):
    if actor is not None and not can_handle(actor, nc.unit):
        _deny(_("Only the unit's head or quality responsible, or the quality department, may do this."))


def _require_quality(actor, institution_id):
    if actor is not None and not is_quality(actor, institution_id):
        _deny(_("Only the quality department may do this."))


def _locked(nc: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.select_for_update(of=("self",)).select_related("unit", "institution").get(pk=nc.pk)


def _unit_people(unit):
    return [p for p in (unit.head, unit.quality_responsible) if p is not None]


def _quality_people(institution_id):
    """The people holding the quality department's role in the institution today."""
    from sapat.org.choices import Role
    from sapat.org.models import Person

    today = timezone.localdate()
    return list(
        Person.objects.filter(
            user__role_assignments__role=Role.QUALITY_DEPARTMENT,
            user__role_assignments__unit__institution_id=institution_id,
            user__role_assignments__valid_from__lte=today,
            left_on__isnull=True,
        ).distinct()
    )


# --- configuration ---------------------------------------------------------------------------


def settings_for(institution_id) -> ImprovementSettings:
    return ImprovementSettings.objects.get_or_create(institution_id=institution_id)[0]


def types_for(institution_id):
    """The institution's types, created from the seeds' five the first time they are asked for."""
    if not NcType.objects.filter(institution_id=institution_id).exists():
        for sort, (code, ky, ru, en) in enumerate(DEFAULT_TYPES, start=1):
            NcType.objects.get_or_create(
                institution_id=institution_id,
                code=code,
                defaults={"name_ky": ky, "name_ru": ru, "name_en": en, "sort": sort},
            )
    return NcType.objects.filter(institution_id=institution_id)


@transaction.atomic
def nc_type_save(*, actor, nc_type: NcType) -> NcType:
    if not nc_type._state.adding:
        nc_type.institution_id = NcType.objects.get(pk=nc_type.pk).institution_id
    _require_quality(actor, nc_type.institution_id)
    clash = NcType.objects.filter(institution_id=nc_type.institution_id, code=nc_type.code).exclude(pk=nc_type.pk)
    if clash.exists():
        raise ValidationError({"code": _("This code is already used in the institution.")})
    return save_audited(actor, nc_type)


@transaction.atomic
def settings_save(*, actor, settings: ImprovementSettings) -> ImprovementSettings:
    _require_quality(actor, settings.institution_id)
    return save_audited(actor, settings)


def _next_code(institution_id, year) -> str:
    """NC-2026-001: the year's counter is read and bumped under a lock, so a code is given
    once and never again, even if its nonconformity were deleted."""
    settings_for(institution_id)
    settings = ImprovementSettings.objects.select_for_update(of=("self",)).get(institution_id=institution_id)
    number = int(settings.counters.get(str(year), 0)) + 1
    settings.counters = {**settings.counters, str(year): number}
    settings.save(update_fields=["counters", "updated_at"])
    return f"NC-{year}-{number:03d}"


# --- nonconformities -------------------------------------------------------------------------


@transaction.atomic
def nonconformity_register(
    *,
    actor,
    institution,
    unit,
    nc_type,
    source,
    title,
    description,
    severity,
    process=None,
    requirement="",
    detected_on=None,
    audit_finding=None,
    complaint=None,
) -> Nonconformity:
    """Enter a nonconformity found in an audit, a complaint, an inspection or daily work.
    Raised from an audit finding or a complaint (see `raising.py`), it links it. The unit's
    head and quality responsible are told."""
    raising.check_source(actor, institution, audit_finding=audit_finding, complaint=complaint, to_nc=True)
    if actor is not None and not can_register(actor, institution.pk):
        _deny(_("You may not register nonconformities in this institution."))
    nc = Nonconformity(
        audit_finding=audit_finding,
        complaint=complaint,
        institution=institution,
        unit=unit,
        nc_type=nc_type,
        source=source,
        title=title,
        description=description,
        severity=severity,
        process=process,
        requirement=requirement,
        detected_on=detected_on or timezone.localdate(),
        registered_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if nc_type is not None and not nc_type.is_active:
        raise ValidationError({"nc_type": _("This type is no longer in use.")})
    nc.full_clean(exclude=["code"])
    nc.code = _next_code(institution.pk, timezone.localdate().year)
    save_audited(actor, nc, validate=False)
    notify(_unit_people(unit), "improvement/mail/registered", {"nc": nc})
    return nc


@transaction.atomic
def nonconformity_update(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    """Correct the description of a nonconformity not yet past its analysis."""
    original = _locked(nonconformity)
    _require_state(original, NcState.REGISTERED, NcState.ANALYSIS)
    if actor is not None and not (original.registered_by_id == actor.pk or can_handle(actor, original.unit)):
        _deny(
            _(
                "Only the person who registered it, the unit's head or quality responsible, or the quality "
                "department may change it."
            )
        )
    for name in ("institution_id", "code", "state", "registered_by_id", "audit_finding_id", "complaint_id"):
        setattr(nonconformity, name, getattr(original, name))
    if nonconformity.unit_id != original.unit_id:
        _require_handler(actor, nonconformity)  # moving it to another unit
    return save_audited(actor, nonconformity)


@transaction.atomic
def nonconformity_start_analysis(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    nc = _locked(nonconformity)
    _require_handler(actor, nc)
    _require_state(nc, NcState.REGISTERED)
    nc.state = NcState.ANALYSIS
    return save_audited(actor, nc)


def _clean_whys(whys) -> list[dict]:
    rows = []
    for row in whys or []:
        why, because = (row.get("why", ""), row.get("because", "")) if isinstance(row, dict) else row
        why, because = (why or "").strip(), (because or "").strip()
        if not why and not because:
            continue
        if not (why and because):
            raise ValidationError({"whys": _("Fill in both the question and the answer of every why row.")})
        rows.append({"why": why, "because": because})
    if len(rows) > MAX_WHYS:
        raise ValidationError({"whys": _("Give at most %(n)s why/because rows.") % {"n": MAX_WHYS}})
    return rows


@transaction.atomic
def nonconformity_analyse(
    *, actor, nonconformity: Nonconformity, root_cause, whys=(), immediate_correction=""
) -> Nonconformity:
    """Record the root cause (with up to five why/because rows) and the immediate correction,
    and move on to planning the actions."""
    nc = _locked(nonconformity)
    _require_handler(actor, nc)
    _require_state(nc, NcState.ANALYSIS)
    if not (root_cause or "").strip():
        raise ValidationError({"root_cause": _("State the root cause.")})
    nc.whys = _clean_whys(whys)
    nc.root_cause = root_cause.strip()
    nc.immediate_correction = (immediate_correction or "").strip()
    nc.state = NcState.ACTION_PLAN
    return save_audited(actor, nc)


def _clear_approvals(nc):
    nc.unit_approved_by = nc.quality_approved_by = None
    nc.unit_approved_at = nc.quality_approved_at = None


@transaction.atomic
def nonconformity_approve_plan(*, actor, nonconformity: Nonconformity, side: str) -> Nonconformity:
    """One of the plan's two approvals: `side` "unit" (the unit's head) or "quality" (the
    quality department), by two different people. With both, the work starts and the
    action owners are told."""
    nc = _locked(nonconformity)
    _require_state(nc, NcState.ACTION_PLAN)
    if side == "unit":
        if actor is not None and not can_approve_for_unit(actor, nc):
            _deny(_("Only the unit's head may approve the plan for the unit."))
        if nc.unit_approved_at:
            raise ValidationError(_("The plan is already approved for the unit."))
        other = nc.quality_approved_by_id
    elif side == "quality":
        _require_quality(actor, nc.institution_id)
        if nc.quality_approved_at:
            raise ValidationError(_("The quality department has already approved the plan."))
        other = nc.unit_approved_by_id
    else:
        raise ValidationError(_("Say whether you approve for the unit or for the quality department."))
    if actor is not None and other == actor.pk:
        raise ValidationError(_("The plan needs two different people's approval: you have approved it already."))
    open_actions = nc.actions.filter(status=ActionStatus.OPEN).exclude(kind=ActionKind.CORRECTION)
    if not open_actions.exists():
        raise ValidationError(_("Plan at least one corrective, preventive or improvement action first."))
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    if side == "unit":
        nc.unit_approved_by, nc.unit_approved_at = user, now
    else:
        nc.quality_approved_by, nc.quality_approved_at = user, now
    if nc.unit_approved_at and nc.quality_approved_at:
        nc.state = NcState.IN_PROGRESS
        owners = {a.owner for a in open_actions.select_related("owner__user")}
        notify(owners, "improvement/mail/plan_approved", {"nc": nc})
    return save_audited(actor, nc)


@transaction.atomic
def nonconformity_check(*, actor, nonconformity: Nonconformity, verdict: str, note: str) -> Nonconformity:
    """The effectiveness verdict, by a handler who owns none of the actions, once the wait
    after the last action has passed. Not effective: back to the action plan (reopened)."""
    nc = _locked(nonconformity)
    _require_state(nc, NcState.CHECK)
    if actor is not None and not can_check(actor, nc):
        _deny(
            _(
                "The effectiveness is checked by the unit's head or quality responsible or the quality department, "
                "and not by an owner of the actions."
            )
        )
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose effective or not effective.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what shows the actions worked, or why they did not.")})
    today = timezone.localdate()
    if nc.check_due_on and today < nc.check_due_on:
        raise ValidationError(
            _("The effectiveness can be checked from %(date)s, when the actions have had time to work.")
            % {"date": nc.check_due_on.strftime("%d.%m.%Y")}
        )
    user = actor if actor is not None and actor.is_authenticated else None
    save_audited(
        actor,
        EffectivenessCheck(nonconformity=nc, verdict=verdict, checked_by=user, checked_on=today, note=note.strip()),
    )
    if verdict == Verdict.EFFECTIVE:
        nc.verdict, nc.checked_by, nc.checked_on, nc.check_note = verdict, user, today, note.strip()
        return save_audited(actor, nc)
    nc.state = NcState.ACTION_PLAN
    nc.reopen_count += 1
    nc.verdict, nc.checked_by, nc.checked_on, nc.check_note, nc.check_due_on = "", None, None, "", None
    _clear_approvals(nc)
    save_audited(actor, nc, note="reopened")
    notify(_unit_people(nc.unit), "improvement/mail/reopened", {"nc": nc, "note": note.strip()})
    return nc


@transaction.atomic
def nonconformity_close(*, actor, nonconformity: Nonconformity) -> Nonconformity:
    nc = _locked(nonconformity)
    _require_quality(actor, nc.institution_id)
    _require_state(nc, NcState.CHECK)
    if nc.actions.filter(status=ActionStatus.OPEN).exists():
        raise ValidationError(_("It cannot be closed while an action is open."))
    if nc.verdict != Verdict.EFFECTIVE:
        raise ValidationError(_("It cannot be closed without the verdict that the actions were effective."))
    nc.state = NcState.CLOSED
    nc.closed_on = timezone.localdate()
    save_audited(actor, nc)
    notify(_unit_people(nc.unit), "improvement/mail/closed", {"nc": nc})
    return nc


def _advance(actor, nc: Nonconformity) -> None:
    """When the last open action of a nonconformity in progress is done (or cancelled, with
    at least one done), it waits for its effectiveness check."""
    nc = _locked(nc)
    if nc.state != NcState.IN_PROGRESS or nc.actions.filter(status=ActionStatus.OPEN).exists():
        return
    last_done = nc.actions.filter(status=ActionStatus.DONE).aggregate(last=Max("done_on"))["last"]
    if last_done is None:
        return
    nc.state = NcState.CHECK
    nc.check_due_on = last_done + datetime.timedelta(days=settings_for(nc.institution_id).check_after_days)
    save_audited(actor, nc)
    notify(_unit_people(nc.unit), "improvement/mail/check_due", {"nc": nc})


# --- actions ---------------------------------------------------------------------------------

PLANNING_STATES = (NcState.ANALYSIS, NcState.ACTION_PLAN, NcState.IN_PROGRESS)


@transaction.atomic
def action_create(
    *,
    actor,
    kind,
    description,
    owner,
    deadline,
    unit=None,
    institution=None,
    nonconformity=None,
    risk=None,
    origin=None,
    audit_finding=None,
    complaint=None,
    survey_campaign=None,
    survey_scope="",
) -> Action:
    """Raise an action: from a nonconformity (while it is analysed or planned; one added while
    it is in progress sends the plan back for approval), from a risk, from an audit finding
    or a complaint (linked; see `raising.py`), from a survey result (`survey_campaign` and
    the results' `survey_scope`), a management review or on its own (`origin`, with the
    unit)."""
    linked = audit_finding is not None or complaint is not None
    if linked:
        if nonconformity is not None or risk is not None or unit is None:
            raise ValidationError(_("An action raised from a finding or a complaint names its unit and nothing else."))
        raising.check_source(actor, unit.institution, audit_finding=audit_finding, complaint=complaint, to_nc=False)
        origin = Origin.AUDIT_FINDING if audit_finding is not None else Origin.COMPLAINT
    elif origin in (Origin.AUDIT_FINDING, Origin.COMPLAINT) and actor is not None:
        # Raised by hand from the form: the link is what makes it so.
        raise ValidationError({"origin": _("Raise it from the audit finding or the complaint itself.")})
    if nonconformity is not None:
        nonconformity = _locked(nonconformity)
        unit, institution = nonconformity.unit, nonconformity.institution
        origin = origin or Origin.NONCONFORMITY
    elif risk is not None:
        from sapat.processes.services_risks import can_manage_risk

        if actor is not None and not can_manage_risk(actor, risk):
            _deny(_("Only those who manage this risk may raise actions on it."))
        institution = risk.institution
        unit = unit or risk.unit or root_unit(risk.institution_id)
        origin = origin or Origin.RISK
    else:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit the action belongs to.")})
        institution = institution or unit.institution
        origin = origin or Origin.OWN
    if origin == Origin.NONCONFORMITY and nonconformity is None:
        raise ValidationError({"origin": _("An action raised from a nonconformity names it.")})
    if origin == Origin.RISK and risk is None:
        raise ValidationError({"origin": _("An action raised from a risk names it.")})
    if (origin == Origin.SURVEY) != (survey_campaign is not None):
        raise ValidationError({"origin": _("An action raised from a survey result names its campaign.")})
    if nonconformity is not None:
        _require_handler(actor, nonconformity)
        _require_state(nonconformity, *PLANNING_STATES)
        if kind == ActionKind.CORRECTION and nonconformity.state == NcState.IN_PROGRESS:
            raise ValidationError({"kind": _("A correction is made while the nonconformity is analysed.")})
    elif risk is None and not linked and actor is not None and not can_handle(actor, unit):
        _deny(_("Only the unit's head or quality responsible, or the quality department, may do this."))
    if actor is not None and deadline and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline of a new action cannot be in the past.")})
    if owner is not None and owner.left_on and owner.left_on <= timezone.localdate():
        raise ValidationError({"owner": _("This person has left the institution.")})
    action = Action(
        institution=institution,
        unit=unit,
        kind=kind,
        origin=origin,
        nonconformity=nonconformity,
        risk=risk,
        audit_finding=audit_finding,
        complaint=complaint,
        survey_campaign=survey_campaign,
        survey_scope=survey_scope[:300],
        description=description,
        owner=owner,
        deadline=deadline,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    save_audited(actor, action)
    if nonconformity is not None and (
        nonconformity.unit_approved_at
        or nonconformity.quality_approved_at
        or nonconformity.state == NcState.IN_PROGRESS
    ):
        # The plan changed after (part of) its approval: it is approved again.
        if nonconformity.state == NcState.IN_PROGRESS:
            nonconformity.state = NcState.ACTION_PLAN
        _clear_approvals(nonconformity)
        save_audited(actor, nonconformity, note="plan changed")
    if nonconformity is None or nonconformity.state == NcState.IN_PROGRESS:
        notify([owner], "improvement/mail/action_assigned", {"action": action})
    return action


def _locked_action(action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("unit", "owner", "nonconformity")
        .get(pk=action.pk)
    )


def _require_open(action):
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("This action is already %(status)s.") % {"status": action.get_status_display()})


def _require_worker(actor, action):
    if actor is not None and not can_work_on_action(actor, action):
        _deny(
            _("Only the action's owner, the unit's head or quality responsible, or the quality department may do this.")
        )


@transaction.atomic
def action_note_add(*, actor, action: Action, text: str) -> ActionNote:
    action = _locked_action(action)
    _require_worker(actor, action)
    _require_open(action)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the note.")})
    user = actor if actor is not None and actor.is_authenticated else None
    return save_audited(actor, ActionNote(action=action, author=user, text=text.strip()))


@transaction.atomic
def action_done(*, actor, action: Action, result: str, done_on=None) -> Action:
    """The owner (or a handler) reports the action done. Actions of a nonconformity wait for
    its plan's approval, except an immediate correction."""
    action = _locked_action(action)
    _require_worker(actor, action)
    _require_open(action)
    nc = action.nonconformity
    if nc is not None and action.kind != ActionKind.CORRECTION and nc.state != NcState.IN_PROGRESS:
        raise ValidationError(_("The action plan has not been approved yet."))
    if not (result or "").strip():
        raise ValidationError({"result": _("Say what was done.")})
    done_on = done_on or timezone.localdate()
    if action.created_at and done_on < timezone.localtime(action.created_at).date():
        raise ValidationError({"done_on": _("An action cannot be done before it was raised.")})
    action.status, action.done_on, action.result = ActionStatus.DONE, done_on, result.strip()
    save_audited(actor, action)
    if nc is not None:
        _advance(actor, nc)
    return action


@transaction.atomic
def action_cancel(*, actor, action: Action, reason: str) -> Action:
    """Cancel an action that is no longer needed, with the reason; by a handler of the unit,
    not by its owner alone."""
    action = _locked_action(action)
    if actor is not None and not can_handle(actor, action.unit):
        _deny(_("Only the unit's head or quality responsible, or the quality department, may do this."))
    _require_open(action)
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": _("Say why the action is cancelled.")})
    action.status, action.cancel_reason = ActionStatus.CANCELLED, reason.strip()
    save_audited(actor, action)
    if action.nonconformity_id:
        _advance(actor, action.nonconformity)
    return action
