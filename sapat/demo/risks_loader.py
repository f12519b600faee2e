"""Loads the demo risk registers and SWOT analyses (`data_risks`) into the demo institutions.

Called at the end of `loader.load()`, after the process registers: risks name their process by
code. Everything goes through the risk services with no actor (the system), so codes,
validation and audit entries are the same as on the pages. An institution that already has a
risk or a SWOT analysis is left alone: loading twice changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sapat.org.models import Institution, Person, Unit
from sapat.processes import services_risks as svc
from sapat.processes.models import Process, Risk, RiskAction, SwotAnalysis, SwotItem

from .data_risks import RISKS, SWOTS


def load_risks(write=print) -> dict[str, str]:
    outcome = {}
    for code in sorted(set(RISKS) | set(SWOTS)):
        institution = Institution.objects.filter(code=code).first()
        if institution is None or not institution.processes.exists():
            continue
        if institution.risks.exists() or institution.swot_analyses.exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            count = _load(institution, RISKS.get(code, ()), SWOTS.get(code))
        outcome[code] = "created"
        write(f"{code}: risk register — {count} risks and opportunities.")
    return outcome


def _load(institution, specs, swot) -> int:
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.filter(institution=institution)}
    root = next(u for u in units.values() if u.parent_id is None)
    processes = {p.code: p for p in Process.objects.filter(institution=institution)}
    items = {}
    if swot is not None:
        analysis = svc.swot_save(
            actor=None,
            analysis=SwotAnalysis(
                institution=institution, date=today - timedelta(days=swot.days_ago), title=swot.title
            ),
        )
        for quadrant, texts in swot.items.items():
            for text in texts:
                items[text] = svc.swot_item_add(
                    actor=None, item=SwotItem(analysis=analysis, quadrant=quadrant, text=text)
                )
    for spec in specs:
        unit = units.get(spec.unit) if spec.unit else None
        process = processes.get(spec.process) if spec.process else None
        if unit is None and process is None:
            unit = root
        owner = _owner(unit or root)
        risk = Risk(
            institution=institution,
            kind=spec.kind,
            process=process,
            unit=unit,
            title=spec.title,
            cause=spec.cause,
            consequence=spec.consequence,
            likelihood=spec.likelihood,
            impact=spec.impact,
            owner=owner,
            review_date=today + timedelta(days=spec.review_in),
            status=spec.status,
        )
        if spec.residual:
            risk.residual_likelihood, risk.residual_impact = spec.residual
        if spec.swot:
            risk.source_item = items[spec.swot]
        svc.risk_save(actor=None, risk=risk)
        for text, days, done in spec.actions:
            deadline = today + timedelta(days=days)
            action = svc.action_add(
                actor=None, action=RiskAction(risk=risk, description=text, owner=owner, deadline=deadline)
            )
            if done:
                svc.action_done(actor=None, action=action, done_on=min(deadline, today))
    return len(specs)


def _owner(unit) -> Person | None:
    return Person.objects.filter(unit=unit, left_on__isnull=True).order_by("id").first()
