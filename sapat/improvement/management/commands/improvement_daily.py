"""`manage.py improvement_daily`: reminds the owners of open improvement actions of their
deadlines. An owner gets one e-mail, in their own language, listing all their open actions
due within the reminder window or overdue — on the days an action is 7 and 1 days from its
deadline (`--before 7,1`), and 1, 7, 14, … days after it (`--after 1 --every 7`). A daily run
therefore does not send the same list every day. Run it once a day, like `documents_daily`
(cron or a systemd timer; see that command's docstring):

    30 6 * * *  cd /srv/sapat && .venv/bin/python manage.py improvement_daily"""

import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sapat.core.notify import notify
from sapat.improvement.models import Action, ActionStatus


def _days(text) -> set[int]:
    try:
        days = {int(part) for part in text.split(",") if part.strip()}
    except ValueError as error:
        raise CommandError(f"Give days as numbers separated by commas, not {text!r}.") from error
    if any(d < 0 for d in days):
        raise CommandError("Days cannot be negative.")
    return days


def reminder_due(days_left: int, before: set[int], after: int, every: int) -> bool:
    """Whether an action `days_left` days from its deadline (negative: overdue) makes its
    owner's list go out today."""
    if days_left >= 0:
        return days_left in before
    late = -days_left
    return late == after or (late > after and every > 0 and (late - after) % every == 0)


def remind_owners(today: datetime.date, *, before=frozenset({7, 1}), after=1, every=7) -> tuple[int, int]:
    """One e-mail per owner. Returns (e-mails, actions listed)."""
    horizon = today + datetime.timedelta(days=max(before, default=0))
    due = (
        Action.objects.filter(status=ActionStatus.OPEN, deadline__lte=horizon, owner__left_on__isnull=True)
        .select_related("owner__user", "nonconformity")
        .order_by("deadline", "id")
    )
    by_owner = defaultdict(list)
    for action in due:
        by_owner[action.owner].append(action)
    sent = listed = 0
    for owner, actions in by_owner.items():
        if not any(reminder_due((a.deadline - today).days, before, after, every) for a in actions):
            continue
        with transaction.atomic():
            if notify([owner], "improvement/mail/actions_due", {"actions": actions}):
                sent += 1
                listed += len(actions)
    return sent, listed


class Command(BaseCommand):
    help = "Remind the owners of improvement actions before and after their deadlines. Run it once a day."

    def add_arguments(self, parser):
        parser.add_argument("--before", default="7,1", help="Days before a deadline that send a reminder (7,1).")
        parser.add_argument("--after", type=int, default=1, help="Days after a deadline of the first overdue one (1).")
        parser.add_argument("--every", type=int, default=7, help="Then every this many days while overdue (7).")

    def handle(self, *args, **options):
        if options["after"] < 1 or options["every"] < 0:
            raise CommandError("--after must be at least 1 and --every not negative.")
        sent, listed = remind_owners(
            timezone.localdate(), before=_days(options["before"]), after=options["after"], every=options["every"]
        )
        self.stdout.write(f"Action reminders: {sent} e-mail(s) listing {listed} action(s).")
