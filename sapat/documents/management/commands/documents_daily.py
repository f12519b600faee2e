"""`manage.py documents_daily`: the documents module's daily round.

1. Registered revisions whose effective date has come are brought into force (the revision
   in force until then becomes obsolete; the readers are asked to read the new one).
2. Owners of documents in force that are due for their periodic review within 14 days, or
   overdue, get one e-mail listing all of theirs. It goes out when a document is 14 and 7
   days from its date, on the date, and every 7 days while it is overdue, so a daily run
   does not send the same list every day (`--all-reviews` sends it to every such owner now).
3. People asked more than 7 days ago to read a revision in force, who have not confirmed it,
   get one e-mail listing what they have still to read; at most once a week each (none
   while any of their requests was reminded of in the last 7 days: `Acquaintance.reminded_at`).

Everything is done as the system (no user) and logged in the audit log; it is safe to run
more than once a day. Run it once a day, in the early morning, as the application's user
and with its environment (settings, database, e-mail):

cron (crontab -e of the application's user)::

    15 6 * * *  cd /srv/sapat && .venv/bin/python manage.py documents_daily >> var/log/documents_daily.log 2>&1

systemd: /etc/systemd/system/sapat-documents-daily.service ::

    [Service]
    Type=oneshot
    User=sapat
    WorkingDirectory=/srv/sapat
    EnvironmentFile=/etc/sapat.env
    ExecStart=/srv/sapat/.venv/bin/python manage.py documents_daily

and /etc/systemd/system/sapat-documents-daily.timer ::

    [Timer]
    OnCalendar=*-*-* 06:15
    Persistent=true

    [Install]
    WantedBy=timers.target

then `systemctl enable --now sapat-documents-daily.timer`."""

import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from sapat.core.notify import notify
from sapat.documents import services
from sapat.documents.choices import DocumentStatus, RevisionState
from sapat.documents.models import Acquaintance, Document, Revision

REVIEW_WITHIN_DAYS = 14
REVIEW_REMIND_DAYS = {14, 7, 0}  # days before the review date that send the owner's list
OVERDUE_EVERY_DAYS = 7
READ_AFTER_DAYS = 7
READ_EVERY_DAYS = 7


def review_reminder_due(days_left: int) -> bool:
    """Whether a document `days_left` days from its review date (negative: overdue) makes
    its owner's list go out today."""
    if days_left < 0:
        return -days_left % OVERDUE_EVERY_DAYS == 0
    return days_left in REVIEW_REMIND_DAYS


def bring_into_force_due(today: datetime.date) -> list[Revision]:
    """Registered revisions whose effective date has come, oldest first; each in its own
    transaction, so one that fails does not hold back the others."""
    done = []
    due = (
        Revision.objects.filter(state=RevisionState.REGISTERED, effective_date__lte=today)
        .exclude(document__status__in=[DocumentStatus.WITHDRAWN, DocumentStatus.ARCHIVED])
        .select_related("document")
        .order_by("effective_date", "document__code", "number")
    )
    for revision in due:
        with transaction.atomic():
            locked = Revision.objects.select_for_update(of=("self",)).select_related("document").get(pk=revision.pk)
            if locked.state != RevisionState.REGISTERED:
                continue  # taken into force meanwhile (by hand or another run)
            done.append(services.bring_into_force(actor=None, revision=locked))
    return done


def remind_reviews(today: datetime.date, *, everyone=False) -> tuple[int, int]:
    """One e-mail per owner listing their documents due for review. Returns (e-mails, documents)."""
    horizon = today + datetime.timedelta(days=REVIEW_WITHIN_DAYS)
    due = (
        Document.objects.filter(status=DocumentStatus.IN_FORCE, next_review_on__lte=horizon, owner__isnull=False)
        .filter(owner__left_on__isnull=True)
        .select_related("owner__user", "doc_type")
        .order_by("next_review_on", "code")
    )
    by_owner = defaultdict(list)
    for document in due:
        by_owner[document.owner].append(document)
    sent = listed = 0
    for owner, documents in by_owner.items():
        if not everyone and not any(review_reminder_due((d.next_review_on - today).days) for d in documents):
            continue
        with transaction.atomic():
            if notify([owner], "documents/mail/review_due", {"documents": documents}):
                sent += 1
                listed += len(documents)
    return sent, listed


def remind_readers(now: datetime.datetime) -> tuple[int, int]:
    """One e-mail per person with requests to read older than a week, at most weekly.
    Returns (e-mails, requests)."""
    asked_before = now - datetime.timedelta(days=READ_AFTER_DAYS)
    reminded_before = now - datetime.timedelta(days=READ_EVERY_DAYS)
    pending = (
        Acquaintance.objects.filter(
            confirmed_at__isnull=True,
            revision__state=RevisionState.IN_FORCE,
            requested_at__lte=asked_before,
            person__left_on__isnull=True,
        )
        .select_related("person__user", "revision__document")
        .order_by("person_id", "requested_at")
    )
    by_person = defaultdict(list)
    for acquaintance in pending:
        by_person[acquaintance.person].append(acquaintance)
    sent = listed = 0
    for person, requests in by_person.items():
        # At most one reminder a week per person, listing everything they have still to read.
        if any(a.reminded_at and a.reminded_at > reminded_before for a in requests):
            continue
        with transaction.atomic():
            if notify([person], "documents/mail/read_due", {"acquaintances": requests}):
                Acquaintance.objects.filter(pk__in=[a.pk for a in requests]).update(reminded_at=now)
                sent += 1
                listed += len(requests)
    return sent, listed


class Command(BaseCommand):
    help = (
        "The documents' daily round: bring registered revisions into force on their date, remind owners of "
        "reviews due within 14 days or overdue, remind people who have not read what they were asked to. "
        "Run it once a day (cron or a systemd timer; see the module's docstring)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-reviews",
            action="store_true",
            help="Send every owner with a review due or overdue their list today, whatever the day.",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        today = timezone.localdate()
        revisions = bring_into_force_due(today)
        self.stdout.write(f"Brought into force: {len(revisions)} revision(s).")
        for revision in revisions:
            self.stdout.write(f"  {revision.document.code} revision {revision.number}, from {revision.effective_date}")
        sent, listed = remind_reviews(today, everyone=options["all_reviews"])
        self.stdout.write(f"Review reminders: {sent} e-mail(s) listing {listed} document(s).")
        sent, listed = remind_readers(now)
        self.stdout.write(f"Reading reminders: {sent} e-mail(s) listing {listed} request(s).")
