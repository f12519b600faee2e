"""Questionnaires (versioned), campaigns with their evaluation slots and one-time tokens, and
the anonymous responses.

Anonymity is a property of the schema: a `Response` and its `Answer`s carry the campaign,
the slot (the group, discipline and teacher being evaluated), the day and the language, and
nothing else. A `Token` only records that it was used; it has no link to the response and
no time of use."""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual
from sapat.org.models import Institution, Person, Programme, StudentGroup, Unit

from .choices import SCALED_KINDS, CampaignStatus, QuestionKind, Stakeholder

# Anything smaller would let a teacher recognise a student's answers.
MIN_GROUP_FLOOR = 3
MIN_GROUP_DEFAULT = 5


def new_open_key() -> str:
    return secrets.token_urlsafe(16)


def pick(labels: dict, lang: str | None = None) -> str:
    """A {"ky": …, "ru": …, "en": …} label in the language asked, falling back to Kyrgyz."""
    lang = (lang or get_language() or "ky")[:2]
    for code in (lang, "ky", "ru", "en"):
        if labels.get(code):
            return labels[code]
    return ""


class Questionnaire(Trilingual, TimeStamped):
    """One version of a questionnaire. Once a version has answers it is frozen: editing makes
    the next version (same `key`, `version` + 1) and old results stay tied to the old one."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="questionnaires"
    )
    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_ky = models.CharField(_("name in Kyrgyz"), max_length=300)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    intro_ky = models.TextField(_("introduction in Kyrgyz"), blank=True)
    intro_ru = models.TextField(_("introduction in Russian"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    stakeholder = models.CharField(_("stakeholder group"), max_length=16, choices=Stakeholder.choices)
    per_teaching_slot = models.BooleanField(
        _("asked per discipline and teacher"),
        default=False,
        help_text=_("Student evaluation of teaching: one answer per discipline–teacher pair of the group."),
    )
    pack_version = models.CharField(_("library version"), max_length=20, blank=True)
    # What an import (LimeSurvey) could not map: [{"code", "type", "reason"}].
    import_report = models.JSONField(_("import report"), default=list, blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def get_absolute_url(self):
        return reverse("questionnaire_detail", args=[self.pk])

    def audit_unit_id(self):
        return Unit.objects.filter(institution_id=self.institution_id, parent=None).values_list("pk", flat=True).first()


class Section(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.JSONField(_("title"), default=dict)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return pick(self.title)


class Question(models.Model):
    """`options`, `items` and `scale_labels` are lists of {"ky", "ru", "en"} labels. An
    answer's value is the 1-based position of the option or scale point."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    required = models.BooleanField(_("required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)
    allow_other = models.BooleanField(_("with “other”"), default=False)
    items = models.JSONField(_("matrix items"), default=list, blank=True)
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    # Shown only when the earlier question `show_if_code` was answered with one of these values.
    show_if_code = models.SlugField(_("shown if question"), max_length=40, blank=True)
    show_if_values = models.JSONField(_("has one of the values"), default=list, blank=True)

    class Meta:
        ordering = ["questionnaire_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique")]

    def __str__(self):
        return f"{self.code}. {pick(self.text)}"

    @property
    def scale_max(self) -> int:
        if self.kind == QuestionKind.RATING4:
            return 4
        if self.kind in SCALED_KINDS:
            return len(self.scale_labels) or 5
        return len(self.options)

    @property
    def is_scaled(self) -> bool:
        return self.kind in SCALED_KINDS


class Campaign(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="survey_campaigns"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="survey_campaigns",
        help_text=_("Whose campaign this is: its organisers manage it."),
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    audience = models.CharField(_("target group"), max_length=16, choices=Stakeholder.choices)
    target_units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="+")
    target_programmes = models.ManyToManyField(Programme, verbose_name=_("programmes"), blank=True, related_name="+")
    target_groups = models.ManyToManyField(StudentGroup, verbose_name=_("student groups"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    min_group_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=MIN_GROUP_DEFAULT,
        validators=[MinValueValidator(MIN_GROUP_FLOOR), MaxValueValidator(100)],
        help_text=_("Results of fewer respondents are never shown (at least 3)."),
    )
    open_link = models.BooleanField(
        _("open link"),
        default=False,
        help_text=_("Anyone with the link may answer once per browser (employers, parents)."),
    )
    open_key = models.CharField(max_length=32, unique=True, default=new_open_key, editable=False)
    # A result below either of these (for a group large enough to be shown) may raise an
    # improvement action. The mean is read on a 1–5 scale and stretched to other scales.
    action_positive_below = models.PositiveSmallIntegerField(
        _("raise actions below this share positive, %"), default=60, validators=[MaxValueValidator(100)]
    )
    action_mean_below = models.DecimalField(
        _("raise actions below this mean (1–5)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.50"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Results are compared with it."),
    )

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"),
            models.CheckConstraint(condition=Q(min_group_size__gte=MIN_GROUP_FLOOR), name="campaign_min_group_floor"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign_detail", args=[self.pk])

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
        if self.min_group_size is not None and self.min_group_size < MIN_GROUP_FLOOR:
            raise ValidationError({"min_group_size": _("The smallest group shown cannot be below 3.")})
        if self.questionnaire_id and self.questionnaire.institution_id != self.institution_id:
            raise ValidationError({"questionnaire": _("The questionnaire belongs to another institution.")})
        if self.unit_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})


class Slot(models.Model):
    """What one answer is about, and whose results it counts towards: a student group with
    a discipline and its teacher (teaching evaluation), a group (other student surveys), or
    the whole campaign (staff, employers). Units are copied here so results are one join."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="slots")
    group = models.ForeignKey(StudentGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    discipline = models.CharField(_("discipline"), max_length=300, blank=True)
    teacher = models.ForeignKey(
        Person, verbose_name=_("teacher"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    faculty = models.ForeignKey(Unit, verbose_name=_("faculty"), on_delete=models.PROTECT, related_name="+")
    expected = models.PositiveIntegerField(_("expected respondents"), default=0)

    class Meta:
        ordering = ["campaign_id", "group__name", "discipline"]
        # Slots without a group or teacher are made with get_or_create (NULLs are distinct here).
        constraints = [
            models.UniqueConstraint(fields=["campaign", "group", "discipline", "teacher"], name="slot_unique")
        ]

    def __str__(self):
        parts = [str(self.group or ""), self.discipline, self.teacher.short_name if self.teacher else ""]
        return " · ".join(p for p in parts if p) or str(self.campaign)


class Token(models.Model):
    """A one-time access code. It knows its slot (for response rates) and whether it was
    used — never by which response, never when."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tokens")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="tokens")
    code = models.CharField(max_length=24, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["slot", "used"])]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("survey_answer", args=[self.code])


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()  # the day only
    language = models.CharField(max_length=2)

    class Meta:
        indexes = [models.Index(fields=["campaign", "slot"])]

    def __str__(self):
        return f"{self.campaign_id}/{self.pk}"


class Answer(models.Model):
    """One value: a scale point or option (`value`), a number, or text. Matrix rows use
    `item` (1-based); a multiple choice stores one row per option ticked. Campaign and slot
    are copied from the response so results are computed without joining it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    item = models.PositiveSmallIntegerField(default=0)
    value = models.IntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "question", "slot"])]

    def __str__(self):
        return f"{self.question_id}={self.value if self.value is not None else self.text[:20]}"


class Invitation(models.Model):
    """One e-mail address asked to answer a campaign, with the token mailed to it.

    Anonymity: `token` is the only link between a person and a token, and it lasts only
    while the token is unused. A database trigger (migration `lime_invitations_thresholds`)
    sets it to NULL in the very statement that marks the token used, whatever code does
    that, so no row ever ties a used token, nor the response stored with it, to an
    address. What remains is that this address was invited and no longer holds an unused
    token: reminders need exactly that (they go to the rows still holding one), and a
    response has neither token nor time finer than the day to be matched with it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=2, default="ky")
    token = models.OneToOneField(Token, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="invitation_once")]

    def __str__(self):
        return self.email
