"""Reads of the annual process analyses.

Who reads what: a submitted or accepted analysis is read by everyone who sees the process
register; a draft, or one returned for rework, only by those who may write it (the
process's current owners and the quality department). The overview of a year costs the
same number of queries for 3 processes or 300.

The indicator figures come from the indicators' own public reads (`dashboard`,
`trend_years`), for the institution as a whole: a process's indicators are measured for
the institution."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sapat.org import access
from sapat.org.models import AcademicYear

from .models import Process, ProcessOwnership
from .models_analysis import EDITABLE_STATES, AnalysisState, ProcessAnalysis
from .models_indicators import IndicatorStatus, indicator_status, plain
from .selectors import processes_for
from .selectors_indicators import Targets, dashboard, trend_years
from .services import can_manage, is_current_owner, root_unit

NOT_STARTED = "not_started"


def can_write(user, process: Process) -> bool:
    """The process's current owners and the quality department write its analyses."""
    return can_manage(user, process.institution_id) or is_current_owner(user, process)


def can_read(user, analysis: ProcessAnalysis) -> bool:
    """The caller has checked that the user sees the process."""
    return analysis.is_published or can_write(user, analysis.process)


def can_view_files(user, analysis: ProcessAnalysis) -> bool:
    return access.sees_institution(user, analysis.process.institution_id) and can_read(user, analysis)


def can_attach_files(user, analysis: ProcessAnalysis) -> bool:
    """Evidence goes with the text: added while the analysis may still be written."""
    return (
        access.sees_institution(user, analysis.process.institution_id)
        and analysis.state in EDITABLE_STATES
        and can_write(user, analysis.process)
    )


# --- academic years ---------------------------------------------------------------------------


def started_years(institution):
    """The academic years that have begun, newest first: those an analysis may be written for."""
    return AcademicYear.objects.filter(institution=institution, start_date__lte=timezone.localdate()).order_by(
        "-start_year"
    )


def default_year(institution) -> AcademicYear | None:
    """The last academic year that has ended (the one being analysed), else the current one."""
    years = list(started_years(institution)[:2])
    ended = [y for y in years if y.end_date < timezone.localdate()]
    return (ended or years or [None])[0]


def year_of(institution, start_year) -> AcademicYear | None:
    return started_years(institution).filter(start_year=start_year).first()


# --- indicator figures ------------------------------------------------------------------------


@dataclass
class Figure:
    """One indicator of the process in the analysed year."""

    code: str
    name: str
    unit_of_measure: str
    direction: str
    value: Decimal | None
    target: Decimal | None
    status: str | None
    trend: list = field(default_factory=list)  # (year, value or None), oldest first

    @property
    def status_label(self) -> str:
        return IndicatorStatus(self.status).label if self.status else ""


def live_figures(process: Process, start_year: int) -> list[Figure]:
    """The process's indicators in `start_year` as they stand now: the year's value, the
    year's target and the status they give, and the trend over the years up to it."""
    root = root_unit(process.institution_id)
    indicators = list(process.indicators.order_by("code"))
    years = trend_years(process.institution, upto=start_year)
    targets = Targets([i.pk for i in indicators])
    figures = []
    for row in dashboard(indicators, root, years):
        indicator = row.indicator
        value = dict(row.trend).get(start_year)
        target = targets.get(indicator.pk, start_year, 0)
        figures.append(
            Figure(
                code=indicator.code,
                name=indicator.name,
                unit_of_measure=indicator.unit_of_measure,
                direction=indicator.direction,
                value=value,
                target=target.target if target else None,
                status=indicator_status(
                    value, indicator.direction, target and target.target, target and target.warning
                ),
                trend=row.trend,
            )
        )
    return figures


def figures_summary(figures: list[Figure]) -> str:
    """The opening of a new analysis: one line per indicator of the process, in the
    interface's language ("К-03 …: 6.2 % (target 5) — At risk")."""
    lines = []
    for f in figures:
        value = "—" if f.value is None else f"{plain(f.value)} {f.unit_of_measure}".strip()
        target = "" if f.target is None else " (" + _("target") + f" {plain(f.target)})"
        status = f" — {f.status_label}" if f.status else ""
        lines.append(f"{f.code} {f.name}: {value}{target}{status}")
    return "\n".join(lines)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _decimal(text) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def figures_to_json(process: Process, figures: list[Figure]) -> list[dict]:
    """The snapshot stored with a submitted analysis: names in every language, numbers as text."""
    names = {i.code: i for i in process.indicators.all()}
    rows = []
    for f in figures:
        indicator = names.get(f.code)
        rows.append(
            {
                "code": f.code,
                "name": {lang: getattr(indicator, f"name_{lang}", "") for lang in ("ky", "ru", "en")}
                if indicator
                else {"ky": f.name},
                "unit_of_measure": f.unit_of_measure,
                "direction": f.direction,
                "value": _text(f.value),
                "target": _text(f.target),
                "status": f.status,
                "trend": [[year, _text(value)] for year, value in f.trend],
            }
        )
    return rows


def figures_from_json(rows: list[dict]) -> list[Figure]:
    language = (get_language() or "ky")[:2]
    return [
        Figure(
            code=row["code"],
            name=row["name"].get(language) or row["name"].get("ky") or "",
            unit_of_measure=row.get("unit_of_measure", ""),
            direction=row.get("direction", ""),
            value=_decimal(row.get("value")),
            target=_decimal(row.get("target")),
            status=row.get("status"),
            trend=[(year, _decimal(value)) for year, value in row.get("trend", [])],
        )
        for row in rows
    ]


def figures_of(analysis: ProcessAnalysis | None, process: Process, start_year: int) -> tuple[list[Figure], bool]:
    """The figures to show with an analysis, and whether they are the frozen snapshot: a
    submitted or accepted analysis shows what it was submitted with; a draft or a returned
    one the figures as they stand now (they are taken again at submission)."""
    if analysis is not None and not analysis.is_editable:
        return figures_from_json(analysis.figures), True
    return live_figures(process, start_year), False


# --- pages ------------------------------------------------------------------------------------


def analysis_of(process: Process, academic_year: AcademicYear) -> ProcessAnalysis | None:
    return (
        ProcessAnalysis.objects.filter(process=process, academic_year=academic_year)
        .select_related("academic_year", "submitted_by__person", "decided_by__person")
        .first()
    )


@dataclass
class OverviewRow:
    process: Process
    analysis: ProcessAnalysis | None

    @property
    def status(self) -> str:
        return self.analysis.state if self.analysis else NOT_STARTED

    @property
    def is_submitted(self) -> bool:
        return self.status in (AnalysisState.SUBMITTED, AnalysisState.ACCEPTED)

    @property
    def owner_people(self) -> list:
        return [o.person for o in self.process.current_owners if o.person_id]


STATUS_ORDER = (
    NOT_STARTED,
    AnalysisState.DRAFT,
    AnalysisState.RETURNED,
    AnalysisState.SUBMITTED,
    AnalysisState.ACCEPTED,
)


def overview(user, institution, academic_year) -> list[OverviewRow]:
    """Every process in the register with its analysis of the year (or None): four queries."""
    processes = processes_for(user).filter(institution=institution, is_active=True).order_by("sort_key")
    analyses = {
        a.process_id: a
        for a in ProcessAnalysis.objects.filter(academic_year=academic_year, process__institution=institution).only(
            "id", "process_id", "academic_year_id", "state", "submitted_at", "decided_at"
        )
    }
    return [OverviewRow(p, analyses.get(p.pk)) for p in processes]


def counts(rows: list[OverviewRow]) -> list[tuple[str, int]]:
    """How many processes are in each status, in the workflow's order."""
    return [(status, sum(1 for r in rows if r.status == status)) for status in STATUS_ORDER]


def process_years(process: Process) -> list[tuple[AcademicYear, ProcessAnalysis | None]]:
    """The started academic years (newest first) with the process's analysis of each, for the
    process page; analyses the user may not read are shown by their status only."""
    analyses = {a.academic_year_id: a for a in process.analyses.all()}
    return [(year, analyses.get(year.pk)) for year in started_years(process.institution)[:6]]


def not_submitted_owners(institution, academic_year) -> dict:
    """The people who currently own an active process whose analysis of the year is not
    submitted: {person: [processes]}, for the reminder."""
    done = set(
        ProcessAnalysis.objects.filter(
            academic_year=academic_year, state__in=(AnalysisState.SUBMITTED, AnalysisState.ACCEPTED)
        ).values_list("process_id", flat=True)
    )
    people: dict = {}
    processes = (
        Process.objects.filter(institution=institution, is_active=True).exclude(pk__in=done).order_by("sort_key")
    )
    for ownership in (
        ProcessOwnership.objects.current()
        .filter(process__in=processes, person__isnull=False, person__left_on__isnull=True)
        .select_related("person__user", "process")
        .order_by("process__sort_key", "id")
    ):
        people.setdefault(ownership.person, []).append(ownership.process)
    return people
