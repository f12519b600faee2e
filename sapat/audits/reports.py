"""The audit report as PDF (WeasyPrint, print/base.html) and DOCX (python-docx, Times New
Roman 12 pt, the margins of the Ministry's format), in the language asked for."""

import io

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sapat.lib.pdf import render_pdf

from .choices import Answer

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_language(requested: str | None) -> str:
    codes = dict(settings.LANGUAGES)
    return requested if requested in codes else (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def report_data(audit) -> dict:
    """Everything the report shows, read once; labels are translated by the caller's language."""
    checklist = list(audit.checklist.select_related("process").order_by("order", "id"))
    counts = {value: sum(1 for i in checklist if i.answer == value) for value in Answer.values}
    return {
        "audit": audit,
        "institution_name": audit.institution.name,
        "title": _("Internal audit report %(code)s") % {"code": audit.code},
        "units": list(audit.units.all()),
        "processes": list(audit.processes.all()),
        "programmes": list(audit.programmes.all()),
        "team": [a for a in audit.team.select_related("person") if a.pk != audit.lead_auditor_id],
        "findings": list(audit.findings.select_related("category", "unit", "process").order_by("number")),
        "checklist": checklist,
        "counts": {
            "conforms": counts[Answer.CONFORMS],
            "nonconforms": counts[Answer.NONCONFORMS],
            "na": counts[Answer.NOT_APPLICABLE],
            "total": len(checklist),
        },
        "recipients": list(audit.recipients.select_related("person")),
    }


def report_pdf(audit, language: str) -> bytes:
    with translation.override(language):
        return render_pdf("print/audit_report.html", report_data(audit))


def _names(items) -> str:
    return "; ".join(str(i) for i in items) or "—"


def report_docx(audit, language: str) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    with translation.override(language):
        data = report_data(audit)
        doc = Document()
        section = doc.sections[0]
        section.left_margin, section.right_margin = Cm(2.5), Cm(1)
        section.top_margin = section.bottom_margin = Cm(2)
        style = doc.styles["Normal"]
        style.font.name, style.font.size = "Times New Roman", Pt(12)
        style.element.rPr.rFonts.set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "Times New Roman"
        )
        for name in ("Title", "Heading 1", "Heading 2"):
            doc.styles[name].font.name = "Times New Roman"
        doc.add_paragraph(data["institution_name"])
        doc.add_heading(data["title"], level=1)
        doc.add_paragraph(audit.title)
        rows = [
            (_("Dates"), f"{audit.start_date:%d.%m.%Y} – {audit.end_date:%d.%m.%Y}"),
            (_("Scope"), audit.scope or "—"),
            (_("Audit criteria"), audit.criteria or "—"),
            (_("Audited units"), _names(data["units"])),
            (_("Audited processes"), _names(data["processes"])),
            (_("Lead auditor"), str(audit.lead_auditor or "—")),
            (_("Audit team"), _names(data["team"])),
        ]
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        counts = data["counts"]
        doc.add_heading(_("Checklist"), level=2)
        doc.add_paragraph(
            _("Questions: %(total)s; conform: %(conforms)s; do not conform: %(nonconforms)s; not applicable: %(na)s.")
            % counts
        )
        doc.add_heading(_("Findings"), level=2)
        if data["findings"]:
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, label in zip(
                table.rows[0].cells, ("№", _("Category"), _("Finding"), _("Requirement")), strict=True
            ):
                cell.text = label
            for finding in data["findings"]:
                cells = table.add_row().cells
                where = " · ".join(str(x) for x in (finding.unit, finding.process) if x)
                cells[0].text = str(finding.number)
                cells[1].text = finding.category.name
                cells[2].text = finding.description + (f"\n{where}" if where else "")
                cells[3].text = " ".join(x for x in (finding.clause, finding.requirement) if x)
        else:
            doc.add_paragraph(_("No findings."))
        doc.add_heading(_("Strengths"), level=2)
        doc.add_paragraph(audit.strengths or "—")
        doc.add_heading(_("Conclusion"), level=2)
        doc.add_paragraph(audit.conclusion or "—")
        approvals = []
        if audit.lead_approved_at:
            approvals.append(
                _("Approved by the lead auditor on %(date)s.") % {"date": f"{audit.lead_approved_at:%d.%m.%Y}"}
            )
        if audit.approved_at:
            approvals.append(
                _("Approved by the quality department on %(date)s.") % {"date": f"{audit.approved_at:%d.%m.%Y}"}
            )
        for line in approvals:
            doc.add_paragraph(line)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
