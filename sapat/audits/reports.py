"""The audit report as PDF (WeasyPrint, print/base.html) and DOCX (python-docx, Times New
Roman 12 pt, the margins of the Ministry's format), in the language asked for."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sapat.lib import docx
from sapat.lib.pdf import render_pdf

from .choices import Answer


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
    """The same report in the Ministry's DOCX format (`sapat.lib.docx`)."""
    with translation.override(language):
        data = report_data(audit)
        doc = docx.new_document(title=data["title"])
        docx.paragraph(doc, data["institution_name"], bold=True, align="center")
        docx.heading(doc, data["title"], level=1)
        docx.table(
            doc,
            [_("Audit"), audit.title],
            [
                (_("Dates"), f"{audit.start_date:%d.%m.%Y} – {audit.end_date:%d.%m.%Y}"),
                (_("Scope"), audit.scope or "—"),
                (_("Audit criteria"), audit.criteria or "—"),
                (_("Audited units"), _names(data["units"])),
                (_("Audited processes"), _names(data["processes"])),
                (_("Lead auditor"), str(audit.lead_auditor or "—")),
                (_("Audit team"), _names(data["team"])),
            ],
            widths_cm=[5, 12.5],
        )
        docx.heading(doc, _("Checklist"), level=2)
        docx.paragraph(
            doc,
            _("Questions: %(total)s; conform: %(conforms)s; do not conform: %(nonconforms)s; not applicable: %(na)s.")
            % data["counts"],
        )
        docx.heading(doc, _("Findings"), level=2)
        if data["findings"]:
            rows = []
            for finding in data["findings"]:
                where = " · ".join(str(x) for x in (finding.unit, finding.process) if x)
                text = finding.description + (f"\n{where}" if where else "")
                rows.append(
                    (
                        str(finding.number),
                        finding.category.name,
                        text,
                        " ".join(x for x in (finding.clause, finding.requirement) if x),
                    )
                )
            docx.table(
                doc,
                ["№", _("Category"), _("Finding"), _("Requirement")],
                rows,
                widths_cm=[1, 3.5, 7.5, 5.5],
                align=["center", None, None, None],
            )
        else:
            docx.paragraph(doc, _("No findings."))
        docx.heading(doc, _("Strengths"), level=2)
        docx.paragraph(doc, audit.strengths or "—")
        docx.heading(doc, _("Conclusion"), level=2)
        docx.paragraph(doc, audit.conclusion or "—")
        if audit.lead_approved_at:
            docx.paragraph(
                doc, _("Approved by the lead auditor on %(date)s.") % {"date": f"{audit.lead_approved_at:%d.%m.%Y}"}
            )
        if audit.approved_at:
            docx.paragraph(
                doc, _("Approved by the quality department on %(date)s.") % {"date": f"{audit.approved_at:%d.%m.%Y}"}
            )
        return docx.to_bytes(doc)
