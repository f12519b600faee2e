"""Documented information: controlled documents with numbered revisions, their agreement,
approval, registration and acquaintance; periodic review; records and their retention."""

import datetime
from string import Formatter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person, Unit

from .choices import (
    FROZEN_STATES,
    AgreementDecision,
    ApproverKind,
    DocumentStatus,
    Level,
    ReviewOutcome,
    RevisionState,
)

LANGUAGE_CHOICES = settings.LANGUAGES


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return day.replace(year=year, month=month, day=min(day.day, last[month - 1]))


CODE_PLACEHOLDERS = {"type", "unit", "year", "seq"}


def code_pattern_problem(pattern: str) -> str | None:
    """What is wrong with a code pattern, in words for the user, or None. Only the four
    names, no attribute or index access ({type.upper} would put a memory address in the
    code), and a number that really changes the code ({{seq}} is the literal "{seq}")."""
    sample = {"type": "ДП", "unit": "ББСБ", "year": 2026}
    try:
        names = [name for _text, name, _spec, _conv in Formatter().parse(pattern) if name is not None]
        if any(name not in CODE_PLACEHOLDERS for name in names):
            raise KeyError(names)
        first, second = pattern.format(**sample, seq=1), pattern.format(**sample, seq=2)
    except (KeyError, ValueError, IndexError, AttributeError, TypeError):
        return _("The pattern has an unknown placeholder or format. Use {type}, {unit}, {year} and {seq}.")
    if first == second:
        return _("The pattern needs {seq}, or codes would repeat.")
    return None


class DocumentType(Trilingual, TimeStamped):
    """A kind of document the institution keeps (quality manual, documented procedure, unit
    regulation, Ministry order …): its level, how its codes are made, who approves it."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="document_types")
    code = models.CharField(_("type code"), max_length=16, help_text=_("Letters used in document codes, e.g. ДП."))
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    code_pattern = models.CharField(
        _("code pattern"),
        max_length=60,
        default="СМС-{type}-{seq:02d}",
        help_text=_("Placeholders: {type} type code, {unit} owning unit code, {year} year, {seq} running number."),
    )
    approver_kind = models.CharField(
        _("approved by"), max_length=16, choices=ApproverKind.choices, default=ApproverKind.PERSON
    )
    approver = models.ForeignKey(
        Person,
        verbose_name=_("approving official"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval_body = models.ForeignKey(
        Unit,
        verbose_name=_("approving body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"unit_type": "council"},
    )
    review_months = models.PositiveSmallIntegerField(_("review interval, months"), default=12)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="document_type_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_external(self) -> bool:
        return self.level == Level.BASE

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    def clean(self):
        problem = code_pattern_problem(self.code_pattern)
        if problem:
            raise ValidationError({"code_pattern": problem})
        if self.approver_kind == ApproverKind.COUNCIL and self.approval_body_id is None and not self.is_external:
            raise ValidationError({"approval_body": _("Choose the body that approves documents of this type.")})


class CodeCounter(models.Model):
    """The last number used for one code prefix. Numbers only go up, so a code is never
    given twice, even after its document is withdrawn."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    prefix = models.CharField(max_length=80)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "prefix"], name="code_counter_unique")]

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class Document(Trilingual, TimeStamped):
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="documents")
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    code = models.CharField(_("code"), max_length=80, editable=False)
    title_ky = models.CharField(_("title in Kyrgyz"), max_length=400, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=400, blank=True)
    title_en = models.CharField(_("title in English"), max_length=400, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="documents")
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_documents",
    )
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    # External documents (laws, Ministry orders, standards).
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    external_number = models.CharField(_("number"), max_length=60, blank=True)
    external_date = models.DateField(_("dated"), null=True, blank=True)
    # Who must know it.
    institution_wide = models.BooleanField(_("published to the whole institution"), default=False)
    distributed_units = models.ManyToManyField(
        Unit, verbose_name=_("distributed to units"), blank=True, related_name="distributed_documents"
    )
    distributed_people = models.ManyToManyField(
        Person, verbose_name=_("distributed to people"), blank=True, related_name="distributed_documents"
    )
    review_months = models.PositiveSmallIntegerField(_("review interval, months"), default=12)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # Bumped on every save: a form saved over a newer version is refused, never merged silently.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="document_code_unique")]
        indexes = [models.Index(fields=["institution", "status"]), models.Index(fields=["next_review_on"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.tr("title")

    def get_absolute_url(self):
        return reverse("document_detail", args=[self.pk])

    @property
    def is_external(self) -> bool:
        return self.doc_type.level == Level.BASE

    @property
    def review_overdue(self) -> bool:
        return bool(self.next_review_on and self.next_review_on < timezone.localdate())

    def clean(self):
        if not (self.title_ky or self.title_ru or self.title_en):
            raise ValidationError({"title_ky": _("Give the title in at least one language.")})
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})
        if self.doc_type_id and self.institution_id and self.doc_type.institution_id != self.institution_id:
            raise ValidationError({"doc_type": _("The document type belongs to another institution.")})
        if self.doc_type_id and self.doc_type.level == Level.BASE and not self.issuer:
            raise ValidationError({"issuer": _("An external document needs its issuer.")})


class Revision(TimeStamped):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    state = models.CharField(_("state"), max_length=16, choices=RevisionState.choices, default=RevisionState.DRAFT)
    summary = models.TextField(_("summary of changes"), blank=True)
    clauses = models.CharField(_("clauses changed"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    effective_date = models.DateField(_("in force from"), null=True, blank=True)
    approved_by = models.ForeignKey(
        Person, verbose_name=_("approved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approval_body = models.ForeignKey(
        Unit, verbose_name=_("approving body"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True)
    protocol_date = models.DateField(_("protocol date"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    ended_on = models.DateField(_("ceased on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_number_unique"),
            # The single-in-force rule, in the database itself.
            models.UniqueConstraint(fields=["document"], condition=Q(state="in_force"), name="one_revision_in_force"),
            models.CheckConstraint(
                condition=Q(protocol_date__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(approved_on__gte=F("protocol_date")),
                name="revision_approved_after_protocol",
            ),
        ]

    def __str__(self):
        return f"{self.document.code} — {_('revision')} {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    def audit_unit_id(self):
        return self.document.unit_id


def revision_file_path(instance, filename):
    # The stored name is ours; the user's file name is kept in `original_name`.
    revision = instance.revision
    return f"documents/{revision.document_id}/{revision.pk}/{instance.language}-{instance.sha256[:16]}"


class LanguageVersion(TimeStamped):
    """A revision in one language: written in the app, uploaded as a file, or both."""

    # Draft text is for its authors, agreers and approvers; the audit log records that it
    # changed (length and digest), not what it says.
    AUDIT_DIGEST_FIELDS = ("text",)

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=revision_file_path, blank=True, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    extracted_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["revision_id", "language"]
        constraints = [models.UniqueConstraint(fields=["revision", "language"], name="one_version_per_language")]

    def __str__(self):
        return f"{self.revision} ({self.get_language_display()})"

    def audit_unit_id(self):
        return self.revision.document.unit_id

    def clean(self):
        if not self.text.strip() and not self.file:
            raise ValidationError(_("Write the text or attach a file."))


class AgreementStep(TimeStamped):
    """One line of the agreement sheet (лист согласования): people agree in order."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="agreement_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    person = models.ForeignKey(Person, verbose_name=_("agrees"), on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("decision"), max_length=16, choices=AgreementDecision.choices, default=AgreementDecision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement step")
        verbose_name_plural = _("agreement sheet")
        ordering = ["revision_id", "order"]
        constraints = [models.UniqueConstraint(fields=["revision", "order"], name="agreement_order_unique")]

    def __str__(self):
        return f"{self.revision}: {self.order}. {self.person}"

    def audit_unit_id(self):
        return self.revision.document.unit_id


class Acquaintance(models.Model):
    """A person asked to read a revision in force, and when they confirmed it."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="acquaintances")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="acquaintances")
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("read on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("acquaintance")
        verbose_name_plural = _("acquaintance sheet")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["revision", "person"], name="acquaintance_once")]

    def __str__(self):
        return f"{self.person} — {self.revision}"

    def audit_unit_id(self):
        return self.person.unit_id


class DocumentReview(TimeStamped):
    """A periodic check that a document is still current (also a row of the change sheet)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(
        Person, verbose_name=_("reviewed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("document review")
        verbose_name_plural = _("document reviews")
        ordering = ["document_id", "-reviewed_on"]

    def __str__(self):
        return f"{self.document.code} {self.reviewed_on}"

    def audit_unit_id(self):
        return self.document.unit_id


class RecordType(Trilingual, TimeStamped):
    """A kind of record (audit reports, exam record sheets, protocols …) with how long it is kept."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="record_types")
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    retention_months = models.PositiveIntegerField(_("kept for, months"))
    unit = models.ForeignKey(Unit, verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="record_types")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("record type")
        verbose_name_plural = _("record types")
        ordering = ["name_ky"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})


class Record(TimeStamped):
    record_type = models.ForeignKey(
        RecordType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="records"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="records")
    title = models.CharField(_("title"), max_length=400)
    dated = models.DateField(_("dated"))
    location = models.CharField(_("where it is kept"), max_length=300, blank=True)
    keep_until = models.DateField(_("keep until"), editable=False)
    disposed_on = models.DateField(_("disposed of on"), null=True, blank=True)
    disposed_by = models.ForeignKey(
        Person, verbose_name=_("disposed of by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposal_note = models.CharField(_("disposal act"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-dated", "id"]
        indexes = [models.Index(fields=["keep_until"])]

    def __str__(self):
        return f"{self.title} ({self.dated})"

    def save(self, *args, **kwargs):
        self.keep_until = add_months(self.dated, self.record_type.retention_months)
        super().save(*args, **kwargs)


class SearchEntry(models.Model):
    """What search finds of one document: its code and titles, the text of its revision in
    force, and apart from it the text of the revision being prepared, which only those who
    may see drafts find. Written by `search.reindex_document`; the full-text indexes over
    these columns come from migration `search_index` (an FTS5 table on SQLite, tsvector
    columns with GIN indexes on PostgreSQL)."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    code = models.TextField(blank=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    draft = models.TextField(blank=True)
    revision_number = models.PositiveSmallIntegerField(null=True)
    draft_number = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.code
