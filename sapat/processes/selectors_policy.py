"""Reads of the quality policy and objectives. Like the process register, the policy and
objectives of one's own institution are not secret: everyone who may see the institution
sees them (drafts of the policy only those who keep it). Lists fetch everything up front:
the objective tree costs the same number of queries for 3 objectives or 300."""

from dataclasses import dataclass

from django.db.models import Prefetch

from sapat.org import access
from sapat.org.models import Unit
from sapat.org.selectors import get_visible

from .models import Process
from .models_policy import ObjectiveReview, PolicyState, QualityObjective, QualityPolicy


def policies_for(user, institution, *, drafts=False):
    qs = QualityPolicy.objects.filter(institution=institution).select_related("approved_by_body")
    return qs if drafts else qs.exclude(state=PolicyState.DRAFT)


def objectives_for(user):
    """Objectives of the institutions the user may see, with unit, parent, responsible,
    processes (`process_list`) and reviews (`review_list`, latest year first) fetched."""
    ids = access.institution_ids(user)
    qs = QualityObjective.objects.select_related("unit", "parent", "responsible", "institution")
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    return qs.prefetch_related(
        Prefetch("processes", queryset=Process.objects.order_by("sort_key"), to_attr="process_list"),
        Prefetch("reviews", queryset=ObjectiveReview.objects.order_by("-year"), to_attr="review_list"),
    )


def objective_detail(user, pk) -> QualityObjective:
    return get_visible(objectives_for(user), pk=pk)


@dataclass
class TreeRow:
    objective: QualityObjective
    depth: int
    orphan: bool = False  # its parent is not shown (filtered out)


def objective_tree(objectives) -> list[TreeRow]:
    """The objectives as an indented tree: each under the one it serves, in code order."""
    objectives = sorted(objectives, key=lambda o: (o.sort_key, o.pk))
    by_id = {o.pk: o for o in objectives}
    children: dict[int | None, list] = {}
    for o in objectives:
        children.setdefault(o.parent_id if o.parent_id in by_id else None, []).append(o)
    rows: list[TreeRow] = []
    seen = set()

    def walk(node, depth):
        if node.pk in seen:
            return
        seen.add(node.pk)
        rows.append(TreeRow(node, depth, orphan=depth == 0 and node.parent_id is not None))
        for child in children.get(node.pk, []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        walk(top, 0)
    return rows


def filter_units(institution):
    """Units that may be chosen in the filter: those with objectives, in tree order."""
    return Unit.objects.filter(institution=institution, quality_objectives__isnull=False).distinct().order_by("path")


def chain_of(objective) -> list[QualityObjective]:
    """The objectives above this one, from the top down."""
    chain, node, seen = [], objective.parent, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def children_of(user, objective):
    return objectives_for(user).filter(parent=objective).order_by("sort_key")
