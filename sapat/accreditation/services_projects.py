"""Every step of a self-evaluation project (002 §4, §8). Each step is one function
`<entity>_<step>(*, actor, ...)`: atomic, checks who may take it and from which state first,
writes the audit log.

Who does what:
- the quality department (MANAGE_PERM at the institution's top unit) opens the project,
  records the order, forms the commission and the plan, assigns criteria, grants experts
  and keeps the post-accreditation plan;
- the member responsible for a criterion writes its analysis, ticks its elements, rates
  it, lists its evidence and submits it;
- the report compiler (or the chair, or the quality department) accepts it or sends it
  back with comments;
- commission members fill in the stakeholder-influence matrix.

`actor=None` is the system itself (the demo loader): no permission check."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import record, save_audited
from sapat.core.models import AuditAction
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.choices import Gender, Role
from sapat.processes.services import root_unit

from .models_projects import (
    LEVEL_RANK,
    WOMEN_SHARE,
    AgencyRemark,
    AssessmentState,
    CommissionMember,
    CriterionAssessment,
    ElementCheck,
    ElementStatus,
    Evidence,
    ExpertAccess,
    Level,
    MemberCategory,
    PlanItem,
    PlanMeasure,
    ProjectStatus,
    ReportKind,
    SelfEvaluationProject,
    SelfEvaluationReport,
    StakeholderRating,
)

MANAGE_PERM = Perm.MANAGE_ACCREDITATION

# --- who -------------------------------------------------------------------------------------


def can_manage(user, institution_id) -> bool:
    if user is None:
        return True
    root = root_unit(institution_id)
    return root is not None and access.can(user, MANAGE_PERM, root)


def member_of(user, project) -> CommissionMember | None:
    if user is None or not user.is_authenticated:
        return None
    return project.members.filter(user=user).first()


def is_compiler(user, project) -> bool:
    """The report compiler or the chair review the criteria; so does the quality department."""
    if can_manage(user, project.institution_id):
        return True
    member = member_of(user, project)
    return member is not None and (member.pk == project.compiler_id or member.category == MemberCategory.CHAIR)


def expert_in_force(user, project) -> bool:
    """An agency expert with the expert role in force and an unexpired grant on the project."""
    if user is None or not user.is_authenticated:
        return False
    if Role.EXPERT not in access.roles_held(user):
        return False
    return project.expert_accesses.filter(user=user, valid_until__gte=timezone.localdate()).exists()


def can_view_project(user, project) -> bool:
    return can_manage(user, project.institution_id) or member_of(user, project) is not None


def can_view_report(user, report) -> bool:
    if can_view_project(user, report.project):
        return True
    return report.submitted_at is not None and expert_in_force(user, report.project)


def can_edit_assessment(user, assessment) -> bool:
    if user is None:
        return True
    if can_manage(user, assessment.report.project.institution_id):
        return True
    return assessment.responsible_id is not None and assessment.responsible.user_id == getattr(user, "pk", None)


def _deny(message):
    raise PermissionDenied(message)


def _require_manager(actor, project_or_institution_id):
    institution_id = getattr(project_or_institution_id, "institution_id", project_or_institution_id)
    if not can_manage(actor, institution_id):
        _deny(_("Only the quality department may do this."))


def _require_open(project):
    if project.status in (ProjectStatus.DECIDED, ProjectStatus.CLOSED):
        raise ValidationError(_("The project is closed for the self-evaluation."))


# --- Table 1 ----------------------------------------------------------------------------------


def propose_level(statuses: list[str], *, levels: int = 3) -> str | None:
    """002 §3.3 Table 1: every element met with evidence → Complies; 1–2 elements unmet or
    without reliable evidence → Partially complies; more than half unmet → Does not comply.
    The seed leaves a gap (more than two, but not more than half): None, for the commission
    to judge. A two-level criterion has no partial level: anything short of all met fails."""
    if not statuses:
        return None
    short = sum(1 for s in statuses if s != ElementStatus.MET)
    if short == 0:
        return Level.COMPLIES
    if levels < 3:
        return Level.NOT
    if short * 2 > len(statuses):
        return Level.NOT
    if short <= 2:
        return Level.PARTIAL
    return None


def criterion_levels(criterion) -> int:
    """How many levels the criterion is rated on: the four criteria whose "partially
    complies" cell the seed leaves empty have two (their level has no descriptor)."""
    return 2 if len(criterion.descriptors.all()) == 2 else 3


def proposal_for(assessment) -> str | None:
    statuses = [check.status for check in assessment.checks.all()]
    elements = list(assessment.criterion.elements.all())
    if len(statuses) < len(elements):
        return None
    return propose_level(statuses, levels=criterion_levels(assessment.criterion))


def rating_problems(assessment) -> list[str]:
    """What stands between the rating and the Table 1 rule; empty when it holds."""
    problems = []
    if not assessment.narrative.strip():
        problems.append(_("Write the analysis of the criterion."))
    if not assessment.level:
        problems.append(_("Rate the level."))
    elements = list(assessment.criterion.elements.all())
    checked = {check.element_id for check in assessment.checks.all()}
    if elements and len(checked) < len(elements):
        problems.append(_("Tick every element of the criterion: met, not met or no reliable evidence."))
    has_evidence = assessment.evidence.exists() or _has_files(assessment)
    if assessment.level and assessment.level != Level.NOT and not has_evidence:
        problems.append(_("A level above “does not comply” needs evidence: add at least one item to the list."))
    proposed = proposal_for(assessment) if elements else None
    if assessment.level and proposed and LEVEL_RANK[assessment.level] > LEVEL_RANK[proposed]:
        problems.append(
            _("The rating is above the level the ticked elements support (%(level)s).")
            % {"level": Level(proposed).label}
        )
    if assessment.level == Level.PARTIAL and criterion_levels(assessment.criterion) < 3:
        problems.append(_("This criterion has no “partially complies” level."))
    if assessment.level and elements and proposed is None and not assessment.justification.strip():
        problems.append(_("Table 1 does not decide this case: explain the rating."))
    if assessment.level and proposed and assessment.level != proposed and not assessment.justification.strip():
        problems.append(_("Explain why the level differs from the proposed one."))
    return problems


def _has_files(assessment) -> bool:
    from sapat.core.attachments import attachments_of

    return attachments_of(assessment).exists()


# --- the project -------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *, actor, institution, institutional_framework=None, programme_framework=None, programme=None, **fields
):
    """Open a project with its reports: one against the institutional criteria, one against
    a programme's criteria, or both (one order, one commission, two reports)."""
    _require_manager(actor, institution.pk)
    project = SelfEvaluationProject(institution=institution, created_by=actor, **fields)
    if project.institutional and institutional_framework is None:
        raise ValidationError({"institutional": _("Choose the criteria framework of the institutional report.")})
    if project.programme and programme_framework is None:
        raise ValidationError({"programme": _("Choose the criteria framework of the programme report.")})
    save_audited(actor, project)
    if project.institutional:
        report_add(actor=actor, project=project, kind=ReportKind.INSTITUTIONAL, framework=institutional_framework)
    if project.programme:
        report_add(
            actor=actor, project=project, kind=ReportKind.PROGRAMME, framework=programme_framework, programme=programme
        )
    return project


@transaction.atomic
def project_update(*, actor, project, **fields):
    _require_manager(actor, project)
    _require_open(project)
    for name, value in fields.items():
        setattr(project, name, value)
    save_audited(actor, project)
    return project


def report_add(*, actor, project, kind, framework, programme=None):
    report = save_audited(
        actor, SelfEvaluationReport(project=project, kind=kind, framework=framework, programme=programme)
    )
    for criterion in criteria_of(framework):
        save_audited(actor, CriterionAssessment(report=report, criterion=criterion))
    return report


def criteria_of(framework):
    from .models import Criterion

    return Criterion.objects.filter(framework=framework).order_by("group__order", "order")


@transaction.atomic
def project_start(*, actor, project):
    """The order is issued: the commission starts the self-evaluation."""
    _require_manager(actor, project)
    if project.status != ProjectStatus.PREPARING:
        raise ValidationError(_("The project has already started."))
    missing = []
    if not project.order_number or not project.order_date:
        missing.append(_("the order's number and date"))
    if not project.members.filter(category=MemberCategory.CHAIR).exists():
        missing.append(_("the commission's chair"))
    if project.compiler_id is None:
        missing.append(_("the report compiler"))
    if missing:
        raise ValidationError(_("Before the start, record %(what)s.") % {"what": ", ".join(str(m) for m in missing)})
    project.status = ProjectStatus.IN_PROGRESS
    save_audited(actor, project, note="start")
    return project


# --- the commission ----------------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor, project, category, position, person=None, name="", is_woman=None):
    _require_manager(actor, project)
    _require_open(project)
    if category == MemberCategory.CHAIR and project.members.filter(category=MemberCategory.CHAIR).exists():
        raise ValidationError({"category": _("The commission already has a chair.")})
    if person is not None and project.members.filter(person=person).exists():
        raise ValidationError({"person": _("This person is already on the commission.")})
    if is_woman is None:
        is_woman = person is not None and person.gender == Gender.FEMALE
    member = CommissionMember(
        project=project,
        person=person,
        name="" if person else name.strip(),
        position=position,
        category=category,
        is_woman=is_woman,
        user=person.user if person is not None else None,
    )
    return save_audited(actor, member)


@transaction.atomic
def member_remove(*, actor, member):
    _require_manager(actor, member.project)
    _require_open(member.project)
    if member.assessments.exists() or member.plan_items.exists() or member.project.compiler_id == member.pk:
        raise ValidationError(_("The member still has criteria or plan items: reassign them first."))
    from sapat.core.audit import delete_audited

    delete_audited(actor, member)


def women_share(project) -> tuple[int, float | None, str]:
    """(members, share of women in %, warning) — 002 §4.3 wants 25–30 % women."""
    members = list(project.members.all())
    if not members:
        return 0, None, ""
    share = 100.0 * sum(1 for m in members if m.is_woman) / len(members)
    low, high = WOMEN_SHARE
    warning = ""
    if not low <= share <= high:
        warning = _("Women on the commission: %(share).0f %%; the method asks for 25–30 %%.") % {"share": share}
    return len(members), share, warning


@transaction.atomic
def compiler_set(*, actor, project, member):
    _require_manager(actor, project)
    if member.project_id != project.pk:
        raise ValidationError({"compiler": _("The compiler must be a member of this project's commission.")})
    project.compiler = member
    save_audited(actor, project)
    return project


@transaction.atomic
def plan_item_add(*, actor, project, area, responsible, deadline):
    _require_manager(actor, project)
    _require_open(project)
    if responsible.project_id != project.pk:
        raise ValidationError({"responsible": _("The responsible member is not on this project's commission.")})
    if not project.start_date <= deadline <= project.council_report_date:
        raise ValidationError({"deadline": _("The deadline falls between the start and the council date.")})
    return save_audited(actor, PlanItem(project=project, area=area, responsible=responsible, deadline=deadline))


@transaction.atomic
def assessment_assign(*, actor, assessment, member, deadline=None):
    project = assessment.report.project
    _require_manager(actor, project)
    _require_open(project)
    if member.project_id != project.pk:
        raise ValidationError({"responsible": _("The responsible member is not on this project's commission.")})
    if deadline and not project.start_date <= deadline <= project.council_report_date:
        raise ValidationError({"deadline": _("The deadline falls between the start and the council date.")})
    assessment.responsible, assessment.deadline = member, deadline
    save_audited(actor, assessment)
    return assessment


# --- one criterion ------------------------------------------------------------------------------

EDITABLE = (AssessmentState.DRAFT, AssessmentState.RETURNED)


def _require_editor(actor, assessment):
    if not can_edit_assessment(actor, assessment):
        _deny(_("Only the member responsible for this criterion may do this."))
    _require_open(assessment.report.project)
    if assessment.state not in EDITABLE:
        raise ValidationError(
            _("The criterion is %(state)s: it cannot be changed now.") % {"state": assessment.get_state_display()}
        )


@transaction.atomic
def assessment_save(*, actor, assessment, checks=None, **fields):
    """Save the analysis and rating; `checks` maps element ids to met / unmet / no evidence."""
    assessment = CriterionAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    _require_editor(actor, assessment)
    allowed = {"narrative", "strengths", "weaknesses", "recommendations", "level", "justification"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(assessment, name, value)
    if checks is not None:
        elements = {e.pk for e in assessment.criterion.elements.all()}
        for element_id, status in checks.items():
            if int(element_id) not in elements:
                raise ValidationError(_("The element is not part of this criterion."))
            if status and status not in ElementStatus.values:
                raise ValidationError(_("Unknown element status."))
        for element_id, status in checks.items():
            if status:
                ElementCheck.objects.update_or_create(
                    assessment=assessment, element_id=int(element_id), defaults={"status": status}
                )
            else:
                ElementCheck.objects.filter(assessment=assessment, element_id=int(element_id)).delete()
    save_audited(actor, assessment)
    return assessment


@transaction.atomic
def evidence_add(*, actor, assessment, kind, **fields):
    _require_editor(actor, assessment)
    target_field = Evidence.LINKS.get(kind)
    evidence = Evidence(assessment=assessment, kind=kind, **fields)
    if target_field:
        target = getattr(evidence, target_field, None) if getattr(evidence, f"{target_field}_id") else None
        institution_id = _institution_of(target)
        if target is not None and institution_id not in (None, assessment.report.project.institution_id):
            raise ValidationError({target_field: _("The record belongs to another institution.")})
    return save_audited(actor, evidence)


def _institution_of(target):
    if target is None:
        return None
    if hasattr(target, "institution_id"):
        return target.institution_id
    unit = getattr(target, "unit", None)
    return getattr(unit, "institution_id", None)


@transaction.atomic
def evidence_remove(*, actor, evidence):
    _require_editor(actor, evidence.assessment)
    from sapat.core.audit import delete_audited

    delete_audited(actor, evidence)


@transaction.atomic
def assessment_submit(*, actor, assessment):
    assessment = CriterionAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    _require_editor(actor, assessment)
    if assessment.report.project.status != ProjectStatus.IN_PROGRESS:
        raise ValidationError(_("The self-evaluation has not started yet."))
    problems = rating_problems(assessment)
    if problems:
        raise ValidationError(problems)
    assessment.state, assessment.submitted_at = AssessmentState.SUBMITTED, timezone.now()
    save_audited(actor, assessment, note="submit")
    return assessment


def _require_reviewer(actor, assessment):
    if actor is not None and not is_compiler(actor, assessment.report.project):
        _deny(_("Only the report compiler or the chair may review criteria."))
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError(_("Only a submitted criterion can be reviewed."))


@transaction.atomic
def assessment_return(*, actor, assessment, comment):
    assessment = CriterionAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    _require_reviewer(actor, assessment)
    if not comment.strip():
        raise ValidationError({"review_comment": _("Say what must be corrected.")})
    assessment.state, assessment.review_comment = AssessmentState.RETURNED, comment.strip()
    save_audited(actor, assessment, note="return")
    return assessment


@transaction.atomic
def assessment_accept(*, actor, assessment):
    assessment = CriterionAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    _require_reviewer(actor, assessment)
    assessment.state, assessment.accepted_at = AssessmentState.ACCEPTED, timezone.now()
    save_audited(actor, assessment, note="accept")
    return assessment


# --- the report ---------------------------------------------------------------------------------


@transaction.atomic
def report_write(*, actor, report, **fields):
    if actor is not None and not is_compiler(actor, report.project):
        _deny(_("Only the report compiler or the chair may write the report's introduction and conclusion."))
    _require_open(report.project)
    for name in fields:
        if name not in {"introduction", "findings", "recommendation"}:
            raise TypeError(name)
    for name, value in fields.items():
        setattr(report, name, value)
    save_audited(actor, report)
    return report


@transaction.atomic
def report_submit(*, actor, report):
    """The report goes out (after the council): every criterion must be accepted."""
    _require_manager(actor, report.project)
    if report.submitted_at:
        raise ValidationError(_("The report is already submitted."))
    open_count = report.assessments.exclude(state=AssessmentState.ACCEPTED).count()
    if open_count:
        raise ValidationError(_("Criteria not yet accepted: %(n)d.") % {"n": open_count})
    if not report.findings.strip() or not report.recommendation.strip():
        raise ValidationError(_("Write the commission's findings and recommendation first."))
    report.submitted_at = timezone.now()
    save_audited(actor, report, note="submit")
    project = report.project
    if not project.reports.filter(submitted_at__isnull=True).exists():
        project.status = ProjectStatus.SUBMITTED
        save_audited(actor, project)
    return report


# --- Table 2 ------------------------------------------------------------------------------------


@transaction.atomic
def stakeholder_rate(*, actor, project, aspect, group, score):
    if actor is not None and not can_view_project(actor, project):
        _deny(_("Only commission members may fill in the stakeholder matrix."))
    _require_open(project)
    existing = StakeholderRating.objects.filter(project=project, aspect=aspect, group=group).first()
    if score in (None, ""):
        if existing is not None:
            existing.delete()
            record(actor=actor, instance=project, action=AuditAction.UPDATE, note=f"table2 {aspect}/{group} cleared")
        return None
    score = int(score)
    if not 1 <= score <= 4:
        raise ValidationError(_("Influence is rated from 1 to 4."))
    if existing is not None and existing.score == score:
        return existing  # the page posts every cell: log only changes
    rating, _created = StakeholderRating.objects.update_or_create(
        project=project, aspect=aspect, group=group, defaults={"score": score}
    )
    record(actor=actor, instance=project, action=AuditAction.UPDATE, note=f"table2 {aspect}/{group}={score}")
    return rating


# --- experts ------------------------------------------------------------------------------------


@transaction.atomic
def expert_grant(*, actor, project, user, valid_until):
    _require_manager(actor, project)
    if valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The access cannot end in the past.")})
    if Role.EXPERT not in access.roles_held(user):
        raise ValidationError({"user": _("The account does not hold the external expert role.")})
    access_row = ExpertAccess.objects.filter(project=project, user=user).first() or ExpertAccess(
        project=project, user=user
    )
    access_row.valid_until, access_row.granted_by = valid_until, actor
    return save_audited(actor, access_row)


# --- after the decision -------------------------------------------------------------------------


@transaction.atomic
def remark_add(*, actor, project, kind, text):
    _require_manager(actor, project)
    if project.status not in (ProjectStatus.SUBMITTED, ProjectStatus.DECIDED):
        raise ValidationError(_("Remarks come with the agency's decision, after the report is submitted."))
    if project.status == ProjectStatus.SUBMITTED:
        project.status = ProjectStatus.DECIDED
        save_audited(actor, project)
    return save_audited(actor, AgencyRemark(project=project, kind=kind, text=text.strip()))


@transaction.atomic
def measure_add(*, actor, remark, description, owner, deadline, unit, resources=""):
    """A measure of the post-accreditation plan, raised as an improvement action."""
    from sapat.improvement.models import ActionKind, Origin
    from sapat.improvement.services import action_create

    _require_manager(actor, remark.project)
    action = action_create(
        actor=actor,
        kind=ActionKind.IMPROVEMENT,
        description=description,
        owner=owner,
        deadline=deadline,
        unit=unit,
        origin=Origin.ACCREDITATION,
    )
    return save_audited(actor, PlanMeasure(remark=remark, action=action, resources=resources))


# --- the next year ------------------------------------------------------------------------------


@transaction.atomic
def project_copy(*, actor, previous, year, start_date, end_date, council_report_date):
    """The annual self-evaluation starts from last year's: same commission, narratives and
    evidence links copied for editing; ratings, ticks and reviews start afresh."""
    _require_manager(actor, previous)
    project = SelfEvaluationProject(
        institution=previous.institution,
        year=year,
        title=_("Self-evaluation %(year)d") % {"year": year},
        institutional=previous.institutional,
        programme=previous.programme,
        together=previous.together,
        start_date=start_date,
        end_date=end_date,
        council_report_date=council_report_date,
        period_from=year - 4,
        period_to=year,
        previous=previous,
        created_by=actor,
    )
    save_audited(actor, project)
    members = {}
    for old in previous.members.all():
        new = CommissionMember(
            project=project,
            person=old.person,
            name=old.name,
            position=old.position,
            category=old.category,
            is_woman=old.is_woman,
            user=old.user,
        )
        members[old.pk] = save_audited(actor, new)
    if previous.compiler_id:
        project.compiler = members[previous.compiler_id]
        save_audited(actor, project)
    for old_report in previous.reports.all():
        report = report_add(
            actor=actor,
            project=project,
            kind=old_report.kind,
            framework=old_report.framework,
            programme=old_report.programme,
        )
        old_by_criterion = {a.criterion_id: a for a in old_report.assessments.prefetch_related("evidence")}
        for assessment in report.assessments.all():
            old = old_by_criterion.get(assessment.criterion_id)
            if old is None:
                continue
            assessment.narrative, assessment.strengths = old.narrative, old.strengths
            assessment.weaknesses, assessment.recommendations = old.weaknesses, old.recommendations
            assessment.responsible = members.get(old.responsible_id)
            save_audited(actor, assessment)
            for item in old.evidence.all():
                item.pk, item.assessment, item.copied_from_id = None, assessment, item.pk
                item._state.adding = True
                save_audited(actor, item)
    return project


def default_dates(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "year": today.year,
        "start_date": today,
        "end_date": today + datetime.timedelta(days=90),
        "council_report_date": today + datetime.timedelta(days=100),
        "period_from": today.year - 4,
        "period_to": today.year,
    }


def register_attachments():
    """Uploaded files are evidence of the criterion: its member adds them while editing;
    whoever sees the report (experts included, once it is submitted) sees them."""
    from sapat.core import attachments

    attachments.register(
        CriterionAssessment,
        can_view=lambda user, a: can_view_report(user, a.report),
        can_attach=lambda user, a: can_edit_assessment(user, a) and a.state in EDITABLE,
    )
