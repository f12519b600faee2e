"""Self-evaluation projects (002 §4): the council decision and the head's order, the
commission, the plan, one report per accreditation type with an assessment per criterion
and its evidence, the stakeholder-influence matrix (Table 2), expert access, and the
post-accreditation plan (002 §8.1)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped
from sapat.org.models import Institution, Person, Programme

__all__ = [
    "SelfEvaluationProject",
    "CommissionMember",
    "PlanItem",
    "SelfEvaluationReport",
    "CriterionAssessment",
    "ElementCheck",
    "Evidence",
    "StakeholderRating",
    "ExpertAccess",
    "AgencyRemark",
    "PlanMeasure",
]

LOOK_BACK_YEARS = 5  # 002 §4.1: the self-evaluation covers the last five years
WOMEN_SHARE = (25, 30)  # 002 §4.3: 25–30 % of the commission should be women


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    IN_PROGRESS = "in_progress", _("Self-evaluation in progress")
    SUBMITTED = "submitted", _("Report submitted")
    DECIDED = "decided", _("Decision received")
    CLOSED = "closed", _("Closed")


class ReportKind(models.TextChoices):
    INSTITUTIONAL = "institutional", _("Institutional accreditation")
    PROGRAMME = "programme", _("Programme accreditation")


class MemberCategory(models.TextChoices):
    CHAIR = "chair", _("Chair (head of the organisation)")
    DEPUTY = "deputy", _("Deputy head")
    UNIT_HEAD = "unit_head", _("Head of a structural unit")
    CYCLE_HEAD = "cycle_head", _("Head of a subject-cycle commission")
    COUNCIL = "council", _("Pedagogical council representative")
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")
    GRADUATE = "graduate", _("Graduate")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other stakeholder")


class Level(models.TextChoices):
    """The three compliance levels of 002 §3.3, from the lowest."""

    NOT = "not", _("Does not comply")
    PARTIAL = "partial", _("Partially complies")
    COMPLIES = "complies", _("Complies")


LEVEL_RANK = {Level.NOT: 0, Level.PARTIAL: 1, Level.COMPLIES: 2}


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Sent back")
    ACCEPTED = "accepted", _("Accepted")


class ElementStatus(models.TextChoices):
    MET = "met", _("Met")
    UNMET = "unmet", _("Not met")
    NO_EVIDENCE = "no_evidence", _("No reliable evidence")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Controlled document")
    INDICATOR = "indicator", _("Indicator with its 5-year trend")
    SURVEY = "survey", _("Survey results")
    AUDIT = "audit", _("Audit report")
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    ACTION = "action", _("Improvement action")
    WEB = "web", _("Web page")
    OTHER = "other", _("Other document")


class SelfEvaluationProject(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="self_evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    institutional = models.BooleanField(_("institutional accreditation"), default=True)
    programme = models.BooleanField(_("programme accreditation"), default=False)
    together = models.BooleanField(
        _("both accreditations at the same time"),
        default=False,
        help_text=_("One order and one commission, two separate reports."),
    )
    council_decision_date = models.DateField(_("date of the pedagogical council decision"), null=True, blank=True)
    council_decision_number = models.CharField(_("council decision number"), max_length=40, blank=True)
    order_number = models.CharField(_("order number"), max_length=40, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    start_date = models.DateField(_("self-evaluation starts"))
    end_date = models.DateField(_("self-evaluation ends"))
    council_report_date = models.DateField(_("report goes to the pedagogical council"))
    preliminary_review_date = models.DateField(_("preliminary review"), null=True, blank=True)
    final_review_date = models.DateField(_("final review"), null=True, blank=True)
    period_from = models.PositiveSmallIntegerField(_("look-back period from (year)"))
    period_to = models.PositiveSmallIntegerField(_("look-back period to (year)"))
    compiler = models.ForeignKey(
        "CommissionMember",
        verbose_name=_("report compiler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followers",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("self-evaluation project")
        verbose_name_plural = _("self-evaluation projects")
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("se_project_detail", args=[self.pk])

    def audit_unit_id(self):
        return None

    def clean(self):
        errors = {}
        if not (self.institutional or self.programme):
            errors["institutional"] = _("Choose institutional and/or programme accreditation.")
        if self.together and not (self.institutional and self.programme):
            errors["together"] = _("Only both accreditations can run at the same time.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The self-evaluation cannot end before it starts.")
        if self.end_date and self.council_report_date and self.council_report_date < self.end_date:
            errors["council_report_date"] = _("The report goes to the council after the self-evaluation ends.")
        if self.order_date and self.council_decision_date and self.order_date < self.council_decision_date:
            errors["order_date"] = _("The head's order follows the council decision.")
        if self.order_date and self.start_date and self.start_date < self.order_date:
            errors["start_date"] = _("The self-evaluation starts on or after the order.")
        for field in ("preliminary_review_date", "final_review_date"):
            value = getattr(self, field)
            if (
                value
                and self.start_date
                and self.council_report_date
                and not (self.start_date <= value <= self.council_report_date)
            ):
                errors[field] = _("Reviews fall between the start and the date the report goes to the council.")
        if (
            self.preliminary_review_date
            and self.final_review_date
            and (self.final_review_date < self.preliminary_review_date)
        ):
            errors["final_review_date"] = _("The final review comes after the preliminary one.")
        if self.period_from and self.period_to:
            if self.period_to < self.period_from:
                errors["period_to"] = _("The look-back period ends before it starts.")
            elif self.period_to - self.period_from + 1 > LOOK_BACK_YEARS:
                errors["period_from"] = _("The look-back period covers at most the last five years.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> list[int]:
        return list(range(self.period_from, self.period_to + 1))


class CommissionMember(TimeStamped):
    """A commission member: a person of the institution, or an outsider named here (a
    student, parent, graduate or employer), as the order lists them."""

    project = models.ForeignKey(
        SelfEvaluationProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200)
    category = models.CharField(_("member as"), max_length=16, choices=MemberCategory.choices)
    is_woman = models.BooleanField(_("woman"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commission_memberships",
    )

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person"], condition=models.Q(person__isnull=False), name="member_person_once"
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person_id else self.name

    def clean(self):
        if not self.person_id and not self.name.strip():
            raise ValidationError({"name": _("Choose a person or write the member's name.")})
        if self.person_id and self.project_id and self.person.institution_id != self.project.institution_id:
            raise ValidationError({"person": _("The person belongs to another institution.")})


class PlanItem(TimeStamped):
    """A line of the self-evaluation plan approved at the organisational meeting."""

    project = models.ForeignKey(
        SelfEvaluationProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plan_items"
    )
    area = models.CharField(_("work area"), max_length=300)
    responsible = models.ForeignKey(
        CommissionMember, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="plan_items"
    )
    deadline = models.DateField(_("deadline"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["deadline", "id"]


class SelfEvaluationReport(TimeStamped):
    """One analytical report: against the institutional criteria, or against a programme
    framework for a programme (two separate reports when both run together)."""

    project = models.ForeignKey(
        SelfEvaluationProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("accreditation"), max_length=16, choices=ReportKind.choices)
    framework = models.ForeignKey(
        "accreditation.Framework", verbose_name=_("criteria framework"), on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    introduction = models.TextField(_("introduction"), blank=True)
    findings = models.TextField(_("the commission's findings"), blank=True)
    recommendation = models.TextField(_("recommendation on applying for accreditation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-evaluation report")
        verbose_name_plural = _("self-evaluation reports")
        ordering = ["project", "kind", "id"]

    def __str__(self):
        return f"{self.project} — {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("se_report_detail", args=[self.pk])


class CriterionAssessment(TimeStamped):
    report = models.ForeignKey(
        SelfEvaluationReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(
        "accreditation.Criterion", verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        CommissionMember,
        verbose_name=_("responsible member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    narrative = models.TextField(_("analysis"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    justification = models.TextField(_("why the level differs from the proposed one"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    review_comment = models.TextField(_("compiler's comments"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["report", "criterion__order", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "criterion"], name="one_assessment_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code} — {self.report}"

    def get_absolute_url(self):
        return reverse("se_assessment_detail", args=[self.pk])

    def clean(self):
        if self.responsible_id and self.report_id and self.responsible.project_id != self.report.project_id:
            raise ValidationError({"responsible": _("The responsible member is not on this project's commission.")})
        if self.criterion_id and self.report_id and self.criterion.framework_id != self.report.framework_id:
            raise ValidationError({"criterion": _("The criterion is not in this report's framework.")})


class ElementCheck(models.Model):
    """Table 1 (002 §3.3): each element of the criterion ticked met, unmet or unevidenced."""

    assessment = models.ForeignKey(CriterionAssessment, on_delete=models.CASCADE, related_name="checks")
    element = models.ForeignKey("accreditation.CriterionElement", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ElementStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "element"], name="one_check_per_element")]

    def __str__(self):
        return f"{self.element_id}: {self.status}"


class Evidence(TimeStamped):
    """A line of the criterion's evidence list (002 §7.1): a link to a record elsewhere in
    Sapat, a web page, or a named paper document; uploaded files are the assessment's
    attachments. Page and annex number make the report's references (002 §4.5)."""

    assessment = models.ForeignKey(CriterionAssessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    indicator = models.ForeignKey(
        "processes.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "surveys.Campaign", verbose_name=_("survey"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audit = models.ForeignKey(
        "audits.Audit", verbose_name=_("audit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nonconformity = models.ForeignKey(
        "improvement.Nonconformity",
        verbose_name=_("nonconformity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.ForeignKey(
        "improvement.Action",
        verbose_name=_("action"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    url = models.URLField(_("web address"), blank=True)
    page = models.CharField(_("page"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    LINKS = {
        EvidenceKind.DOCUMENT: "document",
        EvidenceKind.INDICATOR: "indicator",
        EvidenceKind.SURVEY: "campaign",
        EvidenceKind.AUDIT: "audit",
        EvidenceKind.NONCONFORMITY: "nonconformity",
        EvidenceKind.ACTION: "action",
    }

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assessment", "id"]

    def __str__(self):
        return self.label

    @property
    def target(self):
        field = self.LINKS.get(self.kind)
        return getattr(self, field) if field else None

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        target = self.target
        return str(target) if target is not None else self.url

    def clean(self):
        field = self.LINKS.get(self.kind)
        if field and not getattr(self, f"{field}_id"):
            raise ValidationError({field: _("Choose the record this evidence points to.")})
        if self.kind == EvidenceKind.WEB and not self.url:
            raise ValidationError({"url": _("Give the web page's address.")})
        if self.kind == EvidenceKind.OTHER and not self.title.strip():
            raise ValidationError({"title": _("Name the document.")})


class StakeholderGroup(models.TextChoices):
    """Table 2's column headers are lost in the seed (002 §6.3); these are the groups the
    seed names as stakeholders."""

    STUDENTS = "students", _("Students")
    PARENTS = "parents", _("Parents")
    GRADUATES = "graduates", _("Graduates")
    EMPLOYERS = "employers", _("Employers")
    TEACHERS = "teachers", _("Teachers")
    ADMINISTRATION = "administration", _("Administration")
    PARTNERS = "partners", _("Social partners")
    STATE = "state", _("State and local bodies")


class Aspect(models.TextChoices):
    MISSION = "mission", _("Mission. Strategic development plan")
    IQAS = "iqas", _("Internal quality assurance system")
    PROGRAMMES = "programmes", _("Programme management")
    STAFF = "staff", _("Engineering-pedagogical staff")
    MTB = "mtb", _("Material-technical base")
    SUPPORT = "support", _("Student counselling and support")
    INFORMING = "informing", _("Informing the public")
    FINANCE = "finance", _("Finance")
    OTHER = "other", _("Other")


class StakeholderRating(models.Model):
    """A cell of Table 2: 1 = no influence … 4 = very strong influence."""

    project = models.ForeignKey(SelfEvaluationProject, on_delete=models.CASCADE, related_name="stakeholder_ratings")
    aspect = models.CharField(_("aspect"), max_length=16, choices=Aspect.choices)
    group = models.CharField(_("stakeholder group"), max_length=16, choices=StakeholderGroup.choices)
    score = models.PositiveSmallIntegerField(_("influence"), validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "aspect", "group"], name="one_rating_per_cell"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=4), name="rating_1_to_4"),
        ]

    def __str__(self):
        return f"{self.aspect}/{self.group}: {self.score}"


class ExpertAccess(TimeStamped):
    """A read-only window for an agency expert onto this project's submitted reports and
    their evidence, until `valid_until` (and only while the expert role is in force)."""

    project = models.ForeignKey(SelfEvaluationProject, on_delete=models.CASCADE, related_name="expert_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_accesses")
    valid_until = models.DateField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("expert access")
        verbose_name_plural = _("expert accesses")
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_access_per_expert")]

    @property
    def in_force(self) -> bool:
        return self.valid_until >= timezone.localdate()


class RemarkKind(models.TextChoices):
    REMARK = "remark", _("Remark")
    RECOMMENDATION = "recommendation", _("Recommendation")


class AgencyRemark(TimeStamped):
    """A remark or recommendation of the agency's decision (002 §8.1)."""

    project = models.ForeignKey(SelfEvaluationProject, on_delete=models.CASCADE, related_name="remarks")
    kind = models.CharField(_("kind"), max_length=16, choices=RemarkKind.choices)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("agency remark")
        verbose_name_plural = _("agency remarks")
        ordering = ["project", "id"]


class PlanMeasure(TimeStamped):
    """A measure of the post-accreditation plan; it is tracked as an improvement action."""

    remark = models.ForeignKey(AgencyRemark, on_delete=models.CASCADE, related_name="measures")
    resources = models.CharField(_("resources needed"), max_length=300, blank=True)
    action = models.OneToOneField(
        "improvement.Action", verbose_name=_("action"), on_delete=models.PROTECT, related_name="accreditation_measure"
    )

    class Meta:
        verbose_name = _("post-accreditation measure")
        verbose_name_plural = _("post-accreditation measures")
        ordering = ["remark", "id"]
