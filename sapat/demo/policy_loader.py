"""Loads the demo quality policies and quality objectives (`data_policy`) through the
services, with no actor (the system): every row has its "create" entry in the audit log.
An institution that already has a policy or an objective is left alone, so loading twice
changes nothing. Called at the end of `loader.load()`, after the process registers, so the
objectives find their processes by code; a code the register lacks is skipped."""

import datetime

from django.db import transaction

from sapat.org.models import Institution, Unit
from sapat.processes import services_policy as services
from sapat.processes.models import Process
from sapat.processes.models_policy import ObjectiveReview, QualityObjective, QualityPolicy

from .data_policy import EN, OBJECTIVES, PERIOD, POLICIES, RU


def load_policies(write=print) -> dict[str, str]:
    outcome = {}
    for code, policy in POLICIES.items():
        institution = Institution.objects.filter(code=code).first()
        if institution is None:
            continue
        if institution.quality_policies.exists() or institution.quality_objectives.exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            count = _load(institution, policy, OBJECTIVES.get(code, ()))
        outcome[code] = "created"
        write(f"{code}: quality policy and {count} quality objectives.")
    return outcome


def _load(institution, spec, objectives) -> int:
    units = {u.code: u for u in Unit.objects.filter(institution=institution)}
    root = Unit.objects.get(institution=institution, parent__isnull=True)
    draft = services.policy_save(
        actor=None,
        policy=QualityPolicy(
            institution=institution, text_ky="\n\n".join(spec.ky), text_ru="\n\n".join(RU), text_en="\n\n".join(EN)
        ),
    )
    services.policy_approve(
        actor=None,
        policy=draft,
        approved_on=datetime.date.fromisoformat(spec.approved_on),
        body=units[spec.body],
        protocol_number=spec.protocol,
    )
    processes = {p.code: p for p in Process.objects.filter(institution=institution)}
    made: dict[str, QualityObjective] = {}
    for o in objectives:
        unit = units[o.unit] if o.unit else root
        objective = services.objective_save(
            actor=None,
            objective=QualityObjective(
                institution=institution,
                unit=unit,
                parent=made[o.parent] if o.parent else None,
                title_ky=o.ky,
                title_ru=o.ru,
                title_en=o.en,
                start_year=PERIOD[0],
                end_year=PERIOD[1],
                status=o.status,
                responsible=unit.head if unit.head_id and unit.head.left_on is None else None,
            ),
            processes=[processes[c] for c in o.processes if c in processes],
        )
        made[o.key] = objective
        if o.review_2025 is not None:
            services.review_save(
                actor=None,
                review=ObjectiveReview(
                    objective=objective, year=2025, achieved_percent=o.review_2025, comment=o.comment
                ),
            )
    return len(made)
