"""Indicators (KPIs): definitions, targets per period, measured and computed values.

An indicator is measured at a level (institution, unit, programme, process) once per
period: `year` is the first calendar year of an `AcademicYear` and `period` the part of it
the indicator's frequency counts in (0 the whole year; semester 1–2; quarter 1–4 of the
academic year; month 1–12, calendar months, September opening the academic year). A target
for period 0 holds for every period of its year unless that period has its own.
A value belongs to a scope: a unit (the institution's top unit for the institution as a
whole) and, for programme indicators, a programme. Values are never overwritten: a new
value supersedes the current one, which stays in the history (`superseded_by`)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person, Programme, Unit, validate_people

from .models_policy import YEAR_VALIDATORS, QualityObjective

__all__ = [
    "Direction",
    "Frequency",
    "Indicator",
    "IndicatorLevel",
    "IndicatorStatus",
    "IndicatorTarget",
    "IndicatorValue",
    "ValueSource",
    "indicator_status",
    "period_label",
    "period_sort",
    "periods_of",
    "plain",
]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class IndicatorLevel(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    UNIT = "unit", _("Unit")
    PROGRAMME = "programme", _("Programme")
    PROCESS = "process", _("Process")


class Frequency(models.TextChoices):
    YEAR = "year", _("Year")
    SEMESTER = "semester", _("Semester")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


# The periods each frequency counts in, in the order of the academic year.
PERIODS = {
    Frequency.YEAR: (0,),
    Frequency.SEMESTER: (1, 2),
    Frequency.QUARTER: (1, 2, 3, 4),
    Frequency.MONTH: (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8),
}
MONTHS = (
    _("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
    _("July"), _("August"), _("September"), _("October"), _("November"), _("December"),
)  # fmt: skip


def periods_of(frequency) -> tuple[int, ...]:
    return PERIODS.get(frequency, (0,))


def period_sort(frequency, period) -> int:
    """Position of a period inside its academic year (0 for the whole year)."""
    periods = periods_of(frequency)
    return periods.index(period) + 1 if period in periods and period else 0


def period_label(year, period, frequency=None) -> str:
    """ "2025–2026", "2025–2026, semester 1", "2025–2026, quarter 3", "October 2025"."""
    academic = f"{year}–{year + 1}"
    if not period:
        return academic
    if frequency == Frequency.MONTH:
        return f"{MONTHS[period - 1]} {year if period >= 9 else year + 1}"
    if frequency == Frequency.SEMESTER:
        return _("%(year)s, semester %(n)s") % {"year": academic, "n": period}
    return _("%(year)s, quarter %(n)s") % {"year": academic, "n": period}


class ValueSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    COMPUTED = "computed", _("Computed")


class IndicatorStatus(models.TextChoices):
    ON_TARGET = "on_target", _("On target")
    AT_RISK = "at_risk", _("At risk")
    OFF_TARGET = "off_target", _("Off target")


def indicator_status(value, direction, target, warning=None) -> str | None:
    """On target, at risk or off target. Higher-better: value ≥ target is on target, value ≥
    warning at risk, below it off target; lower-better mirrors it (≤ target, ≤ warning).
    Without a warning threshold anything short of the target is off target; without a
    value or a target there is no status."""
    if value is None or target is None:
        return None
    value, target = Decimal(value), Decimal(target)
    warning = None if warning is None else Decimal(warning)
    if direction == Direction.LOWER:
        if value <= target:
            return IndicatorStatus.ON_TARGET
        if warning is not None and value <= warning:
            return IndicatorStatus.AT_RISK
        return IndicatorStatus.OFF_TARGET
    if value >= target:
        return IndicatorStatus.ON_TARGET
    if warning is not None and value >= warning:
        return IndicatorStatus.AT_RISK
    return IndicatorStatus.OFF_TARGET


def plain(value) -> str:
    """A decimal without trailing zeros or exponent: 100.0000 → "100", 45.5000 → "45.5"."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text


def _decimal_field(label, **kwargs):
    return models.DecimalField(label, max_digits=14, decimal_places=4, **kwargs)


class Indicator(Trilingual, TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=32)
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=32, blank=True, help_text=_('For example "%" or "адам".')
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    level = models.CharField(
        _("measured at"), max_length=16, choices=IndicatorLevel.choices, default=IndicatorLevel.INSTITUTION
    )
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.YEAR)
    min_value = _decimal_field(_("lowest allowed value"), null=True, blank=True)
    max_value = _decimal_field(_("highest allowed value"), null=True, blank=True)
    computation = models.CharField(
        _("computed as"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty when the values are entered by hand."),
    )
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    objective = models.ForeignKey(
        QualityObjective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["institution_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_range",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("indicator_detail", args=[self.pk])

    @property
    def is_computed(self) -> bool:
        return bool(self.computation)

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    def clean(self):
        from .computations import LIBRARY

        errors = {}
        if self.computation and self.computation not in LIBRARY:
            errors["computation"] = _("Unknown computation.")
        elif self.computation and self.frequency != Frequency.YEAR:
            errors["frequency"] = _("Computed indicators are measured once a year.")
        if self.min_value is not None and self.max_value is not None and self.max_value < self.min_value:
            errors["max_value"] = _("The highest allowed value is below the lowest.")
        for field in ("objective", "process"):
            linked = getattr(self, field) if getattr(self, f"{field}_id") else None
            if linked is not None and linked.institution_id != self.institution_id:
                errors[field] = _("It belongs to another institution.")
        if errors:
            raise ValidationError(errors)
        validate_people(self, ["responsible"])


class IndicatorTarget(TimeStamped):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.PositiveSmallIntegerField(
        _("period"), default=0, help_text=_("0 for the whole year: the target of every period of it.")
    )
    target = _decimal_field(_("target"))
    warning = _decimal_field(
        _("warning threshold"),
        null=True,
        blank=True,
        help_text=_("Between the target and this value the indicator is at risk; beyond it, off target."),
    )

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator_id", "-year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "period"], name="indicator_target_one_per_period")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period_label}: {self.target}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period, self.indicator.frequency)

    def audit_unit_id(self):
        return self.indicator.audit_unit_id()

    def clean(self):
        if self.target is None or self.warning is None or not self.indicator_id:
            return
        lower = self.indicator.direction == Direction.LOWER
        if (lower and self.warning < self.target) or (not lower and self.warning > self.target):
            raise ValidationError({"warning": _("The warning threshold must lie on the worse side of the target.")})


class IndicatorValue(TimeStamped):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.PositiveSmallIntegerField(
        _("period"), default=0, help_text=_("0 for the whole year; else the semester, quarter or month.")
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text=_("The institution's top unit for the institution as a whole."),
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    value = _decimal_field(_("value"))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=ValueSource.choices, default=ValueSource.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "-year", "-period", "-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "period", "unit"],
                condition=Q(superseded_by__isnull=True, programme__isnull=True),
                name="indicator_value_one_current_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "period", "programme"],
                condition=Q(superseded_by__isnull=True, programme__isnull=False),
                name="indicator_value_one_current_programme",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period_label}: {self.value}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period, self.indicator.frequency)

    def get_absolute_url(self):
        return reverse("indicator_value_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def scope_label(self) -> str:
        return str(self.programme) if self.programme_id else self.unit.name

    def audit_unit_id(self):
        return self.unit_id
