"""Complaints, suggestions, appeals and thanks from anyone (the trust box, ишеним кутучасы),
with the tracking code their sender follows them by.

Anonymity: an anonymous complaint has no contacts and no account; nothing here ever stores
the sender's address (the rate limits keep a hash of it in the cache only, see `spam.py`)."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped
from sapat.org.models import Institution, Unit

from .choices import Category, Kind, MessageKind, Status, Submitter

# No 0/O, 1/I/L: a code read over the phone or copied by hand must not be misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = (4, 4)  # 31**8 ≈ 8.5e11 codes: unguessable behind the lookup rate limit
TEXT_MAX = 5000


def new_tracking_code() -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(n)) for n in CODE_GROUPS)


def normalise_code(raw: str) -> str:
    """What people type: any case, spaces or no dash, O for 0 and I/L for 1 are all read the
    same as long as they cannot be confused with letters of the alphabet."""
    chars = "".join(c for c in (raw or "").upper() if c.isalnum())
    if len(chars) != sum(CODE_GROUPS):
        return ""
    first = CODE_GROUPS[0]
    return f"{chars[:first]}-{chars[first:]}"


class ComplaintSettings(TimeStamped):
    """Per institution: how many working days a unit has to answer."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="complaint_settings"
    )
    response_days = models.PositiveSmallIntegerField(
        _("working days to answer"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self):
        return str(self.institution)


class ComplaintQuerySet(models.QuerySet):
    def overdue(self, on=None):
        return self.filter(status=Status.ROUTED, due_on__lt=on or timezone.localdate())


class Complaint(TimeStamped):
    # Logged by length and digest only: the audit log is read by more people than may read a
    # complaint, and the tracking code is the key to the public tracking page.
    AUDIT_DIGEST_FIELDS = (
        "tracking_code",
        "subject",
        "text",
        "contact_name",
        "contact_email",
        "contact_phone",
        "answer",
    )

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="complaints"
    )
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPLAINT)
    submitter_type = models.CharField(_("who is writing"), max_length=16, choices=Submitter.choices)
    category = models.CharField(_("topic"), max_length=16, choices=Category.choices, default=Category.OTHER)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    concerns_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit it concerns"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_concerning",
    )
    anonymous = models.BooleanField(_("anonymous"), default=True)
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Only when the sender signed in and chose to give their name; never for an anonymous one.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_sent",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ky")

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_answered",
    )
    overdue_reminded_on = models.DateField(_("overdue reminder sent"), null=True, blank=True)

    # What the complaint led to is linked from there: `nonconformity`, `improvement_action`.

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint or suggestion")
        verbose_name_plural = _("complaints and suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["institution", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(contact_name="", contact_email="", contact_phone="", submitted_by__isnull=True),
                name="complaint_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(status="routed") | Q(unit__isnull=False, due_on__isnull=False),
                name="complaint_routed_has_unit_and_due_date",
            ),
        ]

    def __str__(self):
        # Neither the code nor the subject: this is what the audit log shows.
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("complaint_detail", args=[self.pk])

    def audit_unit_id(self):
        # Before routing a complaint belongs to the institution as a whole (its top unit).
        if self.unit_id:
            return self.unit_id
        return (
            Unit.objects.filter(institution_id=self.institution_id, parent__isnull=True)
            .values_list("pk", flat=True)
            .first()
        )

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.ROUTED and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def response_days(self) -> int | None:
        """Calendar days from receipt to the answer."""
        if self.answered_at is None:
            return None
        return (timezone.localdate(self.answered_at) - timezone.localdate(self.created_at)).days


class ComplaintMessage(models.Model):
    """A later message from the sender (shown to them on the tracking page) or an internal
    note of the people handling the complaint (never shown to the sender)."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MessageKind.choices)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    AUDIT_DIGEST_FIELDS = ("text",)

    class Meta:
        verbose_name = _("message on a complaint")
        verbose_name_plural = _("messages on complaints")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.complaint} · {self.get_kind_display()}"

    def audit_unit_id(self):
        return self.complaint.audit_unit_id()
