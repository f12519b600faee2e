"""Reports and printed forms of the documents module: the register of documents in force
(XLSX, PDF), the acquaintance sheet and the change registration sheet of a document (PDF),
the acquaintance status (page, XLSX) and documents due for review (page, XLSX, PDF)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from sapat.lib.pdf import pdf_response, render_pdf
from sapat.lib.xlsx import Sheet, to_xlsx, xlsx_response
from sapat.org.selectors import current_institution

from . import reports, selectors, services
from .choices import RevisionState

# The form's own name in the seeds (the last page of a controlled document).
CHANGE_SHEET_TITLE_KY = "Өзгөрүүлөрдү жана толуктоолорду каттоо барагы"
REVIEW_WINDOW_DAYS = 30


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _institution_name(institution) -> str:
    return institution.name if institution is not None else ""


def _code_for_file(document) -> str:
    # Codes are Cyrillic ("СМС-ДП-01"); the name stays readable and safe in any browser.
    return slugify(document.code, allow_unicode=True) or str(document.pk)


# --- index ------------------------------------------------------------------------------------


@login_required
def reports_index(request):
    return render(request, "documents/reports/index.html", {"review_window": REVIEW_WINDOW_DAYS})


# --- register of documents in force --------------------------------------------------------------


@login_required
def register_xlsx(request):
    rows = reports.register(request.user, current_institution(request))
    sheet = Sheet(
        pgettext("spreadsheet sheet", "Register"),
        reports.register_headers(),
        (row.values() for row in rows),
        widths=[16, 50, 30, 8, 30, 28, 10, 13, 13],
    )
    return xlsx_response(to_xlsx(sheet), f"register-{_stamp()}.xlsx")


@login_required
def register_pdf(request):
    institution = current_institution(request)
    rows = reports.register(request.user, institution)
    context = {
        "title": _("Register of documents in force"),
        "institution_name": _institution_name(institution),
        "groups": reports.register_groups(rows),
        "count": len(rows),
        "today": timezone.localdate(),
    }
    pdf = render_pdf("print/register.html", context, landscape=True)
    return pdf_response(pdf, f"register-{_stamp()}.pdf")


# --- printed forms of one document -----------------------------------------------------------------


@login_required
def acquaintance_pdf(request, pk):
    document = selectors.document_detail(request.user, pk)  # 404 when not visible
    services.require_manage(request.user, document)  # 403 unless services.can_manage
    wanted = request.GET.get("revision")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        revision = document.revisions.filter(pk=wanted).first()
    else:
        revision = selectors.in_force_revision(document)
    if revision is None:
        raise Http404
    lines = reports.acquaintance_sheet(revision)
    context = {
        "title": _("Acquaintance sheet"),
        "institution_name": document.institution.name,
        "document": document,
        "revision": revision,
        "not_in_force": revision.state != RevisionState.IN_FORCE,
        "lines": lines,
        "read_count": sum(1 for line in lines if line.read_on),
    }
    pdf = render_pdf("print/acquaintance_sheet.html", context)
    return pdf_response(pdf, f"acquaintance-{_code_for_file(document)}-rev{revision.number}.pdf")


@login_required
def change_sheet_pdf(request, pk):
    document = selectors.document_detail(request.user, pk)  # 404 when not visible
    kyrgyz = (get_language() or "").startswith("ky")
    context = {
        "title": CHANGE_SHEET_TITLE_KY if kyrgyz else _("Change and addition registration sheet"),
        "institution_name": document.institution.name,
        "document": document,
        "revision": selectors.in_force_revision(document),
        "lines": reports.change_sheet(document),
    }
    pdf = render_pdf("print/change_sheet.html", context)
    return pdf_response(pdf, f"change-sheet-{_code_for_file(document)}.pdf")


# --- acquaintance status -------------------------------------------------------------------------


def _acquaintance_report(request):
    return reports.acquaintance_report(request.user, current_institution(request), request.GET.get("unit"))


@login_required
def acquaintance_report(request):
    report = _acquaintance_report(request)
    return render(request, "documents/reports/acquaintance.html", {"report": report})


@login_required
def acquaintance_report_xlsx(request):
    report = _acquaintance_report(request)
    data = to_xlsx(
        Sheet(
            _("By document"),
            reports.acquaintance_document_headers(),
            (reports.acquaintance_document_values(t) for t in report.documents),
            widths=[16, 50, 10, 30, 10, 10, 10, 10],
        ),
        Sheet(
            _("By unit"),
            reports.acquaintance_unit_headers(),
            (reports.acquaintance_unit_values(t) for t in report.by_unit),
            widths=[14, 50, 14, 12, 12, 10],
        ),
    )
    return xlsx_response(data, f"acquaintance-{_stamp()}.xlsx")


# --- documents due for review ----------------------------------------------------------------------


@login_required
def review_due_report(request):
    rows = reports.review_due(request.user, current_institution(request), within_days=REVIEW_WINDOW_DAYS)
    return render(request, "documents/reports/review_due.html", {"rows": rows, "window": REVIEW_WINDOW_DAYS})


@login_required
def review_due_report_xlsx(request):
    rows = reports.review_due(request.user, current_institution(request), within_days=REVIEW_WINDOW_DAYS)
    sheet = Sheet(
        _("Due for review"),
        reports.review_due_headers(),
        (row.values() for row in rows),
        widths=[16, 50, 30, 28, 13, 13, 14],
    )
    return xlsx_response(to_xlsx(sheet), f"review-due-{_stamp()}.xlsx")


@login_required
def review_due_report_pdf(request):
    institution = current_institution(request)
    rows = reports.review_due(request.user, institution, within_days=REVIEW_WINDOW_DAYS)
    context = {
        "title": _("Documents due for review"),
        "institution_name": _institution_name(institution),
        "rows": rows,
        "window": REVIEW_WINDOW_DAYS,
        "today": timezone.localdate(),
    }
    pdf = render_pdf("print/review_due.html", context, landscape=True)
    return pdf_response(pdf, f"review-due-{_stamp()}.pdf")
