"""The annual report on the achievement of the quality objectives (004 §7.1, 001 §8.1: "an
analysis report on the achievement of the quality objectives is produced once a year").

`objectives_report` reads everything once, in a fixed number of queries, and returns a plain
structure: every text already in the report's language, every number already formatted.
The PDF (`templates/print/objectives_report.html`) and the DOCX (`report_docx`) only lay it
out, so the two always say the same. Build it and render it inside
`translation.override(lang)`: the trilingual records (`tr()`) and the messages follow the
active language, not the reader's interface.

Which value counts: an objective of a unit is measured by its indicators' values for that
unit (the institution's top unit for the institution's own objectives), the whole-year
values of the academic year (see `year_values`, the one place that reads them)."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sapat.lib import charts

from .models_indicators import IndicatorStatus, IndicatorTarget, IndicatorValue, indicator_status, plain
from .models_policy import ObjectiveReview, PolicyState, QualityPolicy
from .selectors_indicators import TREND_YEARS, indicators_for, short_period, trend_years
from .selectors_policy import objective_tree, objectives_for

# Worst first: an objective takes the worst status among its indicators.
STATUS_ORDER = (IndicatorStatus.OFF_TARGET, IndicatorStatus.AT_RISK, IndicatorStatus.ON_TARGET)
NO_DATA = "no_data"


def status_label(status: str | None) -> str:
    return str(IndicatorStatus(status).label) if status in IndicatorStatus.values else _("No data")


def number(value) -> str:
    """A decimal as the report's language writes it, without trailing zeros; "" for None."""
    if value is None:
        return ""
    return formats.number_format(Decimal(plain(value)), use_l10n=True)


def year_values(indicator_ids, unit_ids, years) -> dict[tuple[int, int, int], Decimal]:
    """The current whole-year values of these indicators for these units (the unit as a
    whole, no programme) in these years, by (indicator, unit, year). The only query of the
    report on indicator values: the year's own value (period 0); an indicator measured by
    semester, quarter or month shows no value for a year until its whole-year value is
    entered or computed."""
    rows = IndicatorValue.objects.filter(
        indicator_id__in=indicator_ids,
        unit_id__in=unit_ids,
        year__in=years,
        period=0,
        programme__isnull=True,
        superseded_by__isnull=True,
    ).values_list("indicator_id", "unit_id", "year", "value")
    return {(i, u, y): v for i, u, y, v in rows}


@dataclass
class TrendPoint:
    year: int
    value: Decimal | None
    status: str | None  # against that year's target


@dataclass
class IndicatorLine:
    code: str
    name: str
    unit_of_measure: str
    value: str  # formatted, "" without a value
    target: str
    status: str  # on_target / at_risk / off_target / no_data (no value or no target)
    status_label: str  # "No target" when there is a value but no target to judge it by
    trend: list[TrendPoint] = field(default_factory=list)
    chart: str = ""  # SVG of the trend, "" when no year has a value

    @property
    def has_trend(self) -> bool:
        return bool(self.chart)


@dataclass
class ObjectiveSection:
    code: str
    title: str
    unit_name: str
    period: str
    depth: int
    serves: str  # the objective above when it lies outside the report's scope
    responsible: str
    state_label: str  # planned / in progress / achieved / not achieved, as recorded
    achieved_percent: int | None  # the year's review
    review_comment: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    status: str = NO_DATA
    status_label: str = ""

    @property
    def has_review(self) -> bool:
        return self.achieved_percent is not None

    @property
    def status_text(self) -> str:
        """The status for the cascade table: "—" for an objective no indicator measures."""
        return self.status_label if self.indicators else "—"


@dataclass
class PolicyInfo:
    version: int
    approved_on: str
    approved_by: str
    protocol_number: str
    provisions: list[str]


@dataclass
class SummaryRow:
    status: str
    label: str
    objectives: int
    indicators: int


@dataclass
class OffTarget:
    objective_code: str
    objective_title: str
    unit_name: str
    line: IndicatorLine


@dataclass
class ObjectivesReport:
    title: str
    institution_name: str
    unit_name: str
    is_institution: bool
    year: int
    academic_year: str
    generated_on: str
    policy: PolicyInfo | None
    objectives: list[ObjectiveSection]
    summary: list[SummaryRow]
    summary_chart: str  # SVG: indicators by status, "" without indicators
    off_target: list[OffTarget]

    @property
    def indicator_count(self) -> int:
        return sum(len(o.indicators) for o in self.objectives)


def _policy(institution) -> PolicyInfo | None:
    policy = (
        QualityPolicy.objects.filter(institution=institution, state=PolicyState.IN_FORCE)
        .select_related("approved_by_body")
        .first()
    )
    if policy is None:
        return None
    return PolicyInfo(
        version=policy.version_number,
        approved_on=formats.date_format(policy.approved_on, "d.m.Y") if policy.approved_on else "",
        approved_by=policy.approved_by_body.name if policy.approved_by_body_id else "",
        protocol_number=policy.protocol_number,
        provisions=policy.provisions,
    )


def _worst(statuses) -> str:
    present = set(statuses)
    return next((s for s in STATUS_ORDER if s in present), NO_DATA)


def _status_in(indicator, value, target):
    return indicator_status(value, indicator.direction, target and target.target, target and target.warning)


def _line(indicator, unit_id, year, years, values, targets) -> IndicatorLine:
    trend = []
    for y in years:
        value = values.get((indicator.pk, unit_id, y))
        trend.append(TrendPoint(y, value, _status_in(indicator, value, targets.get((indicator.pk, y)))))
    target = targets.get((indicator.pk, year))
    value = values.get((indicator.pk, unit_id, year))
    status = _status_in(indicator, value, target) or NO_DATA
    label = _("No target") if status == NO_DATA and value is not None else status_label(status)
    return IndicatorLine(
        code=indicator.code,
        name=indicator.name,
        unit_of_measure=indicator.unit_of_measure,
        value=number(value),
        target=number(target and target.target),
        status=status,
        status_label=label,
        trend=trend,
        chart=_trend_chart(indicator, trend, target),
    )


def _trend_chart(indicator, trend, target) -> str:
    if all(p.value is None for p in trend):
        return ""
    return charts.trend_chart(
        [(p.year, p.value) for p in trend],
        labels=[short_period(p.year, 0, indicator.frequency) for p in trend],  # "2024–25", as the dashboard
        statuses=[p.status for p in trend],
        target=target and target.target,
        warning=target and target.warning,
        direction=indicator.direction,
        unit_label=indicator.unit_of_measure,
        title=indicator.name,
    )


def objectives_report(user, unit, academic_year) -> ObjectivesReport:
    """The report for `unit` and its subtree (the institution when `unit` is its top unit)
    for `academic_year`, with what `user` may see, in a fixed number of queries."""
    institution = unit.institution
    year = academic_year.start_year
    objectives = list(
        objectives_for(user)
        .filter(institution=institution, unit__path__startswith=unit.path, start_year__lte=year, end_year__gte=year)
        .prefetch_related(None)
    )
    rows = objective_tree(objectives)
    ids = [o.pk for o in objectives]
    reviews = {r.objective_id: r for r in ObjectiveReview.objects.filter(objective_id__in=ids, year=year)}
    indicators: dict[int, list] = {}
    for indicator in indicators_for(user).filter(objective_id__in=ids).order_by("code"):
        indicators.setdefault(indicator.objective_id, []).append(indicator)
    indicator_ids = [i.pk for group in indicators.values() for i in group]
    years = trend_years(institution, upto=year)[-TREND_YEARS:]  # the five years ending with the report's
    values = year_values(indicator_ids, {o.unit_id for o in objectives}, years)
    target_rows = IndicatorTarget.objects.filter(indicator_id__in=indicator_ids, year__in=years, period=0)
    targets = {(t.indicator_id, t.year): t for t in target_rows}

    sections = []
    for row in rows:
        o = row.objective
        review = reviews.get(o.pk)
        lines = [_line(i, o.unit_id, year, years, values, targets) for i in indicators.get(o.pk, [])]
        status = _worst(line.status for line in lines)
        sections.append(
            ObjectiveSection(
                code=o.code,
                title=o.title,
                unit_name=o.unit.name,
                period=o.period,
                depth=row.depth,
                serves=str(o.parent) if row.orphan else "",
                responsible=o.responsible.full_name if o.responsible_id else "",
                state_label=o.get_status_display(),
                achieved_percent=review.achieved_percent if review else None,
                review_comment=review.comment if review else "",
                indicators=lines,
                status=status,
                status_label=status_label(status),
            )
        )
    summary = _summary(sections)
    return ObjectivesReport(
        title=_("Report on the achievement of the quality objectives"),
        institution_name=institution.name,
        unit_name=unit.name,
        is_institution=unit.parent_id is None,
        year=year,
        academic_year=str(academic_year),
        generated_on=formats.date_format(timezone.localdate(), "d.m.Y"),
        policy=_policy(institution),
        objectives=sections,
        summary=summary,
        summary_chart=_summary_chart(summary),
        off_target=[
            OffTarget(s.code, s.title, s.unit_name, line)
            for s in sections
            for line in s.indicators
            if line.status == IndicatorStatus.OFF_TARGET
        ],
    )


def _summary(sections) -> list[SummaryRow]:
    objectives = Counter(s.status for s in sections)
    indicators = Counter(line.status for s in sections for line in s.indicators)
    return [
        SummaryRow(status, status_label(status), objectives[status], indicators[status])
        for status in (*reversed(STATUS_ORDER), NO_DATA)
    ]


def _summary_chart(summary) -> str:
    if not any(row.indicators for row in summary):
        return ""
    return charts.bar_chart(
        [(row.label, row.indicators, None if row.status == NO_DATA else row.status) for row in summary],
        title=_("Indicators by status"),
        height=180,
    )
