"""Reads of frameworks and mappings, scoped to what the user may see: the shipped frameworks
and those of the institutions the user sees accreditation in. Experts see nothing here."""

from django.db.models import Count, Prefetch, Q

from sapat.org import access
from sapat.org.access import Perm

from .models_frameworks import Criterion, CriterionMapping, Framework, LevelDescriptor


def _scope(user, prefix=""):
    if not access.can(user, Perm.VIEW_ACCREDITATION):
        return Q(pk__in=[])
    ids = access.institution_ids(user, Perm.VIEW_ACCREDITATION)
    if ids is None:
        return Q()
    return Q(**{f"{prefix}institution__isnull": True}) | Q(**{f"{prefix}institution_id__in": ids})


def frameworks_for(user):
    return (
        Framework.objects.filter(_scope(user))
        .select_related("institution")
        .annotate(criterion_count=Count("criteria", distinct=True), group_count=Count("groups", distinct=True))
    )


def framework_detail(user, pk) -> Framework:
    """One framework with its levels, groups, criteria, descriptors and elements (fixed queries)."""
    from sapat.org.selectors import get_visible

    framework = get_visible(Framework.objects.filter(_scope(user)).select_related("institution"), pk=pk)
    framework.level_list = list(framework.levels.all())
    criteria = (
        framework.criteria.select_related("group")
        .prefetch_related(
            Prefetch("descriptors", queryset=LevelDescriptor.objects.select_related("level")),
            "elements",
        )
        .order_by("order")
    )
    groups = {}
    for criterion in criteria:
        by_level = {d.level_id: d for d in criterion.descriptors.all()}
        criterion.cells = [by_level.get(level.pk) for level in framework.level_list]
        groups.setdefault(criterion.group, []).append(criterion)
    framework.grouped = list(groups.items())
    return framework


def mappings_for(user, institution_id):
    """Shipped mappings and the institution's own."""
    qs = CriterionMapping.objects.filter(Q(institution__isnull=True) | Q(institution_id=institution_id))
    if not access.sees_institution(user, institution_id) or not access.can(user, Perm.VIEW_ACCREDITATION):
        qs = qs.none()
    return qs.select_related("source__framework", "target__framework").order_by(
        "source__framework__code", "source__order", "target__framework__code", "target__order"
    )


def criteria_choices(user):
    """Criteria of every framework the user sees, for the mapping form."""
    return (
        Criterion.objects.filter(_scope(user, "framework__"))
        .select_related("framework")
        .order_by("framework__code", "-framework__version", "order")
    )
