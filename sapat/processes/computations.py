"""The library of computed indicators: each key names a function over the data already in
Sapat (contingent figures, staff records) for an academic year and a scope. A scope is a
unit (its whole subtree; the top unit for the institution) or a programme. A function
returns a `Decimal`, or `None` when there is nothing to compute from.

Counts are whole numbers; rates are percentages rounded to two decimals."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sapat.org.choices import StaffCategory
from sapat.org.models import AcademicYear, ContingentFigure, Person

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scope:
    unit: object  # sapat.org.models.Unit
    programme: object = None  # sapat.org.models.Programme

    @property
    def institution_id(self):
        return self.unit.institution_id


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _contingent(year, scope: Scope):
    qs = ContingentFigure.objects.filter(
        academic_year__institution_id=scope.institution_id, academic_year__start_year=year
    )
    if scope.programme is not None:
        return qs.filter(programme=scope.programme)
    return qs.filter(programme__unit__path__startswith=scope.unit.path)


def _sum(year, scope, field):
    total = _contingent(year, scope).aggregate(n=Sum(field))["n"]
    return None if total is None else Decimal(total)


def admission(year, scope):
    """Students admitted in the year."""
    return _sum(year, scope, "admitted")


def graduation(year, scope):
    """Graduates of the year."""
    return _sum(year, scope, "graduated")


def dropout_rate(year, scope):
    """Expelled or dropped out / enrolled × 100."""
    sums = _contingent(year, scope).aggregate(expelled=Sum("expelled"), enrolled=Sum("enrolled"))
    return _percent(sums["expelled"] or 0, sums["enrolled"])


def employment_rate(year, scope):
    """Employed graduates / graduates × 100, over the programmes whose employment is known."""
    sums = (
        _contingent(year, scope)
        .filter(employed__isnull=False)
        .aggregate(employed=Sum("employed"), graduated=Sum("graduated"))
    )
    return _percent(sums["employed"] or 0, sums["graduated"])


def _teaching_staff(year, scope):
    if scope.programme is not None:
        return None
    ay = AcademicYear.objects.filter(institution_id=scope.institution_id, start_year=year).first()
    if ay is None:
        return None
    return Person.objects.filter(
        institution_id=scope.institution_id,
        unit__path__startswith=scope.unit.path,
        staff_category=StaffCategory.TEACHING,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=ay.end_date))


def _staff_share(year, scope, condition):
    staff = _teaching_staff(year, scope)
    if staff is None:
        return None
    return _percent(staff.filter(condition).count(), staff.count())


def staff_degree_or_title_share(year, scope):
    """Teaching staff (not left by the year's end) with an academic degree or title / all × 100."""
    return _staff_share(year, scope, ~Q(degree="") | ~Q(academic_title=""))


def staff_degree_share(year, scope):
    """Teaching staff with an academic degree / all × 100."""
    return _staff_share(year, scope, ~Q(degree=""))


def staff_title_share(year, scope):
    """Teaching staff with an academic title / all × 100."""
    return _staff_share(year, scope, ~Q(academic_title=""))


def student_teacher_ratio(year, scope):
    """Students enrolled (contingent figures of the scope's programmes) per member of the
    teaching staff of the scope (headcount, not left by the year's end)."""
    staff = _teaching_staff(year, scope)
    students = _sum(year, scope, "enrolled")
    if staff is None or students is None:
        return None
    headcount = staff.count()
    if not headcount:
        return None
    return (students / Decimal(headcount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


LIBRARY = {
    "admission": (_("Students admitted"), admission),
    "graduation": (_("Graduates"), graduation),
    "dropout_rate": (_("Dropout rate (share of enrolled), %"), dropout_rate),
    "employment_rate": (_("Graduate employment (share of graduates), %"), employment_rate),
    "staff_degree_or_title_share": (
        _("Teaching staff with a degree or an academic title, %"),
        staff_degree_or_title_share,
    ),
    "staff_degree_share": (_("Teaching staff with an academic degree, %"), staff_degree_share),
    "staff_title_share": (_("Teaching staff with an academic title, %"), staff_title_share),
    "student_teacher_ratio": (_("Students per teacher (headcount)"), student_teacher_ratio),
}


def register(key: str, label, fn) -> None:
    """Add a computation from another app (surveys' satisfaction indices, improvement's
    nonconformity figures), called from its `AppConfig.ready()`. A key names one thing."""
    if key in LIBRARY and LIBRARY[key][1] is not fn:
        raise ValueError(f"computation {key!r} is already registered")
    LIBRARY[key] = (label, fn)


def computation_choices():
    return [("", _("Entered by hand"))] + [(key, label) for key, (label, _fn) in LIBRARY.items()]


def compute(key, year, scope: Scope):
    return LIBRARY[key][1](year, scope)
