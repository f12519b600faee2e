"""Pages of the annual process analysis: the quality department's overview of a year, one
process's analysis of a year (read, write, submit, return, accept), its printable PDF, and
the reminder to owners who have not submitted. Views parse input and call the services in
`services_analysis`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error
from sapat.lib.pdf import pdf_response, render_pdf

from . import selectors
from . import selectors_analysis as sel
from . import services_analysis as svc
from .forms_analysis import AnalysisForm, RemindForm, ReturnForm
from .models_analysis import AnalysisState, ProcessAnalysis
from .services import can_manage
from .views import _can_see_history, _file_code, _institution


def _year_param(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the overview -----------------------------------------------------------------------------


@login_required
def analysis_overview(request):
    institution = _institution(request)
    years = list(sel.started_years(institution))
    wanted = _year_param(request.GET.get("year"))
    year = next((y for y in years if y.start_year == wanted), None) if wanted else sel.default_year(institution)
    rows = sel.overview(request.user, institution, year) if year else []
    missing_only = request.GET.get("missing") == "1"
    context = {
        "institution": institution,
        "years": years,
        "year": year,
        "rows": [r for r in rows if not r.is_submitted] if missing_only else rows,
        "counts": sel.counts(rows),
        "missing_only": missing_only,
        "not_submitted": sum(1 for r in rows if not r.is_submitted),
        "can_remind": can_manage(request.user, institution.pk),
        "remind_form": RemindForm(),
    }
    return render(request, "processes/analysis/overview.html", context)


@login_required
@require_POST
def analysis_remind(request):
    institution = _institution(request)
    if not can_manage(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department reviews process analyses."))
    year = sel.year_of(institution, _year_param(request.POST.get("year")))
    if year is None:
        messages.error(request, _("Choose an academic year that has begun."))
        return redirect("analysis_overview")
    back = reverse("analysis_overview") + f"?year={year.start_year}"
    form = RemindForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        sent = svc.analysis_remind(
            actor=request.user, institution=institution, academic_year=year, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reminders sent: %(n)d.") % {"n": sent})
    return redirect(back)


# --- one analysis -----------------------------------------------------------------------------


def _process_and_year(request, pk, year):
    process = selectors.process_detail(request.user, pk)
    academic_year = sel.year_of(process.institution, year)
    if academic_year is None:
        raise Http404
    return process, academic_year


def _detail(request, process, academic_year, *, return_form=None, status=200):
    user = request.user
    analysis = sel.analysis_of(process, academic_year)
    readable = analysis is not None and sel.can_read(user, analysis)
    figures, frozen = sel.figures_of(analysis if readable else None, process, academic_year.start_year)
    can_review = can_manage(user, process.institution_id)
    context = {
        "process": process,
        "academic_year": academic_year,
        "analysis": analysis if readable else None,
        "status": analysis.state if analysis else sel.NOT_STARTED,
        "figures": figures,
        "frozen": frozen,
        "can_write": sel.can_write(user, process),
        "can_review": can_review and analysis is not None and analysis.state == AnalysisState.SUBMITTED,
        "return_form": return_form or ReturnForm(),
        "can_see_history": _can_see_history(user, process),
    }
    return render(request, "processes/analysis/detail.html", context, status=status)


@login_required
def analysis_detail(request, pk, year):
    process, academic_year = _process_and_year(request, pk, year)
    return _detail(request, process, academic_year)


@login_required
def analysis_edit(request, pk, year):
    """Write the analysis; "save and submit" submits it in the same step, or changes nothing."""
    process, academic_year = _process_and_year(request, pk, year)
    if not sel.can_write(request.user, process):
        raise PermissionDenied(_("Only the process's owner or the quality department may write its analysis."))
    analysis = sel.analysis_of(process, academic_year) or ProcessAnalysis(process=process, academic_year=academic_year)
    detail_url = reverse("analysis_detail", args=[process.pk, academic_year.start_year])
    if not analysis._state.adding and not analysis.is_editable:
        messages.error(
            request, _("A submitted analysis cannot be changed; the quality department may return it for rework.")
        )
        return redirect(detail_url)
    figures = sel.live_figures(process, academic_year.start_year)
    initial = {"objectives_comment": sel.figures_summary(figures)} if analysis._state.adding else None
    form = AnalysisForm(request.POST or None, instance=analysis, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            with transaction.atomic():
                saved = svc.analysis_save(actor=request.user, analysis=form.save(commit=False))
                if submit:
                    svc.analysis_submit(actor=request.user, analysis=saved)
        except ValidationError as error:
            add_validation_error(form, error)
            if analysis._state.adding:
                analysis.pk, analysis._state.adding = None, True  # the row was rolled back
        else:
            messages.success(request, _("The analysis is submitted.") if submit else _("The draft is saved."))
            return redirect(detail_url)
    context = {
        "form": form,
        "process": process,
        "academic_year": academic_year,
        "analysis": analysis,
        "figures": figures,
        "back_url": detail_url,
    }
    return render(request, "processes/analysis/form.html", context, status=400 if request.method == "POST" else 200)


def _step(request, pk, year, action, done):
    process, academic_year = _process_and_year(request, pk, year)
    analysis = sel.analysis_of(process, academic_year)
    if analysis is None:
        raise Http404
    try:
        action(analysis)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("analysis_detail", pk=process.pk, year=academic_year.start_year)


@login_required
@require_POST
def analysis_submit(request, pk, year):
    return _step(
        request,
        pk,
        year,
        lambda a: svc.analysis_submit(actor=request.user, analysis=a),
        _("The analysis is submitted."),
    )


@login_required
@require_POST
def analysis_accept(request, pk, year):
    return _step(
        request, pk, year, lambda a: svc.analysis_accept(actor=request.user, analysis=a), _("The analysis is accepted.")
    )


@login_required
@require_POST
def analysis_return(request, pk, year):
    process, academic_year = _process_and_year(request, pk, year)
    analysis = sel.analysis_of(process, academic_year)
    if analysis is None:
        raise Http404
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            svc.analysis_return(actor=request.user, analysis=analysis, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The analysis is returned to its owners for rework."))
            return redirect("analysis_detail", pk=process.pk, year=academic_year.start_year)
    return _detail(request, process, academic_year, return_form=form, status=400)


@login_required
def analysis_pdf(request, pk, year):
    process, academic_year = _process_and_year(request, pk, year)
    analysis = sel.analysis_of(process, academic_year)
    if analysis is None or not sel.can_read(request.user, analysis):
        raise Http404
    figures, frozen = sel.figures_of(analysis, process, academic_year.start_year)
    context = {
        "title": _("Annual analysis of the process"),
        "institution_name": process.institution.name,
        "process": process,
        "academic_year": academic_year,
        "analysis": analysis,
        "figures": figures,
        "frozen": frozen,
        "owners": process.current_owners,
        "today": timezone.localdate(),
    }
    pdf = render_pdf("processes/analysis/print.html", context)
    return pdf_response(pdf, f"process-{_file_code(process)}-analysis-{academic_year.start_year}.pdf")
