"""Reads that depend on who asks. Every list is scoped with `access.unit_q` and fetches
its related rows up front, so a page costs the same number of queries for 5 rows or 5,000."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from . import access
from .access import Perm
from .choices import UnitType
from .models import (
    AcademicYear,
    ContingentFigure,
    Institution,
    Person,
    Position,
    Programme,
    RoleAssignment,
    StudentGroup,
    Unit,
)


def institutions_for(user):
    ids = access.institution_ids(user)
    qs = Institution.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def units_for(user, perm=Perm.VIEW_ORG):
    return Unit.objects.filter(access.unit_q(user, perm, prefix="")).select_related(
        "institution", "head", "quality_responsible"
    )


def people_for(user, perm=Perm.VIEW_ORG):
    return Person.objects.filter(access.unit_q(user, perm)).select_related("unit", "institution", "user")


def programmes_for(user, perm=Perm.VIEW_ORG):
    return Programme.objects.filter(access.unit_q(user, perm)).select_related("unit", "leader", "institution")


def groups_for(user, perm=Perm.VIEW_ORG):
    return StudentGroup.objects.filter(access.unit_q(user, perm, prefix="programme__unit")).select_related("programme")


def contingent_for(user, perm=Perm.VIEW_ORG):
    return ContingentFigure.objects.filter(access.unit_q(user, perm, prefix="programme__unit")).select_related(
        "programme", "academic_year"
    )


def academic_years_for(user):
    ids = access.institution_ids(user)
    qs = AcademicYear.objects.prefetch_related("semesters").select_related("institution")
    return qs if ids is None else qs.filter(institution_id__in=ids)


def get_visible(queryset, **lookup):
    """One record the user may see, or 404 (not 403: do not confirm it exists)."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# Siblings in the tree: teaching units first, then services, then collegial bodies.
TREE_ORDER = {
    t: i
    for i, t in enumerate(
        [
            UnitType.INSTITUTION,
            UnitType.FACULTY,
            UnitType.INSTITUTE,
            UnitType.COLLEGE,
            UnitType.BRANCH,
            UnitType.HIGHER_SCHOOL,
            UnitType.DEPARTMENT,
            UnitType.CYCLE_COMMISSION,
            UnitType.ADMIN_DEPARTMENT,
            UnitType.CENTRE,
            UnitType.SERVICE,
            UnitType.COUNCIL,
            UnitType.OTHER,
        ]
    )
}


@dataclass
class TreeNode:
    unit: Unit
    children: list["TreeNode"] = field(default_factory=list)
    matched: bool = True


def unit_tree(user, institution, *, query: str = "", include_closed: bool = True) -> list[TreeNode]:
    """The institution's units as a tree, siblings by code. With a query, the matching units
    and the chain above each are kept, so a hit is always shown in its place."""
    units = list(units_for(user).filter(institution=institution).order_by("path"))
    if not include_closed:
        units = [u for u in units if u.is_active]
    nodes = {u.pk: TreeNode(u) for u in units}
    if query:
        needle = query.casefold()
        keep = set()
        for u in units:
            text = " ".join((u.code, u.name_ky, u.name_ru, u.name_en)).casefold()
            nodes[u.pk].matched = needle in text
            if nodes[u.pk].matched:
                keep.update(u.ancestor_ids)
                keep.add(u.pk)
        nodes = {pk: n for pk, n in nodes.items() if pk in keep}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (TREE_ORDER.get(n.unit.unit_type, len(TREE_ORDER)), n.unit.name.casefold()))
    return roots


def unit_detail(user, pk) -> Unit:
    return get_visible(units_for(user), pk=pk)


def unit_children(unit):
    return unit.children.select_related("head").annotate(n_children=Count("children")).order_by("code")


def unit_positions(unit, *, current_only=True):
    qs = Position.objects.filter(unit=unit).select_related("person")
    return qs.current() if current_only else qs


def person_positions(person):
    return person.positions.select_related("unit").order_by("-start_date", "id")


def person_roles(person):
    if not person.user_id:
        return RoleAssignment.objects.none()
    return person.user.role_assignments.select_related("unit").order_by("-valid_from")


def search_people(qs, query: str):
    if not query:
        return qs
    q = Q()
    for word in query.split():
        q &= (
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(middle_name__icontains=word)
            | Q(email__icontains=word)
        )
    return qs.filter(q)


def search_programmes(qs, query: str):
    if not query:
        return qs
    return qs.filter(
        Q(code__icontains=query)
        | Q(name_ky__icontains=query)
        | Q(name_ru__icontains=query)
        | Q(name_en__icontains=query)
    )


def people_with_current_positions(qs):
    return qs.prefetch_related(
        Prefetch("positions", queryset=Position.objects.current().select_related("unit"), to_attr="current_positions")
    )


SESSION_INSTITUTION = "sapat_institution"


def current_institution(request):
    """The institution the user is looking at: their chosen one if they may see several,
    else their own. Worked out once per request."""
    if hasattr(request, "_sapat_institution"):
        return request._sapat_institution
    user = request.user
    visible = institutions_for(user)
    chosen = request.session.get(SESSION_INSTITUTION)
    institution = None
    if chosen:
        institution = visible.filter(pk=chosen).first()
    if institution is None:
        own = getattr(getattr(user, "person", None), "institution_id", None)
        institution = (visible.filter(pk=own).first() if own else None) or visible.first()
    request._sapat_institution = institution
    return institution
