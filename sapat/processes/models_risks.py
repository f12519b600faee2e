"""Risks and opportunities (ISO 9001 clause 6.1) and SWOT analyses.

A risk's rating is never stored: it is likelihood × impact, and its level (low, medium,
high, critical) is read from the institution's `RiskScale` thresholds, so changing the
scale re-levels every risk at once. Lists filter and sort by the product in the database
(`RiskQuerySet.with_score`).

The residual rating (after treatment) may come out higher than the initial one — treatment
can reveal that a risk was underestimated. It is allowed, and flagged (`residual_worse`) on
every page that shows it, rather than refused."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped
from sapat.org.models import Institution, Person, Unit

__all__ = [
    "RiskLevel",
    "RiskScale",
    "RiskKind",
    "RiskStatus",
    "Risk",
    "RiskAction",
    "SwotAnalysis",
    "SwotItem",
    "SwotQuadrant",
]


class RiskLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("risk level", "low")
    MEDIUM = "medium", pgettext_lazy("risk level", "medium")
    HIGH = "high", pgettext_lazy("risk level", "high")
    CRITICAL = "critical", pgettext_lazy("risk level", "critical")


# CSS classes of the levels' colours (green, yellow, orange, red): static/sapat/sapat.css.
LEVEL_COLOURS = {level: f"risk-{level}" for level in RiskLevel.values}

# The default labels are stored as written here and shown translated (shown_label); labels an
# institution types itself are not messages and are shown as typed.
DEFAULT_LIKELIHOOD = [
    gettext_noop("Very unlikely"),
    gettext_noop("Unlikely"),
    gettext_noop("Possible"),
    gettext_noop("Likely"),
    gettext_noop("Almost certain"),
]
DEFAULT_IMPACT = [
    gettext_noop("Negligible"),
    gettext_noop("Minor"),
    gettext_noop("Moderate"),
    gettext_noop("Major"),
    gettext_noop("Severe"),
]


def shown_label(label: str) -> str:
    return gettext(label) if label else label


MAX_LEVELS = 10


def _default_likelihood():
    return list(DEFAULT_LIKELIHOOD)


def _default_impact():
    return list(DEFAULT_IMPACT)


class RiskScale(TimeStamped):
    """The institution's rating scale: labels of the likelihood and impact levels (their
    count is the scale's size) and the thresholds on likelihood × impact. Created with the
    defaults (5 × 5; low ≤ 4, medium ≤ 9, high ≤ 15, critical above) the first time it is
    needed. It also keeps the last number given to a risk code, so codes are never reused."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="risk_scale"
    )
    likelihood_labels = models.JSONField(_("likelihood levels"), default=_default_likelihood)
    impact_labels = models.JSONField(_("impact levels"), default=_default_impact)
    low_max = models.PositiveSmallIntegerField(_("low up to"), default=4)
    medium_max = models.PositiveSmallIntegerField(_("medium up to"), default=9)
    high_max = models.PositiveSmallIntegerField(_("high up to"), default=15)
    last_number = models.PositiveIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("risk scale")
        verbose_name_plural = _("risk scales")

    def __str__(self):
        return f"{self.institution} {self.likelihood_max}×{self.impact_max}"

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    @property
    def likelihood_max(self) -> int:
        return len(self.likelihood_labels or [])

    @property
    def impact_max(self) -> int:
        return len(self.impact_labels or [])

    def level(self, score: int | None) -> str | None:
        if not score:
            return None
        if score <= self.low_max:
            return RiskLevel.LOW
        if score <= self.medium_max:
            return RiskLevel.MEDIUM
        if score <= self.high_max:
            return RiskLevel.HIGH
        return RiskLevel.CRITICAL

    def score_range(self, level: str) -> tuple[int, int]:
        """The products (inclusive) that fall in a level."""
        top = self.likelihood_max * self.impact_max
        return {
            RiskLevel.LOW: (1, self.low_max),
            RiskLevel.MEDIUM: (self.low_max + 1, self.medium_max),
            RiskLevel.HIGH: (self.medium_max + 1, self.high_max),
            RiskLevel.CRITICAL: (self.high_max + 1, max(top, self.high_max + 1)),
        }[level]

    def likelihood_label(self, value):
        return _label(self.likelihood_labels, value)

    def impact_label(self, value):
        return _label(self.impact_labels, value)

    def clean(self):
        errors = {}
        for name in ("likelihood_labels", "impact_labels"):
            labels = getattr(self, name)
            if (
                not isinstance(labels, list)
                or not 2 <= len(labels) <= MAX_LEVELS
                or not all(isinstance(x, str) and x.strip() for x in labels)
            ):
                errors[name] = _("Give between 2 and %(max)s levels, each with a label.") % {"max": MAX_LEVELS}
        if not (0 < self.low_max < self.medium_max < self.high_max):
            errors["high_max"] = _("The thresholds must grow: low < medium < high.")
        elif not errors and self.high_max >= self.likelihood_max * self.impact_max:
            errors["high_max"] = _("The high threshold must be below the largest rating, %(top)s.") % {
                "top": self.likelihood_max * self.impact_max
            }
        if errors:
            raise ValidationError(errors)


def _label(labels, value):
    if value and labels and 1 <= value <= len(labels):
        return shown_label(labels[value - 1])
    return ""


class RiskKind(models.TextChoices):
    RISK = "risk", pgettext_lazy("risk kind", "risk")
    OPPORTUNITY = "opportunity", pgettext_lazy("risk kind", "opportunity")


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk status", "open")
    TREATED = "treated", pgettext_lazy("risk status", "treated")
    CLOSED = "closed", pgettext_lazy("risk status", "closed")


class RiskQuerySet(models.QuerySet):
    def with_score(self):
        return self.annotate(
            score=F("likelihood") * F("impact"),
            residual_score=F("residual_likelihood") * F("residual_impact"),
        )


class Risk(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="risks"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RiskKind.choices, default=RiskKind.RISK)
    code = models.CharField(_("code"), max_length=16, editable=False)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        # Processes leave the register (`is_active`), they are not deleted; when one is (a
        # demo reload), its risks go with it like its owners, inputs and outputs.
        on_delete=models.CASCADE,
        related_name="risks",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    title = models.CharField(_("title"), max_length=300)
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), null=True, blank=True)
    source_item = models.OneToOneField(
        "processes.SwotItem",
        verbose_name=_("from the SWOT item"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="risk",
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        ordering = ["institution_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="risk_code_unique_in_institution"),
            models.CheckConstraint(
                condition=Q(process__isnull=False) | Q(unit__isnull=False), name="risk_has_process_or_unit"
            ),
            models.CheckConstraint(
                condition=Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | Q(residual_likelihood__isnull=False, residual_impact__isnull=False),
                name="risk_residual_both_or_neither",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("risk_detail", args=[self.pk])

    def audit_unit_id(self):
        return self.unit_id or self.institution.audit_unit_id()

    # The scale is attached by selectors (`risk.scale`) so a list reads it once.
    @property
    def scale(self) -> RiskScale:
        cached = getattr(self, "_scale", None)
        if cached is None:
            cached = self._scale = RiskScale.objects.get_or_create(institution_id=self.institution_id)[0]
        return cached

    @scale.setter
    def scale(self, value):
        self._scale = value

    @property
    def rating(self) -> int:
        return (self.likelihood or 0) * (self.impact or 0)

    @property
    def level(self):
        return self.scale.level(self.rating)

    @property
    def residual_rating(self) -> int | None:
        if self.residual_likelihood and self.residual_impact:
            return self.residual_likelihood * self.residual_impact
        return None

    @property
    def residual_level(self):
        return self.scale.level(self.residual_rating)

    @property
    def residual_worse(self) -> bool:
        return self.residual_rating is not None and self.residual_rating > self.rating

    @property
    def likelihood_text(self) -> str:
        return self.scale.likelihood_label(self.likelihood)

    @property
    def impact_text(self) -> str:
        return self.scale.impact_label(self.impact)

    @property
    def level_label(self) -> str:
        return RiskLevel(self.level).label if self.level else ""

    @property
    def residual_level_label(self) -> str:
        return RiskLevel(self.residual_level).label if self.residual_level else ""

    @property
    def level_colour(self):
        return LEVEL_COLOURS.get(self.level, "risk-none")

    @property
    def residual_colour(self):
        return LEVEL_COLOURS.get(self.residual_level, "risk-none")

    def clean(self):
        errors = {}
        if not (self.process_id or self.unit_id):
            errors["unit"] = _("Name the process or the unit the risk belongs to (or both).")
        if self.process_id and self.process.institution_id != self.institution_id:
            errors["process"] = _("The process belongs to another institution.")
        if self.unit_id and self.unit.institution_id != self.institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.owner_id and self.owner.institution_id != self.institution_id:
            errors["owner"] = _("The person belongs to another institution.")
        scale = self.scale if self.institution_id else None
        if scale is not None:
            for name, top in (
                ("likelihood", scale.likelihood_max),
                ("residual_likelihood", scale.likelihood_max),
                ("impact", scale.impact_max),
                ("residual_impact", scale.impact_max),
            ):
                value = getattr(self, name)
                if value is not None and not 1 <= value <= top:
                    errors[name] = _("Choose a level from 1 to %(top)s.") % {"top": top}
        if (self.residual_likelihood is None) != (self.residual_impact is None):
            errors["residual_impact"] = _("Give both the residual likelihood and the residual impact, or neither.")
        if self.status == RiskStatus.TREATED and self.residual_likelihood is None:
            errors["residual_likelihood"] = _("A treated risk needs its residual rating.")
        if errors:
            raise ValidationError(errors)


class RiskAction(TimeStamped):
    """A treatment action: what is done about the risk, by whom, by when."""

    risk = models.ForeignKey(Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        Person, verbose_name=_("responsible"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("treatment action")
        verbose_name_plural = _("treatment actions")
        ordering = ["risk_id", "deadline", "id"]

    def __str__(self):
        return f"{self.risk.code}: {self.description[:80]}"

    def audit_unit_id(self):
        return self.risk.audit_unit_id()

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.deadline < timezone.localdate()

    def clean(self):
        errors = {}
        if self.owner_id and self.risk_id and self.owner.institution_id != self.risk.institution_id:
            errors["owner"] = _("The person belongs to another institution.")
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("An action cannot be done in the future.")
        if errors:
            raise ValidationError(errors)


class SwotAnalysis(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="swot_analyses"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="swot_analyses",
        help_text=_("Empty: the analysis of the whole institution."),
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("SWOT analysis")
        verbose_name_plural = _("SWOT analyses")
        ordering = ["institution_id", "-date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self):
        return reverse("swot_detail", args=[self.pk])

    def audit_unit_id(self):
        return self.unit_id or self.institution.audit_unit_id()

    def clean(self):
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})


class SwotQuadrant(models.TextChoices):
    STRENGTH = "S", _("Strengths")
    WEAKNESS = "W", _("Weaknesses")
    OPPORTUNITY = "O", _("Opportunities")
    THREAT = "T", _("Threats")


class SwotItem(TimeStamped):
    analysis = models.ForeignKey(
        SwotAnalysis, verbose_name=_("SWOT analysis"), on_delete=models.CASCADE, related_name="items"
    )
    quadrant = models.CharField(_("quadrant"), max_length=1, choices=SwotQuadrant.choices)
    text = models.TextField(_("text"))
    # The objective the item was turned into (once); the risk it became is `Risk.source_item`.
    objective = models.OneToOneField(
        "processes.QualityObjective",
        verbose_name=_("turned into the objective"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="source_swot_item",
    )

    class Meta:
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        ordering = ["analysis_id", "quadrant", "id"]

    def __str__(self):
        return f"{self.quadrant}: {self.text[:80]}"

    def audit_unit_id(self):
        return self.analysis.audit_unit_id()

    @property
    def risk_kind(self) -> str:
        """Weaknesses and threats become risks; strengths and opportunities, opportunities."""
        return RiskKind.RISK if self.quadrant in (SwotQuadrant.WEAKNESS, SwotQuadrant.THREAT) else RiskKind.OPPORTUNITY
