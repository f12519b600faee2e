"""Figures of nonconformities and actions: the analysis page (counts by type, source, unit and
process per year, days to close, actions done on time) and the computed indicators that the
indicator library offers (`sapat.processes.computations`). Everything is counted in the
database; a page costs the same queries for 10 nonconformities or 10,000."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear

from .models import Action, ActionStatus, NcSource, NcState, Nonconformity

HUNDRED = Decimal(100)


def _percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- computed indicators (year = calendar year; scope = a unit's subtree) ---------------------


def open_nonconformities(year, scope):
    """Nonconformities detected by the end of the year and not closed by then."""
    qs = Nonconformity.objects.filter(
        institution_id=scope.institution_id, unit__path__startswith=scope.unit.path, detected_on__year__lte=year
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__year__gt=year))
    return Decimal(qs.count())


def actions_on_time_share(year, scope):
    """Actions due in the year (not cancelled) done by their deadline / all due × 100."""
    qs = Action.objects.filter(
        institution_id=scope.institution_id, unit__path__startswith=scope.unit.path, deadline__year=year
    ).exclude(status=ActionStatus.CANCELLED)
    sums = qs.aggregate(
        due=Count("pk"), on_time=Count("pk", filter=Q(status=ActionStatus.DONE, done_on__lte=F("deadline")))
    )
    return _percent(sums["on_time"], sums["due"])


# --- the analysis page ------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    rows: list = field(default_factory=list)  # (label, [count per year], total)


@dataclass
class Analysis:
    years: list
    tables: list
    days_to_close: dict  # year → average days (None without closed ones)
    on_time: dict  # year → % of actions due that year done on time
    due: dict  # year → actions due that year
    total: int = 0

    @property
    def action_rows(self):
        """(year of the deadline, actions due, % done on time)."""
        return [(year, self.due[year], self.on_time[year]) for year in sorted(self.due)]


def _table(title, qs, key, label_of, years):
    counts = defaultdict(dict)
    for row in qs.values(key, "year").annotate(n=Count("pk")).order_by():
        counts[row[key]][row["year"]] = row["n"]
    rows = [(label_of(k), [by_year.get(y, 0) for y in years], sum(by_year.values())) for k, by_year in counts.items()]
    rows.sort(key=lambda r: (-r[2], str(r[0])))
    return Table(title, rows)


def analysis(nonconformities, actions, titles) -> Analysis:
    """`nonconformities` and `actions`: the querysets the user may see, already narrowed to one
    institution. `titles`: the tables' titles (type, source, unit, process)."""
    from sapat.org.models import Unit
    from sapat.processes.models import Process

    from .models import NcType

    ncs = nonconformities.order_by().annotate(year=ExtractYear("detected_on"))
    years = sorted({y for y in ncs.values_list("year", flat=True).distinct()})
    types = {t.pk: t.name for t in NcType.objects.filter(pk__in=ncs.values("nc_type_id"))}
    units = {u.pk: u.name for u in Unit.objects.filter(pk__in=ncs.values("unit_id"))}
    processes = {p.pk: f"{p.code} {p.short_name}" for p in Process.objects.filter(pk__in=ncs.values("process_id"))}
    sources = dict(NcSource.choices)
    tables = [
        _table(titles[0], ncs, "nc_type_id", types.get, years),
        _table(titles[1], ncs, "source", lambda k: sources.get(k, k), years),
        _table(titles[2], ncs, "unit_id", units.get, years),
        _table(titles[3], ncs, "process_id", lambda k: processes.get(k, "—"), years),
    ]
    duration = ExpressionWrapper(F("closed_on") - F("detected_on"), output_field=DurationField())
    days = {}
    closed = ncs.filter(state=NcState.CLOSED, closed_on__isnull=False).annotate(took=duration)
    sums = defaultdict(list)
    for year, took in closed.values_list("year", "took"):
        sums[year].append(took.days if hasattr(took, "days") else int(took) // 86_400_000_000)
    for year in years:
        values = sums.get(year)
        days[year] = round(sum(values) / len(values), 1) if values else None
    acts = (
        actions.order_by()
        .exclude(status=ActionStatus.CANCELLED)
        .annotate(year=ExtractYear("deadline"))
        .values("year")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=Q(status=ActionStatus.DONE, done_on__lte=F("deadline"))))
    )
    on_time, due = {}, {}
    for row in acts:
        on_time[row["year"]] = _percent(row["on_time"], row["due"])
        due[row["year"]] = row["due"]
    return Analysis(years, tables, days, on_time, due, total=sum(r[2] for r in tables[0].rows))
