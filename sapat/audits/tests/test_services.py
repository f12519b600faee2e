import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sapat.audits import services
from sapat.audits.choices import AmendmentReason, Answer, AuditState, VersionState
from sapat.audits.models import ChecklistItem, Finding, ProgrammeEntry
from sapat.core.models import AuditEntry

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def _programme(w):
    programme = services.programme_create(actor=w.quality, institution=w.inst, academic_year=w.year)
    return programme, programme.versions.get()


# --- programme ---------------------------------------------------------------------------------


def test_programme_approval_and_amendment_keep_every_version(aw):
    w = aw
    programme, v1 = _programme(w)
    f.entry(v1, units=[w.fac_a], processes=[w.process], lead=w.lead, team=[w.member])
    with pytest.raises(PermissionDenied):
        services.version_submit(actor=w.rector, version=v1)
    services.version_submit(actor=w.quality, version=v1)
    with pytest.raises(PermissionDenied, match="rector"):
        services.version_approve(actor=w.quality, version=v1)
    services.version_approve(actor=w.rector, version=v1)
    v1.refresh_from_db()
    assert v1.state == VersionState.APPROVED and v1.approved_by == w.rector
    # frozen once approved
    with pytest.raises(ValidationError, match="amendment"):
        f.entry(v1, subject="Кошумча")
    with pytest.raises(ValidationError, match="reason"):
        services.amendment_start(actor=w.quality, programme=programme, reason="")
    v2 = services.amendment_start(actor=w.quality, programme=programme, reason=AmendmentReason.STRUCTURE)
    assert v2.number == 2 and v2.entries.count() == 1
    with pytest.raises(ValidationError, match="already"):
        services.amendment_start(actor=w.quality, programme=programme, reason=AmendmentReason.CONSUMER)
    old = v2.entries.get()
    old.subject = "Факультет А жана кафедра"
    services.entry_save(actor=w.quality, entry=old)
    f.entry(v2, subject="Китепкана", units=[w.fac_b], lead=w.member)
    services.version_submit(actor=w.quality, version=v2)
    services.version_approve(actor=w.rector, version=v2)
    v1.refresh_from_db()
    assert v1.state == VersionState.SUPERSEDED
    assert v1.entries.get().subject == "Факультет А"  # the old version keeps its entries
    diff = services.version_diff(v2)
    assert [e.subject for e in diff["added"]] == ["Китепкана"]
    assert str(diff["changed"][0][1][0][0]) == "what is audited"
    assert services.current_version(programme) == v2


def test_other_reason_needs_text_and_return_needs_comment(aw):
    w = aw
    programme, v1 = _programme(w)
    f.entry(v1, units=[w.fac_a], lead=w.lead)
    with pytest.raises(ValidationError, match="Only a submitted"):
        services.version_approve(actor=w.rector, version=v1)
    services.version_submit(actor=w.quality, version=v1)
    with pytest.raises(ValidationError, match="why"):
        services.version_return(actor=w.rector, version=v1, comment=" ")
    services.version_return(actor=w.rector, version=v1, comment="Кафедраны кошуңуз")
    v1.refresh_from_db()
    assert v1.state == VersionState.DRAFT
    with pytest.raises(ValidationError, match="not approved yet"):
        services.amendment_start(actor=w.quality, programme=programme, reason=AmendmentReason.OTHER)
    services.version_submit(actor=w.quality, version=v1)
    services.version_approve(actor=w.rector, version=v1)
    with pytest.raises(ValidationError, match="other reason"):
        services.amendment_start(actor=w.quality, programme=programme, reason=AmendmentReason.OTHER)


def test_empty_programme_cannot_be_submitted_and_entry_dates_checked(aw):
    w = aw
    _programme_obj, v1 = _programme(w)
    with pytest.raises(ValidationError, match="at least one"):
        services.version_submit(actor=w.quality, version=v1)
    with pytest.raises(ValidationError) as error:
        f.entry(v1, start_date=datetime.date(2025, 11, 10), end_date=datetime.date(2025, 11, 1))
    assert "before the first day" in str(error.value)
    with pytest.raises(ValidationError, match="outside the academic year"):
        f.entry(v1, start_date=datetime.date(2027, 1, 10))
    with pytest.raises(ValidationError, match="planned month or the dates"):
        services.entry_save(actor=w.quality, entry=ProgrammeEntry(version=v1, subject="x"))


# --- independence ------------------------------------------------------------------------------


def test_independence_refuses_own_unit_and_own_process(aw):
    w = aw
    _p, v1 = _programme(w)
    with pytest.raises(ValidationError, match="works in"):
        f.entry(v1, units=[w.fac_a], lead=w.own)  # dep A lies in faculty A
    with pytest.raises(ValidationError, match="owns the process"):
        f.entry(v1, units=[w.fac_b], processes=[w.process], lead=w.member, team=[w.own])
    with pytest.raises(ValidationError, match="works in"):
        f.entry(v1, units=[w.fac_b], lead=w.lead)  # head of faculty B
    a = f.audit(w.inst, units=[w.fac_a], processes=[w.process])
    with pytest.raises(ValidationError, match="owns the process"):
        services.audit_set_team(actor=w.quality, audit=a, lead=w.member, team=[w.own])
    warnings = services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.untrained])
    assert warnings == [f"{w.untrained.person.full_name} has no auditor training on record."]
    # widening the scope to the team's own unit is refused too
    with pytest.raises(ValidationError, match="works in"):
        services.audit_save(actor=w.quality, audit=a, units=[w.fac_a, w.fac_b])


def test_audit_dates_that_contradict_are_refused(aw):
    w = aw
    with pytest.raises(ValidationError) as error:
        f.audit(w.inst, units=[w.fac_a], start=datetime.date(2025, 11, 10), end=datetime.date(2025, 11, 9))
    assert "before its first day" in str(error.value)
    with pytest.raises(ValidationError, match="opening meeting"):
        f.audit(w.inst, units=[w.fac_a], opening_meeting_on=datetime.date(2025, 11, 12))
    with pytest.raises(ValidationError, match="closing meeting"):
        f.audit(w.inst, units=[w.fac_a], closing_meeting_on=datetime.date(2025, 11, 10))


# --- audit stages ------------------------------------------------------------------------------


def _ready_audit(w):
    a = f.audit(w.inst, units=[w.fac_a], processes=[w.process])
    services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    return a


def test_audit_walks_through_the_three_stages(aw, mailoutbox, django_capture_on_commit_callbacks):
    w = aw
    a = _ready_audit(w)
    assert a.code.startswith("ИА-2025-")
    with pytest.raises(ValidationError, match="checklist"):
        services.audit_start(actor=w.quality, audit=a)
    assert services.checklist_from_processes(actor=w.quality, audit=a) == 2
    assert services.checklist_from_clauses(actor=w.head_b, audit=a, clauses=["7.5.3", "9.2", "99"]) == 2
    with pytest.raises(PermissionDenied):
        services.audit_start(actor=w.staff_a, audit=a)
    services.audit_start(actor=w.head_b, audit=a)  # the lead auditor
    a.refresh_from_db()
    assert a.state == AuditState.CONDUCT
    items = list(a.checklist.all())
    with pytest.raises(PermissionDenied, match="audit team"):
        services.item_answer(actor=w.quality, item=items[0], answer=Answer.CONFORMS)
    with pytest.raises(ValidationError, match="does not conform"):
        services.item_answer(actor=w.head_b, item=items[0], answer=Answer.NONCONFORMS)
    services.item_answer(actor=w.head_b, item=items[0], answer=Answer.NONCONFORMS, notes="Процесстин картасы жок")
    with pytest.raises(ValidationError, match="without an answer: 3"):
        services.audit_finish_conduct(actor=w.head_b, audit=a)
    for item in items[1:]:
        services.item_answer(actor=w.head_b, item=item, answer=Answer.CONFORMS)
    services.item_answer(actor=w.head_b, item=items[3], answer=Answer.NOT_APPLICABLE)
    services.audit_finish_conduct(actor=w.head_b, audit=a)
    a.refresh_from_db()
    finding = a.findings.get()
    assert finding.category.code == "major" and finding.description == "Процесстин картасы жок"
    assert finding.is_nonconformity
    with pytest.raises(ValidationError, match="conclusion"):
        services.report_lead_approve(actor=w.head_b, audit=a)
    services.report_save(actor=w.head_b, audit=a, strengths="Жакшы документтер", conclusion="СМС иштейт")
    with pytest.raises(PermissionDenied, match="lead auditor"):
        services.report_lead_approve(actor=w.quality, audit=a)
    services.report_lead_approve(actor=w.head_b, audit=a)
    with pytest.raises(PermissionDenied, match="head of the quality department"):
        services.report_approve(actor=w.head_b, audit=a)
    services.report_return(actor=w.quality, audit=a, comment="Кошумчалаңыз")
    a.refresh_from_db()
    assert a.state == AuditState.REPORT
    services.report_lead_approve(actor=w.head_b, audit=a)
    services.report_approve(actor=w.quality, audit=a)
    with pytest.raises(ValidationError, match="past"):
        services.report_distribute(actor=w.quality, audit=a, acknowledge_by=datetime.date(2020, 1, 1))
    w.fac_a.head = w.head_a.person
    w.fac_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_distribute(actor=w.quality, audit=a)
    a.refresh_from_db()
    assert a.state == AuditState.DISTRIBUTED
    kinds = {r.person_id: r.kind for r in a.recipients.all()}
    assert kinds == {w.head_a.person.pk: "unit", w.staff_a.person.pk: "owner", w.rector.person.pk: "management"}
    with pytest.raises(PermissionDenied):
        services.report_acknowledge(actor=w.head_b, audit=a)
    services.report_acknowledge(actor=w.head_a, audit=a)
    with pytest.raises(ValidationError, match="already"):
        services.report_acknowledge(actor=w.head_a, audit=a)
    assert AuditEntry.objects.filter(note="report distributed").count() == 1


def test_guards_on_stage(aw):
    w = aw
    a = _ready_audit(w)
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["9.2"])
    item = a.checklist.get()
    with pytest.raises(ValidationError, match="stage"):
        services.item_answer(actor=w.head_b, item=item, answer=Answer.CONFORMS)
    with pytest.raises(ValidationError, match="stage"):
        services.report_save(actor=w.head_b, audit=a, strengths="", conclusion="x")
    services.audit_start(actor=w.quality, audit=a)
    with pytest.raises(ValidationError, match="stage"):
        services.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[])
    services.item_answer(actor=w.head_b, item=item, answer=Answer.CONFORMS)
    with pytest.raises(ValidationError, match="answered"):
        services.item_delete(actor=w.quality, item=item)


def test_checklist_copied_from_an_earlier_audit(aw):
    w = aw
    first = _ready_audit(w)
    services.checklist_from_clauses(actor=w.quality, audit=first, clauses=["4.1", "9.2"])
    second = f.audit(w.inst, units=[w.fac_a], start=datetime.date(2026, 3, 2))
    assert services.checklist_copy(actor=w.quality, audit=second, source=first) == 2
    assert list(second.checklist.values_list("clause", flat=True)) == ["4.1", "9.2"]
    with pytest.raises(ValidationError, match="another audit"):
        services.checklist_copy(actor=w.quality, audit=second, source=second)


def test_audit_from_programme_entry(aw):
    w = aw
    programme, v1 = _programme(w)
    entry = f.entry(
        v1, units=[w.fac_a], processes=[w.process], lead=w.lead, team=[w.member], start_date=datetime.date(2025, 11, 10)
    )
    with pytest.raises(ValidationError, match="in force"):
        services.audit_from_entry(actor=w.quality, entry=entry)
    services.version_submit(actor=w.quality, version=v1)
    services.version_approve(actor=w.rector, version=v1)
    a = services.audit_from_entry(actor=w.quality, entry=entry)
    assert a.lead_auditor == w.lead and set(a.team.all()) == {w.lead, w.member}
    assert list(a.units.all()) == [w.fac_a]
    with pytest.raises(ValidationError, match="already"):
        services.audit_from_entry(actor=w.quality, entry=entry)


def test_findings_scale_and_manual_finding(aw):
    w = aw
    scale = services.finding_scale(w.inst.pk)
    assert [c.code for c in scale] == ["major", "minor", "observation", "improvement", "good_practice"]
    a = _ready_audit(w)
    services.checklist_from_clauses(actor=w.quality, audit=a, clauses=["9.2"])
    services.audit_start(actor=w.quality, audit=a)
    finding = services.finding_save(
        actor=w.head_b, finding=Finding(audit=a, category=scale[4], description="Жакшы тажрыйба")
    )
    assert finding.number == 1 and not finding.is_nonconformity
    with pytest.raises(PermissionDenied):
        services.finding_save(actor=w.staff_a, finding=Finding(audit=a, category=scale[0], description="x"))


def test_reminders(aw, mailoutbox, django_capture_on_commit_callbacks):
    w = aw
    a = _ready_audit(w)
    w.head_b.person.email = "lead@example.org"
    w.head_b.person.save()
    with django_capture_on_commit_callbacks(execute=True):
        team, ack = services.send_reminders(today=a.start_date - datetime.timedelta(days=7))
    assert team == 1 and ack == 0
    assert "ИА-" in mailoutbox[-1].subject


def test_item_question_edit_checks_team(aw):
    w = aw
    a = _ready_audit(w)
    with pytest.raises(PermissionDenied):
        services.item_save(actor=w.staff_a, item=ChecklistItem(audit=a, question="?"))
    item = services.item_save(actor=w.head_b, item=ChecklistItem(audit=a, question="Журнал жүргүзүлөбү?"))
    assert item.order == 1
