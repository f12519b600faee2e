"""Every write to the annual process analyses: permission and state first, then the save
and its audit entry, in one transaction; mail goes out once it has committed.

The workflow: draft → submitted → (returned for rework → submitted again) → accepted.
- The process's current owners and the quality department write the analysis and submit it;
  the text is frozen from submission on, with a snapshot of the indicator figures.
- The quality department (MANAGE_PROCESSES at the institution's top unit) returns a
  submitted analysis with a comment, or accepts it; it reminds the owners who have not
  submitted.

`actor=None` is the system itself (the demo loader, the reminder command): no permission check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import record, save_audited
from sapat.core.models import AuditAction
from sapat.core.notify import notify

from .models_analysis import AnalysisState, ProcessAnalysis
from .selectors_analysis import can_write, figures_to_json, live_figures, not_submitted_owners
from .services import can_manage


def _require_write(actor, process):
    if actor is not None and not can_write(actor, process):
        raise PermissionDenied(_("Only the process's owner or the quality department may write its analysis."))


def _require_review(actor, process):
    if actor is not None and not can_manage(actor, process.institution_id):
        raise PermissionDenied(_("Only the quality department reviews process analyses."))


def _require_state(analysis, *states, message):
    if analysis.state not in states:
        raise ValidationError(message)


@transaction.atomic
def analysis_save(*, actor, analysis: ProcessAnalysis) -> ProcessAnalysis:
    """Start the year's analysis as a draft, or change a draft or a returned one."""
    process = analysis.process
    _require_write(actor, process)
    if analysis._state.adding:
        year = analysis.academic_year
        if year.start_date > timezone.localdate():
            raise ValidationError(_("This academic year has not begun yet."))
        if ProcessAnalysis.objects.filter(process=process, academic_year=year).exists():
            raise ValidationError(_("This process already has an analysis for this academic year."))
        analysis.state = AnalysisState.DRAFT
    else:
        original = ProcessAnalysis.objects.select_for_update(of=("self",)).get(pk=analysis.pk)
        if original.process_id != analysis.process_id or original.academic_year_id != analysis.academic_year_id:
            raise ValidationError(_("An analysis stays with its process and year."))
        if not original.is_editable:
            raise ValidationError(
                _("A submitted analysis cannot be changed; the quality department may return it for rework.")
            )
        analysis.state = original.state
    return save_audited(actor, analysis)


def _missing(analysis) -> dict:
    errors = {}
    for name in ProcessAnalysis.REQUIRED_FIELDS:
        value = getattr(analysis, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = _("Fill this in before submitting.")
    return errors


@transaction.atomic
def analysis_submit(*, actor, analysis: ProcessAnalysis) -> ProcessAnalysis:
    """Submit a draft or a returned analysis: the text is frozen and the process's indicator
    figures of the year are stored with it."""
    analysis = (
        ProcessAnalysis.objects.select_for_update(of=("self",))
        .select_related("process", "academic_year")
        .get(pk=analysis.pk)
    )
    _require_write(actor, analysis.process)
    _require_state(
        analysis, *(AnalysisState.DRAFT, AnalysisState.RETURNED), message=_("This analysis is already submitted.")
    )
    errors = _missing(analysis)
    if errors:
        raise ValidationError(errors)
    process = analysis.process
    analysis.figures = figures_to_json(process, live_figures(process, analysis.academic_year.start_year))
    analysis.state = AnalysisState.SUBMITTED
    analysis.submitted_at = timezone.now()
    analysis.submitted_by = actor
    return save_audited(actor, analysis)


@transaction.atomic
def analysis_return(*, actor, analysis: ProcessAnalysis, comment: str) -> ProcessAnalysis:
    """The quality department sends a submitted analysis back to its owners for rework."""
    analysis = (
        ProcessAnalysis.objects.select_for_update(of=("self",))
        .select_related("process", "academic_year")
        .get(pk=analysis.pk)
    )
    _require_review(actor, analysis.process)
    _require_state(analysis, AnalysisState.SUBMITTED, message=_("Only a submitted analysis can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be reworked.")})
    analysis.state = AnalysisState.RETURNED
    analysis.returned_at = timezone.now()
    analysis.return_comment = comment
    save_audited(actor, analysis)
    owners = [o.person for o in analysis.process.ownerships.current().select_related("person__user") if o.person_id]
    notify(owners, "processes/analysis/mail/returned", {"analysis": analysis, "comment": comment})
    return analysis


@transaction.atomic
def analysis_accept(*, actor, analysis: ProcessAnalysis) -> ProcessAnalysis:
    analysis = (
        ProcessAnalysis.objects.select_for_update(of=("self",))
        .select_related("process", "academic_year")
        .get(pk=analysis.pk)
    )
    _require_review(actor, analysis.process)
    _require_state(analysis, AnalysisState.SUBMITTED, message=_("Only a submitted analysis can be accepted."))
    analysis.state = AnalysisState.ACCEPTED
    analysis.decided_at = timezone.now()
    analysis.decided_by = actor
    return save_audited(actor, analysis)


@transaction.atomic
def analysis_remind(*, actor, institution, academic_year, deadline=None) -> int:
    """Mail every current owner of a process whose analysis of the year is not submitted,
    one message each listing their processes, in their own language. Returns how many
    messages were sent; the reminder is logged against the academic year."""
    if academic_year.institution_id != institution.pk:
        raise ValidationError(_("The academic year belongs to another institution."))
    if actor is not None and not can_manage(actor, institution.pk):
        raise PermissionDenied(_("Only the quality department reviews process analyses."))
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    owners = not_submitted_owners(institution, academic_year)
    sent = 0
    for person, processes in owners.items():
        sent += notify(
            [person],
            "processes/analysis/mail/remind",
            {"processes": processes, "academic_year": academic_year, "deadline": deadline},
        )
    record(
        actor=actor,
        instance=academic_year,
        action=AuditAction.UPDATE,
        note=f"Process analysis reminder: {sent} message(s) to {len(owners)} owner(s)",
    )
    return sent
