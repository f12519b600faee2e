"""The documents' pages: every page renders in every language; the whole life cycle works
through the pages (POSTs); drafts and their files stay hidden from those who may not see
them; files are downloaded as attachments; bad uploads and stale saves are refused with a
clear message and change nothing; the register costs a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.documents import services
from sapat.documents.choices import ApproverKind, DocumentStatus, Level, RevisionState
from sapat.documents.models import Acquaintance, Document, LanguageVersion, Revision
from sapat.documents.tests import factories as f
from sapat.org.tests import factories

TODAY = timezone.localdate()


@pytest.fixture
def w(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world.media = settings.MEDIA_ROOT
    world.dtype = f.doc_type(world.inst, approver=world.rector.person)
    return world


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def latest(document) -> Revision:
    return document.revisions.order_by("-number").first()


def into_force(w, document, text="1. Жалпы жоболор", **update):
    """Through the services: a draft with text, agreed by head_a, approved by the rector,
    registered today by the quality department."""
    revision = latest(document)
    if update:
        for name, value in update.items():
            setattr(revision, name, value)
        services.revision_update(actor=w.quality, revision=revision)
    services.version_save(actor=w.quality, revision=revision, language="ky", text=text)
    services.agreement_set(actor=w.quality, revision=revision, people=[w.head_a.person])
    services.revision_submit(actor=w.quality, revision=revision)
    services.agreement_decide(actor=w.head_a, step=revision.agreement_steps.get(), agreed=True)
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=revision.pk))
    services.revision_register(actor=w.quality, revision=Revision.objects.get(pk=revision.pk), effective_date=TODAY)
    return Revision.objects.get(pk=revision.pk)


def distributed_doc(w, title="Ички аудит"):
    doc = f.document(w.quality, w.fac_a, w.dtype, title=title)
    doc.distributed_units.add(w.dep_a)
    return doc


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- every page renders ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_page_renders_for_the_quality_department(client, w, language):
    doc = distributed_doc(w)
    into_force(w, doc)
    revision = services.revision_start(actor=w.quality, document=doc)
    services.version_save(actor=w.quality, revision=revision, language="ru", upload=f.docx_upload())
    external_type = f.doc_type(w.inst, code="МБ", level=Level.BASE)
    external = f.document(w.quality, w.fac_a, external_type, title="Министрликтин буйругу", issuer="КР БИМ")
    login(client, w.quality, language)
    version = revision.versions.get(language="ru")
    for url in (
        reverse("document_list"),
        reverse("document_list") + "?status=all&level=2&mine=on&q=СМС",
        reverse("document_add"),
        reverse("my_documents"),
        reverse("document_detail", args=[doc.pk]),
        reverse("document_detail", args=[external.pk]),
        reverse("document_edit", args=[doc.pk]),
        reverse("document_edit", args=[external.pk]),
        reverse("revision_edit", args=[revision.pk]),
        reverse("version_edit", args=[revision.pk, "ky"]),
        reverse("version_edit", args=[revision.pk, "en"]),
        reverse("agreement_edit", args=[revision.pk]),
        reverse("record_history", args=["documents", "document", doc.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    assert client.get(reverse("version_download", args=[version.pk])).status_code == 200


def test_pages_need_a_sign_in(client, w):
    response = client.get(reverse("document_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_register_explains_itself(client, w):
    response = login(client, w.quality).get(reverse("document_list"))
    assert "The register is empty" in response.content.decode()
    response = login(client, w.staff_a).get(reverse("document_list"))
    assert "No documents are in force for you yet" in response.content.decode()
    assert reverse("document_add") not in response.content.decode()


# --- the whole life cycle through the pages ------------------------------------------------------


def test_full_life_cycle_through_the_pages(client, w):
    login(client, w.quality)
    response = client.post(
        reverse("document_add"),
        {
            "doc_type": w.dtype.pk,
            "unit": w.fac_a.pk,
            "owner": w.quality.person.pk,
            "title_ky": "Ички аудит",
            "title_en": "Internal audit",
            "distributed_units": [w.dep_a.pk],
            "review_months": "",
        },
    )
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("document_detail", args=[doc.pk])
    assert doc.code == "СМС-ДП-01" and list(doc.distributed_units.all()) == [w.dep_a]
    assert doc.review_months == w.dtype.review_months
    revision = doc.revisions.get()

    response = client.post(
        reverse("version_edit", args=[revision.pk, "ky"]),
        {"text": "1. Жалпы жоболор\n\n2. Аудиттин тартиби", "expected_version": ""},
    )
    assert response.status_code == 302
    assert revision.versions.get(language="ky").text.startswith("1. Жалпы жоболор")

    response = client.post(reverse("agreement_edit", args=[revision.pk]), {"person_1": w.head_a.person.pk})
    assert response.status_code == 302
    assert [s.person for s in revision.agreement_steps.all()] == [w.head_a.person]

    client.post(reverse("document_submit", args=[doc.pk]))
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.AGREEMENT

    # The agreer's turn.
    login(client, w.head_a)
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="decide-form"' in page and "Аудиттин тартиби" in page
    assert "СМС-ДП-01" in client.get(reverse("my_documents")).content.decode()
    client.post(reverse("document_decide", args=[doc.pk]), {"decision": "agree", "comment": ""})
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.APPROVAL

    # The rector approves.
    login(client, w.rector)
    assert 'data-testid="approve-form"' in client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="to-approve"' in client.get(reverse("my_documents")).content.decode()
    client.post(reverse("document_approve", args=[doc.pk]))
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED and revision.approved_by == w.rector.person

    # The quality department registers it with today's date: it is in force.
    login(client, w.quality)
    assert 'data-testid="register-form"' in client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    response = client.post(
        reverse("document_register", args=[doc.pk]), {"effective_date": TODAY.isoformat()}, follow=True
    )
    assert "Registered and in force" in messages_of(response)
    revision.refresh_from_db()
    doc.refresh_from_db()
    assert revision.state == RevisionState.IN_FORCE and doc.status == DocumentStatus.IN_FORCE

    # A member of staff in the distributed unit sees it and confirms reading it.
    login(client, w.staff_a)
    assert "СМС-ДП-01" in client.get(reverse("document_list")).content.decode()
    assert 'data-testid="to-read"' in client.get(reverse("my_documents")).content.decode()
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="read-prompt"' in page and "Аудиттин тартиби" in page
    assert 'data-testid="acquaintance"' not in page  # the reading sheet is for the managers
    response = client.post(reverse("document_confirm", args=[doc.pk]), follow=True)
    assert "Your reading is recorded" in messages_of(response)
    assert Acquaintance.objects.get(revision=revision, person=w.staff_a.person).confirmed_at is not None
    assert 'data-testid="read-confirmed"' in response.content.decode()

    # The owner sees it read.
    login(client, w.quality)
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "1 of 1 have read revision 1." in page
    assert w.staff_a.person.full_name in page


def test_a_second_revision_makes_the_first_obsolete(client, w):
    doc = distributed_doc(w)
    first = into_force(w, doc, text="Биринчи редакция")
    login(client, w.quality)
    client.post(reverse("document_revise", args=[doc.pk]))
    second = latest(doc)
    assert second.number == 2 and second.versions.get(language="ky").text == "Биринчи редакция"
    client.post(
        reverse("revision_edit", args=[second.pk]),
        {"summary": "4-пункт өзгөрдү", "clauses": "4.2", "expected_version": second.version},
    )
    client.post(
        reverse("version_edit", args=[second.pk, "ky"]),
        {"text": "Экинчи редакция", "expected_version": services.version_token(second.versions.get())},
    )
    client.post(reverse("document_submit", args=[doc.pk]))  # no agreement sheet: straight to approval
    assert Revision.objects.get(pk=second.pk).state == RevisionState.APPROVAL
    login(client, w.rector)
    client.post(reverse("document_approve", args=[doc.pk]))
    login(client, w.quality)
    client.post(reverse("document_register", args=[doc.pk]), {"effective_date": TODAY.isoformat()})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (RevisionState.OBSOLETE, RevisionState.IN_FORCE)

    for user in (w.quality, w.staff_a):
        page = login(client, user).get(reverse("document_detail", args=[doc.pk])).content.decode()
        assert 'data-state="obsolete"' in page and "Replaced by revision 2" in page
        assert "Revision 2 in force" in page
        # The change registration sheet has its row: revision 2, clause 4.2, who made it.
        assert 'data-testid="change-sheet"' in page and "4.2" in page
    # Staff are asked to read the new revision too.
    assert Acquaintance.objects.filter(revision=second, person=w.staff_a.person).exists()


def test_an_agreer_returns_the_draft_with_a_comment(client, w):
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = latest(doc)
    services.version_save(actor=w.quality, revision=revision, language="ky", text="текст")
    services.agreement_set(actor=w.quality, revision=revision, people=[w.head_a.person, w.quality_a.person])
    services.revision_submit(actor=w.quality, revision=revision)
    # Not yet quality_a's turn: no decision form for them, and the step is refused.
    login(client, w.quality_a)
    assert 'data-testid="decide-form"' not in client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    response = client.post(reverse("document_decide", args=[doc.pk]), {"decision": "agree"}, follow=True)
    assert "not your turn" in messages_of(response)
    login(client, w.head_a)
    response = client.post(
        reverse("document_decide", args=[doc.pk]), {"decision": "return", "comment": ""}, follow=True
    )
    assert "Say why you return the draft" in messages_of(response)
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.AGREEMENT
    client.post(reverse("document_decide", args=[doc.pk]), {"decision": "return", "comment": "3-пунктту тактаңыз"})
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.DRAFT
    page = login(client, w.quality).get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "3-пунктту тактаңыз" in page


def test_the_approver_returns_and_a_council_needs_its_protocol(client, w):
    council = factories.unit(w.root, "UC", unit_type="council", name_ky="Окумуштуулар кеңеши")
    ctype = f.doc_type(w.inst, code="ЖБ", approver_kind=ApproverKind.COUNCIL, approval_body=council)
    doc = f.document(w.quality, w.fac_a, ctype)
    revision = latest(doc)
    services.version_save(actor=w.quality, revision=revision, language="ky", text="текст")
    services.revision_submit(actor=w.quality, revision=revision)
    login(client, w.quality)
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert 'name="protocol_number"' in page
    response = client.post(reverse("document_approve", args=[doc.pk]), follow=True)
    assert "protocol" in messages_of(response)
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.APPROVAL
    client.post(
        reverse("document_approve", args=[doc.pk]),
        {"protocol_number": "5", "protocol_date": (TODAY - datetime.timedelta(days=2)).isoformat()},
    )
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED and revision.protocol_number == "5"
    assert revision.approval_body == council

    # The rector is not this type's approver: 403.
    other = f.document(w.quality, w.fac_a, w.dtype)
    services.version_save(actor=w.quality, revision=latest(other), language="ky", text="текст")
    services.revision_submit(actor=w.quality, revision=latest(other))
    assert login(client, w.head_b).post(reverse("document_approve", args=[other.pk])).status_code == 404
    login(client, w.rector)
    response = client.post(reverse("document_return", args=[other.pk]), {"comment": "Кайра карагыла"})
    assert response.status_code == 302
    assert latest(other).state == RevisionState.DRAFT


def test_external_document_and_its_amendment(client, w):
    external_type = f.doc_type(w.inst, code="МБ", level=Level.BASE)
    login(client, w.quality)
    response = client.post(
        reverse("document_add"),
        {
            "doc_type": external_type.pk,
            "unit": w.root.pk,
            "title_ky": "Билим берүү жөнүндө мыйзам",
            "institution_wide": "on",
            "distributed_units": [w.dep_a.pk],
            "issuer": "Жогорку Кеңеш",
            "external_number": "179",
            "external_date": "2023-08-11",
            "review_months": "24",
        },
    )
    assert response.status_code == 302, response.content.decode()
    doc = Document.objects.get()
    assert doc.issuer == "Жогорку Кеңеш" and doc.institution_wide
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "Register the received copy" in page and "Send for agreement" not in page
    response = client.post(reverse("document_external_register", args=[doc.pk]), follow=True)
    assert "Attach the received copy first" in messages_of(response)

    revision = latest(doc)
    client.post(
        reverse("version_edit", args=[revision.pk, "ru"]),
        {"text": "", "file": f.pdf_upload(name="zakon.pdf"), "expected_version": ""},
    )
    assert revision.versions.get().file_format == "pdf"
    client.post(reverse("document_external_register", args=[doc.pk]), {"received_on": TODAY.isoformat()})
    assert latest(doc).state == RevisionState.IN_FORCE
    assert Acquaintance.objects.filter(revision=revision, person=w.staff_a.person).exists()

    # An amendment: a new revision with the amended copy; people are asked to read again.
    client.post(reverse("document_revise", args=[doc.pk]))
    amendment = latest(doc)
    assert amendment.number == 2 and not amendment.versions.exists()  # a file is not carried over
    client.post(
        reverse("version_edit", args=[amendment.pk, "ru"]),
        {"file": f.pdf_upload(name="izmenenie.pdf"), "expected_version": ""},
    )
    client.post(reverse("document_external_register", args=[doc.pk]), {"received_on": TODAY.isoformat()})
    revision.refresh_from_db()
    assert (revision.state, latest(doc).state) == (RevisionState.OBSOLETE, RevisionState.IN_FORCE)
    assert Acquaintance.objects.filter(revision=amendment, person=w.staff_a.person, confirmed_at=None).exists()


def test_remind_review_withdraw_and_archive(client, w):
    doc = distributed_doc(w)
    w.staff_a.person.email = "staff@example.kg"
    w.staff_a.person.save()
    into_force(w, doc)
    login(client, w.quality)
    response = client.post(reverse("document_remind", args=[doc.pk]), follow=True)
    assert "A reminder was sent to 1 person." in messages_of(response)
    assert Acquaintance.objects.get(person=w.staff_a.person).reminded_at is not None

    response = client.post(reverse("document_review", args=[doc.pk]), {"outcome": "current", "note": "Өзгөрүүсүз"})
    assert doc.reviews.get().note == "Өзгөрүүсүз"
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "Өзгөрүүсүз" in page

    client.post(reverse("document_withdraw", args=[doc.pk]), {"note": "Буйрук №12"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.WITHDRAWN
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert 'data-state="withdrawn"' in page and "has been withdrawn" in page
    client.post(reverse("document_archive", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.ARCHIVED
    # Withdrawn and archived documents leave the default register, but a filter finds them.
    assert doc.code not in client.get(reverse("document_list")).content.decode()
    assert doc.code in client.get(reverse("document_list") + "?status=all").content.decode()
    # Staff no longer see it at all.
    assert login(client, w.staff_a).get(reverse("document_detail", args=[doc.pk])).status_code == 404


# --- who sees what ---------------------------------------------------------------------------------


def test_staff_see_neither_a_draft_document_nor_its_file(client, w):
    doc = distributed_doc(w)
    version = services.version_save(
        actor=w.quality, revision=latest(doc), language="ky", text="Жашыруун долбоор", upload=f.docx_upload()
    )
    login(client, w.staff_a)
    assert client.get(reverse("document_detail", args=[doc.pk])).status_code == 404
    assert client.get(reverse("version_download", args=[version.pk])).status_code == 404
    assert client.get(reverse("revision_edit", args=[latest(doc).pk])).status_code == 404
    assert doc.code not in client.get(reverse("document_list") + "?status=all").content.decode()
    assert client.post(reverse("document_submit", args=[doc.pk])).status_code == 404


def test_staff_see_the_revision_in_force_but_not_the_next_draft(client, w):
    doc = distributed_doc(w)
    into_force(w, doc, text="Күчүндөгү текст")
    draft = services.revision_start(actor=w.quality, document=doc)
    draft_file = services.version_save(
        actor=w.quality, revision=draft, language="ru", text="Жаңы долбоор", upload=f.docx_upload()
    )
    login(client, w.staff_a)
    page = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert "Күчүндөгү текст" in page
    assert "Жаңы долбоор" not in page and 'id="preparing"' not in page
    assert reverse("version_download", args=[draft_file.pk]) not in page
    assert client.get(reverse("version_download", args=[draft_file.pk])).status_code == 404
    assert client.get(reverse("version_edit", args=[draft.pk, "ru"])).status_code == 404
    # Actions they may not take on a document they see: 403.
    assert client.get(reverse("document_edit", args=[doc.pk])).status_code == 403
    assert client.post(reverse("document_revise", args=[doc.pk])).status_code == 403
    assert client.post(reverse("document_withdraw", args=[doc.pk])).status_code == 403
    assert client.post(reverse("document_remind", args=[doc.pk])).status_code == 403
    assert client.post(reverse("document_submit", args=[doc.pk])).status_code == 403
    assert client.get(reverse("document_add")).status_code == 403
    # Another faculty's head sees nothing of it.
    assert login(client, w.head_b).get(reverse("document_detail", args=[doc.pk])).status_code == 404


def test_the_download_of_a_visible_file_is_an_attachment(client, w):
    doc = distributed_doc(w)
    upload = f.docx_upload(name="Ички аудит.docx")
    content = upload.read()
    upload.seek(0)
    version = services.version_save(actor=w.quality, revision=latest(doc), language="ky", upload=upload)
    into_force(w, doc)  # (the text is added to the same language version)
    login(client, w.staff_a)
    response = client.get(reverse("version_download", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
    assert "/media/" not in client.get(reverse("document_detail", args=[doc.pk])).content.decode()


# --- bad input ----------------------------------------------------------------------------------


def test_a_bad_upload_is_refused_with_a_clear_message_and_stores_nothing(client, w):
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = latest(doc)
    login(client, w.quality)
    response = client.post(
        reverse("version_edit", args=[revision.pk, "ky"]),
        {"text": "", "file": f.docx_upload(name="procedure.pdf"), "expected_version": ""},
    )
    assert response.status_code == 400
    assert "The file is named .pdf but its content is not a PDF file." in response.content.decode()
    assert not LanguageVersion.objects.exists()
    assert not w.media.exists() or not any(p.is_file() for p in w.media.rglob("*"))


def test_a_stale_save_is_refused_and_changes_nothing(client, w):
    doc = f.document(w.quality, w.fac_a, w.dtype)
    revision = latest(doc)
    login(client, w.quality)
    # Two people open the summary form; the first saves.
    opened = revision.version
    client.post(
        reverse("revision_edit", args=[revision.pk]), {"summary": "Биринчи", "clauses": "", "expected_version": opened}
    )
    response = client.post(
        reverse("revision_edit", args=[revision.pk]), {"summary": "Экинчи", "clauses": "", "expected_version": opened}
    )
    assert response.status_code == 400
    assert "Someone else saved this in the meantime" in response.content.decode()
    assert Revision.objects.get(pk=revision.pk).summary == "Биринчи"

    # The same for a language version's text.
    client.post(reverse("version_edit", args=[revision.pk, "ky"]), {"text": "Биринчи текст", "expected_version": ""})
    response = client.post(
        reverse("version_edit", args=[revision.pk, "ky"]), {"text": "Экинчи текст", "expected_version": ""}
    )
    assert response.status_code == 400
    assert "Someone else saved this in the meantime" in response.content.decode()
    assert revision.versions.get().text == "Биринчи текст"

    # And for the document itself.
    data = {"unit": w.fac_a.pk, "title_ky": "Жаңы аталыш", "review_months": 12, "expected_version": doc.version}
    assert client.post(reverse("document_edit", args=[doc.pk]), data).status_code == 302
    response = client.post(reverse("document_edit", args=[doc.pk]), {**data, "title_ky": "Башка аталыш"})
    assert response.status_code == 400 and "Someone else saved this" in response.content.decode()
    doc.refresh_from_db()
    assert doc.title_ky == "Жаңы аталыш"


def test_an_approved_revision_cannot_be_edited_through_the_pages(client, w):
    doc = distributed_doc(w)
    revision = into_force(w, doc)
    login(client, w.quality)
    response = client.get(reverse("version_edit", args=[revision.pk, "ky"]), follow=True)
    assert "An approved revision cannot be edited" in messages_of(response)
    response = client.post(
        reverse("revision_edit", args=[revision.pk]), {"summary": "x", "expected_version": revision.version}
    )
    assert response.status_code == 302
    assert Revision.objects.get(pk=revision.pk).summary == ""


# --- the register --------------------------------------------------------------------------------


def test_register_filters(client, w):
    other_type = f.doc_type(w.inst, code="ЖЖ", level=Level.L3)
    a = distributed_doc(w, "Ички аудит")
    into_force(w, a)
    b = f.document(w.quality, w.fac_b, other_type, title="Кафедранын жобосу")
    login(client, w.quality)
    url = reverse("document_list")

    def codes(query=""):
        page = client.get(url + query).context["page"]
        return [d.code for d in page]

    assert codes() == [a.code, b.code]
    assert codes(f"?doc_type={other_type.pk}") == [b.code]
    assert codes("?level=2") == [a.code]
    assert codes(f"?unit={w.fac_b.pk}") == [b.code]
    assert codes(f"?unit={w.root.pk}") == [a.code, b.code]
    assert codes("?status=draft") == [b.code]
    assert codes("?q=кафедра") == [b.code]
    assert codes("?mine=on") == []
    assert codes("?unit=999999&level=2") == [a.code]  # a wrong value is left out
    page = client.get(url).content.decode()
    assert "rev. 1" in page and TODAY.isoformat() in page


def test_overdue_review_is_shown_in_red(client, w):
    doc = distributed_doc(w)
    into_force(w, doc)
    Document.objects.filter(pk=doc.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
    login(client, w.quality)
    assert "text-danger" in client.get(reverse("document_list")).content.decode()
    assert doc.code in client.get(reverse("my_documents")).content.decode()


def test_register_query_count_does_not_grow_with_the_documents(client, w):
    login(client, w.quality)
    url = reverse("document_list") + "?status=all"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    into_force(w, distributed_doc(w))
    for _n in range(2):
        f.document(w.quality, w.fac_a, w.dtype)
    few = queries()
    for _n in range(27):
        f.document(w.quality, w.fac_a, w.dtype)
    assert Document.objects.count() == 30
    assert queries() == few


def test_my_tasks_are_empty_with_a_helpful_text(client, w):
    page = login(client, w.staff_a).get(reverse("my_documents")).content.decode()
    assert "Nothing is waiting for you" in page


def test_the_document_page_lists_the_processes_it_governs(client, world):
    from sapat.processes.models import Process

    dtype = f.doc_type(world.inst, approver=world.rector.person)
    doc = f.document(world.quality, world.fac_a, dtype)
    process = Process.objects.create(institution=world.inst, group="4", code="4.1", name_ky="Ички аудиттер")
    process.documents.add(doc)
    client.force_login(world.quality)
    content = client.get(reverse("document_detail", args=[doc.pk])).content.decode()
    assert reverse("process_detail", args=[process.pk]) in content and "Ички аудиттер" in content
