"""Evidence files on quality records, for every app. An app registers each model that takes
attachments with two rules of its own (who may see the record's files, who may add them);
the files, their checks, downloads and the audit trail are the same everywhere.

    attachments.register(Nonconformity, can_view=lambda user, nc: ..., can_attach=...)
    attachment_add(actor=user, record=nc, upload=request.FILES["file"])
    {% load attachments %}{% attachment_panel nc %}
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from sapat.lib import uploads

from . import audit
from .models import Attachment


@dataclass(frozen=True)
class Rules:
    can_view: Callable
    can_attach: Callable
    formats: tuple


_REGISTRY: dict[str, Rules] = {}


def register(model, *, can_view, can_attach, formats=uploads.EVIDENCE_FORMATS):
    """`can_view(user, record)` and `can_attach(user, record)` answer for one record; `user`
    may be anonymous (public pages) and `None` only for the system itself."""
    _REGISTRY[model._meta.label_lower] = Rules(can_view, can_attach, tuple(formats))


def rules_for(record) -> Rules:
    try:
        return _REGISTRY[record._meta.label_lower]
    except KeyError as exc:
        raise LookupError(f"{record._meta.label} does not take attachments") from exc


def can_view(user, record) -> bool:
    return bool(rules_for(record).can_view(user, record))


def can_attach(user, record) -> bool:
    return bool(rules_for(record).can_attach(user, record))


def attachments_of(record):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True), object_id=record.pk
    ).select_related("uploaded_by")


@transaction.atomic
def attachment_add(*, actor, record, upload, note="") -> Attachment:
    """Store a checked file on `record`. `actor` None is a public submission (a complaint
    without an account): the record's own rules decide whether that is allowed."""
    rules = rules_for(record)
    if not rules.can_attach(actor, record):
        raise PermissionDenied(_("You may not add files to this record."))
    checked = uploads.check_upload(upload, rules.formats)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=record.pk,
        name=checked.name,
        file_format=checked.file_format,
        size=checked.size,
        sha256=checked.sha256,
        note=note[:300],
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    attachment.file.save(checked.name, checked.content, save=False)
    return audit.save_audited(actor if actor is not None and actor.is_authenticated else None, attachment)


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment):
    """Take a file off its record (a wrong upload). The row goes, the audit log keeps its
    name and digest, and the stored file stays on disk."""
    if attachment.record is None or not can_attach(actor, attachment.record):
        raise PermissionDenied(_("You may not remove files from this record."))
    audit.delete_audited(actor, attachment)


def visible_attachment(user, pk) -> Attachment:
    """The attachment if `user` may see its record, else 404 (not 403: its existence is not told)."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None or attachment.record is None or not can_view(user, attachment.record):
        raise Http404
    return attachment
