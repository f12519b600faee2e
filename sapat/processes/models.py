"""The process register: the institution's QMS processes in the seeds' four groups, who owns
each (with the history of owners), and each process's map — purpose, inputs and their
suppliers, outputs and their customers, resources, governing documents, the units taking
part. An input supplied by another process, or an output received by one, is a link between
processes: the arrows of the process model.

Objectives, indicators and risks hang off `Process` in later work; nothing here assumes they
are absent."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person, Unit, trilingual_names

from .choices import ProcessGroup

# "2.3", "2.10", "3.1.2": the group's number, then one or more numbers.
CODE_RE = re.compile(r"^[1-9]\d?(\.[1-9]\d{0,2})+$")


def normalise_code(code: str) -> str:
    """The seeds write "1.1." and "2.5": one spelling, without spaces or a final dot."""
    return re.sub(r"\s+", "", code or "").rstrip(".")


def code_sort_key(code: str) -> str:
    """A key that sorts codes by their numbers: "0002.0010" after "0002.0009"."""
    parts = normalise_code(code).split(".")
    return ".".join(part.zfill(4) if part.isdigit() else part for part in parts)


class ProcessQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Process(Trilingual, TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="processes"
    )
    group = models.PositiveSmallIntegerField(pgettext_lazy("process", "group"), choices=ProcessGroup.choices)
    code = models.CharField(
        _("code"), max_length=16, help_text=_("The group's number, a dot and the process's number, e.g. 2.3.")
    )
    sort_key = models.CharField(max_length=64, editable=False, db_index=True, default="")
    name_ky, name_ru, name_en = trilingual_names(max_length=400)
    short_name_ky = models.CharField(
        _("short name in Kyrgyz"),
        max_length=80,
        blank=True,
        help_text=_("Shown in the process model picture; the full name is used when it is empty."),
    )
    short_name_ru = models.CharField(_("short name in Russian"), max_length=80, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=80, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("participating units"), blank=True, related_name="processes")
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("governing documents"), blank=True, related_name="processes"
    )
    is_active = models.BooleanField(_("in the register"), default=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["institution_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="process_code_unique_in_institution")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("process_detail", args=[self.pk])

    @property
    def short_name(self) -> str:
        return self.tr("short_name") or self.name

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    def clean(self):
        self.code = normalise_code(self.code)
        errors = {}
        if self.code and not CODE_RE.match(self.code):
            errors["code"] = _("Write the code as numbers joined by dots, e.g. 2.3 or 2.10.")
        elif self.code and self.group and self.code.split(".")[0] != str(self.group):
            errors["code"] = _("The code of a process in group %(group)s begins with %(group)s.") % {
                "group": self.group
            }
        elif (
            self.code
            and self.institution_id
            and type(self)
            .objects.filter(institution_id=self.institution_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["code"] = _("This code is already used in the register.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.code = normalise_code(self.code)
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)


class OwnershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Owners on a day: started by then (or since the register began) and not ended."""
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on) | Q(start_date__isnull=True)).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=on)
        )


class ProcessOwnership(TimeStamped):
    """One owner of a process over a period. The seeds name owners by position and person,
    sometimes only by a position or a unit ("ОМД; Кафедралар", "on a contract basis"), and
    some processes have several owners at once. Owners are ended, never deleted."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="ownerships")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="process_ownerships",
    )
    position_title = models.CharField(
        _("position"), max_length=300, blank=True, help_text=_("As the register writes it.")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=pgettext_lazy("process", "owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("ended on"), null=True, blank=True)

    objects = OwnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("process owner")
        verbose_name_plural = _("process owners")
        ordering = ["process_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="process_ownership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False) | ~Q(position_title=""),
                name="process_ownership_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.process.code} — {self.label}"

    @property
    def label(self) -> str:
        """ "Position — person" as the register shows it, with what is known."""
        who = self.position_title or (self.unit.name if self.unit_id else "")
        if self.person_id:
            return f"{who} — {self.person.full_name}" if who else self.person.full_name
        return who

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date > today
        )

    def audit_unit_id(self):
        return self.process.audit_unit_id()

    def clean(self):
        errors = {}
        if not (self.person_id or self.unit_id or self.position_title.strip()):
            errors["position_title"] = _("Name the owner: a person, a position or a unit.")
        institution_id = self.process.institution_id if self.process_id else None
        if self.person_id and self.person.institution_id != institution_id:
            errors["person"] = _("The person belongs to another institution.")
        elif (
            self.person_id
            and self.end_date is None
            and self.person.left_on
            and self.person.left_on <= timezone.localdate()
        ):
            errors["person"] = _("This person has left the institution.")
        if self.unit_id and self.unit.institution_id != institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if (
            not errors
            and self.person_id
            and self.end_date is None
            and type(self)
            .objects.filter(process_id=self.process_id, person_id=self.person_id, end_date__isnull=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["person"] = _("This person already owns the process.")
        if errors:
            raise ValidationError(errors)


def _check_linked_process(item, field):
    linked = getattr(item, field)
    if linked is None or not item.process_id:
        return
    if linked.pk == item.process_id:
        raise ValidationError({field: _("A process cannot be linked to itself.")})
    if linked.institution_id != item.process.institution_id:
        raise ValidationError({field: _("The process belongs to another institution.")})


class ProcessInput(TimeStamped):
    """What a process takes in and who supplies it; a supplier may be another process."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="inputs")
    name = models.CharField(_("input"), max_length=400)
    supplier = models.CharField(_("supplier"), max_length=400, blank=True)
    supplier_process = models.ForeignKey(
        Process,
        verbose_name=_("supplying process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supplied_inputs",
    )

    class Meta:
        verbose_name = _("process input")
        verbose_name_plural = _("process inputs")
        ordering = ["process_id", "id"]

    def __str__(self):
        return f"{self.process.code} ← {self.name}"

    def audit_unit_id(self):
        return self.process.audit_unit_id()

    def clean(self):
        _check_linked_process(self, "supplier_process")


class ProcessOutput(TimeStamped):
    """What a process gives and to whom (its customers, the stakeholders); a customer may be
    another process."""

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="outputs")
    name = models.CharField(_("output"), max_length=400)
    customer = models.CharField(_("customer or stakeholder"), max_length=400, blank=True)
    customer_process = models.ForeignKey(
        Process,
        verbose_name=_("receiving process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_outputs",
    )

    class Meta:
        verbose_name = _("process output")
        verbose_name_plural = _("process outputs")
        ordering = ["process_id", "id"]

    def __str__(self):
        return f"{self.process.code} → {self.name}"

    def audit_unit_id(self):
        return self.process.audit_unit_id()

    def clean(self):
        _check_linked_process(self, "customer_process")


# The policy, objectives and risk models live in their own modules; importing them here is
# what registers them with the app.
from .models_analysis import *  # noqa: E402,F401,F403
from .models_indicators import *  # noqa: E402,F401,F403
from .models_policy import *  # noqa: E402,F401,F403
from .models_risks import *  # noqa: E402,F401,F403
from .models_roadmap import *  # noqa: E402,F401,F403
