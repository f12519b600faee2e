"""What both demo institutions share: the password, the calendar, the analyst's login."""

from datetime import date

from sapat.org.choices import ProgrammeLevel, Role

from .spec import AccountSpec

DEMO_PASSWORD = "sapat-demo"

# Academic years by their first calendar year: 2021-2022 ... 2026-2027 (the current one).
ACADEMIC_YEARS = range(2021, 2027)
# Contingent figures are kept for the five finished or running years before the current one.
CONTINGENT_YEARS = range(2021, 2026)
# The academic year whose groups are studying now.
CURRENT_YEAR = 2026


def academic_year_dates(start_year: int) -> tuple[date, date]:
    """1 September to 31 August: the years follow each other without a gap, so there is
    always a current one (the summer belongs to the year that is ending)."""
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def semester_dates(start_year: int) -> dict[str, tuple[date, date]]:
    """Autumn with its winter session; spring after the winter holidays, with the summer
    session and the state attestation."""
    return {
        "autumn": (date(start_year, 9, 1), date(start_year + 1, 1, 25)),
        "spring": (date(start_year + 1, 2, 9), date(start_year + 1, 6, 30)),
    }


# Usual length of study in years when a programme does not say.
LEVEL_YEARS = {
    ProgrammeLevel.SECONDARY_VOCATIONAL: 3,
    ProgrammeLevel.BACHELOR: 4,
    ProgrammeLevel.SPECIALIST: 5,
    ProgrammeLevel.MASTER: 2,
    ProgrammeLevel.PHD: 3,
    ProgrammeLevel.ADDITIONAL: 1,
}

# The ministry's or agency's analyst: every institution, read-only, no person record.
ANALYST_ACCOUNT = AccountSpec("analyst", Role.ANALYST, unit=None, person=None)
