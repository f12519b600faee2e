"""Reads of the risk register and SWOT analyses. Like the process register, an institution's
risks are read by everyone who may see its structure. Lists fetch everything they show up
front (the scale once, overdue actions counted in the database): 3 risks or 300 cost the same."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sapat.org import access
from sapat.org.models import Unit
from sapat.org.selectors import get_visible

from .models_risks import LEVEL_COLOURS, Risk, RiskAction, RiskLevel, RiskScale, SwotAnalysis, SwotItem, SwotQuadrant
from .services_risks import scale_for


def _visible(qs, user):
    ids = access.institution_ids(user)
    return qs if ids is None else qs.filter(institution_id__in=ids)


def risks_for(user):
    today = timezone.localdate()
    qs = Risk.objects.with_score().select_related("institution", "process", "unit", "owner")
    return _visible(qs, user).annotate(
        overdue_count=Count("actions", filter=Q(actions__done_on__isnull=True, actions__deadline__lt=today)),
        open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)),
    )


def attach_scale(risks, scale: RiskScale):
    risks = list(risks)
    for risk in risks:
        risk.scale = scale
    return risks


def risk_detail(user, pk) -> Risk:
    risk = get_visible(risks_for(user), pk=pk)
    risk.scale = scale_for(risk.institution_id)
    return risk


def actions_of(risk):
    return list(risk.actions.select_related("owner"))


@dataclass
class Filters:
    process: int | None = None
    unit: int | None = None
    kind: str = ""
    level: str = ""
    status: str = ""
    residual: bool = False

    def query(self, **extra) -> str:
        from urllib.parse import urlencode

        values = {
            "process": self.process or "",
            "unit": self.unit or "",
            "kind": self.kind,
            "level": self.level,
            "status": self.status,
        }
        values.update(extra)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_filters(data) -> Filters:
    from .models import RiskKind, RiskStatus

    return Filters(
        process=_int(data.get("process")),
        unit=_int(data.get("unit")),
        kind=data.get("kind", "") if data.get("kind") in RiskKind.values else "",
        level=data.get("level", "") if data.get("level") in RiskLevel.values else "",
        status=data.get("status", "") if data.get("status") in RiskStatus.values else "",
        residual=data.get("view") == "residual",
    )


def filter_risks(qs, filters: Filters, scale: RiskScale, *, likelihood=None, impact=None, residual=False):
    if filters.process:
        qs = qs.filter(process_id=filters.process)
    if filters.unit:
        # The unit and the units below it: a dean sees the faculty's and its departments' risks.
        path = Unit.objects.filter(pk=filters.unit).values_list("path", flat=True).first()
        qs = qs.filter(unit__path__startswith=path) if path else qs.none()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    score = "residual_score" if residual else "score"
    if filters.level:
        low, high = scale.score_range(filters.level)
        qs = qs.filter(**{f"{score}__gte": low, f"{score}__lte": high})
    prefix = "residual_" if residual else ""
    if likelihood:
        qs = qs.filter(**{f"{prefix}likelihood": likelihood})
    if impact:
        qs = qs.filter(**{f"{prefix}impact": impact})
    return qs


@dataclass
class Cell:
    likelihood: int
    impact: int
    level: str
    colour: str
    count: int = 0


@dataclass
class HeatMap:
    scale: RiskScale
    rows: list = field(default_factory=list)  # likelihood from the top level down; cells by impact
    total: int = 0
    unrated: int = 0  # (residual view) risks without a residual rating


def heat_map(qs, scale: RiskScale, *, residual=False) -> HeatMap:
    """Counts per (likelihood, impact) cell, in one query."""
    l_field, i_field = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    counts = {
        (row[l_field], row[i_field]): row["n"] for row in qs.order_by().values(l_field, i_field).annotate(n=Count("pk"))
    }
    hm = HeatMap(scale)
    for likelihood in range(scale.likelihood_max, 0, -1):
        cells = []
        for impact in range(1, scale.impact_max + 1):
            level = scale.level(likelihood * impact)
            n = counts.get((likelihood, impact), 0)
            cells.append(Cell(likelihood, impact, level, LEVEL_COLOURS[level], n))
            hm.total += n
        hm.rows.append((likelihood, scale.likelihood_label(likelihood), cells))
    hm.unrated = counts.get((None, None), 0)
    return hm


def swots_for(user):
    return _visible(SwotAnalysis.objects.select_related("institution", "unit"), user).annotate(
        item_count=Count("items")
    )


def swot_detail(user, pk) -> SwotAnalysis:
    return get_visible(
        swots_for(user).prefetch_related(
            Prefetch(
                "items",
                queryset=SwotItem.objects.select_related("risk", "objective").order_by("id"),
                to_attr="item_list",
            )
        ),
        pk=pk,
    )


def quadrants(analysis) -> list[tuple]:
    """(quadrant, items) in S, W, O, T order."""
    by = {q: [] for q in SwotQuadrant.values}
    for item in analysis.item_list:
        by[item.quadrant].append(item)
    return [(SwotQuadrant(q), by[q]) for q in SwotQuadrant.values]


def overdue_actions(qs_actions=None):
    today = timezone.localdate()
    return (qs_actions or RiskAction.objects).filter(done_on__isnull=True, deadline__lt=today)


@dataclass
class LevelCount:
    level: str
    label: str
    colour: str
    score_range: tuple
    before: int = 0
    after: int = 0
    residual_before: int = 0
    residual_after: int = 0


def relevel(institution_id, current: RiskScale, proposed: RiskScale) -> list[LevelCount]:
    """How many risks of the register fall in each level now and under `proposed` — the
    initial and the residual rating — from two grouped queries."""
    qs = Risk.objects.filter(institution_id=institution_id).order_by()
    rows = {
        level: LevelCount(level, RiskLevel(level).label, LEVEL_COLOURS[level], proposed.score_range(level))
        for level in RiskLevel.values
    }
    for l_field, i_field, prefix in (
        ("likelihood", "impact", ""),
        ("residual_likelihood", "residual_impact", "residual_"),
    ):
        for row in qs.filter(**{f"{l_field}__isnull": False}).values(l_field, i_field).annotate(n=Count("pk")):
            score = row[l_field] * row[i_field]
            for scale, when in ((current, "before"), (proposed, "after")):
                level = scale.level(score)
                setattr(rows[level], f"{prefix}{when}", getattr(rows[level], f"{prefix}{when}") + row["n"])
    return list(rows.values())


def level_grid(scale: RiskScale) -> list[tuple]:
    """(likelihood, label, [(impact, score, colour, level label)]) from the top likelihood down."""
    return [
        (
            likelihood,
            scale.likelihood_label(likelihood),
            [
                (
                    impact,
                    likelihood * impact,
                    LEVEL_COLOURS[scale.level(likelihood * impact)],
                    RiskLevel(scale.level(likelihood * impact)).label,
                )
                for impact in range(1, scale.impact_max + 1)
            ],
        )
        for likelihood in range(scale.likelihood_max, 0, -1)
    ]
