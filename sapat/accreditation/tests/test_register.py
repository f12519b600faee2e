"""The register's rules: decisions (dates in order, what a refusal and a grant need), events
(only in sensible states, in date order; suspension for 3 months), permissions, and the
reminders (once per threshold, to the quality department and the programme leader)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.accreditation import services_register as svc
from sapat.accreditation.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationKind,
    AccreditationResult,
    AccreditationState,
    EventKind,
    FirstGraduation,
    ReminderSent,
)
from sapat.core.models import AuditEntry
from sapat.documents.models import add_months
from sapat.org.tests import factories as org

from .factories import accreditation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = datetime.date


def draft(world, **kwargs):
    fields = {
        "institution": world.inst,
        "kind": AccreditationKind.INSTITUTIONAL,
        "agency": "КР Билим берүү жана илим министрлиги",
        "decision_date": D(2024, 3, 1),
        "decision_number": "45/1",
        "result": AccreditationResult.ACCREDITED,
        "certificate_number": "АК-2024-0045",
        "valid_from": D(2024, 3, 1),
        "valid_until": D(2029, 3, 1),
    }
    fields.update(kwargs)
    return Accreditation(**fields)


def errors_of(world, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        svc.accreditation_save(actor=world.quality, accreditation=draft(world, **kwargs))
    assert not Accreditation.objects.exists()
    return error.value.message_dict


# --- decisions -------------------------------------------------------------------------------


def test_the_quality_department_records_a_decision_in_the_audit_log(world):
    acc = svc.accreditation_save(actor=world.quality, accreditation=draft(world))
    assert acc.state == AccreditationState.IN_FORCE
    assert acc.application_due == D(2028, 12, 1)
    assert AuditEntry.objects.filter(object_id=str(acc.pk), actor=world.quality).exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"valid_until": D(2024, 2, 1)}, "valid_until", "The validity must end after it starts."),
        ({"valid_from": D(2024, 2, 1)}, "valid_from", "The validity cannot start before the decision."),
        ({"valid_until": D(2029, 3, 2)}, "valid_until", "An accreditation is valid for at most 5 years."),
        ({"valid_until": None}, "valid_until", "An accreditation needs its validity period."),
        ({"certificate_number": ""}, "certificate_number", "An accreditation needs its certificate number."),
        ({"result": AccreditationResult.REFUSED}, "result", "A refusal has no certificate and no validity period."),
        ({"kind": AccreditationKind.PROGRAMME}, "programme", "A programme accreditation names the programme."),
    ],
)
def test_contradictory_decisions_are_refused(world, changes, field, message):
    assert errors_of(world, **changes)[field] == [message]


def test_future_decisions_and_programmes_of_another_institution_are_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "decision_date" in errors_of(world, decision_date=tomorrow, valid_from=tomorrow, valid_until=None)
    foreign = org.programme(world.other_root)
    errors = errors_of(world, kind=AccreditationKind.PROGRAMME, programme=foreign)
    assert errors["programme"] == ["The programme belongs to another institution."]


def test_a_refusal_has_no_certificate_and_a_conditional_accreditation_has_a_term(world):
    refusal = draft(world, result=AccreditationResult.REFUSED, certificate_number="", valid_from=None, valid_until=None)
    assert svc.accreditation_save(actor=world.quality, accreditation=refusal).standing() == "refused"
    conditional = draft(world, result=AccreditationResult.CONDITIONAL, valid_until=D(2026, 3, 1))
    assert svc.accreditation_save(actor=world.quality, accreditation=conditional).pk


@pytest.mark.parametrize("name", ["admin", "quality"])
def test_who_may_keep_the_register(world, name):
    assert svc.accreditation_save(actor=getattr(world, name), accreditation=draft(world)).pk


@pytest.mark.parametrize("name", ["rector", "head_a", "quality_a", "staff_a", "analyst"])
def test_who_may_not_keep_the_register(world, name):
    with pytest.raises(PermissionDenied):
        svc.accreditation_save(actor=getattr(world, name), accreditation=draft(world))


def test_the_quality_department_of_another_institution_may_not(world):
    other_quality = org.user_with_role("quality_department", world.other_root)
    with pytest.raises(PermissionDenied):
        svc.accreditation_save(actor=other_quality, accreditation=draft(world))


# --- events ----------------------------------------------------------------------------------


def event(world, acc, kind, day, number="7"):
    return svc.event_add(
        actor=world.quality, event=AccreditationEvent(accreditation=acc, kind=kind, date=day, order_number=number)
    )


def test_suspension_for_three_months_then_restoration(world):
    acc = accreditation(world.inst)
    suspension = event(world, acc, EventKind.SUSPENSION, D(2024, 11, 30))
    assert suspension.ends_on == D(2025, 2, 28)
    acc.refresh_from_db()
    assert acc.state == AccreditationState.SUSPENDED and acc.standing(D(2025, 1, 1)) == "suspended"
    event(world, acc, EventKind.RESTORATION, D(2025, 2, 20))
    acc.refresh_from_db()
    assert acc.state == AccreditationState.IN_FORCE
    assert [e.kind for e in acc.events.all()] == ["suspension", "restoration"]


def test_termination_ends_everything_and_duplicate_keeps_the_state(world):
    acc = accreditation(world.inst)
    event(world, acc, EventKind.DUPLICATE, D(2024, 1, 10))
    acc.refresh_from_db()
    assert acc.state == AccreditationState.IN_FORCE
    event(world, acc, EventKind.TERMINATION, D(2024, 5, 10))
    acc.refresh_from_db()
    assert acc.state == AccreditationState.TERMINATED
    for kind in EventKind.values:
        with pytest.raises(ValidationError):
            event(world, acc, kind, D(2024, 6, 1))
    assert acc.events.count() == 2


@pytest.mark.parametrize(
    "kind, message",
    [
        (EventKind.RESTORATION, "A restoration cannot be recorded while the accreditation is in force."),
    ],
)
def test_events_only_in_sensible_states(world, kind, message):
    acc = accreditation(world.inst)
    with pytest.raises(ValidationError) as error:
        event(world, acc, kind, D(2024, 1, 1))
    assert error.value.messages == [message]


def test_a_second_suspension_while_suspended_is_refused(world):
    acc = accreditation(world.inst)
    event(world, acc, EventKind.SUSPENSION, D(2024, 1, 1))
    with pytest.raises(ValidationError):
        event(world, acc, EventKind.SUSPENSION, D(2024, 2, 1))


def test_event_dates_must_follow_the_decision_and_the_last_event(world):
    acc = accreditation(world.inst, decided=D(2023, 6, 1))
    with pytest.raises(ValidationError) as error:
        event(world, acc, EventKind.SUSPENSION, D(2023, 5, 1))
    assert error.value.message_dict["date"] == ["The event cannot precede the accreditation decision."]
    event(world, acc, EventKind.SUSPENSION, D(2024, 6, 1))
    with pytest.raises(ValidationError) as error:
        event(world, acc, EventKind.RESTORATION, D(2024, 5, 1))
    assert error.value.message_dict["date"] == ["The event cannot precede the last recorded event."]
    with pytest.raises(ValidationError):
        event(world, acc, EventKind.RESTORATION, D(2024, 7, 1), number=" ")


def test_no_event_follows_a_refusal_or_an_expired_term(world):
    refusal = accreditation(world.inst, result=AccreditationResult.REFUSED)
    with pytest.raises(ValidationError):
        event(world, refusal, EventKind.DUPLICATE, D(2024, 1, 1))
    acc = accreditation(world.inst, decided=D(2015, 1, 1))
    with pytest.raises(ValidationError) as error:
        event(world, acc, EventKind.SUSPENSION, D(2021, 1, 1))
    assert error.value.message_dict["date"] == ["The accreditation had already expired on that date."]


def test_events_need_the_right_to_keep_the_register(world):
    acc = accreditation(world.inst)
    with pytest.raises(PermissionDenied):
        svc.event_add(
            actor=world.head_a,
            event=AccreditationEvent(accreditation=acc, kind=EventKind.DUPLICATE, date=D(2024, 1, 1), order_number="1"),
        )


def test_a_decision_cannot_move_after_its_events(world):
    acc = accreditation(world.inst, decided=D(2023, 6, 1))
    event(world, acc, EventKind.DUPLICATE, D(2023, 7, 1))
    acc.decision_date = acc.valid_from = D(2023, 8, 1)
    with pytest.raises(ValidationError) as error:
        svc.accreditation_save(actor=world.quality, accreditation=acc)
    assert "decision_date" in error.value.message_dict


# --- reminders -------------------------------------------------------------------------------


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """`reminders_due`, with the mail it queues on commit really sent."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return svc.reminders_due(**kwargs)

    return run


@pytest.fixture
def mailed(world):
    """The quality department and a programme leader with addresses."""
    world.quality.email = "quality@example.org"
    world.quality.save()
    world.quality.person.email = "quality@example.org"
    world.quality.person.save()
    leader = org.person(world.fac_a, "Лидер", email="leader@example.org")
    return leader


def expiring(world, *, days_to_due, programme=None):
    today = timezone.localdate()
    valid_until = add_months(today + datetime.timedelta(days=days_to_due), 3)
    decided = add_months(valid_until, -48)
    return accreditation(world.inst, programme=programme, decided=decided, years=4)


def test_reminders_go_once_per_threshold_to_quality_and_programme_leader(world, mailed, remind):
    programme = org.programme(world.fac_a, leader=mailed)
    acc = expiring(world, days_to_due=60, programme=programme)
    today = timezone.localdate()
    assert remind(today=today - datetime.timedelta(days=40)) == 0  # 100 days before: none yet
    assert remind(today=today) == 1  # within 90 days
    assert sorted(m.to[0] for m in mail.outbox) == ["leader@example.org", "quality@example.org"]
    assert programme.code in mail.outbox[0].subject
    assert remind(today=today) == 0  # the same threshold: not again
    assert remind(today=acc.application_due - datetime.timedelta(days=30)) == 1
    assert remind(today=acc.application_due) == 1
    assert remind(today=acc.application_due + datetime.timedelta(days=1)) == 0
    assert sorted(ReminderSent.objects.values_list("threshold", flat=True)) == [0, 30, 90]
    assert len(mail.outbox) == 6


def test_a_renewed_accreditation_starts_its_own_reminders(world, mailed, remind):
    old = expiring(world, days_to_due=10)
    remind()
    renewed = accreditation(world.inst, decided=timezone.localdate() - datetime.timedelta(days=1))
    assert renewed.application_due > old.application_due
    assert remind() == 0  # the latest accreditation is far from due


def test_terminated_and_refused_accreditations_are_not_reminded(world, mailed, remind):
    acc = expiring(world, days_to_due=10)
    event(world, acc, EventKind.TERMINATION, timezone.localdate())
    accreditation(world.inst, result=AccreditationResult.REFUSED)
    assert remind() == 0


def test_a_new_programme_is_reminded_3_months_before_its_first_graduation(world, mailed, remind):
    programme = org.programme(world.fac_a, leader=mailed)
    first = svc.first_graduation_save(
        actor=world.quality,
        record=FirstGraduation(
            institution=world.inst, programme=programme, graduation_date=add_months(timezone.localdate(), 4)
        ),
    )
    assert first.application_due == add_months(first.graduation_date, -3)
    assert remind() == 1
    assert remind() == 0
    # Once accredited, the first graduation no longer matters.
    accreditation(world.inst, programme=programme, decided=timezone.localdate())
    assert remind(today=first.application_due) == 0


def test_first_graduation_of_another_institutions_programme_is_refused(world):
    with pytest.raises(ValidationError):
        svc.first_graduation_save(
            actor=world.quality,
            record=FirstGraduation(
                institution=world.inst, programme=org.programme(world.other_root), graduation_date=D(2027, 6, 30)
            ),
        )


def test_the_daily_command_runs(world, mailed, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    expiring(world, days_to_due=5)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("accreditation_daily")
        call_command("accreditation_daily")
    assert len(mail.outbox) == 1
