"""Nonconformities and actions for tests, made through the services."""

import datetime

from django.utils import timezone

from sapat.improvement import services
from sapat.improvement.models import ActionKind, NcSource, Nonconformity, Severity


def nc(world, actor="staff_a", unit=None, **kwargs) -> Nonconformity:
    """Registered by `actor` (by default staff_a of the world; None: the system)."""
    inst = (unit or world.fac_a).institution
    return services.nonconformity_register(
        actor=world.staff_a if actor == "staff_a" else actor,
        institution=inst,
        unit=unit or world.fac_a,
        nc_type=kwargs.pop("nc_type", None) or services.types_for(inst.pk).first(),
        source=kwargs.pop("source", NcSource.INTERNAL_AUDIT),
        title=kwargs.pop("title", "Силлабустар жаңыланган эмес"),
        description=kwargs.pop("description", "2025–2026-окуу жылынын силлабустары бекитилген эмес."),
        severity=kwargs.pop("severity", Severity.MINOR),
        **kwargs,
    )


def action(nc, owner, actor=None, kind=ActionKind.CORRECTIVE, days=10, **kwargs):
    return services.action_create(
        actor=actor,
        nonconformity=nc,
        kind=kind,
        description=kwargs.pop("description", "Силлабустарды жаңылап, кафедранын отурумунда бекитүү"),
        owner=owner,
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        **kwargs,
    )


def in_progress(world, owner=None):
    """A nonconformity with one approved corrective action owned by `owner` (staff_a's person)."""
    item = nc(world)
    services.nonconformity_start_analysis(actor=None, nonconformity=item)
    services.nonconformity_analyse(actor=None, nonconformity=item, root_cause="Мөөнөттөр көзөмөлдөнгөн эмес")
    act = action(item, owner or world.staff_a.person)
    services.nonconformity_approve_plan(actor=world.head_a, nonconformity=item, side="unit")
    services.nonconformity_approve_plan(actor=world.quality, nonconformity=item, side="quality")
    item.refresh_from_db()
    return item, act
