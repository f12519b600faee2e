"""Pages of self-evaluation projects: the list, a project (order, commission, plan, progress,
Table 2, experts, post-accreditation plan), a criterion's assessment with its evidence and
review, the report's texts and its DOCX/PDF. Views parse input and call the services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import add_validation_error, save_form
from sapat.lib.docx import docx_response
from sapat.lib.pdf import pdf_response
from sapat.org.selectors import current_institution, get_visible

from . import report as report_data
from . import selectors_projects as sel
from . import services_projects as svc
from .forms_projects import (
    AssessmentForm,
    AssignForm,
    CompilerForm,
    CopyForm,
    EvidenceForm,
    ExpertForm,
    MeasureForm,
    MemberForm,
    PlanItemForm,
    ProjectForm,
    RemarkForm,
    ReportTextForm,
    ReviewForm,
)
from .models_projects import (
    Aspect,
    AssessmentState,
    Evidence,
    Level,
    StakeholderGroup,
)
from .report_docx import render_docx


def _project(request, pk):
    return get_visible(sel.projects_for(request.user), pk=pk)


def _report(request, pk):
    report = get_visible(sel.reports_for(request.user).select_related("project", "framework"), pk=pk)
    return report


def _assessment(request, pk):
    return get_visible(
        sel.assessments_for(request.user).select_related("criterion__group", "report__project", "responsible__person"),
        pk=pk,
    )


def _step(request, step, redirect_to, **kwargs):
    """Run one workflow step from a button; a refusal is shown as a message."""
    try:
        step(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(redirect_to)


# --- projects -----------------------------------------------------------------------------------


@login_required
def project_list(request):
    projects = sel.projects_for(request.user).annotate(
        criteria=Count("reports__assessments", distinct=True),
        accepted=Count(
            "reports__assessments", filter=Q(reports__assessments__state=AssessmentState.ACCEPTED), distinct=True
        ),
    )
    institution = current_institution(request)
    context = {
        "projects": projects,
        "can_add": institution is not None and svc.can_manage(request.user, institution.pk),
    }
    return render(request, "accreditation/projects/list.html", context)


@login_required
def project_add(request):
    institution = current_institution(request)
    if institution is None or not svc.can_manage(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department may do this."))
    form = ProjectForm(request.POST or None, institution=institution, initial=svc.default_dates())

    def save(project):
        data = form.cleaned_data
        fields = {name: data[name] for name in ProjectForm.Meta.fields}
        return svc.project_create(
            actor=request.user,
            institution=institution,
            institutional_framework=data.get("institutional_framework"),
            programme_framework=data.get("programme_framework"),
            **fields,
        )

    return save_form(
        request,
        form,
        save,
        success_url=lambda p: p.get_absolute_url(),
        template="accreditation/projects/form.html",
        context={"heading": _("New self-evaluation project")},
    )


@login_required
def project_edit(request, pk):
    project = _project(request, pk)
    form = ProjectForm(request.POST or None, instance=project, institution=project.institution, creating=False)

    def save(obj):
        fields = {name: form.cleaned_data[name] for name in ProjectForm.Meta.fields}
        return svc.project_update(actor=request.user, project=project, **fields)

    return save_form(
        request,
        form,
        save,
        success_url=project.get_absolute_url(),
        template="accreditation/projects/form.html",
        context={"heading": _("The order and the dates"), "project": project},
    )


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    manage = svc.can_manage(request.user, project.institution_id)
    if not manage and svc.member_of(request.user, project) is None:
        # An expert: only the submitted reports.
        return render(
            request,
            "accreditation/projects/expert.html",
            {"project": project, "reports": sel.reports_for(request.user).filter(project=project)},
        )
    members = list(project.members.select_related("person"))
    count, share, warning = svc.women_share(project)
    ratings = {(r.aspect, r.group): r.score for r in project.stakeholder_ratings.all()}
    matrix = [
        {
            "aspect": aspect,
            "label": label,
            "cells": [(group, ratings.get((aspect, group))) for group, _l in StakeholderGroup.choices],
        }
        for aspect, label in Aspect.choices
    ]
    reports = []
    for report in project.reports.select_related("framework"):
        reports.append({"report": report, "groups": sel.progress_by_group(report)})
    remarks = project.remarks.prefetch_related("measures__action__owner")
    context = {
        "project": project,
        "members": members,
        "women": {"count": count, "share": share, "warning": warning},
        "plan_items": project.plan_items.select_related("responsible__person"),
        "reports": reports,
        "by_member": sel.progress_by_member(project),
        "groups": StakeholderGroup.choices,
        "matrix": matrix,
        "experts": project.expert_accesses.select_related("user"),
        "remarks": remarks,
        "progress_periods": sel.recent_plan_periods(timezone.localdate()),
        "can_manage": manage,
        "member_form": MemberForm(institution=project.institution) if manage else None,
        "plan_form": PlanItemForm(project=project) if manage else None,
        "compiler_form": CompilerForm(project=project, initial={"compiler": project.compiler_id}) if manage else None,
        "expert_form": ExpertForm() if manage else None,
        "remark_form": RemarkForm() if manage else None,
        "measure_form": MeasureForm(institution=project.institution) if manage else None,
        "copy_form": CopyForm(initial={"year": project.year + 1}) if manage else None,
        "years": sel.levels_over_years(project),
        "levels": dict(Level.choices),
    }
    return render(request, "accreditation/projects/detail.html", context)


def _manage_post(request, pk, form_class, call, form_kwargs=None):
    """A small form posted from the project page: run `call(project, data, actor)`."""
    project = _project(request, pk)
    form = form_class(request.POST, **(form_kwargs(project) if form_kwargs else {}))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())
    return _step(request, lambda actor: call(project, form.cleaned_data, actor), project.get_absolute_url())


@login_required
@require_POST
def member_add(request, pk):
    def call(project, data, actor):
        svc.member_add(
            actor=actor,
            project=project,
            category=data["category"],
            position=data["position"],
            person=data["person"],
            name=data["name"],
            is_woman=None if data["person"] else data["is_woman"],
        )

    return _manage_post(request, pk, MemberForm, call, form_kwargs=lambda p: {"institution": p.institution})


@login_required
@require_POST
def plan_item_add(request, pk):
    def call(project, data, actor):
        svc.plan_item_add(actor=actor, project=project, **data)

    return _manage_post(request, pk, PlanItemForm, call, form_kwargs=lambda p: {"project": p})


@login_required
@require_POST
def compiler_set(request, pk):
    def call(project, data, actor):
        svc.compiler_set(actor=actor, project=project, member=data["compiler"])

    return _manage_post(request, pk, CompilerForm, call, form_kwargs=lambda p: {"project": p})


@login_required
@require_POST
def project_start(request, pk):
    project = _project(request, pk)
    return _step(request, lambda actor: svc.project_start(actor=actor, project=project), project.get_absolute_url())


@login_required
@require_POST
def expert_grant(request, pk):
    def call(project, data, actor):
        user = get_user_model().objects.filter(username=data["username"]).first()
        if user is None:
            raise ValidationError(_("No account with this login."))
        svc.expert_grant(actor=actor, project=project, user=user, valid_until=data["valid_until"])

    return _manage_post(request, pk, ExpertForm, call, form_kwargs=None)


@login_required
@require_POST
def stakeholder_rate(request, pk):
    project = _project(request, pk)
    for aspect, _label in Aspect.choices:
        for group, _g in StakeholderGroup.choices:
            key = f"r_{aspect}_{group}"
            if key in request.POST:
                try:
                    svc.stakeholder_rate(
                        actor=request.user, project=project, aspect=aspect, group=group, score=request.POST[key]
                    )
                except (ValidationError, ValueError):
                    messages.error(request, _("Influence is rated from 1 to 4."))
                    return redirect(project.get_absolute_url() + "#table2")
    messages.success(request, _("Saved."))
    return redirect(project.get_absolute_url() + "#table2")


@login_required
@require_POST
def remark_add(request, pk):
    def call(project, data, actor):
        svc.remark_add(actor=actor, project=project, **data)

    return _manage_post(request, pk, RemarkForm, call, form_kwargs=None)


@login_required
@require_POST
def measure_add(request, pk, remark_pk):
    project = _project(request, pk)
    remark = get_visible(project.remarks.all(), pk=remark_pk)
    form = MeasureForm(request.POST, institution=project.institution)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())
    return _step(
        request,
        lambda actor: svc.measure_add(actor=actor, remark=remark, **form.cleaned_data),
        project.get_absolute_url() + "#plan-after",
    )


@login_required
@require_POST
def project_copy(request, pk):
    project = _project(request, pk)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(project.get_absolute_url())
    try:
        new = svc.project_copy(actor=request.user, previous=project, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(project.get_absolute_url())
    return redirect(new.get_absolute_url())


@login_required
def progress_report(request, pk):
    """The post-accreditation plan's progress over a quarter or a year (`?period=2026-Q3`
    or `?period=2026`; the current quarter by default), as a PDF."""
    from sapat.lib.pdf import render_pdf

    project = _project(request, pk)
    if not svc.can_manage(request.user, project.institution_id):
        raise PermissionDenied
    today = timezone.localdate()
    period = sel.PlanPeriod.parse(request.GET.get("period"), today)
    remarks, totals = sel.plan_progress(project, period)
    pdf = render_pdf(
        "print/post_accreditation_progress.html",
        {
            "project": project,
            "remarks": remarks,
            "totals": totals,
            "period": period,
            "today": today,
            "title": _("Post-accreditation plan: progress"),
            "institution_name": project.institution.tr("name"),
        },
    )
    return pdf_response(pdf, f"post-accreditation-{project.pk}-{period.key}.pdf")


# --- a report -----------------------------------------------------------------------------------


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    project = report.project
    compiler = svc.is_compiler(request.user, project)
    form = ReportTextForm(request.POST or None, instance=report) if compiler else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                svc.report_write(actor=request.user, report=report, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(report.get_absolute_url())
    assessments = report.assessments.select_related("criterion__group", "responsible__person").annotate(
        n_evidence=Count("evidence")
    )
    context = {
        "report": report,
        "project": project,
        "assessments": assessments,
        "groups": sel.progress_by_group(report),
        "form": form,
        "can_manage": svc.can_manage(request.user, project.institution_id),
        "is_expert": not svc.can_view_project(request.user, project),
        "assign_form": AssignForm(project=project),
        "members": project.members.select_related("person"),
    }
    return render(
        request, "accreditation/projects/report.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    return _step(request, lambda actor: svc.report_submit(actor=actor, report=report), report.get_absolute_url())


@login_required
def report_download(request, pk, fmt):
    report = _report(request, pk)
    choice = request.GET.get("lang", "ky")
    if choice not in ("ky", "ru", "both"):
        raise Http404
    name = f"self-evaluation-{report.project.year}-{report.kind}-{choice}"
    if fmt == "docx":
        return docx_response(render_docx(report, choice), f"{name}.docx")
    if fmt == "pdf":
        return pdf_response(report_data.render_pdf_bytes(report, choice), f"{name}.pdf")
    raise Http404


@login_required
@require_POST
def assessment_assign(request, pk):
    assessment = _assessment(request, pk)
    form = AssignForm(request.POST, project=assessment.report.project)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(assessment.report.get_absolute_url())
    return _step(
        request,
        lambda actor: svc.assessment_assign(
            actor=actor,
            assessment=assessment,
            member=form.cleaned_data["responsible"],
            deadline=form.cleaned_data["deadline"],
        ),
        assessment.report.get_absolute_url(),
    )


# --- a criterion --------------------------------------------------------------------------------


@login_required
def assessment_detail(request, pk):
    assessment = _assessment(request, pk)
    report = assessment.report
    if not svc.can_view_report(request.user, report):
        raise Http404
    editable = svc.can_edit_assessment(request.user, assessment) and assessment.state in svc.EDITABLE
    form = AssessmentForm(request.POST or None, instance=assessment) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in AssessmentForm.Meta.fields}
            try:
                svc.assessment_save(actor=request.user, assessment=assessment, checks=form.checks(), **fields)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(assessment.get_absolute_url())
    institution = report.project.institution
    context = {
        "assessment": assessment,
        "report": report,
        "project": report.project,
        "criterion": assessment.criterion,
        "descriptors": assessment.criterion.descriptors.select_related("level"),
        "form": form,
        "evidence": assessment.evidence.select_related(
            "document", "indicator", "campaign", "audit", "nonconformity", "action"
        ),
        "evidence_form": EvidenceForm(institution=institution) if editable else None,
        "proposal": svc.proposal_for(assessment),
        "problems": svc.rating_problems(assessment) if editable else [],
        "can_review": assessment.state == AssessmentState.SUBMITTED and svc.is_compiler(request.user, report.project),
        "review_form": ReviewForm(),
        "editable": editable,
        "levels": dict(Level.choices),
    }
    return render(
        request, "accreditation/projects/assessment.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def evidence_add(request, pk):
    assessment = _assessment(request, pk)
    form = EvidenceForm(request.POST, institution=assessment.report.project.institution)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(assessment.get_absolute_url())
    data = {k: v for k, v in form.cleaned_data.items() if k != "kind" and v not in (None, "")}
    return _step(
        request,
        lambda actor: svc.evidence_add(actor=actor, assessment=assessment, kind=form.cleaned_data["kind"], **data),
        assessment.get_absolute_url() + "#evidence",
    )


@login_required
@require_POST
def evidence_remove(request, pk):
    evidence = get_visible(Evidence.objects.filter(assessment__in=sel.assessments_for(request.user)), pk=pk)
    return _step(
        request,
        lambda actor: svc.evidence_remove(actor=actor, evidence=evidence),
        evidence.assessment.get_absolute_url(),
    )


@login_required
@require_POST
def assessment_step(request, pk, step):
    assessment = _assessment(request, pk)
    comment = request.POST.get("comment", "")
    steps = {
        "submit": lambda actor: svc.assessment_submit(actor=actor, assessment=assessment),
        "accept": lambda actor: svc.assessment_accept(actor=actor, assessment=assessment),
        "return": lambda actor: svc.assessment_return(actor=actor, assessment=assessment, comment=comment),
    }
    if step not in steps:
        raise Http404
    return _step(request, steps[step], assessment.get_absolute_url())
