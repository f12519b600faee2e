"""Pages of the process register: the register, a process's map, its printable passport and
the picture of the whole process model. Views parse input and call the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import save_form
from sapat.lib.pdf import pdf_response, render_pdf
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.selectors import current_institution, get_visible

from . import diagram, selectors, selectors_analysis, selectors_indicators, services
from .forms import InputForm, OutputForm, OwnershipForm, ProcessForm, ProcessMapForm
from .models import Process, ProcessInput, ProcessOutput, ProcessOwnership
from .models_indicators import IndicatorLevel


def _institution(request):
    access.require(request.user, Perm.VIEW_ORG)
    institution = current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _require_manage(request, institution_id):
    if not services.can_manage(request.user, institution_id):
        raise PermissionDenied(_("Only the quality department keeps the process register."))


def _process_for_map(request, pk) -> Process:
    process = selectors.process_detail(request.user, pk)
    if not services.can_edit_map(request.user, process):
        raise PermissionDenied(_("Only the process's owner or the quality department may change its map."))
    return process


def _can_see_history(user, process) -> bool:
    root = services.root_unit(process.institution_id)
    return root is not None and access.can(user, Perm.VIEW_AUDIT, root)


# --- the register -----------------------------------------------------------------------------


@login_required
def process_list(request):
    institution = _institution(request)
    processes = selectors.processes_for(request.user).filter(institution=institution)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        processes = processes.filter(is_active=True)
    context = {
        "institution": institution,
        "groups": selectors.register(processes),
        "show_all": show_all,
        "can_manage": services.can_manage(request.user, institution.pk),
    }
    return render(request, "processes/process_list.html", context)


@login_required
def process_detail(request, pk):
    process = selectors.process_detail(request.user, pk)
    user = request.user
    inputs, outputs = list(selectors.inputs_of(process)), list(selectors.outputs_of(process))
    context = {
        "process": process,
        "inputs": inputs,
        "outputs": outputs,
        "elsewhere": selectors.named_elsewhere(process, inputs, outputs),
        "owners": selectors.ownership_history(process),
        "documents": selectors.governing_documents(user, process),
        "can_manage": services.can_manage(user, process.institution_id),
        "can_edit_map": services.can_edit_map(user, process),
        "can_see_history": _can_see_history(user, process),
        "analysis_years": selectors_analysis.process_years(process),
    }
    # The process's indicators for the institution as a whole; those measured per programme
    # are only named here (their values are on the programmes' dashboards).
    indicators = list(selectors_indicators.indicators_for(user).filter(process=process))
    per_programme = [i for i in indicators if i.level == IndicatorLevel.PROGRAMME]
    context["per_programme"] = per_programme
    context["rows"] = selectors_indicators.dashboard(
        [i for i in indicators if i not in per_programme],
        services.root_unit(process.institution_id),
        selectors_indicators.trend_years(process.institution, count=selectors_indicators.CHART_YEARS),
    )
    return render(request, "processes/process_detail.html", context)


@login_required
def process_add(request):
    institution = _institution(request)
    _require_manage(request, institution.pk)
    form = ProcessForm(request.POST or None, user=request.user, institution=institution)

    def save(process):
        return services.process_save(
            actor=request.user,
            process=process,
            units=form.cleaned_data["units"],
            documents=form.cleaned_data["documents"],
        )

    return save_form(
        request,
        form,
        save,
        success_url=lambda p: reverse("process_detail", args=[p.pk]),
        template="processes/form.html",
        context={"title": _("New process"), "back_url": reverse("process_list")},
    )


@login_required
def process_edit(request, pk):
    """The whole record for the register's keepers; the map alone for the owner."""
    process = _process_for_map(request, pk)
    manage = services.can_manage(request.user, process.institution_id)
    form_class = ProcessForm if manage else ProcessMapForm
    form = form_class(request.POST or None, instance=process, user=request.user, institution=process.institution)
    service = services.process_save if manage else services.process_map_save

    def save(obj):
        return service(
            actor=request.user,
            process=obj,
            units=form.cleaned_data["units"],
            documents=form.cleaned_data["documents"],
        )

    title = _("Edit process") if manage else _("Edit process map")
    return save_form(
        request,
        form,
        save,
        success_url=lambda p: reverse("process_detail", args=[p.pk]),
        template="processes/form.html",
        context={"title": title, "process": process, "back_url": process.get_absolute_url()},
    )


# --- owners -----------------------------------------------------------------------------------


@login_required
def ownership_add(request, pk):
    process = selectors.process_detail(request.user, pk)
    _require_manage(request, process.institution_id)
    form = OwnershipForm(
        request.POST or None,
        instance=ProcessOwnership(process=process),
        user=request.user,
        institution=process.institution,
        initial={"start_date": timezone.localdate()},
    )
    return save_form(
        request,
        form,
        lambda o: services.ownership_add(actor=request.user, ownership=o),
        success_url=process.get_absolute_url(),
        template="processes/form.html",
        context={"title": _("Add an owner"), "process": process, "back_url": process.get_absolute_url()},
    )


@login_required
@require_POST
def ownership_end(request, pk):
    ownership = get_visible(
        ProcessOwnership.objects.filter(process__in=selectors.processes_for(request.user).values("pk")).select_related(
            "process", "person", "unit"
        ),
        pk=pk,
    )
    try:
        services.ownership_end(actor=request.user, ownership=ownership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The owner's term has ended. It stays in the history."))
    return redirect("process_detail", pk=ownership.process_id)


# --- inputs and outputs -----------------------------------------------------------------------

ITEM_KINDS = {
    "input": (ProcessInput, InputForm, services.input_save, services.input_delete),
    "output": (ProcessOutput, OutputForm, services.output_save, services.output_delete),
}


def _item(request, kind, pk):
    model = ITEM_KINDS[kind][0]
    item = get_visible(
        model.objects.filter(process__in=selectors.processes_for(request.user).values("pk")).select_related("process"),
        pk=pk,
    )
    _process_for_map(request, item.process_id)
    return item


def _item_form(request, kind, item, title):
    _model, form_class, save, _delete = ITEM_KINDS[kind]
    process = item.process
    form = form_class(request.POST or None, instance=item)
    return save_form(
        request,
        form,
        lambda obj: save(actor=request.user, item=obj),
        success_url=process.get_absolute_url() + f"#{kind}s",
        template="processes/form.html",
        context={"title": title, "process": process, "back_url": process.get_absolute_url()},
    )


def _item_add(request, pk, kind, title):
    process = _process_for_map(request, pk)
    return _item_form(request, kind, ITEM_KINDS[kind][0](process=process), title)


def _item_delete(request, pk, kind, done):
    item = _item(request, kind, pk)
    ITEM_KINDS[kind][3](actor=request.user, item=item)
    messages.success(request, done)
    return redirect(item.process.get_absolute_url() + f"#{kind}s")


@login_required
def input_add(request, pk):
    return _item_add(request, pk, "input", _("New input"))


@login_required
def input_edit(request, pk):
    return _item_form(request, "input", _item(request, "input", pk), _("Edit input"))


@login_required
@require_POST
def input_delete(request, pk):
    return _item_delete(request, pk, "input", _("The input is removed."))


@login_required
def output_add(request, pk):
    return _item_add(request, pk, "output", _("New output"))


@login_required
def output_edit(request, pk):
    return _item_form(request, "output", _item(request, "output", pk), _("Edit output"))


@login_required
@require_POST
def output_delete(request, pk):
    return _item_delete(request, pk, "output", _("The output is removed."))


# --- history, passport, model -----------------------------------------------------------------


@login_required
def process_history(request, pk):
    process = selectors.process_detail(request.user, pk)
    entries = selectors.process_history(request.user, process)
    context = {"entries": entries, "process_type_id": ContentType.objects.get_for_model(Process).pk}
    return render(request, "processes/_history.html", context)


def _file_code(process) -> str:
    return slugify(process.code.replace(".", "-")) or str(process.pk)


@login_required
def process_passport_pdf(request, pk):
    process = selectors.process_detail(request.user, pk)
    context = {
        "title": _("Process passport"),
        "institution_name": process.institution.name,
        "process": process,
        "inputs": selectors.inputs_of(process),
        "outputs": selectors.outputs_of(process),
        "owners": process.current_owners,
        "documents": [d for d in selectors.governing_documents(request.user, process) if d.visible],
        "today": timezone.localdate(),
    }
    pdf = render_pdf("processes/passport.html", context)
    return pdf_response(pdf, f"process-{_file_code(process)}-passport.pdf")


def _model_parts(request):
    institution = _institution(request)
    processes = list(
        selectors.processes_for(request.user).filter(institution=institution, is_active=True).order_by("sort_key")
    )
    links = selectors.process_links(processes)
    return institution, processes, links


@login_required
def process_model(request):
    institution, processes, links = _model_parts(request)
    svg = diagram.render_svg(
        processes,
        links,
        url_for=lambda p: reverse("process_detail", args=[p.pk]),
        title=_("Process model of %(institution)s") % {"institution": institution},
    )
    context = {"institution": institution, "svg": svg, "links": links, "processes": processes}
    return render(request, "processes/process_model.html", context)


@login_required
def process_model_svg(request):
    institution, processes, links = _model_parts(request)
    svg = diagram.render_svg(
        processes,
        links,
        title=_("Process model of %(institution)s") % {"institution": institution},
        standalone=True,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    name = slugify(institution.code) or "institution"
    response["Content-Disposition"] = f'attachment; filename="process-model-{name}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
