"""Links the demo audits and trust box to the improvement register, as the quality department
would: a nonconformity finding of a completed audit raises a nonconformity, and a complaint
that named a real problem becomes an improvement action. Runs after the audits and the
complaints; an institution whose register already holds such links is left alone."""

import datetime

from django.db import transaction
from django.utils import timezone

from sapat.audits.choices import AuditState
from sapat.audits.models import Finding
from sapat.complaints.models import Complaint
from sapat.improvement import raising
from sapat.improvement.models import Action, ActionKind, Nonconformity
from sapat.improvement.services import types_for
from sapat.org.models import Institution

COMPLETED = (AuditState.APPROVED, AuditState.DISTRIBUTED)


def load_raised(write=print) -> dict[str, str]:
    outcome = {}
    for institution in Institution.objects.filter(code__in=("batsu", "oshsu")).order_by("code"):
        linked = Nonconformity.objects.filter(institution=institution, audit_finding__isnull=False).exists()
        if linked or Action.objects.filter(institution=institution, complaint__isnull=False).exists():
            outcome[institution.code] = "skipped"
            continue
        with transaction.atomic():
            done = _raise_from_finding(institution) + _raise_from_complaint(institution)
        outcome[institution.code] = "created" if done else "nothing to link"
        write(f"{institution.code}: {done} records raised from audit findings and complaints.")
    return outcome


def _raise_from_finding(institution) -> int:
    finding = (
        Finding.objects.filter(
            audit__institution=institution,
            audit__state__in=COMPLETED,
            category__is_nonconformity=True,
            nonconformity__isnull=True,
        )
        .select_related("audit", "category", "unit", "process", "checklist_item")
        .order_by("audit__end_date", "number")
        .first()
    )
    if finding is None:
        return 0
    fields = raising.nc_initial_from_finding(finding)
    fields["detected_on"] = min(fields["detected_on"], timezone.localdate())
    raising.nonconformity_from_finding(actor=None, finding=finding, nc_type=_type(institution, "programmes"), **fields)
    return 1


def _raise_from_complaint(institution) -> int:
    # An anonymous one: its action names nobody, which the demo shows.
    complaint = (
        Complaint.objects.filter(institution=institution, anonymous=True, unit__isnull=False)
        .select_related("unit__head")
        .order_by("created_at")
        .first()
    )
    if complaint is None or complaint.unit.head is None:
        return 0
    raising.action_from_complaint(
        actor=None,
        complaint=complaint,
        kind=ActionKind.IMPROVEMENT,
        description=f"{complaint.subject}: себебин аныктап, кайталанбашы үчүн тартипти өзгөртүү.",
        owner=complaint.unit.head,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    return 1


def _type(institution, code):
    types = types_for(institution.pk)
    return types.filter(code=code).first() or types.first()
