"""Writes to indicators, their targets and their values: permission first, then validation,
then the save with its audit log entry, in one transaction.

Who may write: indicators and their targets are kept by those holding MANAGE_PROCESSES at
the institution's top unit (the quality department, the administrator). A value for a unit
(or a programme of the unit) may be entered by the indicator's responsible person, by those
holding MANAGE_DOCUMENTS in the unit's scope (its head, its quality responsible) and by the
quality department. `actor=None` is the system itself (the demo loader)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sapat.core import attachments
from sapat.core.audit import save_audited
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import AcademicYear

from . import computations
from .models_indicators import (
    Frequency,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ValueSource,
    periods_of,
    plain,
)
from .services import can_manage, root_unit

# --- permissions -----------------------------------------------------------------------------


def can_define(user, institution_id) -> bool:
    return can_manage(user, institution_id)


def can_enter(user, indicator: Indicator, unit) -> bool:
    """May `user` enter a value of `indicator` for `unit` (or a programme of it)? The
    indicator's responsible person anywhere; the quality department and the unit's head."""
    if unit.institution_id != indicator.institution_id:
        return False
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is not None and indicator.responsible_id and person.pk == indicator.responsible_id:
        return True
    return access.can(user, Perm.ENTER_INDICATOR_VALUES, unit)


def can_see_value(user, value: IndicatorValue) -> bool:
    """Evidence of a value is seen by those who see the indicator (the whole institution)."""
    if not getattr(user, "is_authenticated", False):
        return False
    ids = access.institution_ids(user)
    return ids is None or value.indicator.institution_id in ids


def can_attach_evidence(user, value: IndicatorValue) -> bool:
    """Evidence is added by those who may enter the value (the system itself too)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return can_enter(user, value.indicator, value.programme.unit if value.programme_id else value.unit)


def _require_define(actor, institution_id):
    if actor is not None and not can_define(actor, institution_id):
        raise PermissionDenied(_("Only the quality department defines indicators and their targets."))


def _require_enter(actor, indicator, unit):
    if actor is not None and not can_enter(actor, indicator, unit):
        raise PermissionDenied(
            _(
                "Only the indicator's responsible person, the unit's head or quality responsible "
                "and the quality department may enter values for this unit."
            )
        )


# --- checks ----------------------------------------------------------------------------------


def parse_decimal(raw) -> Decimal:
    """A number from user input ("12,5" or "12.5"); a clear error otherwise."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        try:
            value = Decimal(str(raw).strip().replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except (InvalidOperation, ValueError):
            raise ValidationError({"value": _("Enter a number, e.g. 12.5.")}) from None
    if not value.is_finite():
        raise ValidationError({"value": _("Enter a number, e.g. 12.5.")})
    return value


def check_year(institution_id, year):
    if not AcademicYear.objects.filter(institution_id=institution_id, start_year=year).exists():
        raise ValidationError(
            {
                "year": _("There is no academic year %(year)s–%(next)s in this institution.")
                % {"year": year, "next": year + 1}
            }
        )


PERIOD_NAMES = {
    Frequency.YEAR: "0",
    Frequency.SEMESTER: "1–2",
    Frequency.QUARTER: "1–4",
    Frequency.MONTH: "1–12",
}


def parse_period(indicator, period, *, whole_year=False) -> int:
    """The period as a number that exists for the indicator's frequency (`whole_year`: 0 is
    allowed too, as for targets); a clear error otherwise."""
    try:
        period = int(period or 0)
    except (TypeError, ValueError):
        period = -1
    allowed = periods_of(indicator.frequency)
    if period in allowed or (whole_year and period == 0):
        return period
    raise ValidationError(
        {
            "period": _(
                "There is no period %(period)s in a year of this indicator: it is measured per "
                "%(frequency)s, so the period is %(allowed)s."
            )
            % {
                "period": period if period >= 0 else "?",
                "frequency": indicator.get_frequency_display().lower(),
                "allowed": PERIOD_NAMES[indicator.frequency],
            }
        }
    )


def check_range(indicator, value):
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValidationError(
            {
                "value": _("The value must lie between %(low)s and %(high)s.")
                % {"low": "−∞" if low is None else plain(low), "high": "∞" if high is None else plain(high)}
            }
        )


def check_scope(indicator, unit, programme):
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit.")})
    if unit.institution_id != indicator.institution_id:
        raise ValidationError({"unit": _("The unit belongs to another institution.")})
    if programme is not None and programme.institution_id != indicator.institution_id:
        raise ValidationError({"programme": _("The programme belongs to another institution.")})


# --- indicators and targets ------------------------------------------------------------------


@transaction.atomic
def indicator_save(*, actor, indicator: Indicator) -> Indicator:
    if not indicator._state.adding:
        original = Indicator.objects.get(pk=indicator.pk)
        indicator.institution_id = original.institution_id
    _require_define(actor, indicator.institution_id)
    indicator.code = (indicator.code or "").strip()
    if (
        Indicator.objects.filter(institution_id=indicator.institution_id, code=indicator.code)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError({"code": _("This code is already used.")})
    return save_audited(actor, indicator)


@transaction.atomic
def target_save(*, actor, target: IndicatorTarget) -> IndicatorTarget:
    """Set the target of a year; a year's target given again replaces the old one."""
    indicator = target.indicator
    _require_define(actor, indicator.institution_id)
    if target.year:
        check_year(indicator.institution_id, target.year)
    target.period = parse_period(indicator, target.period, whole_year=True)
    existing = (
        IndicatorTarget.objects.filter(indicator=indicator, year=target.year, period=target.period)
        .exclude(pk=target.pk)
        .first()
    )
    if existing is not None:
        existing.target, existing.warning = target.target, target.warning
        target = existing
    return save_audited(actor, target)


# --- values ----------------------------------------------------------------------------------


def _current(indicator, year, period, unit, programme):
    qs = IndicatorValue.objects.select_for_update(of=("self",)).filter(
        indicator=indicator, year=year, period=period, superseded_by__isnull=True
    )
    return qs.filter(programme=programme) if programme is not None else qs.filter(unit=unit, programme__isnull=True)


def _store(actor, indicator, year, period, unit, programme, value, comment, source, note=""):
    old = _current(indicator, year, period, unit, programme).first()
    new = IndicatorValue(
        indicator=indicator,
        year=year,
        period=period,
        unit=unit,
        programme=programme,
        value=value,
        comment=comment or "",
        source=source,
        entered_by=actor,
    )
    if old is not None:
        # Park the old value out of the "current" slot so the new one may take it.
        IndicatorValue.objects.filter(pk=old.pk).update(superseded_by=old.pk)
    save_audited(actor, new, note=note)
    if old is not None:
        old.superseded_by = new
        save_audited(actor, old, note=_("superseded"), validate=False)
    return new


@transaction.atomic
def value_enter(
    *, actor, indicator: Indicator, year, unit, value, programme=None, comment="", period=0, evidence=None
) -> IndicatorValue:
    """Enter (or correct) the value of a period (of a year; 0, the whole year, for yearly
    indicators) for a scope, with an evidence file if given (a file that is refused refuses
    the value too). The value in place, if any, is kept in the history, superseded by the
    new one."""
    if programme is not None and unit is None:
        unit = programme.unit
    check_scope(indicator, unit, programme)
    _require_enter(actor, indicator, programme.unit if programme is not None else unit)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter the year as a number, e.g. 2024.")}) from None
    value = parse_decimal(value)
    check_year(indicator.institution_id, year)
    period = parse_period(indicator, period)
    check_range(indicator, value)
    stored = _store(actor, indicator, year, period, unit, programme, value, comment, ValueSource.ENTERED)
    if evidence is not None:
        try:
            attachments.attachment_add(actor=actor, record=stored, upload=evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from None
    return stored


@transaction.atomic
def indicator_compute(*, actor, indicator: Indicator, year, unit=None, programme=None) -> IndicatorValue | None:
    """Compute the value of a computed indicator for a year and scope (the whole institution
    by default) and store it; it supersedes the value in place. None when there is no data."""
    if not indicator.computation:
        raise ValidationError(_("This indicator is entered by hand, not computed."))
    if unit is None:
        unit = programme.unit if programme is not None else root_unit(indicator.institution_id)
    check_scope(indicator, unit, programme)
    _require_enter(actor, indicator, unit)
    check_year(indicator.institution_id, year)
    value = computations.compute(indicator.computation, year, computations.Scope(unit, programme))
    if value is None:
        return None
    current = _current(indicator, year, 0, unit, programme).first()
    if current is not None and current.source == ValueSource.COMPUTED and current.value == value:
        return current
    return _store(actor, indicator, year, 0, unit, programme, value, "", ValueSource.COMPUTED, note=_("computed"))
