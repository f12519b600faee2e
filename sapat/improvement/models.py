"""Nonconformities (ISO 9001 clause 10.2; seeds 004 §9.5, §11.2–11.3, 001 §10.3, §12) and the
improvement actions (correction, corrective, preventive, improvement) raised from them, from
risks, from audit findings, complaints and management reviews, or on their own.

A nonconformity moves registered → analysis → action plan → in progress → effectiveness
check → closed; a failed check sends it back to the action plan (`reopen_count`). The moves
and their guards live in `services.py`; the model keeps the fields and the invariants."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person, Unit, trilingual_names

MAX_WHYS = 5


class NcState(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("nonconformity state", "registered")
    ANALYSIS = "analysis", pgettext_lazy("nonconformity state", "analysis")
    ACTION_PLAN = "action_plan", pgettext_lazy("nonconformity state", "action plan")
    IN_PROGRESS = "in_progress", pgettext_lazy("nonconformity state", "in progress")
    CHECK = "check", pgettext_lazy("nonconformity state", "effectiveness check")
    CLOSED = "closed", pgettext_lazy("nonconformity state", "closed")


OPEN_STATES = [s for s in NcState.values if s != NcState.CLOSED]


class NcSource(models.TextChoices):
    """Where it was found: the seeds' three sources (004 §9.5) and the places of §11.2."""

    COMPLAINT = "complaint", _("Complaint or suggestion of a consumer or stakeholder")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    LICENSING = "licensing", _("External audit: licensing")
    ATTESTATION = "attestation", _("External audit: attestation")
    ACCREDITATION = "accreditation", _("External audit: accreditation")
    MONITORING = "monitoring", _("Monitoring and measurement")
    INSPECTION = "inspection", _("Inspection")
    DATA_ANALYSIS = "data_analysis", _("Data analysis")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    CONTRACTS = "contracts", _("Performance of contracts")
    DAILY_WORK = "daily_work", _("Day-to-day work")


class Severity(models.TextChoices):
    MAJOR = "major", pgettext_lazy("severity", "major")
    MINOR = "minor", pgettext_lazy("severity", "minor")


class Verdict(models.TextChoices):
    EFFECTIVE = "effective", _("effective")
    NOT_EFFECTIVE = "not_effective", _("not effective")


class ActionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction (immediate)")
    CORRECTIVE = "corrective", _("Corrective action")
    PREVENTIVE = "preventive", _("Preventive action")
    IMPROVEMENT = "improvement", _("Improvement action")


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action status", "open")
    DONE = "done", pgettext_lazy("action status", "done")
    CANCELLED = "cancelled", pgettext_lazy("action status", "cancelled")


class Origin(models.TextChoices):
    """What an action was raised from. Those raised from an audit finding or a complaint link
    it (`Action.audit_finding`, `Action.complaint`); management reviews get theirs later."""

    NONCONFORMITY = "nonconformity", _("Nonconformity")
    AUDIT_FINDING = "audit_finding", _("Audit finding")
    RISK = "risk", _("Risk or opportunity")
    COMPLAINT = "complaint", _("Complaint or suggestion")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    SURVEY = "survey", _("Survey result")
    ACCREDITATION = "accreditation", _("Accreditation remark or recommendation")
    OWN = "own", _("On its own")


# The seeds' five types (004 §9.5 a–e, 001 §10.3): an institution starts with these and may
# rename, add or retire them.
DEFAULT_TYPES = (
    (
        "programmes",
        "Билим берүү программаларынын шайкеш келбестиги",
        "Несоответствие образовательных программ",
        "Nonconformity of educational programmes",
    ),
    (
        "learners",
        "Угуучулардын (студенттердин, магистранттардын) шайкеш келбестиги",
        "Несоответствие обучающихся (студентов, магистрантов)",
        "Nonconformity of learners",
    ),
    (
        "resources",
        "Студенттерди окутуу жана колдоо үчүн ресурстардын жетишсиздиги",
        "Недостаток ресурсов для обучения и поддержки студентов",
        "Lack of resources for teaching and supporting students",
    ),
    (
        "research",
        "Илимий-техникалык продукциянын шайкеш келбестиги",
        "Несоответствие научно-технической продукции",
        "Nonconformity of scientific-technical products",
    ),
    (
        "environment",
        "Билим берүү жана өндүрүш чөйрөсүнүн талапка ылайыксыздыгы",
        "Несоответствие образовательной и производственной среды требованиям",
        "Educational or production environment not meeting requirements",
    ),
)


class NcType(Trilingual, TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="nc_types"
    )
    code = models.SlugField(_("code"), max_length=32)
    name_ky, name_ru, name_en = trilingual_names()
    is_active = models.BooleanField(_("in use"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("nonconformity type")
        verbose_name_plural = _("nonconformity types")
        ordering = ["institution_id", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="nc_type_code_unique")]

    def __str__(self):
        return self.name

    def audit_unit_id(self):
        return self.institution.audit_unit_id()


class ImprovementSettings(TimeStamped):
    """Per institution: the wait between the last action done and the effectiveness check,
    and the counters of the nonconformity codes (one per year, never reused)."""

    institution = models.OneToOneField(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="improvement_settings"
    )
    check_after_days = models.PositiveSmallIntegerField(
        _("days from the last action done to the effectiveness check"), default=30
    )
    counters = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("improvement settings")
        verbose_name_plural = _("improvement settings")

    def __str__(self):
        return str(self.institution)

    def audit_unit_id(self):
        return self.institution.audit_unit_id()


class Nonconformity(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="nonconformities"
    )
    code = models.CharField(_("code"), max_length=24, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=NcState.choices, default=NcState.REGISTERED)
    nc_type = models.ForeignKey(NcType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=24, choices=NcSource.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="nonconformities")
    process = models.ForeignKey(
        "processes.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        # A process leaves the register, it is not deleted; if one is (a demo reload), its
        # nonconformities stay, without it.
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    # Where it was raised from, when that is a record of Sapat: one finding or complaint raises
    # at most one nonconformity (or one action, below).
    audit_finding = models.OneToOneField(
        "audits.Finding",
        verbose_name=_("audit finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformity",
    )
    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("complaint or suggestion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nonconformity",
    )
    title = models.CharField(_("title"), max_length=300)
    requirement = models.TextField(_("requirement breached"), blank=True)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    detected_on = models.DateField(_("detected on"), default=timezone.localdate)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # analysis
    root_cause = models.TextField(_("root cause"), blank=True)
    whys = models.JSONField(_("five whys"), default=list, blank=True)
    immediate_correction = models.TextField(_("immediate correction"), blank=True)
    # the plan's two approvals
    unit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved for the unit by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_approved_at = models.DateTimeField(_("approved for the unit on"), null=True, blank=True)
    quality_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the quality department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quality_approved_at = models.DateTimeField(_("approved by the quality department on"), null=True, blank=True)
    # the effectiveness check of the current round
    check_due_on = models.DateField(_("effectiveness check not before"), null=True, blank=True)
    verdict = models.CharField(_("effectiveness"), max_length=16, choices=Verdict.choices, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    check_note = models.TextField(_("evidence of effectiveness"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        ordering = ["institution_id", "-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="nc_code_unique_in_institution"),
            models.CheckConstraint(
                condition=~Q(state="closed") | Q(closed_on__isnull=False, verdict="effective"),
                name="nc_closed_only_when_effective",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("nc_detail", args=[self.pk])

    def audit_unit_id(self):
        return self.unit_id

    @property
    def is_open(self) -> bool:
        return self.state != NcState.CLOSED

    @property
    def plan_approved(self) -> bool:
        return bool(self.unit_approved_at and self.quality_approved_at)

    def clean(self):
        errors = {}
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.process_id and self.process.institution_id != self.institution_id:
            errors["process"] = _("The process belongs to another institution.")
        if self.nc_type_id and self.nc_type.institution_id != self.institution_id:
            errors["nc_type"] = _("This type belongs to another institution.")
        if self.detected_on and self.detected_on > timezone.localdate():
            errors["detected_on"] = _("A nonconformity cannot be detected in the future.")
        if not isinstance(self.whys, list) or len(self.whys) > MAX_WHYS:
            errors["whys"] = _("Give at most %(n)s why/because rows.") % {"n": MAX_WHYS}
        if errors:
            raise ValidationError(errors)


class EffectivenessCheck(models.Model):
    """Every verdict given, kept when a failed check sends the nonconformity back."""

    nonconformity = models.ForeignKey(
        Nonconformity, verbose_name=_("nonconformity"), on_delete=models.CASCADE, related_name="checks"
    )
    verdict = models.CharField(_("effectiveness"), max_length=16, choices=Verdict.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"))
    note = models.TextField(_("evidence of effectiveness"), blank=True)

    class Meta:
        verbose_name = _("effectiveness check")
        verbose_name_plural = _("effectiveness checks")
        ordering = ["nonconformity_id", "checked_on", "id"]

    def __str__(self):
        return f"{self.nonconformity.code}: {self.get_verdict_display()} ({self.checked_on:%d.%m.%Y})"

    def audit_unit_id(self):
        return self.nonconformity.unit_id


class ActionQuerySet(models.QuerySet):
    def overdue(self, today=None):
        return self.filter(status=ActionStatus.OPEN, deadline__lt=today or timezone.localdate())


class Action(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="improvement_actions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices)
    origin = models.CharField(_("raised from"), max_length=24, choices=Origin.choices, default=Origin.OWN)
    nonconformity = models.ForeignKey(
        Nonconformity,
        verbose_name=_("nonconformity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    # Goes with its risk, like the risk's own treatment actions (risks go only with a process).
    risk = models.ForeignKey(
        "processes.Risk",
        verbose_name=_("risk or opportunity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="improvement_actions",
    )
    audit_finding = models.OneToOneField(
        "audits.Finding",
        verbose_name=_("audit finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_action",
    )
    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("complaint or suggestion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_action",
    )
    # A survey result below its threshold: the campaign and the results page's query (scope
    # and question) it was read on; never anything about respondents.
    survey_campaign = models.ForeignKey(
        "surveys.Campaign",
        verbose_name=_("survey campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    survey_scope = models.CharField(_("survey result"), max_length=300, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="improvement_actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(Person, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("what was done"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False), name="action_done_has_date"),
            models.CheckConstraint(
                condition=~Q(origin="nonconformity") | Q(nonconformity__isnull=False),
                name="action_nc_origin_has_nc",
            ),
            models.CheckConstraint(
                condition=~Q(origin="risk") | Q(risk__isnull=False), name="action_risk_origin_has_risk"
            ),
            models.CheckConstraint(
                condition=~Q(origin="survey") | Q(survey_campaign__isnull=False),
                name="action_survey_origin_has_campaign",
            ),
        ]

    def __str__(self):
        prefix = self.nonconformity.code if self.nonconformity_id else self.get_kind_display()
        return f"{prefix}: {self.description[:80]}"

    def get_absolute_url(self):
        return reverse("action_detail", args=[self.pk])

    @property
    def survey_url(self) -> str:
        if not self.survey_campaign_id:
            return ""
        return reverse("campaign_results", args=[self.survey_campaign_id]) + (
            f"?{self.survey_scope}" if self.survey_scope else ""
        )

    def audit_unit_id(self):
        return self.unit_id

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.deadline < timezone.localdate()

    @property
    def on_time(self) -> bool | None:
        if self.status != ActionStatus.DONE:
            return None
        return self.done_on <= self.deadline

    def clean(self):
        errors = {}
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            errors["unit"] = _("The unit belongs to another institution.")
        if self.owner_id and self.owner.institution_id != self.institution_id:
            errors["owner"] = _("The person belongs to another institution.")
        if self.done_on and self.done_on > timezone.localdate():
            errors["done_on"] = _("An action cannot be done in the future.")
        if self.status == ActionStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Say why the action is cancelled.")
        if errors:
            raise ValidationError(errors)


class ActionNote(models.Model):
    """A progress note on an action: what has been done so far."""

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    text = models.TextField(_("progress note"))

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action_id", "at", "id"]

    def __str__(self):
        return self.text[:80]

    def audit_unit_id(self):
        return self.action.unit_id
