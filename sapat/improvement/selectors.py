"""Reads of nonconformities and actions, scoped to who asks.

A nonconformity is seen only by the people involved — whoever registered it, the heads and
quality responsibles of its unit (HANDLE_NC over it, or named on the unit), the owners of its
actions, whoever checked its effectiveness — and by the quality department (MANAGE_NC), top
management and analysts (VIEW_NC, reading). An action is seen by its owner and whoever raised
it, by the handlers of its unit, by those who read everything, and by those who see its
nonconformity. Lists fetch what they show up front: 3 rows or 300 cost the same."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sapat.org import access
from sapat.org.access import Perm

from .models import Action, ActionStatus, NcSource, NcState, NcType, Nonconformity


def _wide_q(user, prefix="unit") -> Q | None:
    """Records readable by role, whoever they concern; None: all of them. (An empty Q means
    "everything" to `unit_q`, but vanishes when or-ed with another one.)"""
    parts = [access.unit_q(user, perm, prefix) for perm in (Perm.MANAGE_NC, Perm.VIEW_NC, Perm.HANDLE_NC)]
    if any(not part for part in parts):
        return None
    return parts[0] | parts[1] | parts[2]


def nonconformities_for(user):
    if not getattr(user, "is_authenticated", False):
        return Nonconformity.objects.none()
    qs = Nonconformity.objects.select_related("institution", "unit", "process", "nc_type")
    wide = _wide_q(user)
    if wide is None:
        return qs
    owned = Action.objects.filter(nonconformity=OuterRef("pk"), owner__user=user)
    condition = (
        wide
        | Q(registered_by=user)
        | Q(checked_by=user)
        | Q(unit__head__user=user)
        | Q(unit__quality_responsible__user=user)
        | Q(Exists(owned))
    )
    return qs.filter(condition)


def actions_for(user):
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    qs = Action.objects.select_related("unit", "owner", "nonconformity", "risk")
    wide = _wide_q(user)
    if wide is None:
        return qs
    condition = (
        wide | Q(owner__user=user) | Q(created_by=user) | Q(nonconformity__in=nonconformities_for(user).values("pk"))
    )
    return qs.filter(condition)


def with_counts(qs):
    today = timezone.localdate()
    return qs.annotate(
        open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN)),
        overdue_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN, actions__deadline__lt=today)),
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Filters:
    state: str = ""
    nc_type: int | None = None
    source: str = ""
    unit: int | None = None
    process: int | None = None
    overdue: bool = False

    def query(self, **extra) -> str:
        values = {
            "state": self.state,
            "type": self.nc_type or "",
            "source": self.source,
            "unit": self.unit or "",
            "process": self.process or "",
            "overdue": "1" if self.overdue else "",
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def parse_filters(data) -> Filters:
    return Filters(
        state=data.get("state", "") if data.get("state") in (*NcState.values, "open") else "",
        nc_type=_int(data.get("type")),
        source=data.get("source", "") if data.get("source") in NcSource.values else "",
        unit=_int(data.get("unit")),
        process=_int(data.get("process")),
        overdue=data.get("overdue") == "1",
    )


def filter_nonconformities(qs, f: Filters):
    if f.state == "open":
        qs = qs.exclude(state=NcState.CLOSED)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.nc_type:
        qs = qs.filter(nc_type_id=f.nc_type)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.process:
        qs = qs.filter(process_id=f.process)
    if f.overdue:
        late = Action.objects.overdue().filter(nonconformity=OuterRef("pk"))
        qs = qs.filter(Exists(late))
    return qs


def nonconformity_detail(user, pk) -> Nonconformity:
    from sapat.org.selectors import get_visible

    return get_visible(
        nonconformities_for(user).select_related(
            "unit__head",
            "unit__quality_responsible",
            "registered_by__person",
            "unit_approved_by__person",
            "quality_approved_by__person",
            "checked_by__person",
        ),
        pk=pk,
    )


def actions_of(nc):
    return list(nc.actions.select_related("owner", "unit").order_by("deadline", "id"))


def action_detail(user, pk) -> Action:
    from sapat.org.selectors import get_visible

    return get_visible(actions_for(user).select_related("created_by__person", "owner__user"), pk=pk)


def my_actions(user):
    return (
        Action.objects.filter(owner__user=user)
        .select_related("unit", "nonconformity", "risk", "owner")
        .order_by("status", "deadline", "id")
    )


def overdue_by_unit(user, institution):
    """Overdue actions the user may see in the institution, grouped by unit (unit, [actions])."""
    qs = actions_for(user).overdue().filter(institution=institution).order_by("unit__path", "deadline", "id")
    groups = {}
    for action in qs:
        groups.setdefault(action.unit, []).append(action)
    return list(groups.items())


def nc_types_for(user):
    ids = access.institution_ids(user)
    return NcType.objects.all() if ids is None else NcType.objects.filter(institution_id__in=ids)
