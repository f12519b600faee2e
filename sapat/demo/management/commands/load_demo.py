"""`manage.py load_demo`: the two demo institutions (Batken and Osh State Universities) with
their structure, people, calendar, programmes, contingent and one login per role."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from sapat.demo import loader


class Command(BaseCommand):
    help = (
        "Load the demo institutions (БатМУ and ОшМУ) and their demo logins. Safe to run again: "
        "an institution that is already there is left alone. There is no --reset: the audit log "
        "is append-only, so demo data is removed by starting from an empty database."
    )

    def handle(self, *args, **options):
        try:
            # The demo's workflows notify made-up people: their mail goes nowhere, even on an
            # installation with a real mail server configured.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                loader.load(write=self.stdout.write)
        except loader.DemoConflict as error:
            raise CommandError(str(error)) from error
        rows = loader.login_rows()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        header = ("user name", "password", "role", "where")
        widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, tuple("-" * w for w in widths), *rows):
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
