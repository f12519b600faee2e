"""Pages of the internal audits: the programme and its versions, the auditor pool, audits with
their checklist and report, the scale of findings. Views parse input and call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, save_form
from sapat.improvement.raising import raised_from, what_finding_raises
from sapat.lib.docx import docx_response
from sapat.lib.pdf import pdf_response
from sapat.org.selectors import current_institution, get_visible

from . import forms as f
from . import reports
from . import selectors as sel
from . import services as svc
from .choices import AuditState, VersionState
from .models import Audit, ChecklistItem, Finding, FindingCategory, ProgrammeEntry, ProgrammeVersion


def _institution(request):
    """The institution in view; its audit pages are open to those holding VIEW_AUDITS there and
    to anyone on a team or a distribution list (who then sees only those audits)."""
    institution = current_institution(request)
    if institution is None:
        raise Http404
    if not svc.can_view(request.user, institution.pk) and not sel.audits_for(request.user).exists():
        raise PermissionDenied(_("You do not have permission to do this here."))
    return institution


def _require_manage(request, institution_id):
    if not svc.can_manage(request.user, institution_id):
        raise PermissionDenied(_("Only the quality department may do this."))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _act(request, call, *, success, done_message):
    """Run a workflow step from a button: its refusal is shown as a message, nothing changed."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done_message)
        if isinstance(result, list):
            for warning in result:
                messages.warning(request, warning)
    return redirect(success)


# --- the programme ---------------------------------------------------------------------------


@login_required
def programme_list(request):
    institution = _institution(request)
    programmes = sel.programmes_for(request.user).filter(institution=institution).prefetch_related("versions")
    rows = [(p, svc.current_version(p)) for p in programmes]
    can_manage = svc.can_manage(request.user, institution.pk)
    form = f.ProgrammeCreateForm(request.POST or None, institution=institution)
    if request.method == "POST":
        _require_manage(request, institution.pk)
        if form.is_valid():
            try:
                programme = svc.programme_create(
                    actor=request.user, institution=institution, academic_year=form.cleaned_data["academic_year"]
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                return redirect(programme)
    context = {"rows": rows, "form": form, "can_manage": can_manage}
    return render(request, "audits/programme_list.html", context, status=400 if form.errors else 200)


@login_required
def programme_detail(request, pk):
    programme = get_visible(sel.programmes_for(request.user), pk=pk)
    version = svc.open_version(programme) or svc.current_version(programme)
    return redirect(version)


@login_required
def version_detail(request, pk):
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme__academic_year"), pk=pk)
    programme = get_visible(sel.programmes_for(request.user), pk=version.programme_id)
    institution_id = programme.institution_id
    context = {
        "programme": programme,
        "version": version,
        "versions": programme.versions.select_related("approved_by"),
        "entries": sel.version_entries(version),
        "diff": svc.version_diff(version),
        "can_manage": svc.can_manage(request.user, institution_id),
        "can_approve": svc.can_approve_programme(request.user, institution_id),
        "open_version": svc.open_version(programme),
        "amendment_form": f.AmendmentForm(),
        "return_form": f.ReturnForm(),
        "states": VersionState,
    }
    return render(request, "audits/version_detail.html", context)


def _version_for_manage(request, pk) -> ProgrammeVersion:
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=pk)
    get_visible(sel.programmes_for(request.user), pk=version.programme_id)
    return version


@login_required
def entry_add(request, pk):
    version = _version_for_manage(request, pk)
    _require_manage(request, version.programme.institution_id)
    return _entry_form(request, ProgrammeEntry(version=version), _("Add an audit to the programme"))


@login_required
def entry_edit(request, pk):
    entry = get_object_or_404(ProgrammeEntry.objects.select_related("version__programme"), pk=pk)
    get_visible(sel.programmes_for(request.user), pk=entry.version.programme_id)
    _require_manage(request, entry.version.programme.institution_id)
    return _entry_form(request, entry, _("Change the programme entry"))


def _entry_form(request, entry, title):
    version = entry.version
    form = f.EntryForm(request.POST or None, instance=entry, institution=version.programme.institution)

    def save(obj):
        data = form.cleaned_data
        entry = svc.entry_save(
            actor=request.user,
            entry=obj,
            units=data["units"],
            processes=data["processes"],
            programmes=data["programmes"],
            team=data["team"],
        )
        for warning in svc.training_warnings(entry.team.select_related("person")):
            messages.warning(request, warning)
        return entry

    return save_form(
        request,
        form,
        save,
        success_url=version.get_absolute_url(),
        template="audits/form.html",
        context={"title": title, "back_url": version.get_absolute_url(), "programme": version.programme},
    )


@login_required
@require_POST
def entry_delete(request, pk):
    entry = get_object_or_404(ProgrammeEntry.objects.select_related("version__programme"), pk=pk)
    get_visible(sel.programmes_for(request.user), pk=entry.version.programme_id)
    return _act(
        request,
        lambda: svc.entry_delete(actor=request.user, entry=entry),
        success=entry.version.get_absolute_url(),
        done_message=_("Deleted."),
    )


@login_required
@require_POST
def version_action(request, pk, action):
    version = _version_for_manage(request, pk)
    calls = {
        "submit": (lambda: svc.version_submit(actor=request.user, version=version), _("Submitted for approval.")),
        "approve": (lambda: svc.version_approve(actor=request.user, version=version), _("The programme is approved.")),
        "return": (
            lambda: svc.version_return(actor=request.user, version=version, comment=request.POST.get("comment", "")),
            _("Returned for changes."),
        ),
    }
    if action not in calls:
        raise Http404
    call, message = calls[action]
    return _act(request, call, success=version.get_absolute_url(), done_message=message)


@login_required
@require_POST
def amendment_add(request, pk):
    programme = get_visible(sel.programmes_for(request.user), pk=pk)
    form = f.AmendmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason for the amendment."))
        return redirect(programme)
    try:
        version = svc.amendment_start(actor=request.user, programme=programme, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(programme)
    messages.success(request, _("The amendment is a new draft version: change it and submit it."))
    return redirect(version)


@login_required
def plan_from_entry(request, pk):
    entry = sel.entry_detail(request.user, pk)
    _require_manage(request, entry.version.programme.institution_id)
    form = f.PlanFromEntryForm(
        request.POST or None, initial={"start_date": entry.start_date, "end_date": entry.end_date}
    )

    def save(data):
        return svc.audit_from_entry(
            actor=request.user, entry=entry, start_date=data["start_date"], end_date=data["end_date"]
        )

    return save_form(
        request,
        form,
        save,
        success_url=lambda audit: audit.get_absolute_url(),
        template="audits/form.html",
        context={
            "title": _("Plan the audit: %(subject)s") % {"subject": entry.subject},
            "back_url": entry.version.get_absolute_url(),
        },
    )


# --- auditors --------------------------------------------------------------------------------


@login_required
def auditor_list(request):
    institution = _institution(request)
    context = {
        "auditors": sel.auditors_for(request.user).filter(institution=institution),
        "can_manage": svc.can_manage(request.user, institution.pk),
    }
    return render(request, "audits/auditor_list.html", context)


@login_required
def auditor_detail(request, pk):
    auditor = get_visible(sel.auditors_for(request.user), pk=pk)
    can_manage = svc.can_manage(request.user, auditor.institution_id)
    form = f.TrainingForm(request.POST or None)
    if request.method == "POST":
        _require_manage(request, auditor.institution_id)
        if form.is_valid():
            training = form.save(commit=False)
            training.auditor = auditor
            try:
                svc.training_save(actor=request.user, training=training)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(auditor)
    context = {
        "auditor": auditor,
        "trainings": auditor.trainings.all(),
        "audits": sel.audits_for(request.user).filter(team=auditor).order_by("-start_date"),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "audits/auditor_detail.html", context, status=400 if form.errors else 200)


@login_required
def auditor_add(request):
    institution = _institution(request)
    _require_manage(request, institution.pk)
    return _auditor_form(request, None, institution)


@login_required
def auditor_edit(request, pk):
    auditor = get_visible(sel.auditors_for(request.user), pk=pk)
    _require_manage(request, auditor.institution_id)
    return _auditor_form(request, auditor, auditor.institution)


def _auditor_form(request, auditor, institution):
    form = f.AuditorForm(request.POST or None, instance=auditor, institution=institution)
    return save_form(
        request,
        form,
        lambda obj: svc.auditor_save(actor=request.user, auditor=obj),
        success_url=lambda obj: obj.get_absolute_url(),
        template="audits/form.html",
        context={"title": _("Internal auditor"), "back_url": reverse("auditor_list")},
    )


# --- the scale of findings -------------------------------------------------------------------


@login_required
def category_list(request):
    institution = _institution(request)
    svc.finding_scale(institution.pk)
    context = {
        "categories": FindingCategory.objects.filter(institution=institution),
        "can_manage": svc.can_manage(request.user, institution.pk),
    }
    return render(request, "audits/category_list.html", context)


@login_required
def category_edit(request, pk=None):
    institution = _institution(request)
    _require_manage(request, institution.pk)
    category = get_object_or_404(FindingCategory, pk=pk, institution=institution) if pk else None
    form = f.CategoryForm(request.POST or None, instance=category, institution=institution)
    return save_form(
        request,
        form,
        lambda obj: svc.category_save(actor=request.user, category=obj),
        success_url=reverse("finding_category_list"),
        template="audits/form.html",
        context={"title": _("Category of findings"), "back_url": reverse("finding_category_list")},
    )


# --- audits ----------------------------------------------------------------------------------


@login_required
def audit_list(request):
    institution = _institution(request)
    state = request.GET.get("state", "")
    state = state if state in AuditState.values else ""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    context = {
        "audits": sel.audit_list(request.user, institution, state=state, year=year),
        "states": AuditState.choices,
        "state": state,
        "year": year,
        "can_manage": svc.can_manage(request.user, institution.pk),
    }
    return render(request, "audits/audit_list.html", context)


@login_required
def audit_add(request):
    institution = _institution(request)
    _require_manage(request, institution.pk)
    return _audit_form(request, Audit(institution=institution), institution, _("Plan an internal audit"))


@login_required
def audit_edit(request, pk):
    audit = sel.audit_detail(request.user, pk)
    _require_manage(request, audit.institution_id)
    return _audit_form(request, audit, audit.institution, _("Change the audit"))


def _audit_form(request, audit, institution, title):
    form = f.AuditForm(request.POST or None, instance=audit, institution=institution)

    def save(obj):
        data = form.cleaned_data
        return svc.audit_save(
            actor=request.user,
            audit=obj,
            units=data["units"],
            processes=data["processes"],
            programmes=data["programmes"],
        )

    return save_form(
        request,
        form,
        save,
        success_url=lambda obj: obj.get_absolute_url(),
        template="audits/form.html",
        context={"title": title, "back_url": audit.get_absolute_url() if audit.pk else reverse("audit_list")},
    )


def _audit_context(request, audit, tab):
    user = request.user
    manage = svc.can_manage(user, audit.institution_id)
    recipient = audit.recipients.filter(person=svc.person_of(user)).first() if svc.person_of(user) else None
    return {
        "audit": audit,
        "tab": tab,
        "can_manage": manage,
        "is_lead": svc.is_lead(user, audit),
        "can_work": svc.can_work_on(user, audit),
        "is_team": svc.is_team_member(user, audit),
        "recipient": recipient,
        "states": AuditState,
    }


@login_required
def audit_detail(request, pk):
    audit = sel.audit_detail(request.user, pk)
    context = _audit_context(request, audit, "overview")
    team = list(audit.team.all())
    context.update(
        team=team,
        warnings=svc.training_warnings(team),
        team_form=f.TeamForm(
            initial={"lead_auditor": audit.lead_auditor_id, "team": [a.pk for a in team]}, institution=audit.institution
        ),
        distribute_form=f.DistributeForm(),
    )
    return render(request, "audits/audit_detail.html", context)


@login_required
@require_POST
def audit_team(request, pk):
    audit = sel.audit_detail(request.user, pk)
    form = f.TeamForm(request.POST, institution=audit.institution)
    if not form.is_valid():
        messages.error(request, _("Choose the lead auditor."))
        return redirect(audit)
    data = form.cleaned_data
    return _act(
        request,
        lambda: svc.audit_set_team(actor=request.user, audit=audit, lead=data["lead_auditor"], team=data["team"]),
        success=audit.get_absolute_url(),
        done_message=_("The audit team is saved."),
    )


@login_required
@require_POST
def audit_action(request, pk, action):
    audit = sel.audit_detail(request.user, pk)
    user = request.user
    report_url = reverse("audit_report", args=[audit.pk])
    calls = {
        "start": (lambda: svc.audit_start(actor=user, audit=audit), _("The audit is being conducted."), None),
        "finish": (
            lambda: svc.audit_finish_conduct(actor=user, audit=audit),
            _("Conduct finished: write the report."),
            report_url,
        ),
        "lead_approve": (
            lambda: svc.report_lead_approve(actor=user, audit=audit),
            _("The report is approved."),
            report_url,
        ),
        "approve": (lambda: svc.report_approve(actor=user, audit=audit), _("The report is approved."), report_url),
        "return": (
            lambda: svc.report_return(actor=user, audit=audit, comment=request.POST.get("comment", "")),
            _("Returned for changes."),
            report_url,
        ),
        "distribute": (lambda: _distribute(request, audit), _("The report is distributed."), report_url),
        "acknowledge": (lambda: svc.report_acknowledge(actor=user, audit=audit), _("Acknowledged."), report_url),
    }
    if action not in calls:
        raise Http404
    call, message, url = calls[action]
    return _act(request, call, success=url or audit.get_absolute_url(), done_message=message)


def _distribute(request, audit):
    form = f.DistributeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Give a valid date."))
    return svc.report_distribute(actor=request.user, audit=audit, acknowledge_by=form.cleaned_data["acknowledge_by"])


# --- the checklist ---------------------------------------------------------------------------


@login_required
def audit_checklist(request, pk):
    audit = sel.audit_detail(request.user, pk)
    context = _audit_context(request, audit, "checklist")
    context.update(
        items=sel.checklist(audit),
        clauses_form=f.ClausesForm(),
        copy_form=f.CopyForm(audit=audit),
        item_form=f.ItemForm(institution=audit.institution),
        answer_form=f.AnswerForm(),
        editable=context["can_work"] and audit.state in (AuditState.PREPARATION, AuditState.CONDUCT),
        answering=context["is_team"] and audit.state == AuditState.CONDUCT,
    )
    return render(request, "audits/checklist.html", context)


@login_required
@require_POST
def checklist_build(request, pk, source):
    audit = sel.audit_detail(request.user, pk)
    url = reverse("audit_checklist", args=[audit.pk])
    if source == "processes":
        call = lambda: svc.checklist_from_processes(actor=request.user, audit=audit)  # noqa: E731
    elif source == "clauses":
        call = lambda: svc.checklist_from_clauses(  # noqa: E731
            actor=request.user, audit=audit, clauses=request.POST.getlist("clauses")
        )
    elif source == "copy":
        form = f.CopyForm(request.POST, audit=audit)
        if not form.is_valid():
            messages.error(request, _("Choose an earlier audit."))
            return redirect(url)
        call = lambda: svc.checklist_copy(actor=request.user, audit=audit, source=form.cleaned_data["source"])  # noqa: E731
    else:
        raise Http404
    try:
        added = call()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Questions added: %(n)d.") % {"n": added})
    return redirect(url)


def _item(request, pk) -> ChecklistItem:
    item = get_object_or_404(ChecklistItem.objects.select_related("audit"), pk=pk)
    sel.audit_detail(request.user, item.audit_id)
    return item


@login_required
def item_detail(request, pk):
    """One question with its evidence files (the shared attachment panel)."""
    item = _item(request, pk)
    audit = sel.audit_detail(request.user, item.audit_id)
    context = _audit_context(request, audit, "checklist")
    context.update(
        item=sel.checklist(audit).get(pk=item.pk),
        answering=context["is_team"] and audit.state == AuditState.CONDUCT,
        answer_form=f.AnswerForm(),
    )
    return render(request, "audits/item_detail.html", context)


@login_required
def item_add(request, pk):
    audit = sel.audit_detail(request.user, pk)
    return _item_form(request, ChecklistItem(audit=audit), audit)


@login_required
def item_edit(request, pk):
    item = _item(request, pk)
    return _item_form(request, item, item.audit)


def _item_form(request, item, audit):
    if not svc.can_work_on(request.user, audit):
        raise PermissionDenied(_("Only the audit team or the quality department may do this."))
    form = f.ItemForm(request.POST or None, instance=item, institution=audit.institution)
    url = reverse("audit_checklist", args=[audit.pk])
    return save_form(
        request,
        form,
        lambda obj: svc.item_save(actor=request.user, item=obj),
        success_url=url,
        template="audits/form.html",
        context={"title": _("Checklist question"), "back_url": url},
    )


@login_required
@require_POST
def item_delete(request, pk):
    item = _item(request, pk)
    return _act(
        request,
        lambda: svc.item_delete(actor=request.user, item=item),
        success=reverse("audit_checklist", args=[item.audit_id]),
        done_message=_("Deleted."),
    )


@login_required
@require_POST
def item_answer(request, pk):
    """An answer from the checklist page; with htmx only the question's row is redrawn."""
    item = _item(request, pk)
    form = f.AnswerForm(request.POST)
    error = None
    if form.is_valid():
        try:
            item = svc.item_answer(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            error = _error_text(exc)
    else:
        error = _("Choose an answer.")
    if request.htmx:
        item = sel.checklist(item.audit).get(pk=item.pk)
        context = {
            "item": item,
            "audit": item.audit,
            "answering": True,
            "row_error": error,
            "answer_form": f.AnswerForm(),
        }
        # 200 even when refused: htmx swaps only successful responses, and the row carries the message.
        return render(request, "audits/_checklist_item.html", context)
    if error:
        messages.error(request, error)
    return redirect(item.get_absolute_url())


# --- the report ------------------------------------------------------------------------------


@login_required
def audit_report(request, pk):
    audit = sel.audit_detail(request.user, pk)
    context = _audit_context(request, audit, "report")
    form = f.ReportForm(request.POST or None, instance=audit)
    raising_ok = context["can_work"] and audit.state not in (AuditState.PREPARATION, AuditState.CONDUCT)
    if request.method == "POST":
        if not context["can_work"]:
            raise PermissionDenied(_("Only the audit team or the quality department may do this."))
        if form.is_valid():
            try:
                svc.report_save(
                    actor=request.user, audit=audit, **{k: form.cleaned_data[k] for k in ("strengths", "conclusion")}
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("audit_report", audit.pk)
    findings = list(
        audit.findings.select_related(
            "category", "unit", "process", "checklist_item", "nonconformity", "improvement_action"
        )
    )
    for finding in findings:
        finding.audit = audit
        finding.raised = raised_from(finding)
        finding.raises = "" if finding.raised else (raising_ok and what_finding_raises(finding))
    context.update(
        findings=findings,
        recipients=audit.recipients.select_related("person"),
        form=form,
        writing=context["can_work"] and audit.state == AuditState.REPORT,
        findings_editable=context["can_work"] and audit.state in (AuditState.CONDUCT, AuditState.REPORT),
        distribute_form=f.DistributeForm(),
        return_form=f.ReturnForm(),
    )
    return render(request, "audits/report.html", context, status=400 if form.errors else 200)


@login_required
def finding_add(request, pk):
    audit = sel.audit_detail(request.user, pk)
    return _finding_form(request, Finding(audit=audit), audit)


@login_required
def finding_edit(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("audit"), pk=pk)
    audit = sel.audit_detail(request.user, finding.audit_id)
    return _finding_form(request, finding, audit)


def _finding_form(request, finding, audit):
    if not svc.can_work_on(request.user, audit):
        raise PermissionDenied(_("Only the audit team or the quality department may do this."))
    form = f.FindingForm(request.POST or None, instance=finding, audit=audit)
    url = reverse("audit_report", args=[audit.pk])
    return save_form(
        request,
        form,
        lambda obj: svc.finding_save(actor=request.user, finding=obj),
        success_url=url,
        template="audits/form.html",
        context={"title": _("Audit finding"), "back_url": url},
    )


@login_required
@require_POST
def finding_delete(request, pk):
    finding = get_object_or_404(Finding.objects.select_related("audit"), pk=pk)
    sel.audit_detail(request.user, finding.audit_id)
    return _act(
        request,
        lambda: svc.finding_delete(actor=request.user, finding=finding),
        success=reverse("audit_report", args=[finding.audit_id]),
        done_message=_("Deleted."),
    )


@login_required
def report_download(request, pk, fmt):
    audit = sel.audit_detail(request.user, pk)
    language = reports.report_language(request.GET.get("lang"))
    name = f"audit-report-{slugify(audit.code, allow_unicode=True) or audit.pk}-{language}"
    if fmt == "pdf":
        return pdf_response(reports.report_pdf(audit, language), f"{name}.pdf")
    if fmt != "docx":
        raise Http404
    return docx_response(reports.report_docx(audit, language), f"{name}.docx")
