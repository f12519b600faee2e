"""The QMS implementation roadmap (seed 000: the eight stages of introducing a QMS).

An institution that introduces or renews its QMS starts a roadmap: a cycle with a start date.
The stages and their default tasks are copied from the shipped reference pack
(`data/qms_roadmap.json`, text in three languages) when the roadmap starts, so a later pack
never changes a running roadmap; the roadmap remembers the pack's version. From then on the
tasks are the institution's own: the quality department adds, changes and removes them, and
each task's owner reports its status."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person

__all__ = ["Roadmap", "RoadmapKind", "RoadmapStage", "RoadmapTask", "TaskStatus"]


class RoadmapKind(models.TextChoices):
    INTRODUCING = "introducing", _("Introducing the QMS")
    RENEWING = "renewing", _("Renewing the QMS")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


# Tasks still to do: these can be overdue.
OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class Roadmap(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="roadmaps"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RoadmapKind.choices, default=RoadmapKind.INTRODUCING)
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    pack_version = models.CharField(_("reference pack version"), max_length=32, editable=False, blank=True)

    class Meta:
        verbose_name = _("QMS roadmap")
        verbose_name_plural = _("QMS roadmaps")
        ordering = ["institution_id", "-start_date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap_detail", args=[self.pk])

    def audit_unit_id(self):
        return self.institution.audit_unit_id()


class RoadmapStage(Trilingual, TimeStamped):
    roadmap = models.ForeignKey(Roadmap, verbose_name=_("QMS roadmap"), on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("number"))
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    description_ky = models.TextField(_("description in Kyrgyz"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        verbose_name = _("roadmap stage")
        verbose_name_plural = _("roadmap stages")
        ordering = ["roadmap_id", "number"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_stage_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def description(self) -> str:
        return self.tr("description")

    def audit_unit_id(self):
        return self.roadmap.audit_unit_id()


class RoadmapTask(Trilingual, TimeStamped):
    """One task of a stage. Tasks from the pack carry their text in three languages; a task
    someone adds is written in one (Kyrgyz at least) and shown as written elsewhere."""

    stage = models.ForeignKey(RoadmapStage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="tasks")
    title_ky = models.CharField(_("task in Kyrgyz"), max_length=500)
    title_ru = models.CharField(_("task in Russian"), max_length=500, blank=True)
    title_en = models.CharField(_("task in English"), max_length=500, blank=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="roadmap_tasks"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("roadmap task")
        verbose_name_plural = _("roadmap tasks")
        ordering = ["stage_id", "id"]

    def __str__(self):
        return self.title[:200]

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.localdate()

    def audit_unit_id(self):
        return self.stage.audit_unit_id()

    def clean(self):
        if not (self.title_ky or "").strip():
            raise ValidationError({"title_ky": _("Write the task in Kyrgyz at least.")})
        institution_id = self.stage.roadmap.institution_id if self.stage_id else None
        if self.owner_id and self.owner.institution_id != institution_id:
            raise ValidationError({"owner": _("The person belongs to another institution.")})
