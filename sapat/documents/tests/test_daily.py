"""`manage.py documents_daily`: registered revisions come into force on their date (as the
system), owners hear of reviews due, readers are reminded at most once a week."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.documents import services
from sapat.documents.choices import DocumentStatus, RevisionState
from sapat.documents.management.commands.documents_daily import review_reminder_due
from sapat.documents.models import Acquaintance, Document, Revision
from sapat.documents.tests import factories as f

# These tests read the interface's English messages.
pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def setup(world):
    w = world
    w.dtype = f.doc_type(w.inst, approver=w.rector.person)
    for user in (w.quality, w.head_a, w.staff_a, w.head_b):
        user.person.email = f"{user.username}@example.org"
        user.person.save()
    return w


def registered(w, title="Ички аудит", effective_date=TODAY + 5 * DAY, owner=None) -> Revision:
    doc = f.document(w.quality, w.fac_a, w.dtype, title=title, owner=owner)
    doc.distributed_units.add(w.dep_a)
    revision = doc.revisions.get()
    services.version_save(actor=w.quality, revision=revision, language="ky", text="1. Жалпы жоболор")
    services.revision_submit(actor=w.quality, revision=revision)
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=revision.pk), approved_on=TODAY)
    return services.revision_register(
        actor=w.quality, revision=Revision.objects.get(pk=revision.pk), effective_date=effective_date
    )


def run(**options) -> str:
    out = io.StringIO()
    call_command("documents_daily", stdout=out, **options)
    return out.getvalue()


def move_to(monkeypatch, day: datetime.date):
    """Make the job run on another day (services and the command read the date alike)."""
    now = timezone.now() + (day - TODAY)
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)


def test_registered_revisions_come_into_force_on_their_date(setup, monkeypatch, django_capture_on_commit_callbacks):
    w = setup
    revision = registered(w)
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.REGISTERED
    assert "Brought into force: 0" in run()

    move_to(monkeypatch, TODAY + 5 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    revision.refresh_from_db()
    assert revision.state == RevisionState.IN_FORCE
    assert "Brought into force: 1" in out and revision.document.code in out
    document = Document.objects.get(pk=revision.document_id)
    assert document.status == DocumentStatus.IN_FORCE
    assert document.next_review_on == TODAY + 5 * DAY + (document.next_review_on - (TODAY + 5 * DAY))
    # Done by the system, logged; the readers are asked to read it.
    entry = AuditEntry.objects.filter(object_id=str(revision.pk), changes__has_key="state").latest("id")
    assert entry.actor is None and entry.actor_name == ""
    assert Acquaintance.objects.filter(revision=revision, person=w.staff_a.person).exists()
    assert any(w.staff_a.person.email in m.to for m in mail.outbox)
    assert "Brought into force: 0" in run()  # once


def test_a_revision_with_a_past_date_is_brought_in_and_the_old_one_ends(setup, monkeypatch):
    w = setup
    revision = registered(w, effective_date=TODAY + 2 * DAY)
    move_to(monkeypatch, TODAY + 2 * DAY)
    run()
    first = Revision.objects.get(pk=revision.pk)
    second = services.revision_start(actor=w.quality, document=first.document)
    second.summary = "3-пункт"
    services.revision_update(actor=w.quality, revision=second, expected_version=second.version)
    services.revision_submit(actor=w.quality, revision=Revision.objects.get(pk=second.pk))
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=second.pk))
    services.revision_register(
        actor=w.quality, revision=Revision.objects.get(pk=second.pk), effective_date=TODAY + 9 * DAY
    )
    move_to(monkeypatch, TODAY + 20 * DAY)  # the job did not run for a while
    run()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (RevisionState.OBSOLETE, RevisionState.IN_FORCE)
    assert second.effective_date == TODAY + 9 * DAY


def test_a_withdrawn_document_does_not_come_back_into_force(setup, monkeypatch):
    w = setup
    revision = registered(w)
    services.document_withdraw(actor=w.quality, document=revision.document)
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.WITHDRAWN
    move_to(monkeypatch, TODAY + 6 * DAY)
    assert "Brought into force: 0" in run()
    assert Document.objects.get(pk=revision.document_id).status == DocumentStatus.WITHDRAWN


@pytest.mark.parametrize(
    "days_left, due",
    [
        (15, False),
        (14, True),
        (10, False),
        (7, True),
        (1, False),
        (0, True),
        (-1, False),
        (-7, True),
        (-30, False),
        (-35, True),
    ],
)
def test_review_reminders_go_out_on_their_days(days_left, due):
    assert review_reminder_due(days_left) is due


def in_force_due(w, title, next_review_on, owner):
    doc = f.document(w.quality, w.fac_a, w.dtype, title=title, owner=owner)
    Document.objects.filter(pk=doc.pk).update(status=DocumentStatus.IN_FORCE, next_review_on=next_review_on)
    return doc


def test_owners_get_one_email_listing_their_documents_due(setup, django_capture_on_commit_callbacks):
    w = setup
    head, quality = w.head_a.person, w.quality.person
    overdue = in_force_due(w, "Ички аудит", TODAY - 14 * DAY, head)
    soon = in_force_due(w, "Коррекциялоочу аракеттер", TODAY + 10 * DAY, head)
    in_force_due(w, "Кийинки жыл", TODAY + 60 * DAY, head)
    in_force_due(w, "Сапаттын саясаты", TODAY + 3 * DAY, quality)  # due, but not a reminder day
    withdrawn = in_force_due(w, "Эски", TODAY - 7 * DAY, head)
    Document.objects.filter(pk=withdrawn.pk).update(status=DocumentStatus.WITHDRAWN)

    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "Review reminders: 1 e-mail(s) listing 2 document(s)" in out
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [head.email]
    assert overdue.code in message.body and soon.code in message.body
    assert "overdue since" in message.body and "due on" in message.body
    assert "Кийинки жыл" not in message.body and "Эски" not in message.body
    assert "2 documents are due for review" in message.subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = run(all_reviews=True)
    assert "Review reminders: 2 e-mail(s) listing 3 document(s)" in out
    assert {m.to[0] for m in mail.outbox} == {head.email, quality.email}


def asked(w, days_ago, person, reminded_days_ago=None, confirmed=False):
    revision = registered(w, title=f"Документ {days_ago}", effective_date=TODAY)
    acquaintance = Acquaintance.objects.get(revision=revision, person=person)
    now = timezone.now()
    acquaintance.requested_at = now - datetime.timedelta(days=days_ago)
    acquaintance.reminded_at = now - datetime.timedelta(days=reminded_days_ago) if reminded_days_ago else None
    acquaintance.confirmed_at = now if confirmed else None
    acquaintance.save()
    return acquaintance


def test_readers_are_reminded_once_a_week_at_most(setup, monkeypatch, django_capture_on_commit_callbacks):
    w = setup
    staff = w.staff_a.person
    old = asked(w, 10, staff)
    older = asked(w, 20, staff)
    asked(w, 3, staff)  # asked recently: not yet
    asked(w, 30, staff, confirmed=True)  # read
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "Reading reminders: 1 e-mail(s) listing 2 request(s)" in out
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    body = mail.outbox[0].body
    assert old.revision.document.code in body and older.revision.document.code in body
    assert "Документ 3" not in body and "Документ 30" not in body
    old.refresh_from_db()
    assert old.reminded_at is not None

    mail.outbox.clear()
    assert "Reading reminders: 0 e-mail(s)" in run()  # the next day: not again
    move_to(monkeypatch, TODAY + 8 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert "Reading reminders: 1 e-mail(s) listing 3 request(s)" in out  # a week on; the newer one too


def test_a_reminded_request_holds_back_the_weekly_list(setup, django_capture_on_commit_callbacks):
    w = setup
    asked(w, 10, w.staff_a.person, reminded_days_ago=2)
    asked(w, 9, w.staff_a.person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "Reading reminders: 0 e-mail(s)" in run()
    assert not mail.outbox
