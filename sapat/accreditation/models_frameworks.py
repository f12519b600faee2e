"""Criteria frameworks as data: a framework (the Ministry's external evaluation criteria, the
minimum requirements, ISO 9001 clauses, an agency's standards) has compliance levels, groups,
criteria, per criterion a descriptor of each level and, for the Table 1 rule of seed 002 §3.3,
the criterion's elements.

Frameworks come from pack files (`packs/`, or a file an institution imports) and are never
edited in place: a loaded (code, version) keeps the content it was loaded with (its `digest`),
and a changed pack must carry a new version, which becomes a new row. Criteria of different
frameworks are linked by mappings (full or partial coverage), so evidence gathered for one
criterion serves the criteria it covers."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution

__all__ = [
    "FrameworkKind",
    "Framework",
    "FrameworkLevel",
    "CriterionGroup",
    "Criterion",
    "LevelDescriptor",
    "CriterionElement",
    "Coverage",
    "CriterionMapping",
]


def trilingual(max_length=None):
    """Three columns of one translated text (`<name>_ky`, `_ru`, `_en`); Kyrgyz is required."""
    field = models.TextField if max_length is None else models.CharField
    extra = {} if max_length is None else {"max_length": max_length}
    return (
        field(_("in Kyrgyz"), **extra),
        field(_("in Russian"), blank=True, **extra),
        field(_("in English"), blank=True, **extra),
    )


class FrameworkKind(models.TextChoices):
    CRITERIA = "criteria", _("accreditation criteria")
    MINIMUM = "minimum", _("minimum requirements")
    STANDARD = "standard", _("standard")


class Framework(Trilingual, TimeStamped):
    # None: shipped with Sapat and seen by every institution; otherwise imported by it.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accreditation_frameworks",
    )
    code = models.SlugField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=16, choices=FrameworkKind.choices)
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    source = models.CharField(_("source act"), max_length=300, blank=True)
    # SHA-256 of the pack's content: loading the same (code, version) with other content is refused.
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        ordering = ["institution_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(institution__isnull=True), name="framework_shipped_unique"
            ),
            models.UniqueConstraint(fields=["institution", "code", "version"], name="framework_unique_in_institution"),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_shipped(self) -> bool:
        return self.institution_id is None


class FrameworkLevel(Trilingual, models.Model):
    """A compliance level of the framework's scale, lowest first (rank 0)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(_("key"), max_length=32)
    rank = models.PositiveSmallIntegerField(_("rank"))
    name_ky, name_ru, name_en = trilingual(200)

    class Meta:
        verbose_name = _("compliance level")
        verbose_name_plural = _("compliance levels")
        ordering = ["framework_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="level_key_unique"),
            models.UniqueConstraint(fields=["framework", "rank"], name="level_rank_unique"),
        ]

    def __str__(self):
        return self.name


class CriterionGroup(Trilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=32)
    order = models.PositiveIntegerField(_("order"))
    name_ky, name_ru, name_en = trilingual(500)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["framework_id", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="group_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Criterion(Trilingual, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=32)
    order = models.PositiveIntegerField(_("order"))
    title_ky, title_ru, title_en = trilingual()

    class Meta:
        verbose_name = pgettext_lazy("accreditation", "criterion")
        verbose_name_plural = pgettext_lazy("accreditation", "criteria")
        ordering = ["framework_id", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_unique")]

    def __str__(self):
        return f"{self.code} {self.title[:80]}"

    @property
    def title(self) -> str:
        return self.tr("title")


class LevelDescriptor(Trilingual, models.Model):
    """What the criterion looks like at one level. A level the source leaves empty (criteria
    1.7, 3.2, 3.3 and 4.2 have no 'partially complies') has no descriptor: the criterion is
    rated on the remaining levels."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(FrameworkLevel, on_delete=models.CASCADE, related_name="descriptors")
    text_ky, text_ru, text_en = trilingual()

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["criterion_id", "level__rank"]
        constraints = [models.UniqueConstraint(fields=["criterion", "level"], name="descriptor_unique")]

    def __str__(self):
        return f"{self.criterion.code} · {self.level.key}"

    @property
    def text(self) -> str:
        return self.tr("text")


class CriterionElement(Trilingual, models.Model):
    """One of the things the criterion statement lists (mission, strategic plan, current
    plans …): Table 1 of seed 002 counts them as met, unmet or without evidence."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="elements")
    order = models.PositiveIntegerField(_("order"))
    text_ky, text_ru, text_en = trilingual()

    class Meta:
        verbose_name = _("criterion element")
        verbose_name_plural = _("criterion elements")
        ordering = ["criterion_id", "order"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.tr("text")


class Coverage(models.TextChoices):
    FULL = "full", _("full")
    PARTIAL = "partial", _("partial")


class CriterionMapping(TimeStamped):
    """`source` is covered by `target`: evidence gathered for `target` serves `source` fully
    or in part. Shipped mappings have no institution; an institution adds its own."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criterion_mappings",
    )
    source = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="mappings_out"
    )
    target = models.ForeignKey(
        Criterion, verbose_name=_("mapped criterion"), on_delete=models.CASCADE, related_name="mappings_in"
    )
    coverage = models.CharField(_("coverage"), max_length=8, choices=Coverage.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("criteria mapping")
        verbose_name_plural = _("criteria mappings")
        ordering = ["source_id", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], condition=Q(institution__isnull=True), name="mapping_shipped_unique"
            ),
            models.UniqueConstraint(fields=["institution", "source", "target"], name="mapping_unique_in_institution"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="mapping_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.source.code} → {self.target.code} ({self.get_coverage_display()})"
