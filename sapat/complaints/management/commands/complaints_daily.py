"""`manage.py complaints_daily`: tells each institution's education quality department which
complaints are past their answer date (one e-mail per person listing them; a complaint is
listed again every 7 days while it stays unanswered). Safe to run more than once a day.
Run it once a day like `documents_daily` (cron or a systemd timer; see that command)."""

from django.core.management.base import BaseCommand

from sapat.complaints.services import overdue_remind


class Command(BaseCommand):
    help = "Remind the quality department of complaints past their answer date."

    def handle(self, *args, **options):
        sent = overdue_remind()
        self.stdout.write(f"complaints_daily: {sent} e-mail(s) about overdue complaints")
