"""Reads of indicators. Like the process register, one's own institution's indicators are
not secret: everyone who may see the institution sees them. The dashboard fetches
everything up front: it costs the same number of queries for 3 indicators or 300."""

from dataclasses import dataclass, field

from django.db.models import F, IntegerField, Window
from django.db.models.functions import Coalesce, Mod, RowNumber
from django.utils.translation import gettext as _

from sapat.lib import charts
from sapat.org import access
from sapat.org.models import AcademicYear, Programme, Unit
from sapat.org.selectors import get_visible

from .models_indicators import (
    Frequency,
    Indicator,
    IndicatorLevel,
    IndicatorStatus,
    IndicatorTarget,
    IndicatorValue,
    indicator_status,
    period_label,
    period_sort,
    periods_of,
)

TREND_YEARS = 5
CHART_YEARS = 2 * TREND_YEARS


def indicators_for(user):
    ids = access.institution_ids(user)
    qs = Indicator.objects.select_related("institution", "responsible", "objective", "process")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def indicator_detail(user, pk) -> Indicator:
    return get_visible(indicators_for(user), pk=pk)


def trend_years(institution, upto=None, count=TREND_YEARS) -> list[int]:
    """The last `count` academic years of the institution (oldest first), up to `upto`.
    Dashboards ask for twice the trend's length (`CHART_YEARS`): their charts end at the
    latest value, which may be a year or more before the current academic year."""
    qs = AcademicYear.objects.filter(institution=institution)
    if upto is not None:
        qs = qs.filter(start_year__lte=upto)
    years = list(qs.order_by("-start_year").values_list("start_year", flat=True)[:count])
    return sorted(years)


# How many points a trend shows, by frequency: five years, or the last periods of them.
TREND_POINTS = {Frequency.YEAR: 5, Frequency.SEMESTER: 10, Frequency.QUARTER: 8, Frequency.MONTH: 12}
STATUSES = (IndicatorStatus.ON_TARGET, IndicatorStatus.AT_RISK, IndicatorStatus.OFF_TARGET)
STATUS_CLASSES = {
    IndicatorStatus.ON_TARGET: "success",
    IndicatorStatus.AT_RISK: "warning",
    IndicatorStatus.OFF_TARGET: "danger",
}


def levels_for(unit, programme=None) -> tuple[str, ...]:
    """The indicator levels a dashboard shows: the institution's (its top unit) shows the
    institution's, units' and processes' indicators; a unit its units'; a programme its
    programmes'."""
    if programme is not None:
        return (IndicatorLevel.PROGRAMME,)
    if unit.parent_id is None:
        return (IndicatorLevel.INSTITUTION, IndicatorLevel.UNIT, IndicatorLevel.PROCESS)
    return (IndicatorLevel.UNIT,)


@dataclass
class DashboardRow:
    indicator: Indicator
    value: IndicatorValue | None = None
    target: IndicatorTarget | None = None
    status: str | None = None
    trend: list = field(default_factory=list)  # (year, value or None) for each year asked, oldest first
    points: list = field(default_factory=list)  # (period label, value or None, status): the chart's
    chart: str = ""  # the small SVG trend of `points` (charts.spark_chart)

    @property
    def period_label(self) -> str:
        return period_label(self.value.year, self.value.period, self.indicator.frequency) if self.value else ""

    @property
    def status_label(self) -> str:
        return IndicatorStatus(self.status).label if self.status else ""

    @property
    def status_class(self) -> str:
        """Bootstrap's colour of the status badge."""
        return STATUS_CLASSES.get(self.status, "")


def short_period(year, period, frequency) -> str:
    """A period as an axis label: "2024–25", "2024–25/1", "Q3 2024–25", "10.2025"."""
    academic = f"{year}–{str(year + 1)[2:]}"
    if not period:
        return academic
    if frequency == Frequency.MONTH:
        return f"{period:02d}.{year if period >= 9 else year + 1}"
    if frequency == Frequency.QUARTER:
        return f"Q{period} {academic}"
    return f"{academic}/{period}"


class Targets:
    """The targets of some indicators: a period's own target, else its year's."""

    def __init__(self, ids):
        self.by_key = {
            (t.indicator_id, t.year, t.period): t
            for t in IndicatorTarget.objects.filter(indicator_id__in=ids).only(
                "indicator_id", "year", "period", "target", "warning"
            )
        }

    def get(self, indicator_id, year, period):
        return self.by_key.get((indicator_id, year, period)) or self.by_key.get((indicator_id, year, 0))

    def status(self, indicator, value: IndicatorValue | None):
        if value is None:
            return None, None
        target = self.get(indicator.pk, value.year, value.period)
        return target, indicator_status(
            value.value, indicator.direction, target and target.target, target and target.warning
        )


def _current_values(indicators, **scope):
    """Values in force of the indicators, keyed scope → indicator → (year, period order)."""
    frequencies = {i.pk: i.frequency for i in indicators}
    values = IndicatorValue.objects.filter(
        indicator_id__in=list(frequencies), superseded_by__isnull=True, **scope
    ).only("indicator_id", "year", "period", "value", "source", "unit_id", "programme_id")
    grouped: dict = {}
    for v in values:
        key = (v.year, period_sort(frequencies.get(v.indicator_id), v.period))
        grouped.setdefault(v.programme_id or v.unit_id, {}).setdefault(v.indicator_id, {})[key] = v
    return grouped


def _trend_keys(indicator, years, latest_key) -> list[tuple[int, int, int]]:
    """(year, period, order) of the trend's points, oldest first, ending with the latest value."""
    periods = periods_of(indicator.frequency)
    keys = [(y, p, period_sort(indicator.frequency, p)) for y in years for p in periods]
    if latest_key is not None:
        keys = [k for k in keys if (k[0], k[2]) <= latest_key] or keys
    return keys[-TREND_POINTS.get(indicator.frequency, 5) :]


def _row(indicator, mine, targets, years) -> DashboardRow:
    latest_key = max(mine) if mine else None
    latest = mine[latest_key] if mine else None
    target, status = targets.status(indicator, latest)
    points = []
    for y, p, order in _trend_keys(indicator, years, latest_key):
        point = mine.get((y, order))
        points.append(
            (short_period(y, p, indicator.frequency), point and point.value, targets.status(indicator, point)[1])
        )
    # A year's value: the year's own, or the latest period's of it.
    of_year = {}
    for (y, _order), v in sorted(mine.items()):
        of_year[y] = v.value
    return DashboardRow(
        indicator=indicator,
        value=latest,
        target=target,
        status=status,
        trend=[(y, of_year.get(y)) for y in years],
        points=points,
        chart=charts.spark_chart(
            [(label, value) for label, value, _s in points],
            statuses=[s for _l, _v, s in points],
            target=target and target.target,
        ),
    )


def dashboard(indicators, unit, years, programme=None) -> list[DashboardRow]:
    """Each indicator with its latest value for `unit` as a whole (or for `programme`), the
    target of that period, its status and its trend over the last periods of `years`.
    A fixed number of queries."""
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    if programme is not None:
        grouped = _current_values(indicators, programme=programme)
        mine_of = grouped.get(programme.pk, {})
    else:
        grouped = _current_values(indicators, unit=unit, programme__isnull=True)
        mine_of = grouped.get(unit.pk, {})
    targets = Targets(ids)
    return [_row(indicator, mine_of.get(indicator.pk, {}), targets, years) for indicator in indicators]


@dataclass
class ScopeSummary:
    scope: object  # a Unit or a Programme
    counts: dict  # status → number of indicators with their latest value in it
    missing: int  # indicators without a value or without a target

    @property
    def total(self):
        return sum(self.counts.values()) + self.missing


def _latest_per_scope(indicators, since_year, **scope):
    """The latest value in force of each indicator in each scope, since `since_year`, as
    (scope id, indicator id, year, period, value) rows: the database ranks the values (a
    window function), so only one row per scope and indicator travels."""
    # Periods in the order of the academic year, for every frequency at once: months 9 … 12,
    # 1 … 8 become 0 … 11; semesters and quarters 1 … 4 stay in order (4 … 7), the year is 3.
    order = Mod(F("period") + 3, 12, output_field=IntegerField())
    ranked = (
        IndicatorValue.objects.filter(
            indicator_id__in=[i.pk for i in indicators], superseded_by__isnull=True, year__gte=since_year, **scope
        )
        .annotate(
            scope_id=Coalesce("programme_id", "unit_id"),
            rank=Window(
                RowNumber(),
                partition_by=[F("scope_id"), F("indicator_id")],
                order_by=[F("year").desc(), order.desc()],
            ),
        )
        .filter(rank=1)
        .order_by()
    )
    return ranked.values_list("scope_id", "indicator_id", "year", "period", "value")


def summaries(indicators, scopes, *, since_year, programmes=False) -> list[ScopeSummary]:
    """For each unit (as a whole) or programme holding values since `since_year`: how many
    indicators are on target, at risk, off target or without a status. Units with no values
    at all (an accounting office under the rector) are left out. Two queries."""
    indicators = list(indicators)
    scopes = list(scopes)
    if not indicators or not scopes:
        return []
    if programmes:
        rows = _latest_per_scope(indicators, since_year, programme__in=scopes)
    else:
        rows = _latest_per_scope(indicators, since_year, unit__in=scopes, programme__isnull=True)
    by_pk = {i.pk: i for i in indicators}
    targets = Targets(list(by_pk))
    counts = {scope.pk: dict.fromkeys(STATUSES, 0) for scope in scopes}
    measured = set()
    for scope_id, indicator_id, year, period, value in rows:
        measured.add(scope_id)
        indicator = by_pk[indicator_id]
        target = targets.get(indicator_id, year, period)
        status = indicator_status(value, indicator.direction, target and target.target, target and target.warning)
        if status is not None:
            counts[scope_id][status] += 1
    return [
        ScopeSummary(scope, counts[scope.pk], len(indicators) - sum(counts[scope.pk].values()))
        for scope in scopes
        if scope.pk in measured
    ]


def status_chart(rows) -> str:
    """The status summary of a dashboard as a bar chart."""
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        if row.status:
            counts[row.status] += 1
    return charts.bar_chart(
        [(IndicatorStatus(s).label, n, s) for s, n in counts.items()], width=360, height=160, title=_("Status")
    )


def trend_chart(indicator, unit, programme=None, *, width=640, height=240) -> str:
    """The big trend of one indicator for a scope (its detail page): every period of the
    last years with the latest target and warning threshold."""
    years = trend_years(indicator.institution, count=CHART_YEARS)
    row = dashboard([indicator], unit, years, programme)[0]
    return charts.trend_chart(
        [(label, value) for label, value, _s in row.points],
        statuses=[s for _l, _v, s in row.points],
        target=row.target and row.target.target,
        warning=row.target and row.target.warning,
        direction=indicator.direction,
        unit_label=indicator.unit_of_measure,
        width=width,
        height=height,
        title=str(indicator),
    )


def value_history(indicator, unit=None, programme=None):
    """The values of an indicator, current and superseded, newest period first: of one scope
    (a unit as a whole, or a programme) when given, else of every scope."""
    qs = IndicatorValue.objects.filter(indicator=indicator)
    if programme is not None:
        qs = qs.filter(programme=programme)
    elif unit is not None:
        qs = qs.filter(unit=unit, programme__isnull=True)
    return list(
        qs.select_related("unit", "programme", "entered_by", "superseded_by").order_by(
            "-year", "-period", "unit__path", "programme_id", "-entered_at", "-id"
        )
    )


def scopes_with_values(indicator):
    """(units, programmes) that hold values of the indicator, for choosing the scope shown."""
    values = IndicatorValue.objects.filter(indicator=indicator, superseded_by__isnull=True)
    units = Unit.objects.filter(pk__in=values.filter(programme__isnull=True).values("unit_id")).order_by("path")
    programmes = Programme.objects.filter(pk__in=values.values("programme_id")).order_by("code")
    return list(units), list(programmes)


def scope_history(value):
    """Every value of the same indicator, period and scope, newest first."""
    return list(
        IndicatorValue.objects.filter(
            indicator_id=value.indicator_id,
            year=value.year,
            period=value.period,
            unit_id=value.unit_id,
            programme_id=value.programme_id,
        )
        .select_related("entered_by")
        .order_by("-entered_at", "-id")
    )
