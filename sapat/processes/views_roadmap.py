"""Pages of the QMS implementation roadmap. Views parse input and call `services_roadmap`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import save_form

from . import selectors_roadmap as sel
from . import services_roadmap as svc
from .forms_roadmap import RoadmapForm, TaskForm, TaskReportForm
from .models_roadmap import Roadmap, RoadmapStage, RoadmapTask, TaskStatus
from .views import _can_see_history, _institution

FORM = "processes/roadmap/form.html"


def _deny():
    raise PermissionDenied(_("Only the quality department keeps the QMS roadmap."))


@login_required
def roadmap_list(request):
    institution = _institution(request)
    context = {
        "institution": institution,
        "roadmaps": sel.roadmaps_for(request.user).filter(institution=institution),
        "can_manage": svc.can_manage_roadmap(request.user, institution.pk),
    }
    return render(request, "processes/roadmap/roadmap_list.html", context)


@login_required
def roadmap_add(request):
    institution = _institution(request)
    if not svc.can_manage_roadmap(request.user, institution.pk):
        _deny()
    form = RoadmapForm(request.POST or None, instance=Roadmap(institution=institution), institution=institution)
    return save_form(
        request,
        form,
        lambda r: svc.roadmap_start(actor=request.user, roadmap=r),
        success_url=lambda r: r.get_absolute_url(),
        template=FORM,
        context={
            "title": _("Start a QMS roadmap"),
            "lead": _("The eight stages of introducing a QMS are added with their default tasks."),
            "back_url": reverse("roadmap_list"),
        },
    )


@login_required
def roadmap_detail(request, pk):
    roadmap = sel.roadmap_detail(request.user, pk)
    only_mine = request.GET.get("mine") == "1"
    context = {
        "view": sel.roadmap_view(roadmap, request.user, only_mine=only_mine),
        "roadmap": roadmap,
        "only_mine": only_mine,
        "person_id": getattr(getattr(request.user, "person", None), "pk", None),
        "statuses": TaskStatus.choices,
        "can_manage": svc.can_manage_roadmap(request.user, roadmap.institution_id),
        "can_see_history": _can_see_history(request.user, roadmap),
    }
    return render(request, "processes/roadmap/roadmap_detail.html", context)


@login_required
def roadmap_edit(request, pk):
    roadmap = sel.roadmap_detail(request.user, pk)
    if not svc.can_manage_roadmap(request.user, roadmap.institution_id):
        _deny()
    form = RoadmapForm(request.POST or None, instance=roadmap, institution=roadmap.institution)
    return save_form(
        request,
        form,
        lambda r: svc.roadmap_save(actor=request.user, roadmap=r),
        success_url=roadmap.get_absolute_url(),
        template=FORM,
        context={"title": _("Edit the roadmap"), "back_url": roadmap.get_absolute_url(), "roadmap": roadmap},
    )


def _task_form(request, task, roadmap, title):
    if not svc.can_manage_roadmap(request.user, roadmap.institution_id):
        _deny()
    form = TaskForm(request.POST or None, instance=task, user=request.user, institution=roadmap.institution)
    return save_form(
        request,
        form,
        lambda t: svc.task_save(actor=request.user, task=t),
        success_url=roadmap.get_absolute_url(),
        template=FORM,
        context={"title": title, "lead": str(task.stage), "back_url": roadmap.get_absolute_url(), "roadmap": roadmap},
    )


@login_required
def task_add(request, pk):
    stage = get_object_or_404(RoadmapStage, pk=pk)
    roadmap = sel.roadmap_detail(request.user, stage.roadmap_id)
    return _task_form(request, RoadmapTask(stage=stage), roadmap, _("New task"))


@login_required
def task_edit(request, pk):
    task = sel.task_detail(request.user, pk)
    return _task_form(request, task, task.stage.roadmap, _("Edit the task"))


@login_required
@require_POST
def task_delete(request, pk):
    task = sel.task_detail(request.user, pk)
    roadmap = task.stage.roadmap
    svc.task_delete(actor=request.user, task=task)
    messages.success(request, _("The task is removed."))
    return redirect(roadmap.get_absolute_url())


@login_required
def task_report(request, pk):
    """The owner's form: the status and notes of one task."""
    task = sel.task_detail(request.user, pk)
    if not svc.can_report_task(request.user, task):
        raise PermissionDenied(_("Only the task's owner or the quality department may report on this task."))
    roadmap = task.stage.roadmap
    form = TaskReportForm(request.POST or None, initial={"status": task.status, "notes": task.notes})
    return save_form(
        request,
        form,
        lambda data: svc.task_report(actor=request.user, task=task, status=data["status"], notes=data["notes"]),
        success_url=roadmap.get_absolute_url(),
        template=FORM,
        context={"title": _("Report on the task"), "lead": task.title, "back_url": roadmap.get_absolute_url()},
    )
