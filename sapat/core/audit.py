"""Writing the append-only audit log. Services call `save_audited` / `delete_audited` (or
`record` directly) so that every change to a business record is logged once, with the
values before and after."""

import datetime
import decimal
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditAction, AuditEntry

# Bookkeeping columns that change on every save and say nothing about the record.
SKIPPED_FIELDS = {"updated_at", "created_at", "path", "depth", "password", "last_login", "extracted_text", "version"}
# Long texts are logged by their beginning and length; the record itself keeps them whole.
LOGGED_TEXT = 4000


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, str) and len(value) > LOGGED_TEXT:
        return f"{value[:LOGGED_TEXT]}… ({len(value)})"
    return value


def snapshot(instance) -> dict:
    """The record's own column values, in JSON-safe form; foreign keys by their label.
    Fields a model names in `AUDIT_DIGEST_FIELDS` are logged by length and digest only: the
    log is read more widely than a draft's text may be (document drafts)."""
    values = {}
    digested = getattr(instance, "AUDIT_DIGEST_FIELDS", ())
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in SKIPPED_FIELDS:
            continue
        if field.name in digested:
            text = getattr(instance, field.attname) or ""
            values[field.name] = (
                f"{len(text)} · sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}" if text else ""
            )
        elif field.is_relation:
            related_id = getattr(instance, field.attname)
            values[field.name] = _plain(getattr(instance, field.name)) if related_id is not None else None
        else:
            values[field.name] = _plain(getattr(instance, field.attname))
    return values


def _diff(before: dict, after: dict) -> dict:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def scope_unit_id(instance):
    """The unit whose scope a record falls in: the unit itself, its `unit`, or what the
    model's `audit_unit_id()` says (records that hang off a programme or an institution)."""
    getter = getattr(instance, "audit_unit_id", None)
    if callable(getter):
        return getter()
    if instance._meta.label == "org.Unit":
        return instance.pk
    if hasattr(instance, "unit_id"):
        return instance.unit_id
    person = getattr(instance, "person", None)  # an account: its person's unit
    return getattr(person, "unit_id", None)


def record(*, actor, instance, action, before=None, after=None, note="", unit_id=None) -> AuditEntry | None:
    """Log one change. `unit_id` names the scope when the record cannot tell it yet (an
    account opened for a person before the person is linked to it)."""
    changes = _diff(before or {}, after or {})
    if action == AuditAction.UPDATE and not changes and not note:
        return None
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_actor_name(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        unit_id=unit_id if unit_id is not None else scope_unit_id(instance),
        changes=changes,
        note=note[:300],
    )


def _actor_name(actor) -> str:
    if actor is None or not actor.pk:
        return ""  # the system itself: a command or the demo loader; pages show it translated
    person = getattr(actor, "person", None)
    return f"{person.full_name} ({actor.username})" if person else actor.username


def save_audited(actor, instance, *, note="", validate=True, unit_id=None):
    """Validate, save and log one record; creation and change are told apart by the
    record's state, and the values before are read back from the database."""
    creating = instance._state.adding
    before = {} if creating else snapshot(type(instance)._base_manager.get(pk=instance.pk))
    if validate:
        instance.full_clean()
    instance.save()
    record(
        actor=actor,
        instance=instance,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        before=before,
        after=snapshot(instance),
        note=note,
        unit_id=unit_id,
    )
    return instance


def delete_audited(actor, instance, *, note=""):
    before = snapshot(instance)
    record(actor=actor, instance=instance, action=AuditAction.DELETE, before=before, note=note)
    instance.delete()
