"""Demo indicators: the ones the seeds name, with targets, computed from the demo's own
contingent and staff records for the last five years, plus the library's collection renewal
entered by hand (the seeds' "up to 10 % a year"). An institution that already has
indicators is left alone: loading twice changes nothing."""

from decimal import Decimal

from django.db import transaction

from sapat.core.audit import save_audited
from sapat.org.models import AcademicYear, Institution, Unit
from sapat.processes import computations
from sapat.processes.models import Indicator, IndicatorTarget, IndicatorValue, Process

# code, names (ky, ru, en), unit of measure, direction, computation, process, target, warning
SPECS = [
    (
        "К-01",
        ("Кабыл алынган студенттер", "Принято студентов", "Students admitted"),
        "адам",
        "higher",
        "admission",
        "2.1",
        None,
        None,
    ),
    ("К-02", ("Бүтүрүүчүлөр", "Выпускники", "Graduates"), "адам", "higher", "graduation", "2.3", None, None),
    (
        "К-03",
        ("Окуудан чыгып кеткендердин үлүшү", "Доля отчисленных", "Dropout rate"),
        "%",
        "lower",
        "dropout_rate",
        "2.3",
        "5",
        "8",
    ),
    (
        "К-04",
        ("Бүтүрүүчүлөрдүн ишке орношуусу", "Трудоустройство выпускников", "Graduate employment"),
        "%",
        "higher",
        "employment_rate",
        "2.3",
        "70",
        "60",
    ),
    (
        "К-05",
        (
            "Окумуштуулук даражасы же илимий наамы бар ПОКтун үлүшү",
            "Доля ППС с учёной степенью или званием",
            "Teaching staff with a degree or title",
        ),
        "%",
        "higher",
        "staff_degree_or_title_share",
        "3.1",
        "60",
        "45",
    ),
    (
        "К-06",
        ("Китепкана фондунун жаңылануусу", "Обновление библиотечного фонда", "Library collection renewal"),
        "%",
        "higher",
        "",
        "3.5",
        "10",
        "6",
    ),
]
# Entered values of the library renewal, oldest year first: two years off or at risk.
RENEWAL = {"batsu": ["4.1", "5.2", "7.8", "9.4", "10.3"], "oshsu": ["8.2", "9.1", "10.5", "6.7", "11.2"]}


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


def _load(institution, renewal) -> int:
    root = Unit.objects.get(institution=institution, parent__isnull=True)
    processes = {p.code: p for p in Process.objects.filter(institution=institution)}
    years = list(
        AcademicYear.objects.filter(institution=institution, contingent__isnull=False)
        .values_list("start_year", flat=True)
        .distinct()
        .order_by("start_year")
    )[-5:]
    stored = 0
    for code, (ky, ru, en), measure, direction, computation, process, target, warning in SPECS:
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
                level="institution",
                computation=computation,
                process=processes.get(process),
                min_value=Decimal(0),
                max_value=Decimal(100) if measure == "%" else None,
            ),
        )
        for year in years:
            if target is not None:
                save_audited(
                    None,
                    IndicatorTarget(indicator=indicator, year=year, target=Decimal(target), warning=Decimal(warning)),
                )
        values = (
            [computations.compute(computation, year, computations.Scope(root, None)) for year in years]
            if computation
            else [Decimal(v) for v in renewal[-len(years) :]]
        )
        for year, value in zip(years, values, strict=True):
            if value is None:
                continue
            save_audited(
                None,
                IndicatorValue(
                    indicator=indicator,
                    year=year,
                    unit=root,
                    value=value,
                    source="computed" if computation else "entered",
                ),
            )
            stored += 1
    return stored
