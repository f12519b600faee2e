"""Reads of self-evaluation projects that depend on the user."""

from collections import Counter, OrderedDict

from django.db.models import Count, Q
from django.utils import timezone

from sapat.org import access
from sapat.org.choices import Role

from .models_projects import AssessmentState, CriterionAssessment, SelfEvaluationProject, SelfEvaluationReport
from .services_projects import MANAGE_PERM


def _managed_institutions(user) -> set[int] | None:
    return access.institution_ids(user, MANAGE_PERM)


def projects_for(user):
    """Projects the user manages (quality department), sits on, or — as an expert with
    the role in force — was granted."""
    if not user.is_authenticated:
        return SelfEvaluationProject.objects.none()
    managed = _managed_institutions(user)
    q = Q(members__user=user)
    if managed is None:
        q |= Q(pk__isnull=False)
    elif managed:
        q |= Q(institution_id__in=managed)
    if Role.EXPERT in access.roles_held(user):
        q |= Q(expert_accesses__user=user, expert_accesses__valid_until__gte=timezone.localdate())
    return SelfEvaluationProject.objects.filter(q).distinct().select_related("institution")


def reports_for(user):
    """Reports of the projects the user sees; an expert only the submitted ones."""
    if not user.is_authenticated:
        return SelfEvaluationReport.objects.none()
    managed = _managed_institutions(user)
    q = Q(project__members__user=user)
    if managed is None:
        q |= Q(pk__isnull=False)
    elif managed:
        q |= Q(project__institution_id__in=managed)
    if Role.EXPERT in access.roles_held(user):
        q |= Q(
            submitted_at__isnull=False,
            project__expert_accesses__user=user,
            project__expert_accesses__valid_until__gte=timezone.localdate(),
        )
    return SelfEvaluationReport.objects.filter(q).distinct()


def assessments_for(user):
    return CriterionAssessment.objects.filter(report__in=reports_for(user))


def progress_by_group(report) -> list[dict]:
    """Per criterion group: how many criteria are in each state (one query)."""
    rows = (
        report.assessments.values("criterion__group_id", "criterion__group__code", "state")
        .annotate(n=Count("id"))
        .order_by("criterion__group__order", "criterion__group__code")
    )
    groups: OrderedDict = OrderedDict()
    for row in rows:
        entry = groups.setdefault(
            row["criterion__group_id"], {"code": row["criterion__group__code"], "counts": Counter(), "total": 0}
        )
        entry["counts"][row["state"]] += row["n"]
        entry["total"] += row["n"]
    for entry in groups.values():
        entry["accepted"] = entry["counts"][AssessmentState.ACCEPTED]
        entry["percent"] = round(100 * entry["accepted"] / entry["total"]) if entry["total"] else 0
    return list(groups.values())


def progress_by_member(project) -> list[dict]:
    rows = (
        CriterionAssessment.objects.filter(report__project=project, responsible__isnull=False)
        .values("responsible_id", "state")
        .annotate(n=Count("id"))
    )
    members = {m.pk: m for m in project.members.select_related("person")}
    out: dict[int, dict] = {}
    for row in rows:
        entry = out.setdefault(
            row["responsible_id"], {"member": members.get(row["responsible_id"]), "counts": Counter(), "total": 0}
        )
        entry["counts"][row["state"]] += row["n"]
        entry["total"] += row["n"]
    for entry in out.values():
        entry["accepted"] = entry["counts"][AssessmentState.ACCEPTED]
        entry["submitted"] = entry["counts"][AssessmentState.SUBMITTED]
    return sorted(out.values(), key=lambda e: str(e["member"]))


def levels_over_years(project, limit: int = 5) -> tuple[list, list[dict]]:
    """The annual self-evaluations side by side: this project and its predecessors
    (`previous` chain), the level per criterion code in each year."""
    chain = []
    current = project
    while current is not None and len(chain) < limit:
        chain.append(current)
        current = current.previous
    chain.reverse()
    rows = CriterionAssessment.objects.filter(report__project__in=chain).values_list(
        "report__project_id", "criterion__code", "level"
    )
    table: dict[str, dict[int, str]] = {}
    for project_id, code, level in rows:
        table.setdefault(code, {})[project_id] = level
    ordered = sorted(table.items(), key=lambda item: [int(p) if p.isdigit() else p for p in str(item[0]).split(".")])
    return chain, [{"code": code, "levels": [levels.get(p.pk, "") for p in chain]} for code, levels in ordered]
