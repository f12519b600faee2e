"""Raising a nonconformity or an improvement action from an audit finding or a complaint.

- A finding of a nonconformity category (major, minor) raises one nonconformity (source
  "internal audit"); an observation or an opportunity for improvement raises one improvement
  action. Good practice raises nothing. The audit team and the quality department may raise,
  once the conduct is finished.
- A complaint turns into one nonconformity (source "complaint or suggestion") or one
  improvement action, by the quality department or the unit it is routed to. Nothing of the
  sender is copied: an anonymous complaint stays anonymous in what it raised.

`nonconformity_register` and `action_create` call `check_source` when given a finding or a
complaint, so every way in is checked; the functions below only prefill from the source."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sapat.processes.services import root_unit

from .models import ActionKind, NcSource, Severity

GOOD_PRACTICE = "good_practice"


def _finding_locked(finding):
    from sapat.audits.models import Finding

    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("audit__lead_auditor", "category")
        .get(pk=finding.pk)
    )


def _complaint_locked(complaint):
    from sapat.complaints.models import Complaint

    return Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)


def what_finding_raises(finding) -> str:
    """ "nc", "action" or "" (good practice raises nothing)."""
    if finding.category.is_nonconformity:
        return "nc"
    return "" if finding.category.code == GOOD_PRACTICE else "action"


def raised_from(source):
    """The nonconformity or action a finding or complaint raised, or None."""
    for name in ("nonconformity", "improvement_action"):
        try:
            return getattr(source, name)
        except ObjectDoesNotExist:
            continue
    return None


def can_raise_from_finding(user, finding) -> bool:
    from sapat.audits.choices import AuditState
    from sapat.audits.services import can_work_on

    if finding.audit.state in (AuditState.PREPARATION, AuditState.CONDUCT) or not what_finding_raises(finding):
        return False
    return can_work_on(user, finding.audit)


def can_raise_from_complaint(user, complaint) -> bool:
    from sapat.complaints.services import can_answer

    return can_answer(user, complaint)


def check_source(actor, institution, *, audit_finding=None, complaint=None, to_nc: bool) -> None:
    """Who may raise from this source, whether it raises this kind of record, and only once."""
    if audit_finding is not None and complaint is not None:
        raise ValidationError(_("A record is raised from one finding or one complaint, not both."))
    source = audit_finding if audit_finding is not None else complaint
    if source is None:
        return
    if audit_finding is not None:
        source = _finding_locked(audit_finding)
        if source.audit.institution_id != institution.pk:
            raise ValidationError(_("The finding belongs to another institution."))
        if actor is not None and not can_raise_from_finding(actor, source):
            from sapat.audits.choices import AuditState

            if source.audit.state in (AuditState.PREPARATION, AuditState.CONDUCT):
                raise ValidationError(_("Raise it once the conduct of the audit is finished."))
            raise PermissionDenied(_("Only the audit team or the quality department may do this."))
        wanted = "nc" if to_nc else "action"
        if what_finding_raises(source) != wanted:
            raise ValidationError(
                _("A nonconformity finding raises a nonconformity; an observation or an opportunity raises an action.")
                if what_finding_raises(source)
                else _("A good practice raises neither a nonconformity nor an action.")
            )
    else:
        source = _complaint_locked(complaint)
        if source.institution_id != institution.pk:
            raise ValidationError(_("The complaint belongs to another institution."))
        if actor is not None and not can_raise_from_complaint(actor, source):
            raise PermissionDenied(
                _("Only the unit this complaint is routed to, or the quality department, may do this.")
            )
    earlier = raised_from(source)
    if earlier is not None:
        raise ValidationError(
            _("This has already raised %(record)s: one record per finding or complaint.") % {"record": earlier}
        )


# --- prefilled from the source ----------------------------------------------------------------


def finding_unit(finding):
    """The finding's unit, else the audit's first audited unit, else the institution's top."""
    if finding.unit_id:
        return finding.unit
    return finding.audit.units.order_by("path").first() or root_unit(finding.audit.institution_id)


def evidence_files(finding):
    """The evidence files of the finding: those of its checklist question."""
    from sapat.core.attachments import attachments_of

    return list(attachments_of(finding.checklist_item)) if finding.checklist_item_id else []


def finding_evidence_text(finding) -> str:
    """The finding's objective evidence and the names of its files."""
    lines = [finding.evidence.strip()] if finding.evidence.strip() else []
    names = [a.name for a in evidence_files(finding)]
    if names:
        lines.append(_("Evidence files of the audit: %(files)s") % {"files": ", ".join(names)})
    return "\n".join(lines)


def nc_initial_from_finding(finding) -> dict:
    requirement = " — ".join(x for x in (finding.clause, finding.requirement.strip()) if x)
    description = "\n\n".join(x for x in (finding.description.strip(), finding_evidence_text(finding)) if x)
    return {
        "title": f"{finding.audit.code}-{finding.number}: {finding.description.strip()[:200]}",
        "unit": finding_unit(finding),
        "process": finding.process,
        "requirement": requirement,
        "description": description,
        "severity": Severity.MAJOR if finding.category.code == "major" else Severity.MINOR,
        "detected_on": finding.audit.end_date,
    }


def action_initial_from_finding(finding) -> dict:
    return {"kind": ActionKind.IMPROVEMENT, "description": finding.description.strip()}


def complaint_unit(complaint):
    return complaint.unit or complaint.concerns_unit or root_unit(complaint.institution_id)


def nc_initial_from_complaint(complaint) -> dict:
    """Its subject and text only: never the sender's name or contacts."""
    return {
        "title": complaint.subject,
        "unit": complaint_unit(complaint),
        "description": complaint.text,
        "severity": Severity.MINOR,
        "detected_on": complaint.created_at.date() if complaint.created_at else None,
    }


def action_initial_from_complaint(complaint) -> dict:
    return {"kind": ActionKind.IMPROVEMENT, "description": complaint.text}


# --- the steps --------------------------------------------------------------------------------


@transaction.atomic
def nonconformity_from_finding(*, actor, finding, **fields):
    """`fields` as the nonconformity form gives them (prefilled from the finding)."""
    from .services import nonconformity_register

    return nonconformity_register(
        actor=actor,
        institution=finding.audit.institution,
        source=NcSource.INTERNAL_AUDIT,
        audit_finding=finding,
        **fields,
    )


@transaction.atomic
def action_from_finding(*, actor, finding, kind, description, owner, deadline, unit=None):
    from .services import action_create

    return action_create(
        actor=actor,
        kind=kind,
        description=description,
        owner=owner,
        deadline=deadline,
        unit=unit or finding_unit(finding),
        audit_finding=finding,
    )


@transaction.atomic
def nonconformity_from_complaint(*, actor, complaint, **fields):
    from .services import nonconformity_register

    return nonconformity_register(
        actor=actor,
        institution=complaint.institution,
        source=NcSource.COMPLAINT,
        complaint=complaint,
        **fields,
    )


@transaction.atomic
def action_from_complaint(*, actor, complaint, kind, description, owner, deadline, unit=None):
    from .services import action_create

    return action_create(
        actor=actor,
        kind=kind,
        description=description,
        owner=owner,
        deadline=deadline,
        unit=unit or complaint_unit(complaint),
        complaint=complaint,
    )
