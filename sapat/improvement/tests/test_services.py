"""Every step of a nonconformity and of an action, its guard and who may take it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.improvement import services as svc
from sapat.improvement.models import Action, ActionKind, ActionStatus, NcState, Nonconformity, Origin, Verdict
from sapat.org.choices import Role
from sapat.org.models import RoleAssignment
from sapat.org.tests import factories as org_factories
from sapat.processes.tests.test_risks import make_risk

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")
TODAY = timezone.localdate()


def _due_now(nc):
    Nonconformity.objects.filter(pk=nc.pk).update(check_due_on=TODAY)
    nc.refresh_from_db()


# --- registering ---------------------------------------------------------------------------------


def test_register_gives_yearly_codes_never_reused_and_tells_the_unit(world, django_capture_on_commit_callbacks):
    world.fac_a.head = world.head_a.person
    world.fac_a.head.email = "head@example.org"
    world.fac_a.head.save()
    world.fac_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = f.nc(world)
    second = f.nc(world)
    year = TODAY.year
    assert (first.code, second.code) == (f"NC-{year}-001", f"NC-{year}-002")
    assert first.state == NcState.REGISTERED and first.registered_by == world.staff_a
    Action.objects.all().delete()
    second.delete()
    assert f.nc(world).code == f"NC-{year}-003"
    assert [m.to for m in mail.outbox] == [["head@example.org"]]
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_types_are_the_seeds_five_by_default(world):
    types = list(svc.types_for(world.inst.pk))
    assert [t.code for t in types] == ["programmes", "learners", "resources", "research", "environment"]
    assert types[0].name_ky.startswith("Билим берүү программаларынын")


def test_register_refuses_outsiders_and_wrong_input(world):
    expert = org_factories.user_with_role(Role.EXPERT, world.root, valid_until=TODAY + datetime.timedelta(days=5))
    with pytest.raises(PermissionDenied):
        f.nc(world, actor=expert)
    with pytest.raises(ValidationError) as error:
        f.nc(world, detected_on=TODAY + datetime.timedelta(days=1))
    assert "future" in str(error.value)
    other_type = svc.types_for(world.other_inst.pk).first()
    with pytest.raises(ValidationError):
        f.nc(world, nc_type=other_type)
    assert not Nonconformity.objects.exists()


def test_anyone_at_work_may_register_for_another_unit(world):
    # an auditor or a member of staff finds it elsewhere in the institution
    item = f.nc(world, unit=world.fac_b)
    assert item.unit == world.fac_b


# --- analysis --------------------------------------------------------------------------------


def test_analysis_is_for_the_unit_and_the_quality_department(world):
    item = f.nc(world)
    for outsider in (world.staff_a, world.head_b, world.rector, world.analyst):
        with pytest.raises(PermissionDenied):
            svc.nonconformity_start_analysis(actor=outsider, nonconformity=item)
    svc.nonconformity_start_analysis(actor=world.quality_a, nonconformity=item)
    item.refresh_from_db()
    assert item.state == NcState.ANALYSIS
    with pytest.raises(ValidationError):
        svc.nonconformity_start_analysis(actor=world.quality_a, nonconformity=item)


def test_analyse_needs_a_root_cause_and_at_most_five_whole_whys(world):
    item = f.nc(world)
    with pytest.raises(ValidationError):  # not yet in analysis
        svc.nonconformity_analyse(actor=world.head_a, nonconformity=item, root_cause="x")
    svc.nonconformity_start_analysis(actor=world.head_a, nonconformity=item)
    with pytest.raises(ValidationError) as error:
        svc.nonconformity_analyse(actor=world.head_a, nonconformity=item, root_cause="  ")
    assert "root_cause" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        svc.nonconformity_analyse(actor=world.head_a, nonconformity=item, root_cause="c", whys=[("Эмне үчүн?", "")])
    assert "whys" in error.value.error_dict
    with pytest.raises(ValidationError):
        svc.nonconformity_analyse(actor=world.head_a, nonconformity=item, root_cause="c", whys=[("a", "b")] * 6)
    item.refresh_from_db()
    assert item.state == NcState.ANALYSIS and item.root_cause == ""
    whys = [("Эмне үчүн силлабус эски?", "Жаңылоо мөөнөтү белгиленген эмес"), ("", "")]
    svc.nonconformity_analyse(
        actor=world.head_a, nonconformity=item, root_cause="Мөөнөт жок", whys=whys, immediate_correction="Эскертилди"
    )
    item.refresh_from_db()
    assert item.state == NcState.ACTION_PLAN
    assert item.whys == [{"why": "Эмне үчүн силлабус эски?", "because": "Жаңылоо мөөнөтү белгиленген эмес"}]


# --- the plan and its approvals ----------------------------------------------------------------


def _planned(world):
    item = f.nc(world)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    svc.nonconformity_analyse(actor=None, nonconformity=item, root_cause="c")
    item.refresh_from_db()
    return item


def test_approval_needs_an_action_then_the_unit_head_and_the_quality_department(world):
    item = _planned(world)
    with pytest.raises(ValidationError):
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")
    f.action(item, world.staff_a.person, kind=ActionKind.CORRECTION)
    with pytest.raises(ValidationError):  # a correction alone is no plan
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")
    f.action(item, world.staff_a.person, actor=world.quality_a)
    with pytest.raises(PermissionDenied):  # the quality responsible is not the unit's head
        svc.nonconformity_approve_plan(actor=world.quality_a, nonconformity=item, side="unit")
    with pytest.raises(PermissionDenied):
        svc.nonconformity_approve_plan(actor=world.head_b, nonconformity=item, side="unit")
    with pytest.raises(PermissionDenied):
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="quality")
    with pytest.raises(ValidationError):
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="rector")
    svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")
    item.refresh_from_db()
    assert item.state == NcState.ACTION_PLAN and item.unit_approved_by == world.head_a
    with pytest.raises(ValidationError):
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")
    svc.nonconformity_approve_plan(actor=world.quality, nonconformity=item, side="quality")
    item.refresh_from_db()
    assert item.state == NcState.IN_PROGRESS and item.plan_approved


def test_the_two_approvals_are_by_two_people(world):
    item = _planned(world)
    f.action(item, world.staff_a.person)
    both = org_factories.user_with_role(Role.QUALITY_DEPARTMENT, world.root)
    RoleAssignment.objects.create(user=both, role=Role.UNIT_HEAD, unit=world.fac_a)
    svc.nonconformity_approve_plan(actor=both, nonconformity=item, side="unit")
    with pytest.raises(ValidationError) as error:
        svc.nonconformity_approve_plan(actor=both, nonconformity=item, side="quality")
    assert "two different people" in str(error.value)


def test_a_named_unit_head_without_the_role_may_approve(world):
    item = _planned(world)
    f.action(item, world.staff_a.person)
    world.fac_a.head = world.staff_a.person
    world.fac_a.save()
    svc.nonconformity_approve_plan(actor=world.staff_a, nonconformity=item, side="unit")


def test_changing_the_plan_clears_its_approvals(world):
    item, _act = f.in_progress(world)
    f.action(item, world.staff_a.person, actor=world.quality_a)
    item.refresh_from_db()
    assert item.state == NcState.ACTION_PLAN
    assert not item.unit_approved_by_id and not item.quality_approved_by_id


def test_no_correction_once_the_work_is_under_way(world):
    item, _act = f.in_progress(world)
    with pytest.raises(ValidationError):
        f.action(item, world.staff_a.person, kind=ActionKind.CORRECTION, actor=world.quality_a)


# --- actions ---------------------------------------------------------------------------------


def test_action_guards(world):
    item = _planned(world)
    with pytest.raises(PermissionDenied):
        f.action(item, world.staff_a.person, actor=world.staff_a)
    with pytest.raises(ValidationError) as error:
        f.action(item, world.staff_a.person, actor=world.quality_a, days=-1)
    assert "deadline" in error.value.error_dict
    outsider = org_factories.person(world.other_root)
    with pytest.raises(ValidationError):
        f.action(item, outsider, actor=world.quality_a)
    leaver = org_factories.person(world.dep_a, left_on=TODAY)
    with pytest.raises(ValidationError):
        f.action(item, leaver, actor=world.quality_a)
    act = f.action(item, world.staff_a.person, actor=world.quality_a)
    assert act.origin == Origin.NONCONFORMITY and act.unit == world.fac_a
    with pytest.raises(ValidationError):  # not before the plan is approved
        svc.action_done(actor=world.staff_a, action=act, result="done")


def test_correction_may_be_done_during_the_analysis(world):
    item = f.nc(world)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    act = f.action(item, world.staff_a.person, kind=ActionKind.CORRECTION, actor=world.head_a)
    svc.action_done(actor=world.staff_a, action=act, result="Силлабус алмаштырылды")
    act.refresh_from_db()
    assert act.status == ActionStatus.DONE and act.done_on == TODAY


def test_action_from_a_risk_and_on_its_own(world):
    risk = make_risk(world, unit=world.fac_a)
    act = svc.action_create(
        actor=world.head_a,
        risk=risk,
        kind=ActionKind.PREVENTIVE,
        description="Окутуучулардын квалификациясын жогорулатуу",
        owner=world.staff_a.person,
        deadline=TODAY,
    )
    assert (act.origin, act.unit, act.institution) == (Origin.RISK, world.fac_a, world.inst)
    with pytest.raises(PermissionDenied):
        svc.action_create(
            actor=world.head_b,
            risk=risk,
            kind=ActionKind.PREVENTIVE,
            description="x",
            owner=world.staff_a.person,
            deadline=TODAY,
        )
    own = svc.action_create(
        actor=world.quality_a,
        unit=world.dep_a,
        kind=ActionKind.IMPROVEMENT,
        description="y",
        owner=world.staff_a.person,
        deadline=TODAY,
        origin=Origin.MANAGEMENT_REVIEW,
    )
    assert own.origin == Origin.MANAGEMENT_REVIEW
    with pytest.raises(PermissionDenied):
        svc.action_create(
            actor=world.head_b,
            unit=world.dep_a,
            kind=ActionKind.IMPROVEMENT,
            description="y",
            owner=world.staff_a.person,
            deadline=TODAY,
        )
    with pytest.raises(ValidationError):
        svc.action_create(
            actor=world.quality_a,
            unit=world.dep_a,
            kind=ActionKind.IMPROVEMENT,
            description="y",
            owner=world.staff_a.person,
            deadline=TODAY,
            origin=Origin.NONCONFORMITY,
        )
    with pytest.raises(ValidationError):
        svc.action_create(
            actor=world.quality_a,
            kind=ActionKind.IMPROVEMENT,
            description="y",
            owner=world.staff_a.person,
            deadline=TODAY,
        )


def test_notes_done_and_cancel(world):
    item, act = f.in_progress(world)
    with pytest.raises(PermissionDenied):
        svc.action_note_add(actor=world.head_b, action=act, text="x")
    with pytest.raises(ValidationError):
        svc.action_note_add(actor=world.staff_a, action=act, text=" ")
    svc.action_note_add(actor=world.staff_a, action=act, text="Жарымы жаңыланды")
    with pytest.raises(PermissionDenied):  # the owner alone does not cancel
        svc.action_cancel(actor=world.staff_a, action=act, reason="x")
    with pytest.raises(ValidationError):
        svc.action_cancel(actor=world.head_a, action=act, reason="")
    with pytest.raises(ValidationError):
        svc.action_done(actor=world.staff_a, action=act, result="")
    svc.action_done(actor=world.staff_a, action=act, result="Бардыгы жаңыланды")
    with pytest.raises(ValidationError):
        svc.action_done(actor=world.staff_a, action=act, result="again")
    with pytest.raises(ValidationError):
        svc.action_cancel(actor=world.head_a, action=act, reason="late")
    assert act.notes.count() == 1


def test_cancelling_the_last_open_action_moves_on_only_with_one_done(world):
    item, act = f.in_progress(world)
    svc.action_cancel(actor=world.head_a, action=act, reason="Кайталанган")
    item.refresh_from_db()
    assert item.state == NcState.IN_PROGRESS  # nothing done: nothing to check


# --- effectiveness and closing -----------------------------------------------------------------


def test_the_last_action_done_starts_the_wait_for_the_check(world):
    svc.settings_save(actor=world.quality, settings=svc.settings_for(world.inst.pk))
    item, act = f.in_progress(world)
    svc.action_done(actor=world.staff_a, action=act, result="ok")
    item.refresh_from_db()
    assert item.state == NcState.CHECK and item.check_due_on == TODAY + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        svc.nonconformity_check(actor=world.quality_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="ok")
    assert "can be checked from" in str(error.value)


def test_the_check_is_not_by_an_owner_and_needs_a_verdict_and_evidence(world):
    item, act = f.in_progress(world, owner=world.quality_a.person)
    svc.action_done(actor=world.quality_a, action=act, result="ok")
    _due_now(item)
    with pytest.raises(PermissionDenied):  # the action's owner
        svc.nonconformity_check(actor=world.quality_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="ok")
    with pytest.raises(PermissionDenied):
        svc.nonconformity_check(actor=world.staff_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="ok")
    with pytest.raises(ValidationError):
        svc.nonconformity_check(actor=world.head_a, nonconformity=item, verdict="maybe", note="ok")
    with pytest.raises(ValidationError):
        svc.nonconformity_check(actor=world.head_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="")
    svc.nonconformity_check(actor=world.head_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="Кайталанган жок")
    item.refresh_from_db()
    assert item.verdict == Verdict.EFFECTIVE and item.checked_by == world.head_a and item.state == NcState.CHECK


def test_a_failed_check_reopens_the_plan(world, django_capture_on_commit_callbacks):
    item, act = f.in_progress(world)
    svc.action_done(actor=world.staff_a, action=act, result="ok")
    _due_now(item)
    svc.nonconformity_check(actor=world.head_a, nonconformity=item, verdict=Verdict.NOT_EFFECTIVE, note="Кайталанды")
    item.refresh_from_db()
    assert item.state == NcState.ACTION_PLAN and item.reopen_count == 1
    assert not item.plan_approved and item.verdict == "" and item.check_due_on is None
    assert item.checks.get().verdict == Verdict.NOT_EFFECTIVE
    with pytest.raises(ValidationError):  # the old, done actions are no new plan
        svc.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")


def test_close_guards_and_closing(world):
    item, act = f.in_progress(world)
    with pytest.raises(ValidationError):  # not in the check
        svc.nonconformity_close(actor=world.quality, nonconformity=item)
    svc.action_done(actor=world.staff_a, action=act, result="ok")
    item.refresh_from_db()
    with pytest.raises(ValidationError) as error:  # no verdict yet
        svc.nonconformity_close(actor=world.quality, nonconformity=item)
    assert "verdict" in str(error.value)
    _due_now(item)
    svc.nonconformity_check(actor=world.head_a, nonconformity=item, verdict=Verdict.EFFECTIVE, note="ok")
    late = Action.objects.create(
        institution=world.inst,
        unit=world.fac_a,
        nonconformity=item,
        kind="corrective",
        origin="nonconformity",
        description="x",
        owner=world.staff_a.person,
        deadline=TODAY,
    )
    with pytest.raises(ValidationError) as error:
        svc.nonconformity_close(actor=world.quality, nonconformity=item)
    assert "action is open" in str(error.value)
    late.delete()
    for not_quality in (world.head_a, world.quality_a, world.rector):
        with pytest.raises(PermissionDenied):
            svc.nonconformity_close(actor=not_quality, nonconformity=item)
    svc.nonconformity_close(actor=world.quality, nonconformity=item)
    item.refresh_from_db()
    assert item.state == NcState.CLOSED and item.closed_on == TODAY
    with pytest.raises(ValidationError):
        svc.nonconformity_close(actor=world.quality, nonconformity=item)
