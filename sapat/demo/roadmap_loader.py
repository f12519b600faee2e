"""Loads a QMS roadmap into each demo institution: both are renewing their QMS (seed 000's
eight stages), started thirteen months ago and partly done — the first three stages finished,
the fourth and fifth behind (some tasks overdue), the rest ahead.

Everything goes through `services_roadmap` with no actor (the system), so the stages and
tasks come from the shipped reference pack exactly as on the pages, with their audit entries.
An institution that already has a roadmap is left alone: loading twice changes nothing."""

from django.db import transaction
from django.utils import timezone

from sapat.org.models import Institution, Person, Unit
from sapat.processes import services_roadmap as svc
from sapat.processes.models_roadmap import Roadmap, RoadmapKind, RoadmapTask, TaskStatus

DONE, WORK, TODO, SKIP = TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED, TaskStatus.NOT_NEEDED

# The status of each stage's tasks, in the pack's order; stages not named are not started.
PLAN = {
    1: (DONE, DONE, DONE, DONE),
    2: (DONE, DONE, DONE, DONE),
    3: (DONE, DONE, DONE, SKIP),
    4: (DONE, WORK, DONE),
    5: (DONE, WORK, DONE, TODO, WORK),
    6: (WORK, TODO, WORK, TODO),
}
NOTES = {
    (1, 1): "SWOT анализ Окумуштуулар кеңешинде каралды.",
    (2, 0): "Сапат саясатынын жаңы редакциясы Окумуштуулар кеңешинде бекитилди.",
    (3, 1): "Ички аудиттердин программасы боюнча 12 аудит өткөрүлдү.",
    (3, 3): "Жаңылоо циклинде тышкы сертификаттоо пландалган эмес.",
    (4, 1): "Студенттер үчүн СМС боюнча маалымат баракчасы даярдалууда.",
    (5, 1): "Жол-жоболордун 60 %ы кайра иштелип чыкты.",
}
STARTED_MONTHS_AGO = 13


def load_roadmaps(write=print) -> dict[str, str]:
    outcome = {}
    for institution in Institution.objects.filter(code__in=("batsu", "oshsu")).order_by("code"):
        if Roadmap.objects.filter(institution=institution).exists():
            outcome[institution.code] = "skipped"
            continue
        with transaction.atomic():
            overdue = _load(institution)
        outcome[institution.code] = "created"
        write(f"{institution.code}: QMS roadmap — 8 stages, {overdue} tasks overdue.")
    return outcome


def _load(institution) -> int:
    start = svc.add_months(timezone.localdate(), -STARTED_MONTHS_AGO)
    roadmap = svc.roadmap_start(
        actor=None,
        roadmap=Roadmap(
            institution=institution,
            kind=RoadmapKind.RENEWING,
            title=f"СМСти жаңылоо {start.year}–{start.year + 2}",
            start_date=start,
        ),
    )
    owners = _owners(institution)
    overdue = 0
    for stage in roadmap.stages.order_by("number"):
        plan = PLAN.get(stage.number, ())
        for index, task in enumerate(RoadmapTask.objects.filter(stage=stage).order_by("id")):
            task.owner = owners[(stage.number + index) % len(owners)] if owners else None
            task.status = plan[index] if index < len(plan) else TODO
            task.notes = NOTES.get((stage.number, index), "")
            svc.task_save(actor=None, task=task)
            overdue += task.is_overdue
    return overdue


def _owners(institution) -> list[Person]:
    """The quality department's head first (the demo's quality account), the rector, then
    the quality department's staff."""
    root = Unit.objects.filter(institution=institution, parent__isnull=True).select_related("head").first()
    quality = root.quality_responsible if root else None
    people = [p for p in (quality, root.head if root else None) if p is not None]
    if quality is not None:
        people += list(
            Person.objects.filter(unit_id=quality.unit_id, left_on__isnull=True)
            .exclude(pk__in=[p.pk for p in people])
            .order_by("id")[:2]
        )
    return people
