import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A sign-in account. The person it belongs to is `user.person` (org.Person)."""

    # Empty until the user picks one: then the installation's default language (Kyrgyz) applies.
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Trilingual:
    """Models with `<field>_ky`, `<field>_ru`, `<field>_en` columns read them in the active
    language, falling back to Kyrgyz and then to whatever is filled."""

    def tr(self, field: str) -> str:
        lang = (get_language() or "ky")[:2]
        for code in (lang, "ky", "ru", "en"):
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return value
        return ""

    @property
    def name(self) -> str:
        return self.tr("name")


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditEntry(models.Model):
    """One change to one business record. Append-only: the model refuses updates and
    deletes, and database triggers (migration 0003) refuse them below the ORM too."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(_("who"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("record"), max_length=300)
    # The unit the record belonged to when it changed: the log is scoped by the unit tree
    # like every other list, without joining each record type.
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


def attachment_path(instance, filename):
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    return f"attachments/{instance.content_type.app_label}/{instance.content_type.model}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """An evidence file on any quality record (an indicator value, a nonconformity, an audit
    checklist answer…). Which records take attachments, and who may see or add them, is
    registered by their app in `sapat.core.attachments`."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name

    def audit_unit_id(self):
        from .audit import scope_unit_id

        return scope_unit_id(self.record) if self.record is not None else None
