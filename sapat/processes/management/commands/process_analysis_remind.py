"""`manage.py process_analysis_remind`: the deadline reminder of the annual process analysis.

Mails every current owner of a process whose analysis of the academic year is not
submitted, one message each listing their processes, in their own language (the same as
the button on the overview page). Run it by hand, or from cron in the weeks before the
deadline the quality department set, e.g. every Monday in June::

    0 8 * 6 1  cd /srv/sapat && .venv/bin/python manage.py process_analysis_remind --deadline 2027-06-30

Without `--year`, the last academic year that has ended (else the current one); without
`--institution`, every institution."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sapat.org.models import Institution
from sapat.processes import selectors_analysis, services_analysis


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Remind process owners who have not submitted the annual process analysis."

    def add_arguments(self, parser):
        parser.add_argument("--institution", help="institution code (default: every institution)")
        parser.add_argument("--year", type=int, help="first calendar year of the academic year, e.g. 2025")
        parser.add_argument("--deadline", type=_date, help="the date to submit by, told in the message")

    def handle(self, *args, institution=None, year=None, deadline=None, **options):
        institutions = Institution.objects.order_by("code")
        if institution:
            institutions = institutions.filter(code=institution)
            if not institutions:
                raise CommandError(f"No institution with the code {institution}.")
        for inst in institutions:
            academic_year = selectors_analysis.year_of(inst, year) if year else selectors_analysis.default_year(inst)
            if academic_year is None:
                self.stdout.write(f"{inst.code}: no such academic year has begun; nothing sent.")
                continue
            try:
                sent = services_analysis.analysis_remind(
                    actor=None, institution=inst, academic_year=academic_year, deadline=deadline
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(f"{inst.code} {academic_year}: {sent} reminder(s) sent.")
