"""`manage.py audits_daily`: the internal audits' daily reminders.

1. The audit team of every audit still in preparation gets an e-mail N days before it starts
   (settings.AUDITS_TEAM_REMINDER_DAYS, 7 by default).
2. The people a report was distributed to who have not acknowledged it get an e-mail N days
   before it is due (settings.AUDITS_ACKNOWLEDGE_REMINDER_DAYS, 2 by default) and on the day.

Reminders go out on those days only, so a daily run sends each one once. Run it once a day
like `documents_daily` (cron or a systemd timer; see that command's docstring)."""

from django.core.management.base import BaseCommand

from sapat.audits.services import send_reminders


class Command(BaseCommand):
    help = "The internal audits' daily reminders: to the team before an audit, to the unit before its report is due."

    def handle(self, *args, **options):
        team, acknowledge = send_reminders()
        self.stdout.write(f"Audit team reminders: {team} e-mail(s).")
        self.stdout.write(f"Report acknowledgement reminders: {acknowledge} e-mail(s).")
