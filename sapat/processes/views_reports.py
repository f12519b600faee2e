"""Reports of the processes module: the annual report on the quality objectives (PDF, DOCX).
The view parses the choice and lays out `reports.objectives_report`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.text import slugify

from sapat.lib.docx import docx_response
from sapat.lib.pdf import pdf_response, render_pdf
from sapat.org.models import AcademicYear

from . import reports
from .forms_reports import ObjectivesReportForm
from .report_docx import objectives_report_docx
from .services import root_unit
from .views import _institution


def _default_year(institution) -> int | None:
    """The last academic year that has ended: the one whose report is due (else the latest)."""
    years = AcademicYear.objects.filter(institution=institution).order_by("-start_year")
    chosen = years.filter(end_date__lt=timezone.localdate()).first() or years.first()
    return chosen.start_year if chosen else None


def file_name(unit, year, language, extension) -> str:
    """quality-objectives-batsu-2025-ky.pdf, or …-batsu-тгпф-пбб-2025-ky.pdf for a unit."""
    parts = ["quality-objectives", unit.institution.code]
    if unit.parent_id is not None:
        parts.append(slugify(unit.code, allow_unicode=True) or str(unit.pk))
    return "-".join([*parts, str(year), language]) + f".{extension}"


@login_required
def objectives_report(request):
    """The choice of unit, year, language and format; with a valid choice in the query
    string, the report itself as an attachment."""
    institution = _institution(request)  # 403 without sight of the institution (experts)
    form = ObjectivesReportForm(
        request.GET or None,
        institution=institution,
        initial={
            "unit": getattr(root_unit(institution.pk), "pk", None),
            "year": _default_year(institution),
            "language": translation.get_language()[:2],
            "format": "pdf",
        },
    )
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        context = {"form": form, "institution": institution}
        return render(request, "processes/reports/objectives_report.html", context, status=status)
    data = form.cleaned_data
    unit, language, extension = data["unit"], data["language"], data["format"]
    academic_year = AcademicYear.objects.get(institution=institution, start_year=data["year"])
    name = file_name(unit, academic_year.start_year, language, extension)
    with translation.override(language):
        report = reports.objectives_report(request.user, unit, academic_year)
        if extension == "docx":
            return docx_response(objectives_report_docx(report), name)
        context = {"title": report.title, "institution_name": report.institution_name, "report": report}
        return pdf_response(render_pdf("print/objectives_report.html", context), name)
