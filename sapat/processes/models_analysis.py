"""The annual analysis of a process (seed 004 §10.1.4, with §10.1.2 and §10.1.3): at the end
of each academic year the process owner measures and analyses whether the process met its
planned objectives and how far the measures of its work plan were carried out, and says
what must be improved. The quality department reads every analysis, returns one for rework
with a comment or accepts it.

One analysis per process per academic year. It is written as a draft, then submitted: from
then on its text is frozen, together with a snapshot of the process's indicator figures as
they stood when it was submitted, so later corrections of values do not rewrite it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped
from sapat.org.models import AcademicYear

__all__ = ["AnalysisState", "ObjectivesVerdict", "ProcessAnalysis", "ProcessEffectiveness"]


class AnalysisState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for rework")
    ACCEPTED = "accepted", _("Accepted")


# States in which the owner may still change the text.
EDITABLE_STATES = (AnalysisState.DRAFT, AnalysisState.RETURNED)
# States everyone who sees the register may read.
PUBLISHED_STATES = (AnalysisState.SUBMITTED, AnalysisState.ACCEPTED)


class ObjectivesVerdict(models.TextChoices):
    # Translators: the seeds' "процесстин пландаштырылган максаттарга шайкештиги".
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class ProcessEffectiveness(models.TextChoices):
    # Translators: the seeds' "процесстин натыйжалуулугу".
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class ProcessAnalysis(TimeStamped):
    process = models.ForeignKey(
        "processes.Process", verbose_name=_("process"), on_delete=models.CASCADE, related_name="analyses"
    )
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="process_analyses"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=AnalysisState.choices, default=AnalysisState.DRAFT, editable=False
    )
    # 1. Conformity to the planned objectives (§10.1.4).
    objectives_verdict = models.CharField(
        _("did the process meet its planned objectives?"), max_length=16, choices=ObjectivesVerdict.choices, blank=True
    )
    objectives_comment = models.TextField(
        _("achievement of the objectives"),
        blank=True,
        help_text=_("Each objective of the process work plan: what was reached, with the indicators' figures."),
    )
    # 2. How far the planned measures were carried out (§10.1.4).
    measures_done_percent = models.PositiveSmallIntegerField(
        _("measures of the work plan carried out, %"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    measures_comment = models.TextField(
        _("carrying out of the planned measures"),
        blank=True,
        help_text=_("What was done, what was not done and why."),
    )
    # 3. The data analysed (§10.1.2 A–Д, §10.1.3).
    satisfaction = models.TextField(
        _("satisfaction of stakeholders"),
        blank=True,
        help_text=_("Survey results, feedback and suggestions of students, staff and employers about the process."),
    )
    nonconformities = models.TextField(
        _("audits, nonconformities, complaints and corrective actions"),
        blank=True,
        help_text=_("Findings of internal and external audits, complaints, and the corrective and preventive actions."),
    )
    risks = models.TextField(
        _("effectiveness of the actions on risks and opportunities"),
        blank=True,
    )
    # 4. Conclusion and improvement (§10.1.3, §11.1).
    effectiveness = models.CharField(
        _("effectiveness of the process"), max_length=16, choices=ProcessEffectiveness.choices, blank=True
    )
    improvements = models.TextField(
        _("what to improve"),
        blank=True,
        help_text=_("Improvement measures for the next year, with who does them and by when."),
    )
    # The process's indicator figures as they stood at the (last) submission.
    figures = models.JSONField(_("indicator figures"), default=list, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True, editable=False)
    return_comment = models.TextField(_("comment of the quality department"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    # Filled before submission; the other texts may stay empty when there is nothing to say.
    REQUIRED_FIELDS = (
        "objectives_verdict",
        "objectives_comment",
        "measures_done_percent",
        "measures_comment",
        "effectiveness",
        "improvements",
    )

    class Meta:
        verbose_name = _("process analysis")
        verbose_name_plural = _("process analyses")
        ordering = ["process_id", "-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["process", "academic_year"], name="process_analysis_one_per_year")
        ]

    def __str__(self):
        return f"{self.process.code} · {self.academic_year}"

    def get_absolute_url(self):
        return reverse("analysis_detail", args=[self.process_id, self.academic_year.start_year])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES

    def audit_unit_id(self):
        return self.process.audit_unit_id()

    def clean(self):
        if (
            self.process_id
            and self.academic_year_id
            and self.academic_year.institution_id != self.process.institution_id
        ):
            raise ValidationError({"academic_year": _("The academic year belongs to another institution.")})
