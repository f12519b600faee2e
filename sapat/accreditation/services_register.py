"""The accreditation register's workflow: record a decision, record a later event (suspension,
restoration, termination, duplicate certificate), keep first graduation dates, and the daily
reminders that the application is due. Every step checks permission and state first, is
atomic and writes the audit log."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import save_audited
from sapat.core.notify import notify
from sapat.documents.models import add_months
from sapat.org.choices import Role as OrgRole
from sapat.org.models import Person, RoleAssignment

from .models_register import (
    SUSPENSION_LENGTH,
    Accreditation,
    AccreditationEvent,
    AccreditationKind,
    AccreditationResult,
    AccreditationState,
    EventKind,
    FirstGraduation,
    ReminderSent,
)
from .services_frameworks import require_manage

# Reminders go out this many days before the application is due, and on the day itself.
REMINDER_THRESHOLDS = (90, 30, 0)


def accreditation_problems(acc: Accreditation) -> dict:
    """The register's rules for one decision, as field → message (empty: fine)."""
    errors = {}
    if acc.kind == AccreditationKind.PROGRAMME and not acc.programme_id:
        errors["programme"] = _("A programme accreditation names the programme.")
    if acc.kind == AccreditationKind.INSTITUTIONAL and acc.programme_id:
        errors["programme"] = _("An institutional accreditation names no programme.")
    if acc.programme_id and acc.programme.institution_id != acc.institution_id:
        errors["programme"] = _("The programme belongs to another institution.")
    if acc.result == AccreditationResult.REFUSED:
        if acc.certificate_number or acc.valid_from or acc.valid_until:
            errors["result"] = _("A refusal has no certificate and no validity period.")
    else:
        if not acc.certificate_number:
            errors["certificate_number"] = _("An accreditation needs its certificate number.")
        if not acc.valid_from or not acc.valid_until:
            errors["valid_until"] = _("An accreditation needs its validity period.")
        elif acc.valid_until <= acc.valid_from:
            errors["valid_until"] = _("The validity must end after it starts.")
        elif add_months(acc.valid_from, 12 * 5) < acc.valid_until:
            # Seed 002 §1.1: accreditation at least once every 5 years.
            errors["valid_until"] = _("An accreditation is valid for at most 5 years.")
    if acc.valid_from and acc.decision_date and acc.valid_from < acc.decision_date:
        errors["valid_from"] = _("The validity cannot start before the decision.")
    if acc.decision_date and acc.decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision date cannot be in the future.")
    return errors


@transaction.atomic
def accreditation_save(*, actor, accreditation: Accreditation) -> Accreditation:
    """Record a decision in the register, or correct one (its events stay)."""
    require_manage(actor, accreditation.institution_id)
    errors = accreditation_problems(accreditation)
    if not accreditation._state.adding:
        first = accreditation.events.order_by("date").first()
        if first and accreditation.decision_date and first.date < accreditation.decision_date:
            errors.setdefault("decision_date", _("An event of this accreditation is dated before the decision."))
    if errors:
        raise ValidationError(errors)
    return save_audited(actor, accreditation)


# Which events may follow which state (seed 002 §8.3–8.4).
EVENT_FROM_STATES = {
    EventKind.SUSPENSION: {AccreditationState.IN_FORCE},
    EventKind.RESTORATION: {AccreditationState.SUSPENDED},
    EventKind.TERMINATION: {AccreditationState.IN_FORCE, AccreditationState.SUSPENDED},
    EventKind.DUPLICATE: {AccreditationState.IN_FORCE, AccreditationState.SUSPENDED},
}
EVENT_TO_STATE = {
    EventKind.SUSPENSION: AccreditationState.SUSPENDED,
    EventKind.RESTORATION: AccreditationState.IN_FORCE,
    EventKind.TERMINATION: AccreditationState.TERMINATED,
}


@transaction.atomic
def event_add(*, actor, event: AccreditationEvent) -> AccreditationEvent:
    """Record a suspension (3 months to remove the violations), restoration, termination or
    duplicate certificate, and move the accreditation's state accordingly."""
    acc = Accreditation.objects.select_for_update(of=("self",)).get(pk=event.accreditation_id)
    require_manage(actor, acc.institution_id)
    if acc.result == AccreditationResult.REFUSED:
        raise ValidationError(_("A refusal has no certificate: nothing can follow it."))
    if acc.state not in EVENT_FROM_STATES[event.kind]:
        raise ValidationError(
            _("A %(event)s cannot be recorded while the accreditation is %(state)s.")
            % {"event": event.get_kind_display(), "state": acc.get_state_display()}
        )
    if not event.order_number.strip():
        raise ValidationError({"order_number": _("Give the number of the order.")})
    last = acc.events.order_by("-date").first()
    if event.date < acc.decision_date:
        raise ValidationError({"date": _("The event cannot precede the accreditation decision.")})
    if last and event.date < last.date:
        raise ValidationError({"date": _("The event cannot precede the last recorded event.")})
    if event.date > acc.valid_until:
        raise ValidationError({"date": _("The accreditation had already expired on that date.")})
    if event.date > timezone.localdate():
        raise ValidationError({"date": _("The decision date cannot be in the future.")})
    event.ends_on = add_months(event.date, SUSPENSION_LENGTH) if event.kind == EventKind.SUSPENSION else None
    save_audited(actor, event)
    if event.kind in EVENT_TO_STATE:
        acc.state = EVENT_TO_STATE[event.kind]
        save_audited(actor, acc, note=event.get_kind_display())
    return event


@transaction.atomic
def first_graduation_save(*, actor, record: FirstGraduation) -> FirstGraduation:
    require_manage(actor, record.institution_id)
    if record.programme_id and record.programme.institution_id != record.institution_id:
        raise ValidationError({"programme": _("The programme belongs to another institution.")})
    return save_audited(actor, record)


# --- reminders -------------------------------------------------------------------------------


def current_accreditations(institution_ids=None):
    """The latest granted accreditation of each subject (institution, or programme), in force
    or expired — what the next application must follow."""
    qs = Accreditation.objects.exclude(result=AccreditationResult.REFUSED).exclude(state=AccreditationState.TERMINATED)
    if institution_ids is not None:
        qs = qs.filter(institution_id__in=institution_ids)
    latest = {}
    for acc in qs.select_related("institution", "programme__leader").order_by("valid_until", "id"):
        latest[(acc.institution_id, acc.programme_id)] = acc
    return list(latest.values())


def _recipients(institution_id, programme) -> list[Person]:
    """The quality department of the institution and, for a programme, its leader."""
    today = timezone.localdate()
    users = (
        RoleAssignment.objects.filter(
            role=OrgRole.QUALITY_DEPARTMENT, unit__institution_id=institution_id, valid_from__lte=today
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("user_id")
    )
    people = list(Person.objects.filter(user__in=users, user__is_active=True).select_related("user"))
    if programme and programme.leader and programme.leader not in people:
        people.append(programme.leader)
    return people


def _due_threshold(due: datetime.date, today: datetime.date) -> int | None:
    """The tightest threshold reached today (days before the due date), or None."""
    days_left = (due - today).days
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    # After the due date nothing more is sent: the register page shows it as overdue.
    return min(reached) if reached and days_left >= 0 else None


def _remind(subject, due, threshold, recipients, **key) -> bool:
    """Mail one threshold once: the row of `ReminderSent` is the memory of what was sent."""
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(due_date=due, threshold=threshold, **key)
        if created:
            notify(recipients, "accreditation/mail/application_due", {"subject": subject, "due": due})
    return created


def reminders_due(*, today=None) -> int:
    """Mail every due reminder once per threshold; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for acc in current_accreditations():
        threshold = _due_threshold(acc.application_due, today)
        if threshold is None:
            continue
        sent += _remind(
            acc.programme or acc.institution,
            acc.application_due,
            threshold,
            _recipients(acc.institution_id, acc.programme),
            accreditation=acc,
        )
    accredited = {(a.institution_id, a.programme_id) for a in current_accreditations()}
    for first in FirstGraduation.objects.select_related("institution", "programme__leader"):
        if (first.institution_id, first.programme_id) in accredited:
            continue
        threshold = _due_threshold(first.application_due, today)
        if threshold is None:
            continue
        sent += _remind(
            first.programme or first.institution,
            first.application_due,
            threshold,
            _recipients(first.institution_id, first.programme),
            first_graduation=first,
        )
    return sent
