"""Reports and printed forms: the register of documents in force, the acquaintance sheet,
the change registration sheet, the acquaintance status and documents due for review."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from sapat.documents import reports, services
from sapat.documents.choices import DocumentStatus, Level, ReviewOutcome, RevisionState
from sapat.documents.models import Acquaintance, Document, Revision
from sapat.documents.tests import factories as f
from sapat.documents.tests.test_workflow import take_into_force
from sapat.lib import pdf as pdflib
from sapat.lib.xlsx import Sheet, to_xlsx
from sapat.org.choices import Post, Role
from sapat.org.models import Position
from sapat.org.tests import factories

KY_TITLE = "Сапат боюнча колдонмо: өзгөрүүлөрдү башкаруу"
CHANGE_SHEET_KY = "Өзгөрүүлөрдү жана толуктоолорду каттоо барагы"


@pytest.fixture
def setup(world):
    w = world
    w.agreer = w.head_a.person
    w.dtype = f.doc_type(w.inst, approver=w.rector.person)
    w.manual_type = f.doc_type(
        w.inst, code="СЖ", level=Level.L1, name_ky="Сапат боюнча жетектеме", approver=w.rector.person
    )
    # A procedure of faculty A, read by its department.
    w.proc = f.document(w.quality, w.fac_a, w.dtype, title="Ички аудит")
    w.proc.distributed_units.add(w.dep_a)
    w.proc_rev = take_into_force(w, w.proc)
    w.proc.refresh_from_db()
    # The quality manual, published to the whole institution.
    w.manual = f.document(w.quality, w.root, w.manual_type, title=KY_TITLE, institution_wide=True)
    w.manual.distributed_units.add(w.root)
    take_into_force(w, w.manual)
    w.manual.refresh_from_db()
    # A draft: in no report.
    w.draft = f.document(w.quality, w.fac_a, w.dtype, title="Долбоор")
    Position.objects.create(person=w.staff_a.person, unit=w.dep_a, post=Post.TEACHER, title="Улук окутуучу")
    return w


def english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def login(client, user):
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    # Table cells wrap: compare with the line breaks as spaces.
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def base_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object() if fonts else {}).values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def assert_liberation_serif(reader: PdfReader) -> None:
    # WeasyPrint writes the family name with dashes: "/ABCDEF+Liberation-Serif-Bold".
    fonts = base_fonts(reader)
    assert fonts and all("LiberationSerif" in name.replace("-", "") for name in fonts), fonts


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content))


def attachment_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    return disposition


def revise(w, document, clauses):
    revision = services.revision_start(actor=w.quality, document=document)
    revision.summary, revision.clauses = "Өзгөрүүлөр", clauses
    services.revision_update(actor=w.quality, revision=revision, expected_version=revision.version)
    revision = take_into_force(w, document)
    document.refresh_from_db()
    return revision


# --- register -------------------------------------------------------------------------------------


def test_register_xlsx_lists_documents_in_force_by_level_then_code(client, setup):
    w = setup
    english(w.quality)
    response = login(client, w.quality).get(reverse("document_register_xlsx"))
    book = workbook(response)
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [
        "Code",
        "Title",
        "Type",
        "Level",
        "Owning unit",
        "Owner",
        "Revision in force",
        "In force from",
        "Next review",
    ]
    assert [r[0] for r in rows[1:]] == [w.manual.code, w.proc.code]  # level 1 before level 2; no draft
    manual = rows[1]
    assert manual[1] == KY_TITLE and manual[3] == "1" and manual[6] == 1
    assert manual[7].date() == timezone.localdate()
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert f"register-{timezone.localdate().isoformat()}.xlsx" in attachment_name(response)


def test_register_pdf_is_landscape_liberation_serif_with_a_numbered_table(client, setup):
    w = setup
    english(w.quality)
    response = login(client, w.quality).get(reverse("document_register_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"register-{timezone.localdate().isoformat()}.pdf" in attachment_name(response)
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert w.proc.code in text and w.manual.code in text
    assert "өзгөрүүлөрдү башкаруу" in text
    assert "Table 1. Register of documents in force" in text
    assert w.inst.name in text
    assert_liberation_serif(reader)


def test_register_shows_only_what_the_user_may_see(client, setup):
    w = setup
    other = factories.user_with_role(Role.QUALITY_DEPARTMENT, w.other_root, username="other_quality")
    book = workbook(login(client, other).get(reverse("document_register_xlsx")))
    assert book.active.max_row == 1  # the header only
    # A teacher of department A sees the published manual and the procedure sent to them.
    book = workbook(login(client, w.staff_a).get(reverse("document_register_xlsx")))
    codes = [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)]
    assert codes == [w.manual.code, w.proc.code]
    # The head of faculty B only the published manual.
    book = workbook(login(client, w.head_b).get(reverse("document_register_xlsx")))
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == [w.manual.code]


def test_reports_need_a_sign_in(client, setup):
    for name in ("reports_index", "document_register_xlsx", "acquaintance_report", "review_due_report_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.get(reverse("document_change_sheet_pdf", args=[setup.proc.pk]))
    assert response.status_code == 302


def test_reports_index_links_every_report(client, setup):
    english(setup.staff_a)
    response = login(client, setup.staff_a).get(reverse("reports_index"))
    assert response.status_code == 200
    for name in (
        "document_register_xlsx",
        "document_register_pdf",
        "acquaintance_report",
        "acquaintance_report_xlsx",
        "review_due_report",
        "review_due_report_xlsx",
        "review_due_report_pdf",
    ):
        assert reverse(name) in response.content.decode()


# --- acquaintance sheet --------------------------------------------------------------------------------


def test_acquaintance_sheet_lists_people_positions_and_dates(client, setup):
    w = setup
    english(w.quality)
    acq = Acquaintance.objects.get(revision=w.proc_rev, person=w.staff_a.person)
    services.acquaintance_confirm(actor=w.staff_a, acquaintance=acq)
    colleague = factories.person(w.dep_a, last_name="Токтогулова")
    Acquaintance.objects.create(revision=w.proc_rev, person=colleague)

    lines = reports.acquaintance_sheet(w.proc_rev)
    by_person = {line.person.pk: line for line in lines}
    assert by_person[w.staff_a.person.pk].position == "Улук окутуучу"
    assert by_person[w.staff_a.person.pk].read_on == timezone.localdate()
    assert by_person[colleague.pk].read_on is None and by_person[colleague.pk].position == ""

    response = login(client, w.quality).get(reverse("document_acquaintance_pdf", args=[w.proc.pk]))
    assert response.status_code == 200
    assert "acquaintance-" in attachment_name(response) and "-rev1.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 1
    assert w.proc.code in text and "Улук окутуучу" in text and "Токтогулова" in text
    assert w.staff_a.person.last_name in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text
    assert "Acquaintance sheet" in text
    assert_liberation_serif(reader)


def test_acquaintance_sheet_of_an_earlier_revision(client, setup):
    w = setup
    revise(w, w.proc, "4.2")
    url = reverse("document_acquaintance_pdf", args=[w.proc.pk])
    login(client, w.quality)
    assert client.get(url, {"revision": w.proc_rev.pk}).status_code == 200
    other_revision = w.manual.revisions.get()
    assert client.get(url, {"revision": other_revision.pk}).status_code == 404
    assert client.get(url, {"revision": "x"}).status_code == 404


def test_acquaintance_sheet_is_for_managers_only(client, setup):
    w = setup
    url = reverse("document_acquaintance_pdf", args=[w.proc.pk])
    assert login(client, w.staff_a).get(url).status_code == 403  # sees the document, does not manage it
    assert login(client, w.quality_a).get(url).status_code == 200  # unit quality responsible of faculty A
    assert login(client, w.head_b).get(url).status_code == 404  # cannot see it at all
    assert login(client, w.quality).get(reverse("document_acquaintance_pdf", args=[w.draft.pk])).status_code == 404


# --- change registration sheet ---------------------------------------------------------------------------


def test_change_sheet_rows_revisions_and_reviews_then_blank_rows(setup):
    w = setup
    Position.objects.create(person=w.quality.person, unit=w.root, post=Post.QUALITY_HEAD, title="ББСБ башчысы")
    revise(w, w.proc, "4.2, 5.1")
    services.document_review(actor=w.quality, document=w.proc, outcome=ReviewOutcome.CURRENT, note="Күчүндө")
    lines = reports.change_sheet(w.proc)
    filled = [line for line in lines if line.number]
    assert [line.number_label for line in filled] == ["01", "02"]
    assert "4.2, 5.1" in filled[0].clauses and filled[0].person == w.quality.person
    assert filled[0].position == "ББСБ башчысы"
    assert "Күчүндө" in filled[1].clauses
    assert len(lines) - len(filled) >= reports.EMPTY_CHANGE_ROWS


def test_change_sheet_pdf_in_kyrgyz_follows_the_seed_form(client, setup):
    w = setup
    revise(w, w.proc, "4.2, 5.1")
    services.document_review(actor=w.quality, document=w.proc, outcome=ReviewOutcome.CURRENT, note="Күчүндө")
    # The teacher sees the procedure (sent to the department) and may print its sheet.
    w.staff_a.language = "ky"
    w.staff_a.save(update_fields=["language"])
    response = login(client, w.staff_a).get(reverse("document_change_sheet_pdf", args=[w.proc.pk]))
    assert response.status_code == 200
    assert "change-sheet-" in attachment_name(response)
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 1
    assert CHANGE_SHEET_KY in text
    assert w.proc.code in text and "4.2, 5.1" in text and "Күчүндө" in text
    assert w.quality.person.last_name in text
    assert_liberation_serif(reader)


def test_change_sheet_title_in_english(client, setup):
    english(setup.quality)
    response = login(client, setup.quality).get(reverse("document_change_sheet_pdf", args=[setup.proc.pk]))
    _reader, text = pdf_text(response.content)
    assert "Change and addition registration sheet" in text and "Row №" in text


def test_change_sheet_of_a_document_one_cannot_see_is_404(client, setup):
    w = setup
    url = reverse("document_change_sheet_pdf", args=[w.proc.pk])
    assert login(client, w.head_b).get(url).status_code == 404
    other = factories.user_with_role(Role.QUALITY_DEPARTMENT, w.other_root, username="other_quality")
    assert login(client, other).get(url).status_code == 404
    assert login(client, w.staff_a).get(reverse("document_change_sheet_pdf", args=[w.draft.pk])).status_code == 404


# --- acquaintance status ------------------------------------------------------------------------------


def test_acquaintance_report_per_document_and_per_unit(client, setup):
    w = setup
    english(w.quality, w.quality_a)
    acq = Acquaintance.objects.get(revision=w.proc_rev, person=w.staff_a.person)
    services.acquaintance_confirm(actor=w.staff_a, acquaintance=acq)
    factories.person(w.dep_a, last_name="Жаңы")  # came after the procedure: not asked

    report = reports.acquaintance_report(w.quality, w.inst)
    by_doc = {t.document.pk: t for t in report.documents}
    proc = by_doc[w.proc.pk]
    assert (proc.asked, proc.read, proc.not_read, proc.percent, proc.revision_number) == (1, 1, 0, 100, 1)
    manual = by_doc[w.manual.pk]
    everyone = Acquaintance.objects.filter(revision__document=w.manual).count()
    assert manual.asked == everyone and manual.read == 0
    by_unit = {t.unit.pk: t for t in report.by_unit}
    # Department A: its teacher has read the procedure, not yet the manual.
    assert (by_unit[w.dep_a.pk].asked, by_unit[w.dep_a.pk].read) == (1, 0)
    assert by_unit[w.root.pk].asked == everyone

    services.acquaintance_confirm(
        actor=w.staff_a, acquaintance=Acquaintance.objects.get(revision__document=w.manual, person=w.staff_a.person)
    )
    narrowed = reports.acquaintance_report(w.quality, w.inst, unit_id=str(w.dep_a.pk))
    assert [t.unit for t in narrowed.by_unit] == [w.dep_a]
    assert (narrowed.by_unit[0].asked, narrowed.by_unit[0].read, narrowed.by_unit[0].percent) == (1, 1, 100)
    assert {t.document.pk: (t.asked, t.read) for t in narrowed.documents} == {w.proc.pk: (1, 1), w.manual.pk: (1, 1)}

    # The faculty's quality responsible: the faculty's documents and units only.
    mine = reports.acquaintance_report(w.quality_a, w.inst)
    assert [t.document for t in mine.documents] == [w.proc]
    assert {t.unit for t in mine.by_unit} == {w.fac_a, w.dep_a}

    response = login(client, w.quality).get(reverse("acquaintance_report"), {"unit": w.dep_a.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert w.proc.code in page and "100%" in page
    try:
        detail = reverse("document_detail", args=[w.proc.pk])
    except NoReverseMatch:  # the document pages come with another part of the module
        detail = None
    if detail:
        assert f'href="{detail}"' in page


def test_acquaintance_report_of_staff_is_empty(client, setup):
    report = reports.acquaintance_report(setup.staff_a, setup.inst)
    assert report.documents == [] and report.by_unit == [] and report.units == []
    response = login(client, setup.staff_a).get(reverse("acquaintance_report"))
    assert response.status_code == 200


def test_acquaintance_report_xlsx_has_a_sheet_per_view(client, setup):
    w = setup
    english(w.quality)
    book = workbook(login(client, w.quality).get(reverse("acquaintance_report_xlsx")))
    by_doc, by_unit = book.worksheets
    assert [c.value for c in by_doc[1]] == [
        "Code",
        "Title",
        "Revision",
        "Owning unit",
        "Asked",
        "Read",
        "Not read",
        "Read, %",
    ]
    assert {row[0] for row in by_doc.iter_rows(min_row=2, values_only=True)} == {w.proc.code, w.manual.code}
    assert [c.value for c in by_unit[1]] == ["Unit code", "Unit", "People asked", "Have read", "Not yet", "Read, %"]
    assert by_unit.max_row - 1 == 4  # the root, faculty A, its department, faculty B
    assert by_doc.freeze_panes == by_unit.freeze_panes == "A2"


# --- documents due for review --------------------------------------------------------------------------


def due(document, days):
    Document.objects.filter(pk=document.pk).update(next_review_on=timezone.localdate() + datetime.timedelta(days))


def test_review_due_lists_overdue_in_red_and_due_soon(client, setup):
    w = setup
    english(w.quality)
    due(w.proc, -3)
    due(w.manual, 10)
    rows = reports.review_due(w.quality, w.inst)
    assert [(r.document.pk, r.overdue, r.days_left) for r in rows] == [(w.proc.pk, True, -3), (w.manual.pk, False, 10)]

    page = login(client, w.quality).get(reverse("review_due_report")).content.decode()
    assert "table-danger" in page and "overdue by 3 days" in page and "due in 10 days" in page

    book = workbook(client.get(reverse("review_due_report_xlsx")))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][0] == "Code" and [v[0] for v in values[1:]] == [w.proc.code, w.manual.code]
    assert values[1][-1] == -3

    response = client.get(reverse("review_due_report_pdf"))
    assert f"review-due-{timezone.localdate().isoformat()}.pdf" in attachment_name(response)
    reader, text = pdf_text(response.content)
    assert w.proc.code in text and "overdue by 3 days" in text and "Table 1. Documents due for review" in text
    assert_liberation_serif(reader)

    due(w.manual, 100)
    assert [r.document.pk for r in reports.review_due(w.quality, w.inst)] == [w.proc.pk]
    assert reports.review_due(w.staff_a, w.inst) == []  # manages nothing


# --- query counts -----------------------------------------------------------------------------------------


def quick_in_force(w, n):
    """`n` documents in force with a reader each, made straight in the database (the
    workflow is tested elsewhere; here only the number of rows matters)."""
    today = timezone.localdate()
    for i in range(n):
        document = f.document(w.quality, w.fac_a, w.dtype, title=f"Процедура {i}")
        Revision.objects.filter(document=document).update(state=RevisionState.IN_FORCE, effective_date=today)
        Document.objects.filter(pk=document.pk).update(
            status=DocumentStatus.IN_FORCE, next_review_on=today + datetime.timedelta(days=i % 40 - 10)
        )
        reader = factories.person(w.dep_a if i % 2 else w.fac_b)
        Position.objects.create(person=reader, unit=reader.unit, post=Post.TEACHER)
        Acquaintance.objects.create(
            revision=document.revisions.get(), person=reader, confirmed_at=timezone.now() if i % 3 else None
        )


@pytest.mark.parametrize(
    "name", ["acquaintance_report", "review_due_report", "document_register_xlsx", "acquaintance_report_xlsx"]
)
def test_report_queries_do_not_grow_with_documents(client, world, name):
    w = world
    w.agreer = w.head_a.person
    w.dtype = f.doc_type(w.inst, approver=w.rector.person)
    login(client, w.quality)
    url = reverse(name)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    quick_in_force(w, 3)
    few = count()
    quick_in_force(w, 17)
    assert count() == few


def test_printed_forms_queries_do_not_grow_with_people(client, setup):
    w = setup
    login(client, w.quality)
    url = reverse("document_acquaintance_pdf", args=[w.proc.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _i in range(10):
        person = factories.person(w.dep_a)
        Position.objects.create(person=person, unit=w.dep_a, post=Post.TEACHER)
        Acquaintance.objects.create(revision=w.proc_rev, person=person)
    assert count() == few


# --- the helpers ----------------------------------------------------------------------------------------


def test_xlsx_keeps_text_as_text_and_dates_as_dates():
    moment = timezone.now()
    data = to_xlsx(
        Sheet("Sheet: one/two", ["A", "B", "C"], [['=HYPERLINK("http://x")', datetime.date(2026, 11, 21), moment]]),
        Sheet("Sheet: one/two", ["A"], []),
    )
    book = load_workbook(io.BytesIO(data))
    first, second = book.worksheets
    assert first.title != second.title and all(len(s.title) <= 31 for s in book.worksheets)
    assert first["A2"].data_type == "s" and first["A2"].value.startswith("=HYPERLINK")
    assert first["B2"].value == datetime.datetime(2026, 11, 21)
    assert first["C2"].value.replace(microsecond=0) == timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def test_pdf_helper_uses_only_local_files(tmp_path):
    fetcher = pdflib.LocalOnlyFetcher([tmp_path])
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.org/font.ttf")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    allowed = tmp_path / "a.css"
    allowed.write_text("p {}")
    assert fetcher.fetch(allowed.as_uri()).read() == b"p {}"


def test_pdf_helper_loads_liberation_serif_from_the_local_files(monkeypatch):
    if pdflib.font_dir() is None:
        pytest.skip("fonts-liberation2 is not installed")
    fetched = []
    fetch = pdflib.LocalOnlyFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdflib.LocalOnlyFetcher, "fetch", recording_fetch)
    data = pdflib.render_pdf("print/base.html", {"title": "Өзгөрүүлөр", "institution_name": "ОшМУ"})
    assert any(url.endswith("LiberationSerif-Regular.ttf") for url in fetched)
    assert_liberation_serif(PdfReader(io.BytesIO(data)))


def test_pdf_helper_falls_back_to_the_system_serif(monkeypatch, tmp_path):
    monkeypatch.setattr(pdflib, "FONT_DIRS", (tmp_path / "missing",))
    pdflib.font_dir.cache_clear()
    try:
        assert pdflib.font_face_css() == ""
        data = pdflib.render_pdf("print/base.html", {"title": "Сапат", "institution_name": "ОшМУ"})
        assert PdfReader(io.BytesIO(data)).pages
    finally:
        pdflib.font_dir.cache_clear()
