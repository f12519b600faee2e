import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.documents import services
from sapat.documents.choices import DocumentStatus, RevisionState
from sapat.documents.models import Acquaintance, Revision
from sapat.documents.tests import factories as f
from sapat.org.tests import factories


@pytest.fixture
def setup(world):
    world.rector_person = world.rector.person
    world.dtype = f.doc_type(world.inst, approver=world.rector_person)
    world.agreer = world.head_a.person
    return world


def take_into_force(w, doc):
    revision = doc.revisions.order_by("-number").first()
    services.version_save(actor=w.quality, revision=revision, language="ky", text="1. Жалпы жоболор")
    services.agreement_set(actor=w.quality, revision=revision, people=[w.agreer])
    services.revision_submit(actor=w.quality, revision=revision)
    step = revision.agreement_steps.get()
    services.agreement_decide(actor=w.head_a, step=step, agreed=True)
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=revision.pk))
    services.revision_register(
        actor=w.quality, revision=Revision.objects.get(pk=revision.pk), effective_date=timezone.localdate()
    )
    return Revision.objects.get(pk=revision.pk)


def test_codes_follow_the_pattern_and_are_never_reused(setup):
    w = setup
    first = f.document(w.quality, w.fac_a, w.dtype)
    second = f.document(w.quality, w.fac_a, w.dtype, title="Түзөтүүчү аракеттер")
    assert (first.code, second.code) == ("СМС-ДП-01", "СМС-ДП-02")


def test_full_life_cycle_and_single_in_force(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    doc.distributed_units.add(w.dep_a)
    first = take_into_force(w, doc)
    assert first.state == RevisionState.IN_FORCE
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.IN_FORCE and doc.next_review_on
    assert Acquaintance.objects.filter(revision=first, person=w.staff_a.person).exists()

    second = services.revision_start(actor=w.quality, document=doc)
    second.summary, second.clauses = "4-пункт өзгөрдү", "4"
    services.revision_update(actor=w.quality, revision=second, expected_version=second.version)
    second = take_into_force(w, doc)
    first.refresh_from_db()
    assert (first.state, second.state) == (RevisionState.OBSOLETE, RevisionState.IN_FORCE)
    assert doc.revisions.filter(state=RevisionState.IN_FORCE).count() == 1


def test_agreement_return_goes_back_to_draft_and_needs_a_comment(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = doc.revisions.get()
    services.version_save(actor=w.quality, revision=revision, language="ky", text="текст")
    services.agreement_set(actor=w.quality, revision=revision, people=[w.agreer])
    services.revision_submit(actor=w.quality, revision=revision)
    step = revision.agreement_steps.get()
    with pytest.raises(PermissionDenied):
        services.agreement_decide(actor=w.staff_a, step=step, agreed=True)
    with pytest.raises(ValidationError):
        services.agreement_decide(actor=w.head_a, step=step, agreed=False, comment="")
    services.agreement_decide(actor=w.head_a, step=step, agreed=False, comment="3-пунктту тактаңыз")
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.DRAFT
    assert any("3-пунктту" in m.body for m in mail.outbox) or not doc.owner


def test_nobody_edits_an_approved_revision(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = take_into_force(w, doc)
    with pytest.raises(ValidationError):
        services.version_save(actor=w.quality, revision=revision, language="ru", text="x")
    with pytest.raises(ValidationError):
        services.revision_update(actor=w.quality, revision=revision)


def test_second_save_of_the_same_draft_is_refused(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    a = doc.revisions.get()
    b = doc.revisions.get()
    a.summary = "first"
    services.revision_update(actor=w.quality, revision=a, expected_version=a.version)
    b.summary = "second"
    with pytest.raises(ValidationError):
        services.revision_update(actor=w.quality, revision=b, expected_version=b.version)
    assert doc.revisions.get().summary == "first"


def test_only_the_named_approver_approves(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = doc.revisions.get()
    services.version_save(actor=w.quality, revision=revision, language="ky", text="т")
    services.revision_submit(actor=w.quality, revision=revision)
    with pytest.raises(PermissionDenied):
        services.revision_approve(actor=w.quality, revision=revision)


def test_acquaintance_confirm_by_the_person_only(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    doc.distributed_units.add(w.dep_a)
    revision = take_into_force(w, doc)
    acq = Acquaintance.objects.get(revision=revision, person=w.staff_a.person)
    with pytest.raises(PermissionDenied):
        services.acquaintance_confirm(actor=w.head_a, acquaintance=acq)
    services.acquaintance_confirm(actor=w.staff_a, acquaintance=acq)
    assert Acquaintance.objects.get(pk=acq.pk).confirmed_at


def test_uploads_are_checked_by_content(setup):
    w = setup
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = doc.revisions.get()
    version = services.version_save(actor=w.quality, revision=revision, language="ky", upload=f.docx_upload())
    assert version.file_format == "docx" and "Ички аудит" in version.extracted_text
    fake = f.docx_upload()
    fake.name = "scan.pdf"
    with pytest.raises(ValidationError):
        services.version_save(actor=w.quality, revision=revision, language="ru", upload=fake)


def test_staff_cannot_create_documents(setup):
    w = setup
    with pytest.raises(PermissionDenied):
        f.document(w.staff_a, w.dep_a, w.dtype)
    factories.person(w.dep_a)
