"""Every step and guard of a complaint's life, and what anonymity means in storage."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sapat.complaints import services
from sapat.complaints.choices import MessageKind, Status
from sapat.complaints.models import CODE_ALPHABET, Complaint, new_tracking_code, normalise_code
from sapat.core.models import AuditEntry

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def audit_of(obj):
    ct = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id")


# --- tracking codes and working days ------------------------------------------------------------


def test_tracking_codes_are_short_unambiguous_and_random():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000  # no repeats in 2000 draws from 31**8
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code.replace("-", "")) & set("01IOL")
    assert set("".join(codes).replace("-", "")) == set(CODE_ALPHABET)  # every character used


def test_codes_are_read_as_people_type_them():
    assert normalise_code(" abcd efgh ") == "ABCD-EFGH"
    assert normalise_code("abcd-efg") == ""
    assert normalise_code("") == ""


def test_a_clashing_code_is_drawn_again(world, monkeypatch):
    first = f.complaint(world.inst)
    draws = iter([first.tracking_code, "WXYZ-2345"])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(draws))
    second = f.complaint(world.inst)
    assert second.tracking_code == "WXYZ-2345"
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-11-16", 10, "2026-11-30"),  # Monday + 10 working days = Monday two weeks on
        ("2026-11-20", 1, "2026-11-23"),  # Friday + 1 = Monday
        ("2026-11-21", 1, "2026-11-23"),  # Saturday + 1 = Monday
        ("2026-11-22", 5, "2026-11-27"),  # Sunday + 5 = Friday
        ("2026-11-18", 0, "2026-11-18"),
    ],
)
def test_working_days_skip_weekends(start, days, due):
    assert services.add_working_days(datetime.date.fromisoformat(start), days) == datetime.date.fromisoformat(due)


# --- sending -------------------------------------------------------------------------------------


def test_an_anonymous_complaint_stores_no_account_even_from_a_signed_in_user(world):
    c = f.complaint(world.inst, actor=world.staff_a, anonymous=True)
    c.refresh_from_db()
    assert c.submitted_by is None and c.status == Status.NEW
    assert (c.contact_name, c.contact_email, c.contact_phone) == ("", "", "")
    entry = audit_of(c).get()
    assert entry.actor is None and entry.actor_name == ""


def test_nothing_stored_holds_an_address(world):
    f.complaint(world.inst, actor=world.staff_a)
    columns = {
        col.name for col in connection.introspection.get_table_description(connection.cursor(), "complaints_complaint")
    }
    assert not {c for c in columns if "ip" in c.split("_") or "address" in c}


def test_an_anonymous_complaint_refuses_contacts(world):
    with pytest.raises(ValidationError) as error:
        f.complaint(world.inst, anonymous=True, contact_email="a@example.org")
    assert "contact_email" in error.value.error_dict
    assert not Complaint.objects.exists()


def test_a_named_complaint_needs_a_name_and_a_way_to_answer(world):
    with pytest.raises(ValidationError) as error:
        f.complaint(world.inst, anonymous=False, contact_name="Айгүл")
    assert "contact_email" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        f.complaint(world.inst, anonymous=False, contact_phone="0555 123456")
    assert "contact_name" in error.value.error_dict
    c = f.complaint(world.inst, actor=world.staff_a, anonymous=False, contact_name="Айгүл", contact_phone="0555 123456")
    assert c.submitted_by == world.staff_a
    assert audit_of(c).get().actor == world.staff_a


def test_the_unit_it_concerns_must_be_of_the_institution(world):
    with pytest.raises(ValidationError) as error:
        f.complaint(world.inst, concerns_unit=world.other_root)
    assert "concerns_unit" in error.value.error_dict


def test_the_audit_log_holds_neither_the_texts_nor_the_tracking_code(world):
    """The log is read more widely (top management, auditors): it must not let anyone read a
    complaint, nor open its tracking page."""
    c = f.complaint(world.inst, anonymous=False, contact_name="Айгүл Асанова", contact_email="aigul@example.org")
    services.complaint_follow_up(complaint=c, text="Толуктоо", contacts={"contact_phone": "0555 111222"})
    entries = list(AuditEntry.objects.all())
    logged = " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    for secret in (c.tracking_code, "aigul@example.org", "Асанова", "Мугалим", c.subject, "Толуктоо", "0555 111222"):
        assert secret not in logged, secret


# --- routing -------------------------------------------------------------------------------------


def test_routing_sets_the_due_date_in_working_days_and_tells_the_unit(world, monkeypatch):
    friday = datetime.date(2026, 11, 27)
    monkeypatch.setattr(services.timezone, "localdate", lambda *a: max(friday, datetime.date.today()))
    world.head_a.person.email = "head@example.org"
    world.head_a.person.save()
    c = f.complaint(world.inst)
    settings = services.settings_for(world.inst.pk)
    settings.response_days = 3
    settings.save()
    with_mail = []
    monkeypatch.setattr(services, "notify", lambda people, *a: with_mail.extend(people) or len(people))
    c = services.complaint_route(actor=world.quality, complaint=c, unit=world.dep_a)
    assert c.status == Status.ROUTED and c.unit == world.dep_a
    assert c.due_on == services.add_working_days(max(friday, datetime.date.today()), 3)
    if datetime.date.today() <= friday:
        assert c.due_on == datetime.date(2026, 12, 2)  # Friday + 3 working days: Wednesday
    # dep_a has no head of its own: its faculty's head and quality responsible are told.
    assert {p.pk for p in with_mail} == {world.head_a.person.pk, world.quality_a.person.pk}
    assert audit_of(c).last().actor == world.quality


def test_routing_again_keeps_the_due_date(world):
    c = f.routed(world)
    due = c.due_on
    c = services.complaint_route(actor=world.quality, complaint=c, unit=world.fac_b)
    assert c.unit == world.fac_b and c.due_on == due


@pytest.mark.parametrize("who", ["head_a", "quality_a", "staff_a", "rector", "admin", "analyst", "head_b"])
def test_only_the_quality_department_routes(world, who):
    c = f.complaint(world.inst)
    with pytest.raises(PermissionDenied):
        services.complaint_route(actor=getattr(world, who), complaint=c, unit=world.fac_a)
    assert Complaint.objects.get(pk=c.pk).status == Status.NEW


def test_routing_refuses_a_unit_elsewhere_or_closed_and_a_closed_complaint(world):
    c = f.complaint(world.inst)
    with pytest.raises(ValidationError):
        services.complaint_route(actor=world.quality, complaint=c, unit=world.other_root)
    world.fac_b.closed_on = datetime.date(2020, 1, 1)
    world.fac_b.save()
    with pytest.raises(ValidationError):
        services.complaint_route(actor=world.quality, complaint=c, unit=world.fac_b)
    services.complaint_answer(actor=world.quality, complaint=c, answer="Рахмат.")
    with pytest.raises(ValidationError):
        services.complaint_route(actor=world.quality, complaint=c, unit=world.fac_a)


# --- answering -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head_a", "quality_a", "quality"])
def test_the_unit_or_the_quality_department_answers(world, who):
    c = f.routed(world, unit=world.dep_a)
    c = services.complaint_answer(
        actor=getattr(world, who), complaint=c, answer="Сабак калыбына келтирилди.", note="ok"
    )
    assert c.status == Status.CLOSED and c.answered_by == getattr(world, who) and c.answered_at
    assert c.messages.get().kind == MessageKind.NOTE


@pytest.mark.parametrize("who", ["head_b", "staff_a", "rector", "admin", "analyst"])
def test_others_cannot_answer(world, who):
    c = f.routed(world)
    with pytest.raises(PermissionDenied):
        services.complaint_answer(actor=getattr(world, who), complaint=c, answer="x")
    with pytest.raises(PermissionDenied):
        services.complaint_note(actor=getattr(world, who), complaint=c, text="x")


def test_a_unit_cannot_answer_a_complaint_not_yet_routed_to_it(world):
    c = f.complaint(world.inst, concerns_unit=world.fac_a)
    with pytest.raises(PermissionDenied):
        services.complaint_answer(actor=world.head_a, complaint=c, answer="x")


def test_an_answer_needs_text_and_is_given_once(world):
    c = f.routed(world)
    with pytest.raises(ValidationError):
        services.complaint_answer(actor=world.head_a, complaint=c, answer="  ")
    services.complaint_answer(actor=world.head_a, complaint=c, answer="Жооп")
    with pytest.raises(ValidationError):
        services.complaint_answer(actor=world.head_a, complaint=c, answer="Дагы")


def test_a_sender_with_an_e_mail_gets_the_answer_in_their_language(world, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("ru"):
        c = f.complaint(world.inst, anonymous=False, contact_name="Анна", contact_email="anna@example.org")
    c = services.complaint_route(actor=world.quality, complaint=c, unit=world.fac_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_answer(actor=world.head_a, complaint=c, answer="Расписание исправлено.")
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "Расписание исправлено." in mail.outbox[0].body
    assert c.tracking_code in mail.outbox[0].body


def test_an_anonymous_sender_gets_no_mail(world, django_capture_on_commit_callbacks):
    c = f.routed(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_answer(actor=world.head_a, complaint=c, answer="Жооп")
    assert mail.outbox == []


# --- follow-ups ----------------------------------------------------------------------------------


def test_an_anonymous_complaint_cannot_identify_itself_through_a_follow_up(world):
    c = f.routed(world)
    with pytest.raises(ValidationError) as error:
        services.complaint_follow_up(complaint=c, text="Бул менмин", contacts={"contact_name": "Бакыт"})
    assert "stays anonymous" in str(error.value)
    c.refresh_from_db()
    assert c.contact_name == "" and not c.messages.exists()


def test_a_follow_up_is_added_without_an_author(world):
    c = f.routed(world)
    message = services.complaint_follow_up(complaint=c, text="Дагы бир жолу кайталанды.", contacts={"contact_name": ""})
    assert message.kind == MessageKind.FOLLOW_UP and message.author is None
    assert audit_of(message).get().actor is None
    with pytest.raises(ValidationError):
        services.complaint_follow_up(complaint=c, text="Дагы бир жолу кайталанды.")
    with pytest.raises(ValidationError):
        services.complaint_follow_up(complaint=c, text="   ")


def test_a_named_sender_may_correct_their_contacts(world):
    c = f.complaint(world.inst, anonymous=False, contact_name="Анна", contact_phone="0555 000000")
    services.complaint_follow_up(complaint=c, text="Жаңы номер", contacts={"contact_phone": "0700 111111"})
    c.refresh_from_db()
    assert c.contact_phone == "0700 111111" and c.contact_name == "Анна"


def test_a_closed_complaint_takes_no_follow_up(world):
    c = f.routed(world)
    services.complaint_answer(actor=world.head_a, complaint=c, answer="Жооп")
    with pytest.raises(ValidationError):
        services.complaint_follow_up(complaint=c, text="Макул эмесмин")


# --- overdue reminders ---------------------------------------------------------------------------


def test_the_quality_department_is_told_of_overdue_complaints_once_a_week(world, django_capture_on_commit_callbacks):
    world.quality.person.email = "qd@example.org"
    world.quality.person.save()
    late = f.routed(world, subject="Жатакананын жылуулугу")
    Complaint.objects.filter(pk=late.pk).update(due_on=datetime.date(2026, 11, 1))
    f.routed(world, subject="Мөөнөтү келе элек")
    today = datetime.date(2026, 11, 20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_remind(today=today) == 1
    assert [m.to for m in mail.outbox] == [["qd@example.org"]]
    assert "Жатакананын жылуулугу" in mail.outbox[0].body and "Мөөнөтү келе элек" not in mail.outbox[0].body
    assert services.overdue_remind(today=today + datetime.timedelta(days=1)) == 0
    assert services.overdue_remind(today=today + datetime.timedelta(days=7)) == 1


def test_the_daily_command_reports_what_it_sent(world):
    from io import StringIO

    from django.core.management import call_command

    world.quality.person.email = "qd@example.org"
    world.quality.person.save()
    late = f.routed(world)
    Complaint.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 6))
    out = StringIO()
    call_command("complaints_daily", stdout=out)
    assert "1 e-mail(s)" in out.getvalue()
    assert Complaint.objects.get(pk=late.pk).overdue_reminded_on is not None


def test_the_unit_is_told_by_mail_when_a_complaint_is_routed_to_it(world, django_capture_on_commit_callbacks):
    world.head_a.person.email = "head@example.org"
    world.head_a.person.save()
    c = f.complaint(world.inst, subject="Аудиториядагы проектор")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_route(actor=world.quality, complaint=c, unit=world.fac_a)
    assert [m.to for m in mail.outbox] == [["head@example.org"]]
    assert "Аудиториядагы проектор" in mail.outbox[0].subject
