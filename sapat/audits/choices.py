from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("audit programme", "Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", pgettext_lazy("audit programme", "Approved, in force")
    SUPERSEDED = "superseded", pgettext_lazy("audit programme", "Superseded")


class AmendmentReason(models.TextChoices):
    """The seeds' four reasons to change an approved programme (004 §8.1, 001 §5.1), and "other"."""

    CONSUMER = "consumer", _("Information received from a consumer")
    NEW_PROCEDURES = "new_procedures", _("New procedures introduced")
    STRUCTURE = "structure", _("A change of the institution's structure")
    QMS_CHANGE = "qms_change", _("A significant change of the QMS")
    OTHER = "other", _("Other reason")


class AuditorKind(models.TextChoices):
    COUNCIL = "council", _("Member of the educational-methodical council")
    QUALITY = "quality", _("Member of the quality management staff")
    TEACHER = "teacher", _("Leading teacher")
    OTHER = "other", _("Other")


class AuditState(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    CONDUCT = "conduct", _("Conduct")
    REPORT = "report", _("Report being written")
    LEAD_APPROVED = "lead_approved", _("Report approved by the lead auditor")
    APPROVED = "approved", _("Report approved by the quality department")
    DISTRIBUTED = "distributed", _("Report distributed")


class Answer(models.TextChoices):
    OPEN = "", _("Not answered")
    CONFORMS = "conforms", _("Conforms")
    NONCONFORMS = "nonconforms", _("Does not conform")
    NOT_APPLICABLE = "na", _("Not applicable")


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Audited unit")
    OWNER = "owner", _("Process owner")
    MANAGEMENT = "management", _("Management")


# The default scale of findings (the seeds give none: 004 §8.1 "NOT IN DOCUMENT"):
# code, is a nonconformity, names in ky / ru / en.
DEFAULT_FINDING_SCALE = (
    ("major", True, "Олуттуу туура келбөөчүлүк", "Значительное несоответствие", "Major nonconformity"),
    ("minor", True, "Анча олуттуу эмес туура келбөөчүлүк", "Незначительное несоответствие", "Minor nonconformity"),
    ("observation", False, "Байкоо", "Наблюдение", "Observation"),
    ("improvement", False, "Өркүндөтүү мүмкүнчүлүгү", "Возможность для улучшения", "Opportunity for improvement"),
    ("good_practice", False, "Жакшы тажрыйба", "Положительная практика", "Good practice"),
)
