from django.db import models
from django.utils.translation import gettext_lazy as _


class Stakeholder(models.TextChoices):
    """The stakeholder groups of the seeds' satisfaction responsibility matrix (004 §8.8)."""

    STUDENTS = "students", _("Students")
    STAFF = "staff", _("Teachers and staff")
    GRADUATES = "graduates", _("Graduates")
    EMPLOYERS = "employers", _("Employers")
    PARENTS = "parents", _("Parents")
    PARTNERS = "partners", _("Stakeholders (influence matrix)")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Likert scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    MATRIX = "matrix", _("Matrix (several items on one scale)")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    RATING4 = "rating4", _("Influence rating 1–4")


SCALED_KINDS = {QuestionKind.LIKERT, QuestionKind.MATRIX, QuestionKind.RATING4}
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
