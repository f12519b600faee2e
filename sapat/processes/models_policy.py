"""Quality policy (versioned) and quality objectives cascaded down the unit tree.

The seeds (004 §6.3, §7.1; 001 §7.3, §8.1): the policy is the top management's statement of
intent, approved by a collegial body and revised when requirements change; the quality
objectives are "the quantitative and qualitative expression of the policy". The university
sets its objectives, then the heads of faculties, departments and colleges write their own
in line with them: each objective hangs off the one above it, in its unit or a unit above.

Indicators with targets come later: they will hang off `QualityObjective` (a foreign key
named `objective`, related name `indicators`); nothing here assumes they are absent. The
yearly `ObjectiveReview` rows feed the annual report on the achievement of objectives."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.choices import UnitType
from sapat.org.models import Institution, Person, Unit, validate_people

__all__ = ["ObjectiveReview", "ObjectiveStatus", "PolicyState", "QualityObjective", "QualityPolicy"]

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


class QualityPolicy(Trilingual, TimeStamped):
    """One version of an institution's quality policy. Versions are numbered 1, 2, … per
    institution; one is in force at a time. An approved version is never edited: a change
    is a new version, and approving it supersedes the one in force."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="quality_policies"
    )
    version_number = models.PositiveSmallIntegerField(_("version"), editable=False)
    text_ky = models.TextField(
        _("text in Kyrgyz"), help_text=_("One provision per paragraph; paragraphs are separated by an empty line.")
    )
    text_ru = models.TextField(_("text in Russian"), blank=True)
    text_en = models.TextField(_("text in English"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PolicyState.choices, default=PolicyState.DRAFT, editable=False
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by_body = models.ForeignKey(
        Unit,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_quality_policies",
        help_text=_("The collegial body that approved it, e.g. the Academic Council."),
    )
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("quality policy")
        verbose_name_plural = _("quality policies")
        ordering = ["institution_id", "-version_number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "version_number"], name="quality_policy_version_unique"),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(state="in_force"),
                name="quality_policy_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(approved_on__isnull=False) & Q(approved_by_body__isnull=False)),
                name="quality_policy_approved_has_date_and_body",
            ),
        ]

    def __str__(self):
        return _("Quality policy, version %(number)s") % {"number": self.version_number}

    def get_absolute_url(self):
        return reverse("policy_version", args=[self.pk])

    @property
    def text(self) -> str:
        return self.tr("text")

    @property
    def provisions(self) -> list[str]:
        """The text's paragraphs in the reader's language: the numbered provisions."""
        return split_provisions(self.text)

    @property
    def is_draft(self) -> bool:
        return self.state == PolicyState.DRAFT

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    def clean(self):
        errors = {}
        if self.approved_by_body_id and self.approved_by_body.institution_id != self.institution_id:
            errors["approved_by_body"] = _("The body belongs to another institution.")
        if not (self.text_ky or "").strip():
            errors["text_ky"] = _("Write the policy in Kyrgyz at least.")
        if errors:
            raise ValidationError(errors)


def split_provisions(text: str) -> list[str]:
    """Paragraphs separated by empty lines, without list marks ("1.", "-", "•")."""
    parts = re.split(r"\n\s*\n", (text or "").strip())
    return [re.sub(r"^\s*(?:\d+[.)]|[-•*])\s*", "", p).strip() for p in parts if p.strip()]


class ObjectiveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


def objective_sort_key(code: str) -> str:
    parts = (code or "").strip().rstrip(".").split(".")
    return ".".join(part.zfill(4) if part.isdigit() else part for part in parts)


class QualityObjective(Trilingual, TimeStamped):
    """A quality objective of a unit: the institution's own (its top unit) or a faculty's,
    department's or college's, linked to the objective above it and to the processes that
    pursue it."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="quality_objectives"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="quality_objectives")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("objective above"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The objective of this unit or of a unit above it that this one serves."),
    )
    code = models.CharField(
        _("code"), max_length=32, blank=True, help_text=_("Given from the cascade (e.g. 1.2.3) when left empty.")
    )
    sort_key = models.CharField(max_length=160, editable=False, db_index=True, default="")
    title_ky = models.CharField(_("objective in Kyrgyz"), max_length=500)
    title_ru = models.CharField(_("objective in Russian"), max_length=500, blank=True)
    title_en = models.CharField(_("objective in English"), max_length=500, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("processes"), blank=True, related_name="quality_objectives"
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quality_objectives",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.PLANNED
    )

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["institution_id", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code"], condition=~Q(code=""), name="quality_objective_code_unique"
            ),
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="quality_objective_period"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("objective_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def period(self) -> str:
        return str(self.start_year) if self.start_year == self.end_year else f"{self.start_year}–{self.end_year}"

    @property
    def is_institutional(self) -> bool:
        return self.unit_id is not None and self.unit.parent_id is None

    def audit_unit_id(self):
        return self.unit_id

    def clean(self):
        errors = {}
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.unit_id and self.unit.unit_type == UnitType.COUNCIL:
            errors["unit"] = _("A collegial body has no objectives of its own; choose a unit.")
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The period ends before it starts.")
        if self.parent_id:
            errors.update(self._parent_errors())
        elif self.unit_id and self.unit.parent_id is not None and "unit" not in errors:
            errors["parent"] = _("A unit's objective serves an objective above it: choose it.")
        if errors:
            raise ValidationError(errors)
        validate_people(self, ["responsible"])

    def _parent_errors(self) -> dict:
        parent = self.parent
        if parent.institution_id != self.institution_id:
            return {"parent": _("The objective above belongs to another institution.")}
        if self.unit_id and not self.unit.path.startswith(parent.unit.path):
            return {
                "parent": _("The objective above must be of this unit or of a unit above it (%(unit)s is not).")
                % {"unit": parent.unit.name}
            }
        seen, node = set(), parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                return {"parent": _("An objective cannot serve itself or one of the objectives below it.")}
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
        return {}

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().rstrip(".")
        self.sort_key = objective_sort_key(self.code)
        super().save(*args, **kwargs)


class ObjectiveReview(TimeStamped):
    """The year's account of an objective: how far it was achieved and why. One per year."""

    objective = models.ForeignKey(
        QualityObjective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    achieved_percent = models.PositiveSmallIntegerField(_("achieved, %"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("objective review")
        verbose_name_plural = _("objective reviews")
        ordering = ["objective_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "year"], name="objective_review_one_per_year"),
            models.CheckConstraint(condition=Q(achieved_percent__lte=100), name="objective_review_percent"),
        ]

    def __str__(self):
        return f"{self.objective.code} — {self.year}: {self.achieved_percent}%"

    def audit_unit_id(self):
        return self.objective.unit_id

    def clean(self):
        objective = self.objective if self.objective_id else None
        if objective and self.year and not (objective.start_year <= self.year <= objective.end_year):
            raise ValidationError({"year": _("The year is outside the objective's period.")})
        if (
            objective
            and self.year
            and type(self).objects.filter(objective=objective, year=self.year).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"year": _("This year is already reviewed.")})
