"""The self-evaluation report as a Word document in the seed's format (002 §4.5): Times New
Roman 14, bold headings, line spacing 1.0, margins 2.5 / 1 / 2 / 2 cm, page numbers,
numbered and titled tables and charts. The data come from `report.build`; a report in both
languages has the Kyrgyz part first, then the Russian one after a page break."""

from docx.shared import Pt

from sapat.lib import docx
from sapat.lib.charts import svg_to_png

from .report import ReportData, build_all

REPORT_SIZE = Pt(14)
CHART_WIDTH_CM = 14


def _ministry_size(doc):
    """The seed wants 14 pt everywhere; the shared helper starts at 12."""
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        doc.styles[name].font.size = REPORT_SIZE
    for paragraph in doc.sections[0].footer.paragraphs:
        for run in paragraph.runs:
            run.font.size = REPORT_SIZE


def _title_page(doc, data: ReportData):
    for _i in range(3):
        docx.paragraph(doc)
    docx.paragraph(doc, data.institution_name, bold=True, align="center")
    for _i in range(6):
        docx.paragraph(doc)
    docx.paragraph(doc, data.title, bold=True, align="center")
    docx.paragraph(doc, data.labels["year"], align="center")
    docx.paragraph(doc, data.labels["period"], align="center")
    if data.order_text:
        docx.paragraph(doc, data.order_text, align="center")
    for _i in range(8):
        docx.paragraph(doc)
    docx.paragraph(doc, data.labels["prepared"], align="center")
    docx.page_break(doc)


def _table(doc, table):
    widths = [5.5] + [11.5 / (len(table.headers) - 1)] * (len(table.headers) - 1)
    if len(table.headers) == 3:
        widths = [1.5, 11.5, 4.5]
    docx.table(doc, table.headers, table.rows, widths_cm=widths, caption=table.caption)


def _part(doc, data: ReportData):
    labels = data.labels
    _title_page(doc, data)
    docx.heading(doc, f"1. {labels['introduction']}", 1)
    for line in data.introduction.splitlines():
        docx.paragraph(doc, line)
    docx.heading(doc, labels["commission"], 2)
    for number, (name, position) in enumerate(data.commission, 1):
        docx.paragraph(doc, f"{number}. {name} — {position}")
    docx.heading(doc, f"2. {labels['analysis']}", 1)
    for group in data.groups:
        docx.heading(doc, f"{group.code}. {group.title}", 2)
        for section in group.criteria:
            docx.heading(doc, f"{section.code}. {section.title}", 3)
            for line in section.narrative.splitlines():
                docx.paragraph(doc, line)
            for key, text in (
                ("strengths", section.strengths),
                ("weaknesses", section.weaknesses),
                ("recommendations", section.recommendations),
            ):
                if text:
                    docx.paragraph(doc, f"{labels[key]}: {text}")
            for table in section.tables:
                _table(doc, table)
            for chart in section.charts:
                docx.picture(doc, svg_to_png(chart.svg, scale=1.5), width_cm=CHART_WIDTH_CM, caption=chart.caption)
            refs = "; ".join(ref.text for ref in section.references) or labels["none"]
            docx.paragraph(doc, f"{labels['evidence']}: {refs}", italic=True)
            docx.paragraph(doc, f"{labels['level']}: {section.level}", bold=True)
    docx.heading(doc, f"3. {labels['conclusion']}", 1)
    _table(doc, data.summary)
    docx.heading(doc, labels["findings"], 2)
    for line in data.findings.splitlines():
        docx.paragraph(doc, line)
    docx.heading(doc, labels["recommendation"], 2)
    for line in data.recommendation.splitlines():
        docx.paragraph(doc, line)
    docx.page_break(doc)
    docx.heading(doc, labels["annexes"], 1)
    docx.table(
        doc,
        [labels["no"], labels["annex_title"], labels["annex_kind"], labels["annex_criteria"]],
        [[str(a.number), a.title, a.kind, ", ".join(a.criteria)] for a in data.annexes],
        widths_cm=[1.5, 8.5, 4.5, 3],
    )


def render_docx(report, choice: str) -> bytes:
    parts = build_all(report, choice)
    doc = docx.new_document(title=parts[0].title)
    _ministry_size(doc)
    for index, data in enumerate(parts):
        if index:
            docx.page_break(doc)
        _part(doc, data)
    return docx.to_bytes(doc)
