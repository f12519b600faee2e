"""The annual report on the quality objectives as a Word document: the layout of
`reports.ObjectivesReport` in the Ministry's format (`sapat.lib.docx`), the same sections
as the PDF (`templates/print/objectives_report.html`). Call it inside
`translation.override(language)` like the report data: the headings are messages."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sapat.lib import docx
from sapat.lib.charts import svg_to_png

from .reports import ObjectivesReport

CHART_WIDTH_CM = 14


def _title_page(doc, report: ObjectivesReport):
    for _i in range(4):
        docx.paragraph(doc)
    docx.paragraph(doc, report.institution_name, bold=True, align="center", size=14)
    for _i in range(6):
        docx.paragraph(doc)
    docx.paragraph(doc, report.title, bold=True, align="center", size=16)
    docx.paragraph(doc, _("Academic year %(year)s") % {"year": report.academic_year}, align="center")
    docx.paragraph(doc)
    scope = _("The institution as a whole") if report.is_institution else report.unit_name
    docx.paragraph(doc, scope, align="center")
    for _i in range(8):
        docx.paragraph(doc)
    docx.paragraph(doc, _("Prepared on %(date)s") % {"date": report.generated_on}, align="center")
    docx.page_break(doc)


def _policy(doc, report):
    docx.heading(doc, _("1. The quality policy"), 1)
    policy = report.policy
    if policy is None:
        docx.paragraph(doc, _("No quality policy is in force."), italic=True)
        return
    facts = _("Version %(version)s, approved on %(date)s by %(body)s") % {
        "version": policy.version,
        "date": policy.approved_on,
        "body": policy.approved_by,
    }
    if policy.protocol_number:
        facts += ", " + _("protocol № %(number)s") % {"number": policy.protocol_number}
    docx.paragraph(doc, facts + ".", italic=True)
    for number, provision in enumerate(policy.provisions, 1):
        docx.paragraph(doc, f"{number}. {provision}")


def _summary(doc, report):
    docx.heading(doc, _("2. Summary"), 1)
    docx.paragraph(
        doc,
        _("Objectives: %(objectives)s; indicators: %(indicators)s.")
        % {"objectives": len(report.objectives), "indicators": report.indicator_count},
    )
    docx.table(
        doc,
        [_("Status"), _("Objectives"), _("Indicators")],
        [[row.label, str(row.objectives), str(row.indicators)] for row in report.summary],
        widths_cm=[9, 4, 4],
        align=[None, "center", "center"],
    )
    docx.paragraph(doc, _("An objective takes the worst status of its indicators in the year."), italic=True)
    if report.summary_chart:
        docx.picture(doc, svg_to_png(report.summary_chart), width_cm=12)


def _objectives(doc, report):
    docx.heading(doc, _("3. Quality objectives and their indicators"), 1)
    if not report.objectives:
        docx.paragraph(doc, _("No quality objective covers this academic year in this scope."), italic=True)
        return
    docx.table(
        doc,
        [_("Code"), _("Objective"), _("Unit"), capfirst(_("achieved, %")), _("Status")],
        [
            [
                o.code,
                "\u2003" * o.depth + o.title,
                o.unit_name,
                "" if o.achieved_percent is None else str(o.achieved_percent),
                o.status_text,
            ]
            for o in report.objectives
        ],
        widths_cm=[1.6, 6.4, 3.8, 2.6, 3.1],
        align=[None, None, None, "center", None],
        caption=_("The cascade of objectives"),
    )
    for o in report.objectives:
        _objective(doc, report, o)


def _objective(doc, report, o):
    docx.heading(doc, f"{o.code} {o.title}".strip(), 2)
    facts = [(_("Unit"), o.unit_name), (_("Period"), o.period), (_("State"), o.state_label)]
    if o.serves:
        facts.insert(0, (capfirst(_("objective above")), o.serves))
    if o.responsible:
        facts.append((capfirst(_("responsible person")), o.responsible))
    for label, value in facts:
        p = docx.paragraph(doc)
        p.paragraph_format.space_after = 0
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    docx.paragraph(doc)
    if o.has_review:
        text = _("Review of %(year)s: achieved %(percent)s %%.") % {
            "year": report.academic_year,
            "percent": o.achieved_percent,
        }
        docx.paragraph(doc, f"{text} {o.review_comment}".strip())
    else:
        docx.paragraph(doc, _("No review of the objective is recorded for this year."), italic=True)
    if not o.indicators:
        docx.paragraph(doc, _("No indicator measures this objective."), italic=True)
        return
    docx.table(
        doc,
        [_("Code"), _("Indicator"), _("Unit of measure"), _("Target"), _("Value"), _("Status")],
        [[i.code, i.name, i.unit_of_measure, i.target or "—", i.value or "—", i.status_label] for i in o.indicators],
        widths_cm=[2.3, 5.5, 2.2, 2.5, 2.4, 2.6],
        align=[None, None, "center", "right", "right", None],
    )
    for i in o.indicators:
        if i.has_trend:
            caption = _("%(code)s %(name)s: the last %(n)s years") % {"code": i.code, "name": i.name, "n": len(i.trend)}
            docx.picture(doc, svg_to_png(i.chart), width_cm=CHART_WIDTH_CM, caption=caption)


def _off_target(doc, report):
    docx.heading(doc, _("4. Indicators off target"), 1)
    if not report.off_target:
        docx.paragraph(doc, _("No indicator is off target."), italic=True)
        return
    docx.table(
        doc,
        [_("Objective"), _("Unit"), _("Indicator"), _("Target"), _("Value")],
        [
            [
                f"{row.objective_code} {row.objective_title}",
                row.unit_name,
                f"{row.line.code} {row.line.name}",
                _with_unit(row.line.target, row.line),
                _with_unit(row.line.value, row.line),
            ]
            for row in report.off_target
        ],
        widths_cm=[5, 3.3, 4.6, 2.3, 2.3],
        align=[None, None, None, "right", "right"],
    )


def _with_unit(text, line):
    return f"{text} {line.unit_of_measure}".strip() if text else "—"


def objectives_report_docx(report: ObjectivesReport) -> bytes:
    doc = docx.new_document(title=report.title)
    _title_page(doc, report)
    _policy(doc, report)
    _summary(doc, report)
    _objectives(doc, report)
    _off_target(doc, report)
    return docx.to_bytes(doc)
