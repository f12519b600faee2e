from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    APPEAL = "appeal", _("Appeal")
    GRATITUDE = "gratitude", _("Gratitude")


class Submitter(models.TextChoices):
    STUDENT = "student", _("Student")
    PARENT = "parent", _("Parent")
    EMPLOYER = "employer", _("Employer")
    STAFF = "staff", _("Staff member")
    GRADUATE = "graduate", _("Graduate")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    """What it is about, for the analysis; the quality department may correct it when routing."""

    TEACHING = "teaching", _("Teaching and assessment")
    ORGANISATION = "organisation", _("Timetable and organisation of studies")
    FACILITIES = "facilities", _("Buildings, equipment and dormitories")
    SERVICES = "services", _("Library, offices and other services")
    CONDUCT = "conduct", _("Conduct and ethics")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    NEW = "new", _("Received")
    ROUTED = "routed", _("With the responsible unit")
    CLOSED = "closed", _("Answered")


class MessageKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Message from the sender")
    NOTE = "note", _("Internal note")
