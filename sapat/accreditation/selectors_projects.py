"""Reads of self-evaluation projects that depend on the user."""

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from sapat.improvement.models import ActionStatus
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


# --- post-accreditation plan: progress over a period ---------------------------------------------


@dataclass
class PlanPeriod:
    """A calendar quarter (`quarter` 1–4) or a whole year (`quarter` None) of the plan's
    progress reports (002 §8.1)."""

    year: int
    quarter: int | None = None

    @classmethod
    def parse(cls, text: str | None, today):
        """ "2026", "2026-Q3"; anything else (or nothing) is the current quarter."""
        match = re.fullmatch(r"(\d{4})(?:-Q([1-4]))?", (text or "").strip())
        if match and 2000 <= int(match[1]) <= 2100:
            return cls(int(match[1]), int(match[2]) if match[2] else None)
        return cls(today.year, (today.month - 1) // 3 + 1)

    @property
    def start(self):
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self):
        if self.quarter is None or self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def key(self) -> str:
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"


@dataclass
class MeasureProgress:
    measure: object  # PlanMeasure
    due_in_period: bool
    done_in_period: bool
    on_time: bool | None  # for a measure done: by its deadline
    overdue_at_end: bool  # open after its deadline when the period ends


def plan_progress(project, period: PlanPeriod) -> tuple[list, dict]:
    """Each remark with its measures as they stood over `period`, and the period's totals:
    measures due in it, done in it (on time or late), and overdue at its end."""
    remarks = list(project.remarks.prefetch_related("measures__action__owner", "measures__action__unit"))
    totals = {"measures": 0, "due": 0, "done": 0, "done_on_time": 0, "overdue": 0}
    rows = []
    for remark in remarks:
        measures = []
        for m in remark.measures.all():
            action = m.action
            done_on = action.done_on if action.status == ActionStatus.DONE else None
            progress = MeasureProgress(
                measure=m,
                due_in_period=period.start <= action.deadline <= period.end,
                done_in_period=done_on is not None and period.start <= done_on <= period.end,
                on_time=None if done_on is None else done_on <= action.deadline,
                overdue_at_end=action.deadline < period.end
                and (action.status == ActionStatus.OPEN or (done_on is not None and done_on > period.end)),
            )
            measures.append(progress)
            totals["measures"] += 1
            totals["due"] += progress.due_in_period
            totals["done"] += progress.done_in_period
            totals["done_on_time"] += progress.done_in_period and bool(progress.on_time)
            totals["overdue"] += progress.overdue_at_end
        rows.append((remark, measures))
    return rows, totals


def recent_plan_periods(today, quarters=8) -> list[tuple[str, str]]:
    """The choices of the progress report: this quarter and the ones before, then the years."""
    from django.utils.translation import gettext as _

    year, quarter = today.year, (today.month - 1) // 3 + 1
    choices = []
    for _i in range(quarters):
        choices.append((f"{year}-Q{quarter}", _("Quarter %(q)d of %(y)d") % {"q": quarter, "y": year}))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    choices += [(str(y), _("Year %(y)d") % {"y": y}) for y in (today.year, today.year - 1)]
    return choices
