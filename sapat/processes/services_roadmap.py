"""Writes to the QMS implementation roadmap: permission first, then validation, the save and
its audit entry, in one transaction.

Who may write: the roadmap and its tasks are kept by those holding MANAGE_PROCESSES at the
institution's top unit (the quality department and the administrator). A task's owner — the
person linked to the account — may report the status (and notes) of that task only.
`actor=None` is the system itself (the demo loader)."""

import calendar
import datetime
import json
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sapat.core.audit import delete_audited, save_audited

from .models_roadmap import Roadmap, RoadmapStage, RoadmapTask, TaskStatus
from .services import can_manage

PACK_PATH = Path(__file__).resolve().parent / "data" / "qms_roadmap.json"


@cache
def reference_pack() -> dict:
    """The shipped eight stages with their default tasks (seed 000)."""
    return json.loads(PACK_PATH.read_text(encoding="utf-8"))


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- permissions -----------------------------------------------------------------------------


def can_manage_roadmap(user, institution_id) -> bool:
    return can_manage(user, institution_id)


def is_task_owner(user, task: RoadmapTask) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and task.owner_id == person.pk


def can_report_task(user, task: RoadmapTask) -> bool:
    return is_task_owner(user, task) or can_manage_roadmap(user, task.stage.roadmap.institution_id)


def _require_manage(actor, institution_id):
    if actor is not None and not can_manage_roadmap(actor, institution_id):
        raise PermissionDenied(_("Only the quality department keeps the QMS roadmap."))


# --- the roadmap -----------------------------------------------------------------------------


@transaction.atomic
def roadmap_start(*, actor, roadmap: Roadmap) -> Roadmap:
    """Start a roadmap: the eight stages of the reference pack, each with its default tasks,
    whose deadlines fall the stage's number of months after the start date."""
    if not roadmap._state.adding:
        raise ValidationError(_("This roadmap has already started."))
    _require_manage(actor, roadmap.institution_id)
    pack = reference_pack()
    roadmap.pack_version = pack["version"]
    save_audited(actor, roadmap, note=_("started from the reference pack %(version)s") % {"version": pack["version"]})
    for spec in pack["stages"]:
        stage = save_audited(
            actor,
            RoadmapStage(
                roadmap=roadmap,
                number=spec["number"],
                **{f"name_{lang}": text for lang, text in spec["name"].items()},
                **{f"description_{lang}": text for lang, text in spec["description"].items()},
            ),
        )
        deadline = add_months(roadmap.start_date, spec["months"])
        for task in spec["tasks"]:
            save_audited(
                actor,
                RoadmapTask(stage=stage, deadline=deadline, **{f"title_{lang}": text for lang, text in task.items()}),
            )
    return roadmap


@transaction.atomic
def roadmap_save(*, actor, roadmap: Roadmap) -> Roadmap:
    """Change a started roadmap's title, kind or start date (the tasks keep their deadlines)."""
    if roadmap._state.adding:
        raise ValidationError(_("Start the roadmap first."))
    original = Roadmap.objects.get(pk=roadmap.pk)
    _require_manage(actor, original.institution_id)
    roadmap.institution_id = original.institution_id
    roadmap.pack_version = original.pack_version
    return save_audited(actor, roadmap)


# --- tasks -----------------------------------------------------------------------------------


@transaction.atomic
def task_save(*, actor, task: RoadmapTask) -> RoadmapTask:
    """Add a task to a stage or change it (text, owner, deadline, status, notes)."""
    if not task._state.adding:
        original = RoadmapTask.objects.select_related("stage__roadmap").get(pk=task.pk)
        if original.stage_id != task.stage_id:
            raise ValidationError(_("A task stays in its stage."))
    _require_manage(actor, task.stage.roadmap.institution_id)
    return save_audited(actor, task)


@transaction.atomic
def task_delete(*, actor, task: RoadmapTask) -> None:
    _require_manage(actor, task.stage.roadmap.institution_id)
    delete_audited(actor, task)


@transaction.atomic
def task_report(*, actor, task: RoadmapTask, status: str, notes: str | None = None) -> RoadmapTask:
    """The owner (or the quality department) reports how the task stands. Only the status
    and the notes change here, whatever else `task` carries."""
    task = RoadmapTask.objects.select_related("stage__roadmap").get(pk=task.pk)
    if actor is not None and not can_report_task(actor, task):
        raise PermissionDenied(_("Only the task's owner or the quality department may report on this task."))
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    task.status = status
    if notes is not None:
        task.notes = notes
    return save_audited(actor, task)
