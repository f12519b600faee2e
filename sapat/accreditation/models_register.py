"""The accreditation register (seed 002 §1.1, §8.3–8.4): institutional and programme
accreditations with the authorised body's (or an agency's) decision, the certificate and its
validity, and the later events — suspension for 3 months, restoration, termination,
duplicate certificate — as a history. The state of an accreditation is kept on the row by
the services (`services_register`) when an event is recorded; whether it is still in force
also depends on today's date (`standing`).

Reminders: the application is due 3 months before the certificate expires; a new
organisation (or programme) with no accreditation yet applies 3 months before its first
graduation (`FirstGraduation`). `ReminderSent` remembers each threshold mailed, so the daily
command mails once per threshold."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sapat.core.models import TimeStamped
from sapat.documents.models import add_months
from sapat.org.models import Institution, Programme

__all__ = [
    "AccreditationKind",
    "AccreditationResult",
    "AccreditationState",
    "Accreditation",
    "EventKind",
    "AccreditationEvent",
    "FirstGraduation",
    "ReminderSent",
    "APPLICATION_LEAD",
    "SUSPENSION_LENGTH",
]

# Seed 002 L.937–944: apply no later than 3 months before expiry (or the first graduation).
APPLICATION_LEAD = 3  # months
# Seed 002 §8.3: a suspension gives 3 months to remove the violations.
SUSPENSION_LENGTH = 3  # months


class AccreditationKind(models.TextChoices):
    INSTITUTIONAL = "institutional", _("institutional")
    PROGRAMME = "programme", pgettext_lazy("accreditation kind", "programme")


class AccreditationResult(models.TextChoices):
    ACCREDITED = "accredited", _("accredited")
    CONDITIONAL = "conditional", _("conditionally accredited")
    REFUSED = "refused", _("refused")


class AccreditationState(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")


class Accreditation(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="accreditations"
    )
    kind = models.CharField(_("type"), max_length=16, choices=AccreditationKind.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("educational programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accreditations",
    )
    agency = models.CharField(_("accrediting body"), max_length=300)
    decision_date = models.DateField(_("decision date"))
    decision_number = models.CharField(_("decision (order) number"), max_length=64)
    result = models.CharField(_("result"), max_length=16, choices=AccreditationResult.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=AccreditationState.choices, default=AccreditationState.IN_FORCE
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["-decision_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="programme", programme__isnull=False)
                | Q(kind="institutional", programme__isnull=True),
                name="accreditation_programme_iff_programme_kind",
                violation_error_message=_("A programme accreditation names the programme; an institutional one none."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="accreditation_validity_in_order",
                violation_error_message=_("The validity must end after it starts."),
            ),
        ]

    def __str__(self):
        subject = self.programme if self.programme_id else self.institution
        return f"{subject} · {self.get_result_display()} · {self.decision_date:%d.%m.%Y}"

    @property
    def application_due(self) -> datetime.date | None:
        return add_months(self.valid_until, -APPLICATION_LEAD) if self.valid_until else None

    def standing(self, today=None) -> str:
        """What the register shows: refused, suspended, terminated, expired or in force."""
        today = today or timezone.localdate()
        if self.result == AccreditationResult.REFUSED:
            return "refused"
        if self.state != AccreditationState.IN_FORCE:
            return self.state
        if self.valid_until and self.valid_until < today:
            return "expired"
        return AccreditationState.IN_FORCE


class EventKind(models.TextChoices):
    SUSPENSION = "suspension", _("suspension")
    RESTORATION = "restoration", _("restoration")
    TERMINATION = "termination", _("termination")
    DUPLICATE = "duplicate", _("duplicate certificate")


class AccreditationEvent(TimeStamped):
    accreditation = models.ForeignKey(
        Accreditation, verbose_name=_("accreditation"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("decision date"))
    order_number = models.CharField(_("order number"), max_length=64)
    # A suspension gives 3 months to remove the violations (seed 002 §8.3).
    ends_on = models.DateField(_("suspended until"), null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("accreditation event")
        verbose_name_plural = _("accreditation events")
        ordering = ["accreditation_id", "date", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y} № {self.order_number}"


class FirstGraduation(TimeStamped):
    """A new organisation (no programme) or a new programme that has no accreditation yet:
    its application is due 3 months before the first graduation (seed 002 L.941–944)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="first_graduations"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("educational programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="first_graduations",
    )
    graduation_date = models.DateField(_("first graduation"))

    class Meta:
        verbose_name = _("first graduation")
        verbose_name_plural = _("first graduations")
        ordering = ["graduation_date"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "programme"], name="first_graduation_unique"),
        ]

    def __str__(self):
        return f"{self.programme or self.institution} · {self.graduation_date:%d.%m.%Y}"

    @property
    def application_due(self) -> datetime.date:
        return add_months(self.graduation_date, -APPLICATION_LEAD)


class ReminderSent(models.Model):
    """One reminder threshold mailed for one due date (a new certificate gives a new date)."""

    accreditation = models.ForeignKey(Accreditation, null=True, on_delete=models.CASCADE, related_name="+")
    first_graduation = models.ForeignKey(FirstGraduation, null=True, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    threshold = models.PositiveSmallIntegerField()  # days before the due date
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["accreditation", "due_date", "threshold"],
                condition=Q(accreditation__isnull=False),
                name="reminder_once_per_threshold",
            ),
            models.UniqueConstraint(
                fields=["first_graduation", "due_date", "threshold"],
                condition=Q(first_graduation__isnull=False),
                name="reminder_graduation_once_per_threshold",
            ),
            models.CheckConstraint(
                condition=Q(accreditation__isnull=True) ^ Q(first_graduation__isnull=True),
                name="reminder_for_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.due_date:%d.%m.%Y} −{self.threshold}"
