"""Reads of the QMS roadmap. Like the process register, an institution's roadmap is read by
everyone who may see its structure. The roadmap page fetches its stages with their tasks and
owners in three queries, whatever the number of tasks; progress is counted from them."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sapat.org import access
from sapat.org.selectors import get_visible

from .models_roadmap import OPEN_STATUSES, Roadmap, RoadmapStage, RoadmapTask, TaskStatus


def roadmaps_for(user):
    ids = access.institution_ids(user)
    qs = Roadmap.objects.select_related("institution")
    if ids is not None:
        qs = qs.filter(institution_id__in=ids)
    return qs.annotate(
        task_count=Count("stages__tasks", filter=~Q(stages__tasks__status=TaskStatus.NOT_NEEDED)),
        done_count=Count("stages__tasks", filter=Q(stages__tasks__status=TaskStatus.DONE)),
        overdue_count=Count(
            "stages__tasks",
            filter=Q(stages__tasks__status__in=OPEN_STATUSES, stages__tasks__deadline__lt=timezone.localdate()),
        ),
    )


def roadmap_detail(user, pk) -> Roadmap:
    tasks = RoadmapTask.objects.select_related("owner").order_by("id")
    stages = RoadmapStage.objects.order_by("number").prefetch_related(
        Prefetch("tasks", queryset=tasks, to_attr="task_list")
    )
    stages = Prefetch("stages", queryset=stages, to_attr="stage_list")
    return get_visible(roadmaps_for(user).prefetch_related(stages), pk=pk)


def task_detail(user, pk) -> RoadmapTask:
    ids = access.institution_ids(user)
    qs = RoadmapTask.objects.select_related("stage__roadmap__institution", "owner")
    if ids is not None:
        qs = qs.filter(stage__roadmap__institution_id__in=ids)
    return get_visible(qs, pk=pk)


@dataclass
class Progress:
    done: int = 0
    total: int = 0  # tasks that count: all but those marked "not needed"
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def progress_of(tasks) -> Progress:
    progress = Progress()
    for task in tasks:
        if task.status == TaskStatus.NOT_NEEDED:
            continue
        progress.total += 1
        progress.done += task.status == TaskStatus.DONE
        progress.overdue += task.is_overdue
    return progress


@dataclass
class StageView:
    stage: RoadmapStage
    tasks: list
    progress: Progress


@dataclass
class RoadmapView:
    roadmap: Roadmap
    stages: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    mine: list = field(default_factory=list)  # the viewer's own open tasks, overdue first


def roadmap_view(roadmap: Roadmap, user, *, only_mine=False) -> RoadmapView:
    """The stages in order with their tasks and progress; `only_mine` keeps the viewer's tasks."""
    person_id = getattr(getattr(user, "person", None), "pk", None)
    view = RoadmapView(roadmap)
    every = []
    for stage in roadmap.stage_list:
        every += stage.task_list
        tasks = [t for t in stage.task_list if not only_mine or (person_id and t.owner_id == person_id)]
        view.stages.append(StageView(stage, tasks, progress_of(stage.task_list)))
    view.progress = progress_of(every)
    if person_id:
        mine = [t for t in every if t.owner_id == person_id and t.status in OPEN_STATUSES]
        view.mine = sorted(mine, key=lambda t: (not t.is_overdue, t.deadline is None, t.deadline, t.pk))
    return view
