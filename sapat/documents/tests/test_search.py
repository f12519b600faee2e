"""Full-text search: words in Kyrgyz, Russian and English, in written texts and inside
uploaded PDF/DOCX/XLSX/ODT files; codes; filters; who finds what; input that must not
break anything; snippets that are HTML-safe. Runs on SQLite and, with DATABASE_URL, on
PostgreSQL."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.documents import search, services
from sapat.documents.choices import DocumentStatus, Level
from sapat.documents.models import Document, Revision, SearchEntry
from sapat.documents.tests import factories as f
from sapat.org.choices import Role
from sapat.org.tests import factories as org_factories


@pytest.fixture
def w(world):
    world.dtype = f.doc_type(world.inst, approver=world.rector.person)
    world.reg_type = f.doc_type(world.inst, code="ЖБ", level=Level.L3, name_ky="Жобо", approver=world.rector.person)
    return world


def new_document(w, title="Жалпы жобо", unit=None, dtype=None, **kwargs) -> Document:
    kwargs.setdefault("institution_wide", True)
    return f.document(w.quality, unit or w.fac_a, dtype or w.dtype, title=title, **kwargs)


def write(w, doc, language="ky", text="", upload=None) -> Revision:
    revision = doc.revisions.order_by("-number").first()
    services.version_save(actor=w.quality, revision=revision, language=language, text=text, upload=upload)
    return revision


def bring_into_force(w, doc) -> Revision:
    revision = doc.revisions.order_by("-number").first()
    if revision.number > 1 and not revision.summary:
        revision.summary = "Жаңыланды"
        services.revision_update(actor=w.quality, revision=revision, expected_version=revision.version)
    services.revision_submit(actor=w.quality, revision=Revision.objects.get(pk=revision.pk))
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=revision.pk))
    services.revision_register(
        actor=w.quality, revision=Revision.objects.get(pk=revision.pk), effective_date=timezone.localdate()
    )
    return Revision.objects.get(pk=revision.pk)


def published(w, language="ky", text="", upload=None, **kwargs) -> Document:
    doc = new_document(w, **kwargs)
    write(w, doc, language, text, upload)
    bring_into_force(w, doc)
    return Document.objects.get(pk=doc.pk)


def hits(user, text, **filters):
    results = search.search_documents(user, text, **filters)
    found = results[0:100]
    assert results.count() == len(found)
    return found


def codes(user, text, **filters):
    return [hit.document.code for hit in hits(user, text, **filters)]


def xlsx_upload(rows, name="register.xlsx"):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def odt_upload(paragraphs, name="policy.odt"):
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return SimpleUploadedFile(name, buffer.getvalue())


# --- languages and files -----------------------------------------------------------------------


def test_kyrgyz_words_inside_a_docx(w):
    doc = published(w, upload=f.docx_upload("Ички аудит жол-жобосу"), title="Сапат боюнча процедура")
    for user in (w.quality, w.staff_a):
        found = hits(user, "ички аудит")
        assert [h.document.pk for h in found] == [doc.pk]
        assert "<mark>Ички</mark> <mark>аудит</mark> жол-жобосу" in found[0].text
    assert codes(w.staff_a, "ИЧКИ АУДИТ") == [doc.code]  # any case
    assert codes(w.staff_a, "аудит ички") == [doc.code]  # any order
    assert codes(w.staff_a, "ички аудит тышкы") == []  # every word must occur


def test_kyrgyz_letters_are_not_folded_and_word_starts_match(w):
    doc = published(w, text="Өзгөртүүлөрдү каттоо барагы. Үлгү: ңы")
    assert codes(w.staff_a, "өзгөртүү") == [doc.code]  # the start of a longer word
    assert codes(w.staff_a, "үлгү") == [doc.code]
    assert codes(w.staff_a, "озгортуу") == []  # о is not ө
    assert codes(w.staff_a, "улгу") == []


def test_russian_language_version(w):
    doc = published(w, language="ru", text="Внутренний аудит проводится ежегодно по утверждённой программе.")
    found = hits(w.staff_a, "внутренний аудит")
    assert [h.document.pk for h in found] == [doc.pk]
    assert "<mark>Внутренний</mark> <mark>аудит</mark>" in found[0].text
    assert codes(w.staff_a, "ВНУТРЕН ауди") == [doc.code]  # word starts
    assert codes(w.staff_a, "утверждённой") == [doc.code]


def test_english(w):
    doc = published(
        w, language="en", text="The internal audit programme is approved every year.", title="Internal audit procedure"
    )
    assert codes(w.staff_a, "Internal AUDIT programme") == [doc.code]
    assert codes(w.staff_a, "progr") == [doc.code]


def test_text_inside_pdf(w):
    doc = published(w, upload=f.pdf_upload("Сапат саясаты жана максаттары"))
    found = hits(w.staff_a, "саясат максат")
    assert [h.document.pk for h in found] == [doc.pk]
    assert "<mark>" in found[0].text


def test_text_inside_xlsx(w):
    upload = xlsx_upload([["№", "Тобокелдик", "Ээси"], [1, "Студенттердин агымынын азайышы", "Проректор"]])
    doc = published(w, upload=upload)
    assert codes(w.staff_a, "тобокелдик студенттер") == [doc.code]


def test_text_inside_odt(w):
    doc = published(w, upload=odt_upload(["Сапат саясаты", "Миссия жана көз караш"]))
    assert codes(w.staff_a, "көз караш") == [doc.code]


def test_text_and_file_of_every_language_version_are_found(w):
    doc = new_document(w)
    write(w, doc, "ky", "Кыргызча текст", upload=f.docx_upload("Файлдагы сөздөр"))
    write(w, doc, "ru", "Русский текст")
    bring_into_force(w, doc)
    for words in ("кыргызча", "файлдагы сөздөр", "русский"):
        assert codes(w.staff_a, words) == [doc.code], words


# --- codes and titles ---------------------------------------------------------------------------


def test_codes_are_found_as_typed_or_in_pieces(w):
    docs = [new_document(w, title=f"Процедура {n}") for n in range(1, 5)]
    assert docs[3].code == "СМС-ДП-04"
    for typed in ("ДП-04", "дп 04", "СМС-ДП-04", "смс дп 04", "  дп-04  "):
        found = hits(w.quality, typed)
        assert [h.document.code for h in found] == ["СМС-ДП-04"], typed
    assert hits(w.quality, "ДП-04")[0].code == "СМС-<mark>ДП</mark>-<mark>04</mark>"


def test_titles_in_every_language(w):
    doc = new_document(w, title="Ички аудит", title_ru="Внутренний аудит", title_en="Internal audit")
    for words in ("ички", "внутренний", "internal"):
        assert codes(w.quality, words) == [doc.code], words
    other = hits(w.quality, "внутренний")[0]
    assert other.title == "Ички аудит"  # the title in the reader's language, and the one that matched:
    assert "<mark>Внутренний</mark> аудит" in other.other_titles


def test_code_match_ranks_before_a_mention_in_the_text(w):
    first = new_document(w, title="Биринчи")
    second = new_document(w, title="Экинчи")
    write(w, second, text=f"Бул документ {first.code} боюнча иштейт.")
    bring_into_force(w, second)
    assert codes(w.quality, first.code) == [first.code, second.code]


def test_more_of_the_words_ranks_higher(w):
    once = published(w, text="Мониторинг бир жолу айтылат, калганы башка сөздөр менен толукталат.")
    often = published(w, text="Мониторинг, мониторинг жана дагы мониторинг: мониторинг ар дайым.")
    assert codes(w.staff_a, "мониторинг") == [often.code, once.code]


def test_title_change_and_new_revision_are_indexed(w):
    doc = published(w, text="Эски текст")
    doc.title_ky = "Жаңы аталыш"
    services.document_update(actor=w.quality, document=doc, expected_version=doc.version)
    assert codes(w.staff_a, "жаңы аталыш") == [doc.code]
    services.revision_start(actor=w.quality, document=doc)
    write(w, doc, text="Кийинки мазмун")
    assert codes(w.staff_a, "кийинки мазмун") == []  # not in force yet
    assert codes(w.staff_a, "эски текст") == [doc.code]
    bring_into_force(w, doc)
    assert codes(w.staff_a, "кийинки мазмун") == [doc.code]
    assert codes(w.staff_a, "эски") == []  # the obsolete text is gone


def test_withdrawn_document_keeps_its_code_and_title_only(w):
    doc = published(w, text="Тарыхый текст", title="Эски жобо")
    services.document_withdraw(actor=w.quality, document=doc, note="Алмаштырылды")
    assert codes(w.quality, "тарыхый") == []
    assert codes(w.quality, "эски жобо") == [doc.code]


# --- filters ------------------------------------------------------------------------------------


def test_filters_type_level_unit_status(w):
    procedure = published(w, text="Ортолук сөз процедурада", unit=w.dep_a)
    regulation = published(w, text="Ортолук сөз жободо", unit=w.fac_b, dtype=w.reg_type)
    draft = new_document(w, title="Ортолук сөз долбоордо", unit=w.fac_a)
    everything = {procedure.code, regulation.code, draft.code}
    assert set(codes(w.quality, "ортолук сөз")) == everything
    assert set(codes(w.quality, "ортолук сөз", doc_type=w.reg_type)) == {regulation.code}
    assert set(codes(w.quality, "ортолук сөз", level=Level.L2)) == {procedure.code, draft.code}
    assert set(codes(w.quality, "ортолук сөз", unit=w.fac_a)) == {procedure.code, draft.code}  # and below
    assert set(codes(w.quality, "ортолук сөз", unit=w.fac_b)) == {regulation.code}
    assert set(codes(w.quality, "ортолук сөз", status=DocumentStatus.DRAFT)) == {draft.code}
    assert set(codes(w.quality, "ортолук сөз", institution=w.other_inst)) == set()


def test_page_filters(w, client):
    procedure = published(w, text="Ортолук сөз")
    regulation = published(w, text="Ортолук сөз", dtype=w.reg_type)
    client.force_login(w.quality)
    url = reverse("document_search")
    response = client.get(url, {"q": "ортолук", "doc_type": w.reg_type.pk})
    assert regulation.code in response.content.decode() and procedure.code not in response.content.decode()
    # A wrong filter value is left out; the others still apply.
    response = client.get(url, {"q": "ортолук", "doc_type": "x", "level": "9", "unit": "-1", "status": "no"})
    assert response.status_code == 200
    assert regulation.code in response.content.decode() and procedure.code in response.content.decode()


# --- who finds what -----------------------------------------------------------------------------


def test_draft_text_only_for_those_who_may_see_drafts(w):
    doc = published(w, text="Биринчи редакция")
    services.revision_start(actor=w.quality, document=doc)
    write(w, doc, text="Жашыруун долбоор")
    # Staff of the institution, and a unit head who manages documents elsewhere, see the
    # document in force but not the revision being prepared.
    for user in (w.staff_a, w.head_b):
        assert codes(user, "жашыруун") == [], user
        found = hits(user, "биринчи")
        assert [h.document.pk for h in found] == [doc.pk] and found[0].draft == ""
    for user in (w.quality, w.head_a):
        found = hits(user, "жашыруун долбоор")
        assert [h.document.pk for h in found] == [doc.pk], user
        assert found[0].draft_number == 2 and "<mark>Жашыруун</mark>" in found[0].draft
        assert found[0].text == ""  # the words are not in the text in force
    # Each revision is matched as a whole: the title with the draft's text, for who sees it.
    assert codes(w.quality, "жалпы жашыруун") == [doc.code]
    assert codes(w.staff_a, "жалпы жашыруун") == []
    assert codes(w.quality, "биринчи жашыруун") == []  # words of two different revisions


def test_draft_document_is_found_only_by_who_may_see_it(w):
    doc = new_document(w, title="Долбоор жобо")
    write(w, doc, text="Даярдалып жаткан текст")
    assert codes(w.staff_a, "долбоор") == []
    assert codes(w.staff_a, "даярдалып") == []
    assert codes(w.quality, "даярдалып") == [doc.code]


def test_undistributed_document_is_not_found_by_staff(w):
    doc = published(w, text="Бөлүмдүн ички эрежеси", title="Ички эреже", institution_wide=False)
    assert codes(w.staff_a, "ички эреже") == []
    assert codes(w.staff_a, doc.code) == []
    assert codes(w.quality, "ички эреже") == [doc.code]
    services.document_update(actor=w.quality, document=doc, expected_version=doc.version, distributed_units=[w.fac_a])
    assert codes(w.staff_a, "эрежеси") == [doc.code]  # distributed to a unit above theirs
    assert codes(w.head_b, "эрежеси") == []


def test_other_institution_sees_nothing(w):
    published(w, text="Ички аудит")
    outsider = org_factories.user_with_role(Role.STAFF, w.other_root, username="outsider")
    assert codes(outsider, "ички аудит") == []


# --- input that must not break anything, and safe snippets --------------------------------------


HOSTILE = [
    '"',
    "'",
    "*",
    "(",
    ")",
    "-",
    "--",
    "^",
    ":",
    "\\",
    "%",
    "_",
    "{",
    "}",
    "[",
    "]",
    "<",
    "&",
    "|",
    "!",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(ички аудит)",
    "ички OR аудит",
    "ички AND",
    "NOT ички",
    '"ички',
    "ички*",
    "*ички",
    "ички:*",
    "ички & аудит",
    "ички | x",
    "!ички",
    "{code title}: ички",
    "code:ички",
    "' OR 1=1 --",
    "'); DROP TABLE documents_document; --",
    "%%%",
    "\x00",
    "ички\x00аудит",
    "\ue000ички\ue001",
    "a" * 5000,
    "ички " * 300,
    "🙂",
    "ички:аудит",
    "ички-",
    "-ички",
    "ички(аудит)",
]


def test_hostile_input_does_not_break_the_search(w, client):
    doc = published(w, text="Ички аудит жол-жобосу")
    for text in HOSTILE:
        results = search.search_documents(w.quality, text)
        assert results.count() == len(results[0:20]), repr(text)
    for text in ("ички*", '"ички', "ички(аудит)", "ички:аудит", "-ички", "ички-", "(ички) (аудит)"):
        assert doc.code in codes(w.quality, text), text
    client.force_login(w.quality)
    for text in HOSTILE:
        response = client.get(reverse("document_search"), {"q": text, "page": "x"})
        assert response.status_code == 200, repr(text)
    assert client.get(reverse("document_search"), {"q": "ички", "page": "999"}).status_code == 200


def test_snippets_and_titles_are_html_escaped(w, client):
    doc = published(w, text="<script>alert(1)</script> ички аудит & <b>калың</b>", title="Ички <i>аудит</i>")
    found = hits(w.staff_a, "ички")
    assert [h.document.pk for h in found] == [doc.pk]
    text = found[0].text
    assert "<script>" not in text and "<b>" not in text
    assert "alert(1)&lt;/script&gt;" in text and "&amp;" in text
    assert "&lt;b&gt;калың" in text
    assert found[0].title == "<mark>Ички</mark> &lt;i&gt;аудит&lt;/i&gt;"
    client.force_login(w.staff_a)
    page = client.get(reverse("document_search"), {"q": "ички"}).content.decode()
    assert "alert(1)</script>" not in page and "<i>аудит" not in page
    assert "alert(1)&lt;/script&gt;" in page and "<mark>ички</mark>" in page


# --- the page -----------------------------------------------------------------------------------


def test_page_shows_where_the_words_matched(w, client):
    doc = published(w, upload=f.docx_upload("Ички аудит жол-жобосу"), title="Сапат процедурасы")
    client.force_login(w.staff_a)
    page = client.get(reverse("document_search"), {"q": "ички аудит"}).content.decode()
    assert doc.code in page and "Сапат процедурасы" in page
    assert "<mark>Ички</mark> <mark>аудит</mark> жол-жобосу" in page
    assert reverse("document_detail", args=[doc.pk]) in page
    assert 'data-status="in_force"' in page


def test_page_empty_states(w, client):
    client.force_login(w.staff_a)
    url = reverse("document_search")
    assert 'data-testid="search-hint"' in client.get(url).content.decode()
    assert 'data-testid="search-hint"' in client.get(url, {"q": "*** --"}).content.decode()
    page = client.get(url, {"q": "жок сөз"}).content.decode()
    assert 'data-testid="search-empty"' in page and "жок сөз" in page


def test_page_needs_login(client):
    response = client.get(reverse("document_search"), {"q": "x"})
    assert response.status_code == 302


def test_page_makes_the_same_number_of_queries_whatever_it_shows(w, client):
    def count_queries(q):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("document_search"), {"q": q, "unit": w.fac_a.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode().count("data-document=")

    for n in range(25):
        doc = new_document(w, title=f"Көп {n}")
        if n < 3:
            write(w, doc, text="Сейрек сөз")
    client.force_login(w.quality)
    count_queries("көп")  # warm up (session, content types)
    few, shown_few = count_queries("сейрек")
    many, shown_many = count_queries("көп")
    assert (shown_few, shown_many) == (3, 20)
    assert few == many


def test_results_are_paginated(w, client):
    for n in range(23):
        new_document(w, title=f"Барак {n}")
    client.force_login(w.quality)
    page2 = client.get(reverse("document_search"), {"q": "барак", "page": 2}).content.decode()
    assert page2.count("data-document=") == 3
    results = search.search_documents(w.quality, "барак")
    assert results.count() == 23
    first, second = results[0:20], results[20:40]
    assert len({h.document.pk for h in first + second}) == 23


# --- the index itself ---------------------------------------------------------------------------


def test_rebuild_writes_the_same_entries_as_the_services(w):
    doc = published(w, text="Ички аудит", title="Процедура")
    services.revision_start(actor=w.quality, document=doc)
    write(w, doc, text="Долбоор текст")
    before = SearchEntry.objects.values().get(pk=doc.pk)
    SearchEntry.objects.all().delete()
    assert codes(w.quality, "ички") == []
    assert search.rebuild() == 1
    assert SearchEntry.objects.values().get(pk=doc.pk) == before
    assert codes(w.quality, "ички") == [doc.code] and codes(w.quality, "долбоор") == [doc.code]


def test_deleting_a_document_removes_it_from_the_index(w):
    doc = new_document(w, title="Өчүрүлө турган")
    Document.objects.filter(pk=doc.pk).delete()
    assert not SearchEntry.objects.filter(pk=doc.pk).exists()
    assert codes(w.quality, "өчүрүлө") == []


def test_huge_text_is_indexed_within_postgresqls_limit():
    text = " ".join(f"сөз{n}" for n in range(300_000))
    kept = search._vector_text(text)
    assert len(kept.encode()) < search.VECTOR_BUDGET and kept.startswith("сөз0 сөз1 ")


def test_query_words():
    assert search.query_words('"Ички" АУДИТ* (ДП-04) ички -') == ["ички", "аудит", "дп", "04"]
    assert search.query_words("NEAR(a b) OR c") == ["near", "a", "b", "or", "c"]
    assert search.query_words("* - ( ) \" '") == []
    assert len(search.query_words(" ".join(f"w{n}" for n in range(50)))) == search.MAX_WORDS
