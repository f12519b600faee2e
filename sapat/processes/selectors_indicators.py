"""Reads of indicators. Like the process register, one's own institution's indicators are
not secret: everyone who may see the institution sees them. The dashboard fetches
everything up front: it costs the same number of queries for 3 indicators or 300."""

from dataclasses import dataclass, field
from decimal import Decimal

from sapat.org import access
from sapat.org.models import AcademicYear
from sapat.org.selectors import get_visible

from .models_indicators import Indicator, IndicatorTarget, IndicatorValue, indicator_status

TREND_YEARS = 5


def indicators_for(user):
    ids = access.institution_ids(user)
    qs = Indicator.objects.select_related("institution", "responsible", "objective", "process")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def indicator_detail(user, pk) -> Indicator:
    return get_visible(indicators_for(user), pk=pk)


def trend_years(institution, upto=None) -> list[int]:
    """The last academic years of the institution (oldest first), up to `upto`."""
    qs = AcademicYear.objects.filter(institution=institution)
    if upto is not None:
        qs = qs.filter(start_year__lte=upto)
    years = list(qs.order_by("-start_year").values_list("start_year", flat=True)[:TREND_YEARS])
    return sorted(years)


@dataclass
class DashboardRow:
    indicator: Indicator
    value: IndicatorValue | None = None
    target: IndicatorTarget | None = None
    status: str | None = None
    trend: list = field(default_factory=list)  # (year, value or None), oldest first
    sparkline: dict | None = None


def sparkline(points, width=100, height=24, pad=2) -> dict | None:
    """SVG geometry for a small trend line: `points` is the polyline's "x,y x,y …", `dots`
    the coordinates of the measured years. None with fewer than two values."""
    known = [(i, v) for i, (_year, v) in enumerate(points) if v is not None]
    if len(known) < 2:
        return None
    low, high = min(v for _i, v in known), max(v for _i, v in known)
    span = (high - low) or Decimal(1)
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = []
    for i, v in known:
        x = pad + i * step
        y = pad + float((high - v) / span) * (height - 2 * pad) if high != low else height / 2
        coords.append((round(x, 1), round(y, 1)))
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "last": coords[-1],
    }


def dashboard(indicators, unit, years) -> list[DashboardRow]:
    """Each indicator with its latest value for `unit` (the unit as a whole, no programme),
    the target of that year, its status and its trend over `years`. Three queries."""
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    # Only the columns the table shows: at the large scale most of the time is building rows.
    values = (
        IndicatorValue.objects.filter(
            indicator_id__in=ids, unit=unit, programme__isnull=True, superseded_by__isnull=True
        )
        .only("indicator_id", "year", "value", "source", "unit_id")
        .order_by("year")
    )
    by_indicator: dict[int, dict[int, IndicatorValue]] = {}
    for v in values:
        by_indicator.setdefault(v.indicator_id, {})[v.year] = v
    targets: dict[tuple[int, int], IndicatorTarget] = {
        (t.indicator_id, t.year): t
        for t in IndicatorTarget.objects.filter(indicator_id__in=ids).only("indicator_id", "year", "target", "warning")
    }
    rows = []
    for indicator in indicators:
        mine = by_indicator.get(indicator.pk, {})
        latest = mine[max(mine)] if mine else None
        target = targets.get((indicator.pk, latest.year)) if latest else None
        trend = [(y, mine[y].value if y in mine else None) for y in years]
        rows.append(
            DashboardRow(
                indicator=indicator,
                value=latest,
                target=target,
                status=indicator_status(
                    latest and latest.value, indicator.direction, target and target.target, target and target.warning
                ),
                trend=trend,
                sparkline=sparkline(trend),
            )
        )
    return rows


def value_history(indicator):
    """All values of an indicator, current and superseded, newest year first."""
    return list(
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("unit", "programme", "entered_by", "superseded_by")
        .order_by("-year", "unit__path", "programme_id", "-entered_at", "-id")
    )
