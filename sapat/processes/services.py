"""Every write to the process register goes through here: permission first, then validation,
then the save and its audit log entry, in one transaction.

Who may write: the register (codes, groups, names, owners) is kept by those holding
MANAGE_PROCESSES at the institution's top unit — the quality department and the
administrator. A process's map (purpose, resources, inputs, outputs, governing documents,
participating units) may also be kept by its current owner, the person linked to the
account."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import delete_audited, record, save_audited
from sapat.core.models import AuditAction
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Unit

from .models import Process, ProcessInput, ProcessOutput, ProcessOwnership

# The fields of a process an owner may change: its map, not its place in the register.
MAP_FIELDS = ("purpose", "resources")


def root_unit(institution_id) -> Unit | None:
    return Unit.objects.filter(institution_id=institution_id, parent__isnull=True).first()


def can_manage(user, institution_id) -> bool:
    root = root_unit(institution_id)
    return root is not None and access.can(user, Perm.MANAGE_PROCESSES, root)


def is_current_owner(user, process: Process) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None or person.institution_id != process.institution_id:
        return False
    root = root_unit(process.institution_id)
    # Only someone who may see the institution (not an expert's or a reader's bare account).
    if root is None or not access.can(user, Perm.VIEW_ORG, root):
        return False
    return process.ownerships.current().filter(person_id=person.pk).exists()


def can_edit_map(user, process: Process) -> bool:
    return can_manage(user, process.institution_id) or is_current_owner(user, process)


def _require_manage(actor, institution_id):
    if actor is None:
        return  # the system itself (the demo loader)
    if not can_manage(actor, institution_id):
        raise PermissionDenied(_("Only the quality department keeps the process register."))


def _require_map(actor, process):
    if actor is None:
        return
    if not can_edit_map(actor, process):
        raise PermissionDenied(_("Only the process's owner or the quality department may change its map."))


def _original(instance):
    return None if instance._state.adding else type(instance)._base_manager.get(pk=instance.pk)


def _m2m_label(objects) -> str:
    return "; ".join(sorted(str(obj) for obj in objects))


def set_links(actor, process: Process, field: str, objects) -> bool:
    """Replace a process's many-to-many links (units, documents) and log the change as one
    entry with the lists before and after. Permission is the caller's business."""
    manager = getattr(process, field)
    before = list(manager.all())
    after = list(objects)
    if {obj.pk for obj in before} == {obj.pk for obj in after}:
        return False
    manager.set(after)
    record(
        actor=actor,
        instance=process,
        action=AuditAction.UPDATE,
        before={field: _m2m_label(before)},
        after={field: _m2m_label(after)},
    )
    return True


def _check_units(process, units):
    if units is not None and any(u.institution_id != process.institution_id for u in units):
        raise ValidationError({"units": _("The unit belongs to another institution.")})


def _check_documents(process, documents):
    if documents is not None and any(d.institution_id != process.institution_id for d in documents):
        raise ValidationError({"documents": _("The document belongs to another institution.")})


# --- the register ----------------------------------------------------------------------------


@transaction.atomic
def process_save(*, actor, process: Process, units=None, documents=None) -> Process:
    """Add a process to the register or change it (code, group, names, map, in the register
    or not). `units` and `documents`, when given, replace the links."""
    original = _original(process)
    if original is not None:
        _require_manage(actor, original.institution_id)
        process.institution_id = original.institution_id  # a process never changes institution
    _require_manage(actor, process.institution_id)
    _check_units(process, units)
    _check_documents(process, documents)
    save_audited(actor, process)
    if units is not None:
        set_links(actor, process, "units", units)
    if documents is not None:
        set_links(actor, process, "documents", documents)
    return process


@transaction.atomic
def process_map_save(*, actor, process: Process, units=None, documents=None) -> Process:
    """The owner's edit: only the map fields and links are taken from `process`; its code,
    group, names and status stay as they are in the database."""
    original = _original(process)
    if original is None:
        raise ValidationError(_("Add the process to the register first."))
    _require_map(actor, original)
    for name in MAP_FIELDS:
        setattr(original, name, getattr(process, name))
    _check_units(original, units)
    _check_documents(original, documents)
    save_audited(actor, original)
    if units is not None:
        set_links(actor, original, "units", units)
    if documents is not None:
        set_links(actor, original, "documents", documents)
    return original


@transaction.atomic
def process_set_documents(*, actor, process: Process, documents) -> Process:
    """Link the documents that govern the process (the document register's records)."""
    _require_map(actor, process)
    documents = list(documents)
    _check_documents(process, documents)
    set_links(actor, process, "documents", documents)
    return process


# --- owners ----------------------------------------------------------------------------------


@transaction.atomic
def ownership_add(*, actor, ownership: ProcessOwnership) -> ProcessOwnership:
    if not ownership._state.adding:
        raise ValidationError(_("An owner is added once; end it to record a change."))
    _require_manage(actor, ownership.process.institution_id)
    if ownership.person_id and not ownership.position_title:
        # The register names the position: the person's current post when none is given.
        position = ownership.person.positions.current().order_by("-start_date", "id").first()
        ownership.position_title = position.display_title if position else ""
    return save_audited(actor, ownership)


@transaction.atomic
def ownership_end(*, actor, ownership: ProcessOwnership, end_date=None) -> ProcessOwnership:
    """The owner hands the process over: the row stays as history with its end date."""
    _require_manage(actor, ownership.process.institution_id)
    if ownership.end_date is not None and ownership.end_date <= timezone.localdate():
        raise ValidationError(_("This owner's term has already ended."))
    end_date = end_date or timezone.localdate()
    if isinstance(end_date, datetime.datetime):
        end_date = end_date.date()
    if ownership.start_date and end_date < ownership.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    ownership.end_date = end_date
    return save_audited(actor, ownership)


# --- inputs and outputs ----------------------------------------------------------------------


def _item_save(actor, item):
    original = _original(item)
    if original is not None and original.process_id != item.process_id:
        raise ValidationError(_("An input or output stays with its process."))
    _require_map(actor, item.process)
    return save_audited(actor, item)


def _item_delete(actor, item):
    _require_map(actor, item.process)
    delete_audited(actor, item)


@transaction.atomic
def input_save(*, actor, item: ProcessInput) -> ProcessInput:
    return _item_save(actor, item)


@transaction.atomic
def input_delete(*, actor, item: ProcessInput) -> None:
    _item_delete(actor, item)


@transaction.atomic
def output_save(*, actor, item: ProcessOutput) -> ProcessOutput:
    return _item_save(actor, item)


@transaction.atomic
def output_delete(*, actor, item: ProcessOutput) -> None:
    _item_delete(actor, item)
