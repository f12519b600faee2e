"""Demo indicators: the ones the seeds name, with targets and five years of values, so that
the dashboards tell a story from the institution down to its faculties, institutes,
colleges, departments and programmes:

- computed from the demo's own contingent and staff records (admission, graduation,
  dropout, employment, staff with a degree or title), for the institution, every academic
  unit and every programme (students per teacher is left out: the demo's staff is a sample
  of some eighty teachers, so the ratio would be several times the real one);
- entered by hand where Sapat has no records: the library's collection renewal (the seeds'
  "up to 10 % a year"), the share of teachers who upgraded their qualification (20 % a year,
  100 % over five years: `002.md` criterion 2.3), and the students' academic performance
  per semester. The entered values vary from unit to unit and year to year with a fixed
  seed, a few of them off target;
- computed from the demo's surveys once they are loaded: the student and employer
  satisfaction indices (`load_satisfaction_indicators`).

An institution that already has indicators is left alone: loading twice changes nothing."""

import random
from decimal import Decimal

from django.db import transaction

from sapat.core.audit import save_audited
from sapat.org.choices import UnitType
from sapat.org.models import AcademicYear, Institution, Programme, Unit
from sapat.processes import computations
from sapat.processes.models import Indicator, IndicatorTarget, IndicatorValue, Process

ACADEMIC = (UnitType.FACULTY, UnitType.INSTITUTE, UnitType.COLLEGE, UnitType.DEPARTMENT, UnitType.CYCLE_COMMISSION)

# code, names (ky, ru, en), unit of measure, direction, computation (or how it is entered),
# process, target, warning, level, frequency
SPECS = [
    ("К-01", ("Кабыл алынган студенттер", "Принято студентов", "Students admitted"), "адам", "higher",
     "admission", "2.1", None, None, "institution", "year"),
    ("К-02", ("Бүтүрүүчүлөр", "Выпускники", "Graduates"), "адам", "higher",
     "graduation", "2.3", None, None, "institution", "year"),
    ("К-03", ("Окуудан чыгып кеткендердин үлүшү", "Доля отчисленных", "Dropout rate"), "%", "lower",
     "dropout_rate", "2.3", "5", "8", "unit", "year"),
    ("К-04", ("Бүтүрүүчүлөрдүн ишке орношуусу", "Трудоустройство выпускников", "Graduate employment"), "%",
     "higher", "employment_rate", "2.3", "70", "60", "unit", "year"),
    ("К-05", ("Окумуштуулук даражасы же илимий наамы бар ПОКтун үлүшү", "Доля ППС с учёной степенью или званием",
              "Teaching staff with a degree or title"), "%", "higher",
     "staff_degree_or_title_share", "3.1", "60", "45", "unit", "year"),
    ("К-06", ("Китепкана фондунун жаңылануусу", "Обновление библиотечного фонда", "Library collection renewal"),
     "%", "higher", "renewal", "3.5", "10", "6", "institution", "year"),
    ("К-08", ("Квалификациясын жогорулаткан окутуучулардын үлүшү (жылына)",
              "Доля преподавателей, повысивших квалификацию (за год)",
              "Teachers who upgraded their qualification this year"), "%", "higher",
     "upgrade", "2.10", "20", "15", "unit", "year"),
    ("К-09", ("Квалификациясын жогорулаткан окутуучулардын үлүшү (беш жылда)",
              "Доля преподавателей, повысивших квалификацию (за пять лет)",
              "Teachers who upgraded their qualification in five years"), "%", "higher",
     "upgrade_5y", "2.10", "100", "80", "unit", "year"),
    ("К-10", ("Студенттердин академиялык жетишкендиги", "Академическая успеваемость студентов",
              "Students' academic performance"), "%", "higher", "performance", "2.5", "85", "75", "unit", "semester"),
    ("П-01", ("Программанын бүтүрүүчүлөрүнүн ишке орношуусу", "Трудоустройство выпускников программы",
              "Graduate employment of the programme"), "%", "higher",
     "employment_rate", "2.3", "70", "60", "programme", "year"),
    ("П-02", ("Программадан чыгып кеткендердин үлүшү", "Доля отчисленных с программы",
              "Dropout rate of the programme"), "%", "lower", "dropout_rate", "2.3", "5", "8", "programme", "year"),
]  # fmt: skip
# Entered values of the library renewal, oldest year first: two years off or at risk.
RENEWAL = {"batsu": ["4.1", "5.2", "7.8", "9.4", "10.3"], "oshsu": ["8.2", "9.1", "10.5", "6.7", "11.2"]}
ENTERED = {"renewal", "upgrade", "upgrade_5y", "performance"}


def load_indicators(write=print) -> dict[str, str]:
    outcome = {}
    for code in sorted(RENEWAL):
        institution = Institution.objects.filter(code=code).first()
        if institution is None or not institution.processes.exists():
            continue
        if institution.indicators.exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            count = _load(institution, RENEWAL[code])
        outcome[code] = "created"
        write(f"{code}: indicators — {count} values over five years.")
    return outcome


class _Values:
    """The values of the demo, made in memory and stored in one go."""

    def __init__(self, institution, renewal):
        self.root = Unit.objects.get(institution=institution, parent__isnull=True)
        self.units = [self.root] + list(
            Unit.objects.filter(institution=institution, unit_type__in=ACADEMIC, closed_on__isnull=True).order_by(
                "path"
            )
        )
        self.programmes = list(Programme.objects.filter(institution=institution).select_related("unit"))
        self.renewal = renewal
        self.rows: list[IndicatorValue] = []

    def add(self, indicator, year, unit, value, *, programme=None, period=0, computed=False):
        if value is None:
            return
        self.rows.append(
            IndicatorValue(
                indicator=indicator,
                year=year,
                period=period,
                unit=unit,
                programme=programme,
                value=Decimal(value).quantize(Decimal("0.01")),
                source="computed" if computed else "entered",
            )
        )

    def computed(self, indicator, key, years, level):
        if level == "programme":
            for programme in self.programmes:
                for year in years:
                    scope = computations.Scope(programme.unit, programme)
                    value = computations.compute(key, year, scope)
                    self.add(indicator, year, programme.unit, value, programme=programme, computed=True)
            return
        for unit in self.units if level == "unit" else [self.root]:
            for year in years:
                value = computations.compute(key, year, computations.Scope(unit, None))
                self.add(indicator, year, unit, value, computed=True)

    def entered(self, indicator, key, years):
        if key == "renewal":
            for year, value in zip(years, self.renewal[-len(years) :], strict=False):
                self.add(indicator, year, self.root, value)
            return
        for unit in self.units:
            # Each unit its own steady level and drift, the same at every load.
            rng = random.Random(f"{indicator.code}/{unit.code}")
            if key == "performance":
                level = rng.uniform(72, 92)
                for year in years:
                    for semester in (1, 2):
                        self.add(indicator, year, unit, min(99, level + rng.uniform(-4, 4)), period=semester)
                    level += rng.uniform(-1.5, 2)
                continue
            shares = [max(4.0, rng.uniform(11, 27) + (year - years[0]) * rng.uniform(-1, 1.5)) for year in years]
            if key == "upgrade":
                for year, share in zip(years, shares, strict=True):
                    self.add(indicator, year, unit, share)
            else:  # five years: the yearly shares added up, at most every teacher
                total = 0.0
                for year, share in zip(years, shares, strict=True):
                    total = min(100.0, total + share)
                    self.add(indicator, year, unit, total)


def _load(institution, renewal) -> int:
    processes = {p.code: p for p in Process.objects.filter(institution=institution)}
    years = list(
        AcademicYear.objects.filter(institution=institution, contingent__isnull=False)
        .values_list("start_year", flat=True)
        .distinct()
        .order_by("start_year")
    )[-5:]
    values = _Values(institution, renewal)
    targets = []
    for code, (ky, ru, en), measure, direction, key, process, target, warning, level, frequency in SPECS:
        indicator = save_audited(
            None,
            Indicator(
                institution=institution,
                code=code,
                name_ky=ky,
                name_ru=ru,
                name_en=en,
                unit_of_measure=measure,
                direction=direction,
                level=level,
                frequency=frequency,
                computation="" if key in ENTERED else key,
                process=processes.get(process),
                min_value=Decimal(0),
                max_value=Decimal(100) if measure == "%" else None,
            ),
        )
        if target is not None:
            targets += [
                IndicatorTarget(indicator=indicator, year=year, target=Decimal(target), warning=Decimal(warning))
                for year in years
            ]
        if key in ENTERED:
            values.entered(indicator, key, years)
        else:
            values.computed(indicator, key, years, level)
    # Demo data in bulk: thousands of values, each one a row; the indicators themselves are
    # in the audit log.
    IndicatorTarget.objects.bulk_create(targets)
    IndicatorValue.objects.bulk_create(values.rows)
    return len(values.rows)


# Satisfaction indices, computed from the demo's surveys once they are loaded (seed 004:
# satisfaction is "the criterion of QMS effectiveness"): code, names, computation, level.
SATISFACTION = [
    ("К-11", ("Студенттердин канааттануу индекси", "Индекс удовлетворённости студентов",
              "Student satisfaction index"), "satisfaction_students", "unit"),
    ("К-12", ("Иш берүүчүлөрдүн канааттануу индекси", "Индекс удовлетворённости работодателей",
              "Employer satisfaction index"), "satisfaction_employers", "institution"),
]  # fmt: skip
SATISFACTION_TARGET, SATISFACTION_WARNING = Decimal(75), Decimal(65)


def load_satisfaction_indicators(write=print) -> dict[str, str]:
    """The satisfaction indicators of each demo institution that has indicators and surveys,
    computed for every academic year whose surveys give enough respondents."""
    outcome = {}
    for code in sorted(RENEWAL):
        institution = Institution.objects.filter(code=code).first()
        if institution is None or not institution.indicators.exists():
            continue
        if institution.indicators.filter(code=SATISFACTION[0][0]).exists():
            outcome[code] = "skipped"
            continue
        years = list(
            AcademicYear.objects.filter(institution=institution).values_list("start_year", flat=True).order_by(
                "start_year"
            )
        )[-5:]
        values = _Values(institution, renewal=[])
        targets = []
        with transaction.atomic():
            for ind_code, (ky, ru, en), key, level in SATISFACTION:
                indicator = save_audited(
                    None,
                    Indicator(
                        institution=institution,
                        code=ind_code,
                        name_ky=ky,
                        name_ru=ru,
                        name_en=en,
                        unit_of_measure="%",
                        level=level,
                        computation=key,
                        min_value=Decimal(0),
                        max_value=Decimal(100),
                    ),
                )
                targets += [
                    IndicatorTarget(
                        indicator=indicator, year=year, target=SATISFACTION_TARGET, warning=SATISFACTION_WARNING
                    )
                    for year in years
                ]
                values.computed(indicator, key, years, level)
            IndicatorTarget.objects.bulk_create(targets)
            IndicatorValue.objects.bulk_create(values.rows)
        outcome[code] = "created"
        write(f"{code}: satisfaction indices — {len(values.rows)} values from the surveys.")
    return outcome
