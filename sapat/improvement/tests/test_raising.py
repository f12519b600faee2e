"""Raising a nonconformity or an improvement action from an audit finding or a complaint:
who may, what each kind of finding raises, once only, the links both ways, and anonymity."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sapat.audits import services as audits
from sapat.audits.choices import Answer
from sapat.audits.models import Finding, FindingCategory
from sapat.audits.tests import conftest as audits_conftest
from sapat.audits.tests import factories as af
from sapat.complaints.tests import factories as cf
from sapat.core.attachments import attachment_add
from sapat.core.models import AuditEntry
from sapat.improvement import raising
from sapat.improvement.models import Action, ActionKind, NcSource, Nonconformity, Origin, Severity
from sapat.improvement.services import action_create, types_for

pytestmark = pytest.mark.usefixtures("english")

aw = audits_conftest.aw  # the audits' world: auditors, a process, a year

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def _tiny_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _audit_with_finding(w, *, finish=True):
    """An audit of faculty A led by head_b; one "does not conform" answer with an evidence file."""
    a = af.audit(w.inst, units=[w.fac_a], processes=[w.process])
    audits.audit_set_team(actor=w.quality, audit=a, lead=w.lead, team=[w.member])
    audits.checklist_from_clauses(actor=w.quality, audit=a, clauses=["7.5.3"])
    audits.audit_start(actor=w.quality, audit=a)
    a.refresh_from_db()
    item = a.checklist.get()
    audits.item_answer(actor=w.head_b, item=item, answer=Answer.NONCONFORMS, notes="Документтер башкарылбайт")
    attachment_add(
        actor=w.head_b,
        record=item,
        upload=SimpleUploadedFile("protocol.pdf", _tiny_pdf(), content_type="application/pdf"),
    )
    if finish:
        audits.audit_finish_conduct(actor=w.head_b, audit=a)
    a.refresh_from_db()
    return a


def _nc_fields(w, finding, **extra):
    initial = raising.nc_initial_from_finding(finding)
    return {**initial, "nc_type": types_for(w.inst.pk).first(), **extra}


def _action_fields(w, **extra):
    return {
        "kind": ActionKind.IMPROVEMENT,
        "description": "Жакшыртуу",
        "owner": w.staff_a.person,
        "deadline": IN_A_MONTH,
        **extra,
    }


def _recategorise(w, finding, code):
    finding.category = FindingCategory.objects.get(institution=w.inst, code=code)
    return audits.finding_save(actor=w.quality, finding=finding)


# --- from an audit finding ----------------------------------------------------------------------


def test_only_the_team_and_the_quality_department_raise_from_a_finding(aw):
    w = aw
    finding = _audit_with_finding(w).findings.get()
    for outsider in (w.staff_a, w.head_a, w.quality_a, w.rector):
        with pytest.raises(PermissionDenied, match="audit team"):
            raising.nonconformity_from_finding(actor=outsider, finding=finding, **_nc_fields(w, finding))
    assert raising.can_raise_from_finding(w.head_b, finding) and raising.can_raise_from_finding(w.quality, finding)
    assert not Nonconformity.objects.exists()


def test_not_before_the_conduct_is_finished(aw):
    w = aw
    a = _audit_with_finding(w, finish=False)
    category = audits.finding_scale(w.inst.pk)[0]
    finding = audits.finding_save(actor=w.head_b, finding=Finding(audit=a, category=category, description="Жок"))
    with pytest.raises(ValidationError, match="conduct"):
        raising.nonconformity_from_finding(actor=w.head_b, finding=finding, **_nc_fields(w, finding))


def test_the_lead_auditor_raises_one_nonconformity_from_a_finding(aw, django_capture_on_commit_callbacks):
    w = aw
    a = _audit_with_finding(w)
    finding = a.findings.select_related("category").get()
    finding.process = w.process
    audits.finding_save(actor=w.head_b, finding=finding)
    initial = raising.nc_initial_from_finding(finding)
    assert initial["unit"] == w.fac_a  # the finding names none: the audited unit
    assert initial["severity"] == Severity.MAJOR and "7.5.3" in initial["requirement"]
    assert "protocol.pdf" in initial["description"]  # the evidence files are referenced
    nc = raising.nonconformity_from_finding(actor=w.head_b, finding=finding, **_nc_fields(w, finding))
    nc.refresh_from_db()
    assert nc.source == NcSource.INTERNAL_AUDIT and nc.audit_finding == finding and nc.registered_by == w.head_b
    assert nc.process == w.process and nc.description.startswith("Документтер башкарылбайт")
    finding.refresh_from_db()
    assert finding.nonconformity == nc and raising.raised_from(finding) == nc
    # once only, whoever tries
    for actor in (w.head_b, w.quality):
        with pytest.raises(ValidationError, match="already raised"):
            raising.nonconformity_from_finding(actor=actor, finding=finding, **_nc_fields(w, finding))
    with pytest.raises(ValidationError, match="finding raises a nonconformity"):
        raising.action_from_finding(actor=w.quality, finding=finding, **_action_fields(w))
    # the finding stays while it has raised something
    with pytest.raises(ValidationError, match="stays"):
        audits.finding_delete(actor=w.quality, finding=finding)
    assert Nonconformity.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=str(nc.pk), content_type__model="nonconformity").exists()


def test_an_observation_raises_an_improvement_action_not_a_nonconformity(aw):
    w = aw
    finding = _recategorise(w, _audit_with_finding(w).findings.get(), "observation")
    with pytest.raises(ValidationError, match="observation or an opportunity raises an action"):
        raising.nonconformity_from_finding(actor=w.quality, finding=finding, **_nc_fields(w, finding))
    with pytest.raises(PermissionDenied):
        raising.action_from_finding(actor=w.staff_a, finding=finding, **_action_fields(w))
    action = raising.action_from_finding(actor=w.head_b, finding=finding, **_action_fields(w))
    action.refresh_from_db()
    assert action.origin == Origin.AUDIT_FINDING and action.audit_finding == finding and action.unit == w.fac_a
    with pytest.raises(ValidationError, match="already raised"):
        raising.action_from_finding(actor=w.quality, finding=finding, **_action_fields(w))


def test_a_good_practice_raises_nothing(aw):
    w = aw
    finding = _recategorise(w, _audit_with_finding(w).findings.get(), "good_practice")
    assert not raising.can_raise_from_finding(w.quality, finding)
    with pytest.raises(PermissionDenied):
        raising.action_from_finding(actor=w.quality, finding=finding, **_action_fields(w))
    with pytest.raises(ValidationError, match="good practice"):
        raising.action_from_finding(actor=None, finding=finding, **_action_fields(w))


def test_the_origin_of_a_linked_action_is_not_chosen_by_hand(world):
    with pytest.raises(ValidationError, match="Raise it from"):
        action_create(actor=world.quality, unit=world.fac_a, origin=Origin.AUDIT_FINDING, **_action_fields(world))


# --- from a complaint ---------------------------------------------------------------------------


def test_who_may_turn_a_complaint_into_a_nonconformity(world):
    w = world
    complaint = cf.routed(w)  # anonymous, routed to faculty A
    fields = {**raising.nc_initial_from_complaint(complaint), "nc_type": types_for(w.inst.pk).first()}
    for outsider in (w.staff_a, w.head_b, w.rector, w.analyst):
        with pytest.raises(PermissionDenied, match="routed to"):
            raising.nonconformity_from_complaint(actor=outsider, complaint=complaint, **fields)
    nc = raising.nonconformity_from_complaint(actor=w.head_a, complaint=complaint, **fields)
    assert nc.source == NcSource.COMPLAINT and nc.complaint == complaint and nc.unit == w.fac_a
    complaint.refresh_from_db()
    assert raising.raised_from(complaint) == nc
    with pytest.raises(ValidationError, match="already raised"):
        raising.action_from_complaint(actor=w.quality, complaint=complaint, **_action_fields(w))
    with pytest.raises(ValidationError, match="already raised"):
        raising.nonconformity_from_complaint(actor=w.quality, complaint=complaint, **fields)


def _row_text(model, pk) -> str:
    return " ".join(str(v) for v in model.objects.filter(pk=pk).values().get().values())


def test_what_a_complaint_raises_names_nobody(world):
    w = world
    named = cf.complaint(
        w.inst,
        anonymous=False,
        contact_name="Айгүл Токтосунова",
        contact_email="aigul@example.kg",
        contact_phone="+996555123456",
    )
    anonymous = cf.complaint(w.inst, actor=w.staff_a, text="Китепкана жабык.")
    action = raising.action_from_complaint(actor=w.quality, complaint=named, **_action_fields(w))
    assert action.origin == Origin.COMPLAINT and action.complaint == named
    assert action.unit == w.root  # not routed yet: the institution's top unit
    fields = {**raising.nc_initial_from_complaint(anonymous), "nc_type": types_for(w.inst.pk).first()}
    nc = raising.nonconformity_from_complaint(actor=w.quality, complaint=anonymous, **fields)
    for model, pk in ((Action, action.pk), (Nonconformity, nc.pk)):
        text = _row_text(model, pk)
        for contact in ("Токтосунова", "aigul@example.kg", "+996555123456", w.staff_a.username):
            assert contact not in text
    assert nc.registered_by == w.quality and nc.description == "Китепкана жабык."


# --- pages -------------------------------------------------------------------------------------


def test_report_page_raises_and_shows_the_nonconformity(aw, client):
    w = aw
    a = _audit_with_finding(w)
    finding = a.findings.get()
    url = reverse("raise_nonconformity", args=["finding", finding.pk])
    client.force_login(w.staff_a)
    assert client.get(url).status_code in (403, 404)
    client.force_login(w.head_b)
    report = client.get(reverse("audit_report", args=[a.pk])).content.decode()
    assert url in report
    page = client.get(url)
    assert page.status_code == 200 and "Документтер башкарылбайт" in page.content.decode()
    data = {
        k: (v.pk if hasattr(v, "pk") else v)
        for k, v in _nc_fields(w, finding).items()
        if v is not None and k != "process"
    }
    data.update(process=w.process.pk, detected_on=a.end_date.isoformat(), title="")
    assert client.post(url, data).status_code == 400  # no title: nothing raised
    assert not Nonconformity.objects.exists()
    data["title"] = "Документтер"
    response = client.post(url, data)
    nc = Nonconformity.objects.get()
    assert response.status_code == 302 and response.url == nc.get_absolute_url()
    report = client.get(reverse("audit_report", args=[a.pk])).content.decode()
    assert nc.code in report and url not in report
    client.force_login(w.quality)
    page = client.get(nc.get_absolute_url()).content.decode()
    assert a.get_absolute_url() in page and "protocol.pdf" in page
    assert client.post(url, data).status_code == 400  # the second time: refused with a message
    assert Nonconformity.objects.count() == 1


def test_complaint_page_turns_it_into_an_action_seen_without_the_complaint(world, client):
    w = world
    complaint = cf.routed(w)
    url = reverse("raise_action", args=["complaint", complaint.pk])
    client.force_login(w.staff_a)
    assert client.get(url).status_code == 404  # complaints stay with those they are routed to
    client.force_login(w.quality)
    assert url in client.get(complaint.get_absolute_url()).content.decode()
    response = client.post(
        url,
        {
            "kind": "improvement",
            "description": "Сабактардын жадыбалын текшерүү",
            "owner": w.staff_a.person.pk,
            "deadline": IN_A_MONTH.isoformat(),
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and action.complaint == complaint and action.origin == Origin.COMPLAINT
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert action.get_absolute_url() in page and url not in page
    assert complaint.get_absolute_url() in client.get(action.get_absolute_url()).content.decode()
    # the action's owner sees the action, but not the complaint it came from
    client.force_login(w.staff_a)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Raised from a complaint or suggestion." in page and complaint.get_absolute_url() not in page


def test_the_analysis_counts_raised_nonconformities_under_their_sources(aw):
    from sapat.improvement import figures

    w = aw
    finding = _audit_with_finding(w).findings.get()
    raising.nonconformity_from_finding(actor=w.quality, finding=finding, **_nc_fields(w, finding))
    complaint = cf.routed(w)
    fields = {**raising.nc_initial_from_complaint(complaint), "nc_type": types_for(w.inst.pk).first()}
    raising.nonconformity_from_complaint(actor=w.quality, complaint=complaint, **fields)
    result = figures.analysis(Nonconformity.objects.all(), Action.objects.all(), ["type", "source", "unit", "process"])
    by_source = {str(label): total for label, _years, total in result.tables[1].rows}
    assert by_source == {str(NcSource.INTERNAL_AUDIT.label): 1, str(NcSource.COMPLAINT.label): 1}


def test_the_api_gives_the_links(world):
    from rest_framework.test import APIClient

    w = world
    complaint = cf.routed(w)
    action = raising.action_from_complaint(actor=w.quality, complaint=complaint, **_action_fields(w))
    client = APIClient()
    client.force_authenticate(w.quality)
    body = client.get(f"/api/improvement-actions/{action.pk}/").json()
    assert body["complaint"] == complaint.pk and body["origin"] == "complaint" and body["audit_finding"] is None
