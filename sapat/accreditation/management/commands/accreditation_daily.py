"""Daily: mail the quality department and programme leaders when an accreditation application
is due (90 and 30 days before, and on the due date; once per threshold)."""

from django.core.management.base import BaseCommand

from ...services_register import reminders_due


class Command(BaseCommand):
    help = "Send the reminders that accreditation applications are due (once per threshold)."

    def handle(self, *args, **options):
        self.stdout.write(f"reminders sent: {reminders_due()}")
