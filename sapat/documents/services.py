"""Every step of a document's life: register, revise, agree, approve, register, bring into
force, acquaint, review, withdraw; records and their disposal. Each step checks who may take
it and from which state, writes the audit log and sends its notifications on commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.core.audit import delete_audited, save_audited
from sapat.core.audit import record as audit_record
from sapat.core.models import AuditAction
from sapat.core.notify import notify
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Person, Unit

from . import files, search
from .choices import FROZEN_STATES, AgreementDecision, ApproverKind, DocumentStatus, ReviewOutcome, RevisionState
from .models import (
    Acquaintance,
    AgreementStep,
    CodeCounter,
    Document,
    DocumentReview,
    DocumentType,
    LanguageVersion,
    Record,
    RecordType,
    Revision,
    add_months,
)


def _person_of(user) -> Person | None:
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def _root(institution_id) -> Unit:
    return Unit.objects.get(institution_id=institution_id, parent__isnull=True)


def can_manage(user, document: Document) -> bool:
    """Owners, and those who manage documents in the owning unit's scope."""
    person = _person_of(user)
    if person is not None and document.owner_id == person.pk:
        return True
    return access.can(user, Perm.MANAGE_DOCUMENTS, document.unit)


def require_manage(user, document: Document) -> None:
    if not can_manage(user, document):
        raise PermissionDenied(_("Only the document's owner or the quality department may do this."))


def _check_version(instance, expected_version) -> None:
    """Two people editing the same draft: the second save is refused, never merged."""
    if expected_version is not None and int(expected_version) != instance.version:
        raise ValidationError(
            _("Someone else saved this in the meantime. Reload the page to see their changes, then edit again.")
        )


def _require_state(revision: Revision, *states) -> None:
    if revision.state not in states:
        raise ValidationError(
            _("This cannot be done while the revision is “%(state)s”.") % {"state": revision.get_state_display()}
        )


# --- configuration -------------------------------------------------------------------------


@transaction.atomic
def document_type_save(*, actor, doc_type: DocumentType) -> DocumentType:
    access.require(actor, Perm.CONFIGURE_DOCUMENTS, _root(doc_type.institution_id))
    if doc_type.approver_id and doc_type.approver.institution_id != doc_type.institution_id:
        raise ValidationError({"approver": _("The person belongs to another institution.")})
    if doc_type.approval_body_id and doc_type.approval_body.institution_id != doc_type.institution_id:
        raise ValidationError({"approval_body": _("The unit belongs to another institution.")})
    return save_audited(actor, doc_type)


@transaction.atomic
def record_type_save(*, actor, record_type: RecordType) -> RecordType:
    """Save a record type; records still kept follow a changed retention period."""
    access.require(actor, Perm.CONFIGURE_DOCUMENTS, _root(record_type.institution_id))
    save_audited(actor, record_type)
    kept = list(record_type.records.filter(disposed_on__isnull=True))
    for record in kept:
        record.keep_until = add_months(record.dated, record_type.retention_months)
    Record.objects.bulk_update(kept, ["keep_until"])
    return record_type


# --- documents -----------------------------------------------------------------------------


def _next_code(document: Document) -> str:
    """The next code from the type's pattern. The counter row is locked while it is read and
    bumped, so two documents registered at once never get the same number."""
    doc_type = document.doc_type
    values = {"type": doc_type.code, "unit": document.unit.code, "year": timezone.localdate().year}
    prefix = doc_type.code_pattern.format(**values, seq=0)  # the key: the pattern with the number at 0
    counter, _created = CodeCounter.objects.select_for_update(of=("self",)).get_or_create(
        institution_id=document.institution_id, prefix=prefix
    )
    while True:
        counter.last = F("last") + 1
        counter.save(update_fields=["last"])
        counter.refresh_from_db(fields=["last"])
        code = doc_type.code_pattern.format(**values, seq=counter.last)
        if not Document.objects.filter(institution_id=document.institution_id, code=code).exists():
            return code


@transaction.atomic
def document_create(*, actor, document: Document) -> Document:
    """Register a new document with a fresh code and an empty first revision (a draft for an
    internal document; for an external one, the copy as received)."""
    document.institution_id = document.unit.institution_id
    access.require(actor, Perm.MANAGE_DOCUMENTS, document.unit)
    if document.doc_type.institution_id != document.institution_id:
        raise ValidationError({"doc_type": _("The document type belongs to another institution.")})
    if not document.review_months:
        document.review_months = document.doc_type.review_months
    document.full_clean(exclude=["code"])
    document.code = _next_code(document)
    save_audited(actor, document)
    save_audited(actor, Revision(document=document, number=1, author=actor if actor.pk else None))
    search.reindex_document(document)
    return document


@transaction.atomic
def document_update(
    *, actor, document: Document, expected_version=None, distributed_units=None, distributed_people=None
) -> Document:
    original = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    require_manage(actor, original)
    require_manage(actor, document)  # and where it is going, if the owning unit changes
    _check_version(original, expected_version)
    document.version = original.version + 1
    document.code = original.code
    save_audited(actor, document)
    if distributed_units is not None:
        document.distributed_units.set(distributed_units)
    if distributed_people is not None:
        document.distributed_people.set(distributed_people)
    search.reindex_document(document)
    return document


@transaction.atomic
def revision_start(*, actor, document: Document) -> Revision:
    """Open the next revision, starting from the text of the one in force."""
    require_manage(actor, document)
    if document.revisions.exclude(state__in=FROZEN_STATES).exists():
        raise ValidationError(_("A revision is already being prepared; finish or discard it first."))
    if document.revisions.filter(state__in=[RevisionState.APPROVED, RevisionState.REGISTERED]).exists():
        raise ValidationError(_("The approved revision has not come into force yet; register it first."))
    previous = document.revisions.order_by("-number").first()
    revision = save_audited(
        actor, Revision(document=document, number=(previous.number + 1) if previous else 1, author=actor)
    )
    if previous is not None:
        # Texts written in the app are carried over; a version that was only a file is not
        # (files are uploaded anew: the new revision is a new file).
        for version in previous.versions.exclude(text=""):
            save_audited(actor, LanguageVersion(revision=revision, language=version.language, text=version.text))
    search.reindex_document(document)
    return revision


@transaction.atomic
def revision_update(*, actor, revision: Revision, expected_version=None) -> Revision:
    original = Revision.objects.select_for_update(of=("self",)).get(pk=revision.pk)
    require_manage(actor, original.document)
    if original.is_frozen:
        raise ValidationError(_("An approved revision cannot be edited. Start a new revision."))
    _require_state(original, RevisionState.DRAFT)
    _check_version(original, expected_version)
    revision.version = original.version + 1
    revision.state = original.state
    return save_audited(actor, revision)


def version_token(version: LanguageVersion | None) -> str:
    """The `expected_version` of a language version (it has no counter of its own): when it
    was last saved, or "" while it does not exist yet."""
    return version.updated_at.isoformat() if version is not None and version.pk else ""


@transaction.atomic
def version_save(
    *, actor, revision: Revision, language: str, text: str = "", upload=None, expected_version=None
) -> LanguageVersion:
    """Write or replace one language version of a draft: text, a file, or both. With
    `expected_version` (a `version_token` read when the form was opened), a save made by
    someone else in the meantime is refused rather than overwritten."""
    revision = Revision.objects.select_for_update(of=("self",)).get(pk=revision.pk)
    require_manage(actor, revision.document)
    if revision.is_frozen:
        raise ValidationError(_("An approved revision cannot be edited. Start a new revision."))
    _require_state(revision, RevisionState.DRAFT)
    existing = LanguageVersion.objects.filter(revision=revision, language=language).first()
    if expected_version is not None and str(expected_version) != version_token(existing):
        raise ValidationError(
            _("Someone else saved this in the meantime. Reload the page to see their changes, then edit again.")
        )
    version = existing or LanguageVersion(revision=revision, language=language)
    version.text = text
    if upload is not None:
        checked = files.check_upload(upload)  # refuses wrong content or size with a clear message
        version.sha256, version.size, version.file_format = checked.sha256, checked.size, checked.file_format
        version.original_name = upload.name[:255]
        version.extracted_text = checked.text
        version.file.save(checked.file_format, checked.content, save=False)
    save_audited(actor, version)
    search.reindex_document(revision.document)
    return version


@transaction.atomic
def agreement_set(*, actor, revision: Revision, people: list[Person]) -> list[AgreementStep]:
    """Set who agrees a draft, in order (the agreement sheet)."""
    require_manage(actor, revision.document)
    _require_state(revision, RevisionState.DRAFT)
    if len({p.pk for p in people}) != len(people):
        raise ValidationError(_("A person can appear on the agreement sheet only once."))
    if any(p.institution_id != revision.document.institution_id for p in people):
        raise ValidationError(_("The person belongs to another institution."))
    for step in revision.agreement_steps.all():
        delete_audited(actor, step)
    return [
        save_audited(actor, AgreementStep(revision=revision, order=n, person=person))
        for n, person in enumerate(people, start=1)
    ]


def _next_pending(revision: Revision) -> AgreementStep | None:
    return revision.agreement_steps.filter(decision=AgreementDecision.PENDING).order_by("order").first()


def _set_state(actor, revision: Revision, state, **fields) -> Revision:
    revision.state = state
    for name, value in fields.items():
        setattr(revision, name, value)
    revision.version += 1
    return save_audited(actor, revision)


def _ask_approval(actor, revision: Revision) -> None:
    _set_state(actor, revision, RevisionState.APPROVAL)
    doc_type = revision.document.doc_type
    if doc_type.approver_kind == ApproverKind.PERSON and doc_type.approver_id:
        notify([doc_type.approver], "documents/mail/approve", {"revision": revision})


@transaction.atomic
def revision_submit(*, actor, revision: Revision) -> Revision:
    """Send a draft round the agreement sheet (or straight to approval when it has none)."""
    revision = Revision.objects.select_for_update(of=("self",)).get(pk=revision.pk)
    require_manage(actor, revision.document)
    _require_state(revision, RevisionState.DRAFT)
    if not revision.versions.exists():
        raise ValidationError(_("Write the text or attach a file in at least one language first."))
    if revision.number > 1 and not revision.summary.strip():
        raise ValidationError({"summary": _("Say what this revision changes.")})
    revision.agreement_steps.update(decision=AgreementDecision.PENDING, comment="", decided_at=None)
    first = _next_pending(revision)
    if first is None:
        _ask_approval(actor, revision)
    else:
        _set_state(actor, revision, RevisionState.AGREEMENT)
        notify([first.person], "documents/mail/agree", {"revision": revision})
    return revision


@transaction.atomic
def agreement_decide(*, actor, step: AgreementStep, agreed: bool, comment: str = "") -> AgreementStep:
    """The person whose turn it is agrees, or returns the draft with a comment."""
    step = AgreementStep.objects.select_for_update(of=("self",)).select_related("revision", "person").get(pk=step.pk)
    revision = step.revision
    _require_state(revision, RevisionState.AGREEMENT)
    if _person_of(actor) is None or _person_of(actor).pk != step.person_id:
        raise PermissionDenied(_("Only the person on this line of the agreement sheet can decide."))
    current = _next_pending(revision)
    if current is None or current.pk != step.pk:
        raise ValidationError(_("It is not your turn on the agreement sheet yet."))
    if not agreed and not comment.strip():
        raise ValidationError({"comment": _("Say why you return the draft.")})
    step.decision = AgreementDecision.AGREED if agreed else AgreementDecision.RETURNED
    step.comment, step.decided_at = comment.strip(), timezone.now()
    save_audited(actor, step)
    owner = [revision.document.owner] if revision.document.owner else []
    if not agreed:
        _set_state(actor, revision, RevisionState.DRAFT)
        notify(owner, "documents/mail/returned", {"revision": revision, "step": step})
    elif (following := _next_pending(revision)) is not None:
        notify([following.person], "documents/mail/agree", {"revision": revision})
    else:
        _ask_approval(actor, revision)
    return step


def can_approve(user, revision: Revision) -> bool:
    doc_type = revision.document.doc_type
    if doc_type.approver_kind == ApproverKind.PERSON:
        person = _person_of(user)
        if doc_type.approver_id:
            return person is not None and person.pk == doc_type.approver_id
        return access.can(user, Perm.MANAGE_DOCUMENTS, _root(revision.document.institution_id))
    # A council's decision is entered from its protocol by the quality department.
    return access.can(user, Perm.MANAGE_DOCUMENTS, _root(revision.document.institution_id))


@transaction.atomic
def revision_approve(*, actor, revision: Revision, approved_on=None, protocol_number="", protocol_date=None):
    revision = Revision.objects.select_for_update(of=("self",)).select_related("document__doc_type").get(pk=revision.pk)
    _require_state(revision, RevisionState.APPROVAL)
    if not can_approve(actor, revision):
        raise PermissionDenied(_("Only the approver named for this document type can approve it."))
    doc_type = revision.document.doc_type
    approved_on = approved_on or timezone.localdate()
    if doc_type.approver_kind == ApproverKind.COUNCIL:
        if not protocol_number or not protocol_date:
            raise ValidationError(
                _("Give the number and date of the protocol of %(body)s.")
                % {"body": doc_type.approval_body.name if doc_type.approval_body else ""}
            )
        if protocol_date > approved_on:
            raise ValidationError({"protocol_date": _("The protocol is dated after the approval.")})
    return _set_state(
        actor,
        revision,
        RevisionState.APPROVED,
        approved_on=approved_on,
        approved_by=_person_of(actor),
        approval_body=doc_type.approval_body if doc_type.approver_kind == ApproverKind.COUNCIL else None,
        protocol_number=protocol_number,
        protocol_date=protocol_date,
    )


@transaction.atomic
def revision_return_from_approval(*, actor, revision: Revision, comment: str) -> Revision:
    revision = Revision.objects.select_for_update(of=("self",)).get(pk=revision.pk)
    _require_state(revision, RevisionState.APPROVAL)
    if not can_approve(actor, revision):
        raise PermissionDenied(_("Only the approver named for this document type can approve it."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say why you return the draft.")})
    _set_state(actor, revision, RevisionState.DRAFT)
    audit_record(actor=actor, instance=revision, action=AuditAction.UPDATE, note=comment.strip()[:300])
    return revision


@transaction.atomic
def revision_register(*, actor, revision: Revision, effective_date) -> Revision:
    """Register an approved revision; it comes into force on its effective date."""
    revision = Revision.objects.select_for_update(of=("self",)).select_related("document").get(pk=revision.pk)
    access.require(actor, Perm.MANAGE_DOCUMENTS, revision.document.unit)
    _require_state(revision, RevisionState.APPROVED)
    if revision.approved_on and effective_date < revision.approved_on:
        raise ValidationError({"effective_date": _("A revision cannot come into force before it was approved.")})
    _set_state(
        actor, revision, RevisionState.REGISTERED, registered_on=timezone.localdate(), effective_date=effective_date
    )
    if effective_date <= timezone.localdate():
        bring_into_force(actor=actor, revision=revision)
    return revision


def distribution_people(document: Document):
    """Everyone who must read the document: its people, and the staff of its units and
    of every unit below them (by their main unit), who have not left."""
    units = list(document.distributed_units.values_list("path", flat=True))
    people = Person.objects.filter(institution_id=document.institution_id, left_on__isnull=True)
    chosen = people.filter(pk__in=document.distributed_people.values("pk"))
    for path in units:
        chosen = chosen | people.filter(unit__path__startswith=path)
    return chosen.distinct()


@transaction.atomic
def bring_into_force(*, actor, revision: Revision) -> Revision:
    """The single-in-force rule: the revision in force until now becomes obsolete."""
    document = Document.objects.select_for_update(of=("self",)).get(pk=revision.document_id)
    today = timezone.localdate()
    for previous in document.revisions.filter(state=RevisionState.IN_FORCE).exclude(pk=revision.pk):
        _set_state(actor, previous, RevisionState.OBSOLETE, ended_on=today)
    _set_state(actor, revision, RevisionState.IN_FORCE, effective_date=revision.effective_date or today)
    document.status = DocumentStatus.IN_FORCE
    document.next_review_on = add_months(revision.effective_date or today, document.review_months)
    document.version += 1
    save_audited(actor, document)
    search.reindex_document(document)
    readers = list(distribution_people(document).select_related("user"))
    Acquaintance.objects.bulk_create(
        [Acquaintance(revision=revision, person=p) for p in readers], ignore_conflicts=True
    )
    notify(readers, "documents/mail/read", {"revision": revision, "document": document})
    return revision


@transaction.atomic
def external_register(*, actor, document: Document, received_on=None) -> Revision:
    """An external document (law, Ministry order, standard) or an amendment to it: the copy
    as received is registered and in force at once, and its readers are asked to read it."""
    require_manage(actor, document)
    if not document.is_external:
        raise ValidationError(_("Only external documents are registered this way."))
    revision = document.revisions.filter(state=RevisionState.DRAFT).order_by("-number").first()
    if revision is None or not revision.versions.exists():
        raise ValidationError(_("Attach the received copy first."))
    received_on = received_on or timezone.localdate()
    _set_state(
        actor,
        revision,
        RevisionState.REGISTERED,
        registered_on=received_on,
        effective_date=received_on,
        approved_on=document.external_date,
    )
    return bring_into_force(actor=actor, revision=revision)


@transaction.atomic
def document_withdraw(*, actor, document: Document, note: str = "") -> Document:
    document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    require_manage(actor, document)
    today = timezone.localdate()
    # A revision registered to come into force later is withdrawn with it, or the daily job
    # would bring it into force and the document back with it.
    for revision in document.revisions.filter(state__in=[RevisionState.IN_FORCE, RevisionState.REGISTERED]):
        _set_state(actor, revision, RevisionState.WITHDRAWN, ended_on=today)
    document.status = DocumentStatus.WITHDRAWN
    document.next_review_on = None
    document.version += 1
    save_audited(actor, document, note=note[:300])
    search.reindex_document(document)
    return document


@transaction.atomic
def document_archive(*, actor, document: Document) -> Document:
    require_manage(actor, document)
    if document.status != DocumentStatus.WITHDRAWN:
        raise ValidationError(_("Only a withdrawn document can be archived."))
    document.status = DocumentStatus.ARCHIVED
    document.version += 1
    return save_audited(actor, document)


# --- acquaintance and review ------------------------------------------------------------------


@transaction.atomic
def acquaintance_confirm(*, actor, acquaintance: Acquaintance) -> Acquaintance:
    person = _person_of(actor)
    if person is None or person.pk != acquaintance.person_id:
        raise PermissionDenied(_("Only the person asked can confirm they have read it."))
    if acquaintance.revision.state != RevisionState.IN_FORCE:
        raise ValidationError(_("This revision is no longer in force."))
    if acquaintance.confirmed_at is None:
        acquaintance.confirmed_at = timezone.now()
        save_audited(actor, acquaintance)
    return acquaintance


@transaction.atomic
def acquaintance_remind(*, actor, document: Document) -> int:
    """Remind everyone who has not yet read the revision in force; returns how many."""
    require_manage(actor, document)
    revision = document.revisions.filter(state=RevisionState.IN_FORCE).first()
    if revision is None:
        raise ValidationError(_("The document has no revision in force."))
    pending = list(revision.acquaintances.filter(confirmed_at__isnull=True).select_related("person__user"))
    now = timezone.now()
    Acquaintance.objects.filter(pk__in=[a.pk for a in pending]).update(reminded_at=now)
    return notify(
        [a.person for a in pending],
        "documents/mail/read",
        {"revision": revision, "document": document, "reminder": True},
    )


@transaction.atomic
def document_review(*, actor, document: Document, outcome: str, note: str = "") -> DocumentReview:
    """Record the periodic check; a document still current is due again one interval later."""
    require_manage(actor, document)
    if document.status != DocumentStatus.IN_FORCE:
        raise ValidationError(_("Only a document in force is reviewed."))
    review = save_audited(
        actor, DocumentReview(document=document, reviewed_by=_person_of(actor), outcome=outcome, note=note)
    )
    if outcome == ReviewOutcome.CURRENT:
        document.next_review_on = add_months(review.reviewed_on, document.review_months)
        document.version += 1
        save_audited(actor, document)
    return review


# --- records ----------------------------------------------------------------------------------


@transaction.atomic
def record_save(*, actor, record: Record) -> Record:
    access.require(actor, Perm.MANAGE_RECORDS, record.unit)
    if record.pk is not None:
        # A change is checked where the record comes from too, and against the stored row.
        original = Record.objects.select_for_update(of=("self",)).select_related("unit").get(pk=record.pk)
        access.require(actor, Perm.MANAGE_RECORDS, original.unit)
        if original.disposed_on:
            raise ValidationError(_("A disposed record cannot be changed."))
    if record.disposed_on:
        raise ValidationError(_("A disposed record cannot be changed."))
    if record.record_type.institution_id != record.unit.institution_id:
        raise ValidationError({"record_type": _("The record type belongs to another institution.")})
    return save_audited(actor, record)


@transaction.atomic
def record_dispose(*, actor, record: Record, note: str) -> Record:
    """Dispose of a record past its retention; the disposal itself stays on record. A record
    is kept through its keep-until day (as `selectors.records_due_for_disposal` lists it)."""
    record = Record.objects.select_for_update(of=("self",)).select_related("unit").get(pk=record.pk)
    access.require(actor, Perm.MANAGE_RECORDS, record.unit)
    today = timezone.localdate()
    if record.disposed_on:
        raise ValidationError(_("This record has already been disposed of."))
    if record.keep_until >= today:
        raise ValidationError(_("This record must be kept until %(date)s.") % {"date": record.keep_until})
    if not note.strip():
        raise ValidationError({"disposal_note": _("Give the disposal act (number and date).")})
    record.disposed_on, record.disposed_by, record.disposal_note = today, _person_of(actor), note.strip()
    return save_audited(actor, record)
