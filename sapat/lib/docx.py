"""Word documents (DOCX) in the Ministry's report format, with python-docx.

The same page as `sapat.lib.pdf`: A4, Times New Roman (named directly: Word has it; on
Linux LibreOffice substitutes the metric-compatible Liberation Serif) 12 pt, single line
spacing, margins left 2.5 cm, right 1 cm, top and bottom 2 cm, page numbers at the bottom
right. Tables have a header row repeated on every page; charts go in as PNG.

    doc = new_document()
    heading(doc, "Title", level=1)
    table(doc, ["Code", "Name"], [["1", "…"]], widths_cm=[3, 13.5])
    return docx_response(to_bytes(doc), "report.docx")
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Times New Roman"
FONT_SIZE = Pt(12)
MARGINS_CM = {"top": 2, "right": 1, "bottom": 2, "left": 2.5}
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADING_SIZES = {0: Pt(14), 1: Pt(14), 2: Pt(12), 3: Pt(12)}


def _set_font(style_or_run, size=None, bold=None, italic=None):
    font = style_or_run.font
    font.name = FONT
    # Word picks the face per script: name it for Cyrillic (hAnsi/cs) and East Asian too.
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    # Theme fonts (the headings' "majorHAnsi") win over named ones: drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = RGBColor(0, 0, 0)


def _page_number_field(paragraph):
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _set_font(run, FONT_SIZE)


def new_document(*, landscape: bool = False, title: str = "") -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side, cm in MARGINS_CM.items():
        setattr(section, f"{side}_margin", Cm(cm))
    normal = doc.styles["Normal"]
    _set_font(normal, FONT_SIZE)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.space_after = Pt(6)
    for level, size in HEADING_SIZES.items():
        name = "Title" if level == 0 else f"Heading {level}"
        _set_font(doc.styles[name], size, bold=True, italic=False)
        doc.styles[name].paragraph_format.space_before = Pt(12)
        doc.styles[name].paragraph_format.space_after = Pt(6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_number_field(footer)
    if title:
        doc.core_properties.title = title
    return doc


def text_width_cm(doc) -> float:
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Cm(1)


def heading(doc, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def paragraph(doc, text: str = "", *, bold=False, italic=False, align=None, size: float | None = None):
    """A paragraph of `text`; `size` in points, `align` "center" or "right"."""
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size is not None:
            run.font.size = Pt(size)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _cant_split(row):
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _cell_text(cell, text, *, bold=False, align=None):
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(str(text))
    if bold:
        run.bold = True
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def table(doc, headers, rows, *, widths_cm=None, align=None, caption: str = ""):
    """A bordered table: `headers` in a bold row repeated on every page, then `rows` (lists
    of strings). `align` gives each column's alignment (None, "center", "right")."""
    if caption:
        paragraph(doc, caption, bold=True).paragraph_format.keep_with_next = True
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    align = align or [None] * len(headers)
    head = t.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=True):
        _cell_text(cell, text, bold=True, align="center")
    for values in rows:
        row = t.add_row()
        _cant_split(row)
        for cell, text, a in zip(row.cells, values, align, strict=True):
            _cell_text(cell, "" if text is None else text, align=a)
    if widths_cm:
        # Word reads the cells' widths, LibreOffice the grid's: set both, and keep them.
        t.autofit = False
        for column, width in zip(t.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for row in t.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    doc.add_paragraph()
    return t


def picture(doc, png: bytes, *, width_cm: float, caption: str = ""):
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = bool(caption)
    p.add_run().add_picture(BytesIO(png), width=Cm(width_cm))
    if caption:
        paragraph(doc, caption, italic=True, align="center")


def to_bytes(doc) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(data: bytes, filename: str) -> HttpResponse:
    """Send DOCX bytes as a download named `filename`."""
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
