"""Reads of complaints. A complaint is seen by the quality department of its institution
and by the unit it is routed to (and the units above that one, whose roles cover it);
nobody else, not the administrator nor top management. Lists fetch what they show up front:
3 complaints or 300 cost the same number of queries."""

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Unit
from sapat.org.selectors import get_visible

from .choices import Category, Kind, Status
from .models import Complaint, normalise_code


def handled_institution_ids(user) -> set[int]:
    """Institutions where the user is the quality department (their role covers the top unit)."""
    if not access.can(user, Perm.HANDLE_COMPLAINTS):
        return set()
    roots = Unit.objects.filter(parent__isnull=True).filter(access.unit_q(user, Perm.HANDLE_COMPLAINTS, prefix=""))
    return set(roots.values_list("institution_id", flat=True))


def complaints_for(user):
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    q = Q(institution_id__in=handled_institution_ids(user))
    if access.can(user, Perm.ANSWER_COMPLAINTS):
        q |= Q(unit__isnull=False) & access.unit_q(user, Perm.ANSWER_COMPLAINTS)
    return Complaint.objects.filter(q).select_related("institution", "unit", "concerns_unit")


def complaint_detail(user, pk) -> Complaint:
    return get_visible(complaints_for(user), pk=pk)


def messages_of(complaint, *, internal: bool):
    qs = complaint.messages.select_related("author__person")
    return qs if internal else qs.filter(kind="follow_up")


def by_tracking_code(raw: str) -> Complaint | None:
    code = normalise_code(raw)
    if not code:
        return None
    return Complaint.objects.filter(tracking_code=code).select_related("institution", "unit").first()


@dataclass
class Filters:
    status: str = ""
    kind: str = ""
    unit: int | None = None
    overdue: bool = False


def parse_filters(data) -> Filters:
    try:
        unit = int(data.get("unit") or 0) or None
    except ValueError:
        unit = None
    return Filters(
        status=data.get("status", "") if data.get("status") in Status.values else "",
        kind=data.get("kind", "") if data.get("kind") in Kind.values else "",
        unit=unit,
        overdue=data.get("overdue") == "1",
    )


def filter_complaints(qs, filters: Filters):
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.overdue:
        qs = qs.overdue()
    return qs


def analysis(qs) -> dict:
    """Counts by kind, topic, unit and month; the average time to answer in days; how many
    are overdue now and how many were answered after their due date."""
    labels_kind, labels_category = dict(Kind.choices), dict(Category.choices)
    today = timezone.localdate()
    totals = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(status=Status.CLOSED)),
        overdue=Count("id", filter=Q(status=Status.ROUTED, due_on__lt=today)),
        answered=Count("id", filter=Q(status=Status.CLOSED)),
        late=Count("id", filter=Q(status=Status.CLOSED, due_on__isnull=False, answered_at__date__gt=F("due_on"))),
    )
    answered = list(qs.filter(status=Status.CLOSED).values_list("created_at", "answered_at"))
    days = [(timezone.localdate(a) - timezone.localdate(c)).days for c, a in answered if a]
    totals["average_days"] = round(sum(days) / len(days), 1) if days else None
    by_unit = (
        qs.filter(unit__isnull=False)
        .values("unit_id", "unit__code", "unit__name_ky", "unit__name_ru", "unit__name_en")
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status=Status.ROUTED, due_on__lt=today)),
            answered=Count("id", filter=Q(status=Status.CLOSED)),
        )
        .order_by("-n", "unit__code")
    )
    units = []
    for row in by_unit:
        unit = Unit(
            code=row["unit__code"],
            name_ky=row["unit__name_ky"],
            name_ru=row["unit__name_ru"],
            name_en=row["unit__name_en"],
        )
        units.append({"unit": unit, "n": row["n"], "overdue": row["overdue"], "answered": row["answered"]})
    months = qs.annotate(month=TruncMonth("created_at")).values("month").annotate(n=Count("id")).order_by("month")
    return {
        "totals": totals,
        "by_kind": [
            (labels_kind[r["kind"]], r["n"]) for r in qs.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
        ],
        "by_category": [
            (labels_category[r["category"]], r["n"])
            for r in qs.values("category").annotate(n=Count("id")).order_by("-n", "category")
        ],
        "by_unit": units,
        "by_month": [(r["month"], r["n"]) for r in months],
        "average_days": totals["average_days"],
    }
