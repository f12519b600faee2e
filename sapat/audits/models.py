"""Internal audits (004 §8.1, 001 §5.1): the year's audit programme in versions (approved by
the rector, changed only by an approved amendment), the pool of internal auditors with their
training, and audits in the seeds' three stages — preparation (scope, team, schedule,
checklist), conduct (an answer and notes for every checklist question) and the report
(findings on the institution's scale, strengths, conclusion, two approvals, distribution and
acknowledgement).

A finding that is a nonconformity is raised in the nonconformity register of
`sapat.improvement`; the link is added there (a nullable key to the finding), so this app
does not depend on it."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import AcademicYear, Institution, Person, Programme, Unit, trilingual_names

from .choices import AmendmentReason, Answer, AuditorKind, AuditState, RecipientKind, VersionState

MONTHS = [(n, n) for n in range(1, 13)]


def new_key() -> str:
    return uuid.uuid4().hex


def _root_unit_id(institution_id):
    return Unit.objects.filter(institution_id=institution_id, parent__isnull=True).values_list("pk", flat=True).first()


# --- the audit programme ---------------------------------------------------------------------


class AuditProgramme(TimeStamped):
    """ "Programme of internal audits of the QMS" of one academic year."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="audit_programmes"
    )
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="audit_programmes"
    )

    class Meta:
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        ordering = ["institution_id", "-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "academic_year"], name="audit_programme_one_per_year")
        ]

    def __str__(self):
        return _("Programme of internal audits %(year)s") % {"year": self.academic_year}

    def get_absolute_url(self):
        return reverse("audit_programme_detail", args=[self.pk])

    def audit_unit_id(self):
        return _root_unit_id(self.institution_id)

    def clean(self):
        if self.academic_year_id and self.institution_id and self.academic_year.institution_id != self.institution_id:
            raise ValidationError({"academic_year": _("The academic year belongs to another institution.")})


class ProgrammeVersion(TimeStamped):
    """One version of a programme. Version 1 is the original; every later one is an amendment
    with its reason. Approved versions and their entries are frozen."""

    programme = models.ForeignKey(
        AuditProgramme, verbose_name=_("audit programme"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT)
    reason = models.CharField(_("reason for the amendment"), max_length=24, choices=AmendmentReason.choices, blank=True)
    reason_text = models.TextField(_("what changes and why"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_comment = models.TextField(_("comment of the return"), blank=True)

    class Meta:
        verbose_name = _("audit programme version")
        verbose_name_plural = _("audit programme versions")
        ordering = ["programme_id", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="audit_programme_version_unique")]

    def __str__(self):
        return _("%(programme)s, version %(n)s") % {"programme": self.programme, "n": self.number}

    def get_absolute_url(self):
        return reverse("audit_programme_version", args=[self.pk])

    def audit_unit_id(self):
        return self.programme.audit_unit_id()

    @property
    def is_amendment(self) -> bool:
        return self.number > 1

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT

    def clean(self):
        if self.is_amendment and not self.reason:
            raise ValidationError({"reason": _("Give the reason for the amendment.")})
        if self.reason == AmendmentReason.OTHER and not self.reason_text.strip():
            raise ValidationError({"reason_text": _("Describe the other reason.")})


class ProgrammeEntry(TimeStamped):
    """One line of a programme version: what is audited, when, by whom, against what.
    `key` stays the same when an amendment copies the line, so versions can be compared."""

    version = models.ForeignKey(
        ProgrammeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="entries"
    )
    key = models.CharField(max_length=32, default=new_key, editable=False)
    subject = models.CharField(_("what is audited"), max_length=400)
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("processes"), blank=True, related_name="audit_programme_entries"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="audit_programme_entries")
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("educational programmes"), blank=True, related_name="audit_programme_entries"
    )
    planned_month = models.PositiveSmallIntegerField(_("planned month"), choices=MONTHS, null=True, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    lead_auditor = models.ForeignKey(
        "Auditor", verbose_name=_("lead auditor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ManyToManyField("Auditor", verbose_name=_("audit team"), blank=True, related_name="+")
    criteria = models.TextField(_("audit criteria"), blank=True)
    # The first day the entry stands for (its first date, or the first of its month), to list
    # the year's entries in order whichever way they were planned.
    planned_from = models.DateField(_("planned from"), null=True, editable=False)

    class Meta:
        verbose_name = _("programme entry")
        verbose_name_plural = _("programme entries")
        ordering = ["version_id", "planned_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="audit_entry_ends_after_start",
            ),
            models.UniqueConstraint(fields=["version", "key"], name="audit_entry_key_unique_in_version"),
        ]

    def __str__(self):
        return self.subject

    def audit_unit_id(self):
        return self.version.audit_unit_id()

    @property
    def when(self) -> str:
        if self.start_date:
            end = f"–{self.end_date:%d.%m.%Y}" if self.end_date and self.end_date != self.start_date else ""
            return f"{self.start_date:%d.%m.%Y}{end}"
        if self.planned_month:
            return f"{self.planned_month:02d}.{self.year_of_month(self.planned_month)}"
        return ""

    def save(self, *args, **kwargs):
        if self.start_date:
            self.planned_from = self.start_date
        elif self.planned_month:
            self.planned_from = datetime.date(self.year_of_month(self.planned_month), self.planned_month, 1)
        super().save(*args, **kwargs)

    def year_of_month(self, month: int) -> int:
        year = self.version.programme.academic_year
        return year.start_date.year if month >= year.start_date.month else year.start_date.year + 1

    def clean(self):
        errors = {}
        if not self.planned_month and not self.start_date:
            errors["planned_month"] = _("Give the planned month or the dates.")
        if self.end_date and not self.start_date:
            errors["start_date"] = _("Give the first day as well.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day is before the first day.")
        if self.version_id and self.start_date:
            year = self.version.programme.academic_year
            for name in ("start_date", "end_date"):
                day = getattr(self, name)
                if day and not (year.start_date <= day <= year.end_date):
                    errors[name] = _("The date is outside the academic year %(year)s.") % {"year": year}
        if (
            self.lead_auditor_id
            and self.version_id
            and (self.lead_auditor.institution_id != self.version.programme.institution_id)
        ):
            errors["lead_auditor"] = _("The auditor belongs to another institution.")
        if errors:
            raise ValidationError(errors)


# --- auditors --------------------------------------------------------------------------------


class Auditor(TimeStamped):
    """A member of the institution's pool of internal auditors (004 §2.6)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="auditors"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="auditor_roles")
    kind = models.CharField(_("member of the pool as"), max_length=16, choices=AuditorKind.choices)
    is_active = models.BooleanField(_("in the pool"), default=True)
    note = models.CharField(_("note"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("internal auditor")
        verbose_name_plural = _("internal auditors")
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "person"], name="auditor_once_per_institution")]

    def __str__(self):
        return self.person.full_name

    def get_absolute_url(self):
        return reverse("auditor_detail", args=[self.pk])

    def audit_unit_id(self):
        return self.person.unit_id

    def clean(self):
        if self.person_id and self.institution_id and self.person.institution_id != self.institution_id:
            raise ValidationError({"person": _("The person belongs to another institution.")})
        if (
            self.person_id
            and self.institution_id
            and type(self)
            .objects.filter(institution_id=self.institution_id, person_id=self.person_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"person": _("This person is already in the pool.")})


class AuditorTraining(TimeStamped):
    """A training an auditor completed; the certificate is an attachment of this record."""

    auditor = models.ForeignKey(Auditor, verbose_name=_("auditor"), on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=400)
    provider = models.CharField(_("given by"), max_length=300, blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        verbose_name = _("auditor training")
        verbose_name_plural = _("auditor trainings")
        ordering = ["auditor_id", "-completed_on", "id"]

    def __str__(self):
        return f"{self.course} ({self.completed_on:%d.%m.%Y})"

    def get_absolute_url(self):
        return self.auditor.get_absolute_url()

    def audit_unit_id(self):
        return self.auditor.audit_unit_id()

    def clean(self):
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("The training cannot be completed in the future.")})


# --- the scale of findings -------------------------------------------------------------------


class FindingCategory(Trilingual, TimeStamped):
    """One step of the institution's scale of findings (the default is in choices)."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="finding_categories"
    )
    code = models.SlugField(_("code"), max_length=32)
    name_ky, name_ru, name_en = trilingual_names(max_length=200)
    is_nonconformity = models.BooleanField(
        _("is a nonconformity"),
        default=False,
        help_text=_("Findings of this category go to the nonconformity register."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")
        ordering = ["institution_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="finding_category_code_unique")]

    def __str__(self):
        return self.name

    def audit_unit_id(self):
        return _root_unit_id(self.institution_id)


# --- audits ----------------------------------------------------------------------------------


class Audit(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="audits"
    )
    entry = models.ForeignKey(
        ProgrammeEntry,
        verbose_name=_("programme entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audits",
        help_text=_("The line of the audit programme this audit carries out."),
    )
    programme_key = models.CharField(max_length=32, blank=True, editable=False)
    code = models.CharField(_("number"), max_length=32)
    title = models.CharField(_("title"), max_length=400)
    scope = models.TextField(_("scope"), blank=True)
    criteria = models.TextField(_("audit criteria"), blank=True)
    units = models.ManyToManyField(Unit, verbose_name=_("audited units"), blank=True, related_name="audits")
    processes = models.ManyToManyField(
        "processes.Process", verbose_name=_("audited processes"), blank=True, related_name="audits"
    )
    programmes = models.ManyToManyField(
        Programme, verbose_name=_("audited educational programmes"), blank=True, related_name="audits"
    )
    lead_auditor = models.ForeignKey(
        Auditor,
        verbose_name=_("lead auditor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_audits",
    )
    team = models.ManyToManyField(Auditor, verbose_name=_("audit team"), blank=True, related_name="audits")
    start_date = models.DateField(_("first day of the audit"))
    end_date = models.DateField(_("last day of the audit"))
    opening_meeting_on = models.DateField(_("opening meeting"), null=True, blank=True)
    closing_meeting_on = models.DateField(_("closing meeting"), null=True, blank=True)
    state = models.CharField(_("stage"), max_length=16, choices=AuditState.choices, default=AuditState.PREPARATION)
    strengths = models.TextField(_("strengths"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    lead_approved_at = models.DateTimeField(_("approved by the lead auditor"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved by the quality department"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    distributed_on = models.DateField(_("distributed on"), null=True, blank=True)
    acknowledge_by = models.DateField(_("acknowledge by"), null=True, blank=True)

    class Meta:
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        ordering = ["institution_id", "-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="audit_code_unique_in_institution"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="audit_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("audit_detail", args=[self.pk])

    def audit_unit_id(self):
        return _root_unit_id(self.institution_id)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day of the audit is before its first day.")
        if self.opening_meeting_on and self.start_date and self.opening_meeting_on > self.start_date:
            errors["opening_meeting_on"] = _("The opening meeting is held on the first day of the audit or before it.")
        if self.closing_meeting_on and self.end_date and self.closing_meeting_on < self.end_date:
            errors["closing_meeting_on"] = _("The closing meeting is held on the last day of the audit or after it.")
        if self.opening_meeting_on and self.closing_meeting_on and self.closing_meeting_on < self.opening_meeting_on:
            errors["closing_meeting_on"] = _("The closing meeting is before the opening meeting.")
        if self.lead_auditor_id and self.institution_id and self.lead_auditor.institution_id != self.institution_id:
            errors["lead_auditor"] = _("The auditor belongs to another institution.")
        if (
            self.code
            and self.institution_id
            and (
                type(self)
                .objects.filter(institution_id=self.institution_id, code=self.code)
                .exclude(pk=self.pk)
                .exists()
            )
        ):
            errors["code"] = _("This number is already used.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_preparation(self) -> bool:
        return self.state == AuditState.PREPARATION


class ChecklistItem(TimeStamped):
    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveIntegerField(_("order"), default=0)
    clause = models.CharField(_("ISO 9001 clause"), max_length=16, blank=True)
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.TextField(_("question"))
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True, default=Answer.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist")
        ordering = ["audit_id", "order", "id"]

    def __str__(self):
        return self.question[:120]

    def get_absolute_url(self):
        return reverse("audit_checklist", args=[self.audit_id]) + f"#q{self.pk}"

    def audit_unit_id(self):
        return self.audit.audit_unit_id()

    def clean(self):
        if self.answer == Answer.NONCONFORMS and not self.notes.strip():
            raise ValidationError({"notes": _("Say what does not conform.")})


class Finding(TimeStamped):
    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField(_("number"))
    category = models.ForeignKey(
        FindingCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="findings"
    )
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    clause = models.CharField(_("ISO 9001 clause"), max_length=16, blank=True)
    requirement = models.TextField(_("requirement"), blank=True, help_text=_("The requirement or document concerned."))
    description = models.TextField(_("description"))
    evidence = models.TextField(_("objective evidence"), blank=True)

    class Meta:
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")
        ordering = ["audit_id", "number"]
        constraints = [models.UniqueConstraint(fields=["audit", "number"], name="finding_number_unique_in_audit")]

    def __str__(self):
        return f"{self.audit.code}-{self.number}"

    def get_absolute_url(self):
        return reverse("audit_report", args=[self.audit_id]) + f"#f{self.pk}"

    def audit_unit_id(self):
        return self.unit_id or self.audit.audit_unit_id()

    @property
    def is_nonconformity(self) -> bool:
        return self.category.is_nonconformity

    def clean(self):
        errors = {}
        if self.category_id and self.audit_id and self.category.institution_id != self.audit.institution_id:
            errors["category"] = _("The category belongs to another institution.")
        if self.unit_id and self.audit_id and self.unit.institution_id != self.audit.institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.checklist_item_id and self.checklist_item.audit_id != self.audit_id:
            errors["checklist_item"] = _("The question belongs to another audit.")
        if errors:
            raise ValidationError(errors)


class ReportRecipient(TimeStamped):
    """Someone the approved report is distributed to, and when they acknowledged it."""

    audit = models.ForeignKey(Audit, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="audit_reports")
    kind = models.CharField(_("as"), max_length=16, choices=RecipientKind.choices)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        ordering = ["audit_id", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "person"], name="audit_recipient_once")]

    def __str__(self):
        return f"{self.audit.code} — {self.person}"

    def audit_unit_id(self):
        return self.audit.audit_unit_id()
