"""Self-evaluation projects: Table 1, the commission, the workflow and its guards, experts,
the post-accreditation plan, the annual copy."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.accreditation import selectors_projects as sel
from sapat.accreditation import services_projects as svc
from sapat.accreditation.models_projects import (
    AssessmentState,
    ElementStatus,
    EvidenceKind,
    Level,
    MemberCategory,
    ProjectStatus,
)
from sapat.core.models import AuditEntry
from sapat.org.choices import Role
from sapat.org.tests import factories

from .projects_setup import framework, project, running_project

pytestmark = pytest.mark.usefixtures("english")

MET, UNMET, NOEV = ElementStatus.MET, ElementStatus.UNMET, ElementStatus.NO_EVIDENCE


# --- Table 1 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([MET, MET, MET], Level.COMPLIES),
        ([MET, MET, UNMET], Level.PARTIAL),
        ([MET, MET, NOEV], Level.PARTIAL),
        ([MET, MET, MET, UNMET, NOEV], Level.PARTIAL),
        ([MET, UNMET, UNMET], Level.NOT),  # more than half short
        ([UNMET, UNMET, UNMET], Level.NOT),
        ([MET, MET, MET, MET, UNMET, UNMET, NOEV], None),  # the seed's gap: 3 of 7
        ([], None),
    ],
)
def test_table1_rule(statuses, expected):
    assert svc.propose_level(statuses) == expected


def test_table1_two_level_criterion_has_no_partial():
    assert svc.propose_level([MET, UNMET], levels=2) == Level.NOT
    assert svc.propose_level([MET, MET], levels=2) == Level.COMPLIES


# --- the project and its commission -------------------------------------------------------------


def test_project_creates_a_report_and_an_assessment_per_criterion(world):
    p = project(world)
    report = p.reports.get()
    assert report.assessments.count() == 4
    assert AuditEntry.objects.filter(object_id=str(p.pk)).exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"end_date": timezone.localdate() - datetime.timedelta(days=1)}, "end_date"),
        ({"council_report_date": timezone.localdate() + datetime.timedelta(days=10)}, "council_report_date"),
        ({"period_from": timezone.localdate().year - 7}, "period_from"),
        ({"institutional": False}, "institutional"),
        ({"together": True}, "together"),
        ({"order_date": timezone.localdate() + datetime.timedelta(days=5)}, "start_date"),
    ],
)
def test_contradicting_dates_and_types_are_refused(world, overrides, field):
    fw = framework()
    with pytest.raises(ValidationError) as error:
        project(world, fw, **overrides)
    assert field in error.value.message_dict
    assert not fw.criteria.first() or not world.inst.self_evaluations.exists()


def test_only_the_quality_department_opens_projects(world):
    fw = framework()
    with pytest.raises(PermissionDenied):
        svc.project_create(
            actor=world.staff_a, institution=world.inst, institutional_framework=fw, **svc.default_dates(), title="x"
        )


def test_women_share_warning(world):
    p = project(world)
    assert svc.women_share(p) == (0, None, "")
    svc.member_add(
        actor=world.quality, project=p, category=MemberCategory.CHAIR, position="Rector", name="A", is_woman=False
    )
    svc.member_add(actor=world.quality, project=p, category=MemberCategory.STUDENT, position="Student", name="B")
    svc.member_add(
        actor=world.quality, project=p, category=MemberCategory.PARENT, position="Parent", name="C", is_woman=True
    )
    count, share, warning = svc.women_share(p)
    assert count == 3 and round(share) == 33
    assert "25–30" in warning
    svc.member_add(actor=world.quality, project=p, category=MemberCategory.EMPLOYER, position="Employer", name="D")
    assert svc.women_share(p)[2] == ""  # 1 of 4 = 25 %


def test_member_needs_a_person_or_a_name_and_one_chair(world):
    p = project(world)
    with pytest.raises(ValidationError):
        svc.member_add(actor=world.quality, project=p, category=MemberCategory.STUDENT, position="Student", name=" ")
    svc.member_add(actor=world.quality, project=p, category=MemberCategory.CHAIR, position="Rector", name="A")
    with pytest.raises(ValidationError):
        svc.member_add(actor=world.quality, project=p, category=MemberCategory.CHAIR, position="Rector", name="B")


def test_member_of_another_project_cannot_be_assigned(world):
    fw = framework()
    p1, p2 = project(world, fw), project(world, fw)
    outsider = svc.member_add(actor=world.quality, project=p2, category=MemberCategory.STUDENT, position="S", name="X")
    assessment = p1.reports.get().assessments.first()
    with pytest.raises(ValidationError) as error:
        svc.assessment_assign(actor=world.quality, assessment=assessment, member=outsider)
    assert "not on this project's commission" in str(error.value)
    with pytest.raises(ValidationError):
        svc.plan_item_add(actor=world.quality, project=p1, area="x", responsible=outsider, deadline=p1.end_date)


def test_start_needs_order_chair_and_compiler(world):
    p = project(world, order_number="")
    with pytest.raises(ValidationError) as error:
        svc.project_start(actor=world.quality, project=p)
    message = " ".join(error.value.messages)
    assert "order" in message and "chair" in message and "compiler" in message


# --- one criterion's workflow -------------------------------------------------------------------


def _fill(world, assessment, statuses, level, evidence=True, justification=""):
    checks = {e.pk: s for e, s in zip(assessment.criterion.elements.all(), statuses, strict=True)}
    svc.assessment_save(
        actor=world.staff_a,
        assessment=assessment,
        checks=checks,
        narrative="The mission is in the Charter.",
        level=level,
        justification=justification,
    )
    if evidence:
        svc.evidence_add(
            actor=world.staff_a,
            assessment=assessment,
            kind=EvidenceKind.WEB,
            url="https://example.kg/mission",
            page="3",
        )


def test_member_rates_submits_compiler_returns_then_accepts(world):
    p, member, compiler = running_project(world)
    assessment = p.reports.get().assessments.first()
    _fill(world, assessment, [MET, MET, MET], Level.COMPLIES)
    assert svc.proposal_for(assessment) == Level.COMPLIES
    svc.assessment_submit(actor=world.staff_a, assessment=assessment)
    with pytest.raises(ValidationError):  # no edits while submitted
        svc.assessment_save(actor=world.staff_a, assessment=assessment, narrative="x")
    with pytest.raises(PermissionDenied):  # the member does not review her own criterion
        svc.assessment_accept(actor=world.staff_a, assessment=assessment)
    with pytest.raises(ValidationError):
        svc.assessment_return(actor=world.head_a, assessment=assessment, comment="  ")
    svc.assessment_return(actor=world.head_a, assessment=assessment, comment="Add the strategic plan.")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    svc.assessment_save(actor=world.staff_a, assessment=assessment, narrative="Now with the plan.")
    svc.assessment_submit(actor=world.staff_a, assessment=assessment)
    svc.assessment_accept(actor=world.head_a, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.ACCEPTED
    with pytest.raises(ValidationError):
        svc.assessment_accept(actor=world.head_a, assessment=assessment)


def test_rating_above_the_elements_or_without_evidence_is_refused(world):
    p, member, compiler = running_project(world)
    first, second = list(p.reports.get().assessments.all())[:2]
    _fill(world, first, [MET, UNMET, MET], Level.COMPLIES)
    with pytest.raises(ValidationError) as error:
        svc.assessment_submit(actor=world.staff_a, assessment=first)
    assert "above the level the ticked elements support" in " ".join(error.value.messages)
    _fill(world, second, [MET, MET, MET], Level.COMPLIES, evidence=False)
    with pytest.raises(ValidationError) as error:
        svc.assessment_submit(actor=world.staff_a, assessment=second)
    assert "needs evidence" in " ".join(error.value.messages)


def test_two_level_criterion_refuses_partial_and_unticked_elements(world):
    p, member, compiler = running_project(world)
    two_level = p.reports.get().assessments.get(criterion__code="1.2")
    svc.assessment_save(actor=world.staff_a, assessment=two_level, narrative="x", level=Level.PARTIAL)
    with pytest.raises(ValidationError) as error:
        svc.assessment_submit(actor=world.staff_a, assessment=two_level)
    messages = " ".join(error.value.messages)
    assert "no “partially complies” level" in messages and "Tick every element" in messages


def test_only_the_responsible_member_edits(world):
    p, member, compiler = running_project(world)
    assessment = p.reports.get().assessments.first()
    with pytest.raises(PermissionDenied):
        svc.assessment_save(actor=world.head_b, assessment=assessment, narrative="x")
    with pytest.raises(ValidationError):
        svc.assessment_save(actor=world.staff_a, assessment=assessment, checks={999999: MET})


def test_evidence_from_another_institution_is_refused(world):
    from sapat.processes.models_indicators import Indicator

    p, member, compiler = running_project(world)
    foreign = Indicator.objects.create(institution=world.other_inst, code="X1", name_ky="Башка")
    with pytest.raises(ValidationError):
        svc.evidence_add(
            actor=world.staff_a,
            assessment=p.reports.get().assessments.first(),
            kind=EvidenceKind.INDICATOR,
            indicator=foreign,
        )
    with pytest.raises(ValidationError):
        svc.evidence_add(actor=world.staff_a, assessment=p.reports.get().assessments.first(), kind=EvidenceKind.WEB)


def _accept_all(world, p):
    report = p.reports.get()
    for assessment in report.assessments.all():
        statuses = [MET] * assessment.criterion.elements.count()
        _fill(world, assessment, statuses, Level.COMPLIES)
        svc.assessment_submit(actor=world.staff_a, assessment=assessment)
        svc.assessment_accept(actor=world.head_a, assessment=assessment)
    return report


def test_report_submission_needs_every_criterion_accepted(world):
    p, member, compiler = running_project(world)
    report = p.reports.get()
    with pytest.raises(ValidationError):
        svc.report_submit(actor=world.quality, report=report)
    _accept_all(world, p)
    svc.report_write(actor=world.head_a, report=report, findings="Complies.", recommendation="Apply.")
    svc.report_submit(actor=world.quality, report=report)
    p.refresh_from_db()
    assert p.status == ProjectStatus.SUBMITTED


def test_progress_per_group_and_member(world):
    p, member, compiler = running_project(world)
    assessment = p.reports.get().assessments.first()
    _fill(world, assessment, [MET, MET, MET], Level.COMPLIES)
    svc.assessment_submit(actor=world.staff_a, assessment=assessment)
    svc.assessment_accept(actor=world.head_a, assessment=assessment)
    groups = sel.progress_by_group(p.reports.get())
    assert [(g["code"], g["accepted"], g["total"]) for g in groups] == [("1", 1, 2), ("2", 0, 2)]
    members = sel.progress_by_member(p)
    assert members[0]["member"] == member and members[0]["accepted"] == 1 and members[0]["total"] == 4


def test_stakeholder_matrix(world):
    p, member, compiler = running_project(world)
    svc.stakeholder_rate(actor=world.staff_a, project=p, aspect="mission", group="students", score=3)
    with pytest.raises(ValidationError):
        svc.stakeholder_rate(actor=world.staff_a, project=p, aspect="mission", group="students", score=5)
    with pytest.raises(PermissionDenied):
        svc.stakeholder_rate(actor=world.head_b, project=p, aspect="mission", group="students", score=2)
    assert p.stakeholder_ratings.get().score == 3


# --- who sees what ------------------------------------------------------------------------------


def test_visibility_by_role_and_expert_window(world):
    p, member, compiler = running_project(world)
    report = p.reports.get()
    expert = factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=timezone.localdate() + datetime.timedelta(days=10)
    )
    assert set(sel.projects_for(world.quality)) == {p}
    assert set(sel.projects_for(world.staff_a)) == {p}  # a member
    assert not sel.projects_for(world.head_b).exists()
    assert not sel.projects_for(world.analyst).exists()
    with pytest.raises(ValidationError):  # an ordinary account is not an expert
        svc.expert_grant(actor=world.quality, project=p, user=world.head_b, valid_until=timezone.localdate())
    svc.expert_grant(actor=world.quality, project=p, user=expert, valid_until=timezone.localdate())
    assert set(sel.projects_for(expert)) == {p}
    assert not sel.reports_for(expert).exists()  # not submitted yet
    _accept_all(world, p)
    svc.report_write(actor=world.head_a, report=report, findings="F", recommendation="R")
    svc.report_submit(actor=world.quality, report=report)
    assert set(sel.reports_for(expert)) == {report}
    assert svc.can_view_report(expert, report)
    access_row = p.expert_accesses.get()
    access_row.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    access_row.save()
    assert not sel.reports_for(expert).exists()
    assert not svc.can_view_report(expert, report)


# --- after the decision, next year --------------------------------------------------------------


def test_post_accreditation_plan_raises_actions(world):
    from sapat.improvement.models import Origin

    p, member, compiler = running_project(world)
    with pytest.raises(ValidationError):
        svc.remark_add(actor=world.quality, project=p, kind="remark", text="x")
    report = _accept_all(world, p)
    svc.report_write(actor=world.head_a, report=report, findings="F", recommendation="R")
    svc.report_submit(actor=world.quality, report=report)
    remark = svc.remark_add(actor=world.quality, project=p, kind="remark", text="Update the website regularly.")
    measure = svc.measure_add(
        actor=world.quality,
        remark=remark,
        description="Appoint a website editor",
        owner=world.staff_a.person,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        unit=world.dep_a,
        resources="0.25 post",
    )
    assert measure.action.origin == Origin.ACCREDITATION
    p.refresh_from_db()
    assert p.status == ProjectStatus.DECIDED


@pytest.mark.parametrize(
    "text, key, start, end",
    [
        ("2026-Q1", "2026-Q1", (2026, 1, 1), (2026, 3, 31)),
        ("2026-Q3", "2026-Q3", (2026, 7, 1), (2026, 9, 30)),
        ("2026-Q4", "2026-Q4", (2026, 10, 1), (2026, 12, 31)),
        ("2025", "2025", (2025, 1, 1), (2025, 12, 31)),
        ("rubbish", "2026-Q4", (2026, 10, 1), (2026, 12, 31)),  # the current quarter
    ],
)
def test_plan_periods(text, key, start, end):
    period = sel.PlanPeriod.parse(text, datetime.date(2026, 11, 21))
    assert (period.key, period.start, period.end) == (key, datetime.date(*start), datetime.date(*end))


def test_plan_progress_over_a_quarter_and_a_year(world):
    from sapat.improvement import services as improvement

    p, member, compiler = running_project(world)
    report = _accept_all(world, p)
    svc.report_write(actor=world.head_a, report=report, findings="F", recommendation="R")
    svc.report_submit(actor=world.quality, report=report)
    remark = svc.remark_add(actor=world.quality, project=p, kind="remark", text="Update the website regularly.")
    next_year = timezone.localdate().year + 1
    measures = [
        svc.measure_add(
            actor=world.quality,
            remark=remark,
            description=f"Measure due {month}/10",
            owner=world.staff_a.person,
            deadline=datetime.date(next_year, month, 10),
            unit=world.dep_a,
        )
        for month in (4, 5, 9)
    ]
    improvement.action_done(actor=world.staff_a, action=measures[0].action, result="Done early.")
    rows, totals = sel.plan_progress(p, sel.PlanPeriod(next_year, 2))  # April to June
    assert [len(m) for _r, m in rows] == [3]
    assert totals == {"measures": 3, "due": 2, "done": 0, "done_on_time": 0, "overdue": 1}
    _rows, totals = sel.plan_progress(p, sel.PlanPeriod(next_year - 1))  # this year: done early
    assert totals == {"measures": 3, "due": 0, "done": 1, "done_on_time": 1, "overdue": 0}


def test_next_year_copies_narratives_and_evidence(world):
    p, member, compiler = running_project(world)
    first = p.reports.get().assessments.first()
    _fill(world, first, [MET, MET, MET], Level.COMPLIES)
    first.refresh_from_db()
    today = timezone.localdate()
    nxt = svc.project_copy(
        actor=world.quality,
        previous=p,
        year=today.year + 1,
        start_date=today,
        end_date=today + datetime.timedelta(days=30),
        council_report_date=today + datetime.timedelta(days=40),
    )
    copied = nxt.reports.get().assessments.get(criterion=first.criterion)
    assert copied.narrative == first.narrative and copied.level == "" and copied.state == AssessmentState.DRAFT
    assert copied.evidence.get().url == "https://example.kg/mission"
    assert nxt.members.count() == 3 and nxt.compiler.person == world.head_a.person
    chain, rows = sel.levels_over_years(nxt)
    assert chain == [p, nxt]
    assert rows[0]["levels"] == [Level.COMPLIES, ""]
