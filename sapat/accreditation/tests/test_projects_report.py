"""The self-evaluation report in the seed's format (002 §4.5), opened as DOCX and PDF."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Cm, Pt
from pypdf import PdfReader

from sapat.accreditation import report as report_data
from sapat.accreditation import services_projects as svc
from sapat.accreditation.models_projects import ElementStatus, EvidenceKind, Level
from sapat.accreditation.report_docx import render_docx
from sapat.processes.models_indicators import Indicator, IndicatorValue

from .projects_setup import running_project


@pytest.fixture
def filled(world):
    p, member, compiler = running_project(world)
    indicator = Indicator.objects.create(
        institution=world.inst,
        code="EMP",
        name_ky="Бүтүрүүчүлөрдүн ишке орношуусу",
        name_ru="Трудоустройство",
        unit_of_measure="%",
    )
    for offset, value in enumerate((61, 64, 70, 72, 75)):
        IndicatorValue.objects.create(
            indicator=indicator, year=p.period_from + offset, unit=world.root, value=Decimal(value)
        )
    report = p.reports.get()
    for assessment in report.assessments.all():
        checks = {e.pk: ElementStatus.MET for e in assessment.criterion.elements.all()}
        svc.assessment_save(
            actor=world.staff_a, assessment=assessment, checks=checks, narrative="Талдоо.", level=Level.COMPLIES
        )
        svc.evidence_add(
            actor=world.staff_a, assessment=assessment, kind=EvidenceKind.INDICATOR, indicator=indicator, page="12"
        )
        svc.evidence_add(actor=world.staff_a, assessment=assessment, kind=EvidenceKind.OTHER, title="Устав", page="4")
    svc.report_write(
        actor=world.head_a, report=report, introduction="Киришүү.", findings="Ылайык.", recommendation="Арыз берүү."
    )
    return report


def test_report_data_numbers_tables_charts_and_annexes(filled):
    data = report_data.build(filled, "ky")
    sections = [s for g in data.groups for s in g.criteria]
    assert len(sections) == 4
    assert [t.number for s in sections for t in s.tables] == [1, 2, 3, 4]
    assert data.summary.number == 5
    assert [c.number for s in sections for c in s.charts] == [1, 2, 3, 4]
    # The same document cited by four criteria is one annex.
    assert [a.number for a in data.annexes] == [1, 2]
    assert data.annexes[0].criteria == ["1.1", "1.2", "2.1", "2.2"]
    assert sections[0].tables[0].rows[0][1:] == ["61", "64", "70", "72", "75"]
    assert "12" in sections[0].references[0].text and "1" in sections[0].references[0].text


def test_docx_in_the_seed_format(filled):
    doc = Document(BytesIO(render_docx(filled, "ky")))
    section = doc.sections[0]
    assert round(section.left_margin / Cm(1), 2) == 2.5
    assert round(section.right_margin / Cm(1), 2) == 1
    assert round(section.top_margin / Cm(1), 2) == 2 and round(section.bottom_margin / Cm(1), 2) == 2
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.paragraph_format.line_spacing == 1.0
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert doc.styles[name].font.bold and doc.styles[name].font.size == Pt(14)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    texts = [p.text for p in doc.paragraphs]
    captions = [t for t in texts if re.match(r"^\d+-таблица\.|^Таблица \d+\.|^Table \d+\.", t)]
    assert len(captions) == 5, texts
    figures = [t for t in texts if re.match(r"^\d+-сүрөт\.|^Рисунок \d+\.|^Figure \d+\.", t)]
    assert len(figures) == 4
    assert len(doc.inline_shapes) == 4
    assert any("Устав" in t and "4" in t for t in texts)
    # title page, introduction, analysis, conclusion and the annex list
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert len([h for h in headings if h[:2] in ("1.", "2.", "3.")]) >= 3


def test_docx_in_both_languages_has_two_parts(filled):
    doc = Document(BytesIO(render_docx(filled, "both")))
    titles = [p.text for p in doc.paragraphs if p.text.startswith(("Ыйгарым", "Өзүн-өзү", "Отчет", "Self-evaluation"))]
    assert len(titles) >= 2


def test_pdf_has_numbered_pages_and_the_texts(filled):
    pdf = PdfReader(BytesIO(report_data.render_pdf_bytes(filled, "ky")))
    pages = len(pdf.pages)
    assert pages >= 3
    last = pdf.pages[-1].extract_text()
    assert re.search(rf"(^|\s){pages}\s*$", last.strip()), last[-80:]
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Устав" in text and "Талдоо" in text


def test_unknown_language_is_refused(filled):
    with pytest.raises(ValueError):
        report_data.languages_for("fr")
