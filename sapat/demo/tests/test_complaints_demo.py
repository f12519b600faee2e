"""The demo trust box: about ten complaints per institution, in every state."""

import pytest

from sapat.complaints.choices import Status
from sapat.complaints.models import Complaint
from sapat.demo.complaints_loader import load_complaints


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_each_institution_has_complaints_in_every_state(loaded_once, db, code):
    assert loaded_once[f"{code} complaints"] == "created"
    complaints = Complaint.objects.filter(institution__code=code)
    assert 8 <= complaints.count() <= 12
    assert {c.status for c in complaints} == set(Status.values)
    assert complaints.overdue().exists()
    assert complaints.filter(anonymous=True, submitted_by__isnull=True).exists()
    assert complaints.filter(anonymous=False).exclude(contact_email="").exists()
    closed = complaints.filter(status=Status.CLOSED)
    assert all(c.answer and c.answered_at > c.created_at for c in closed)
    assert load_complaints(write=lambda line: None)[code] == "skipped"


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_a_finding_and_a_complaint_have_raised_records(loaded_once, db, code):
    from sapat.audits.choices import AuditState
    from sapat.demo.raising_loader import load_raised
    from sapat.improvement.models import Action, NcSource, Nonconformity, Origin

    assert loaded_once[f"{code} raised"] == "created"
    nc = Nonconformity.objects.select_related("audit_finding__audit").get(
        institution__code=code, audit_finding__isnull=False
    )
    assert nc.source == NcSource.INTERNAL_AUDIT and nc.audit_finding.is_nonconformity
    assert nc.audit_finding.audit.state in (AuditState.APPROVED, AuditState.DISTRIBUTED)
    action = Action.objects.select_related("complaint").get(institution__code=code, complaint__isnull=False)
    assert action.origin == Origin.COMPLAINT and action.complaint.anonymous
    assert load_raised(write=lambda line: None)[code] == "skipped"
