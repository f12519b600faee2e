"""Loads the demo complaints (`data_complaints`) into the demo institutions, each through the
complaint services with no actor (the system), then back-dated to when it was received. An
institution that already has complaints is left alone: loading twice changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from sapat.complaints import services as svc
from sapat.complaints.models import Complaint
from sapat.org.models import Institution, Unit

from .data_complaints import COMPLAINTS


def load_complaints(write=print) -> dict[str, str]:
    outcome = {}
    for code, specs in sorted(COMPLAINTS.items()):
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            continue
        if institution.complaints.exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            units = {u.code: u for u in Unit.objects.filter(institution=institution)}
            for spec in specs:
                _load(institution, units, spec)
        outcome[code] = "created"
        write(f"{code}: trust box — {len(specs)} complaints and suggestions.")
    return outcome


def _load(institution, units, spec):
    name, email, phone = spec.contact or ("", "", "")
    complaint = svc.complaint_submit(
        actor=None,
        complaint=Complaint(
            institution=institution,
            kind=spec.kind,
            submitter_type=spec.who,
            category=spec.category,
            subject=spec.subject,
            text=spec.text,
            concerns_unit=units.get(spec.unit),
            anonymous=not spec.contact,
            contact_name=name,
            contact_email=email,
            contact_phone=phone,
        ),
    )
    received = timezone.now() - datetime.timedelta(days=spec.days_ago)
    dates = {"created_at": received}
    if spec.to and spec.state != "new":
        complaint = svc.complaint_route(actor=None, complaint=complaint, unit=units[spec.to])
        days = svc.settings_for(institution.pk).response_days
        routed = received + datetime.timedelta(days=1)
        dates.update(routed_at=routed, due_on=svc.add_working_days(timezone.localdate(routed), days))
    if spec.follow_up:
        svc.complaint_follow_up(complaint=complaint, text=spec.follow_up)
    if spec.state == "closed":
        svc.complaint_answer(actor=None, complaint=complaint, answer=spec.answer)
        dates["answered_at"] = received + datetime.timedelta(days=min(spec.days_ago - 1, 8))
    Complaint.objects.filter(pk=complaint.pk).update(**dates)
