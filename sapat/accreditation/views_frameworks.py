"""Pages of criteria frameworks: the list, one framework with its levels and descriptors,
importing an institution's own framework, and the mappings between criteria."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.core.web import save_form
from sapat.org import access
from sapat.org.access import Perm
from sapat.org.selectors import current_institution

from . import selectors_frameworks as sel
from . import services_frameworks as svc
from .forms_frameworks import FrameworkImportForm, MappingForm
from .models_frameworks import CriterionMapping


def institution_in_view(request):
    """The institution in view, for someone who may see accreditation there (else 403/404)."""
    access.require(request.user, Perm.VIEW_ACCREDITATION)
    institution = current_institution(request)
    if institution is None:
        raise Http404
    return institution


def _require_manage(request, institution):
    if not svc.can_manage(request.user, institution.pk):
        raise PermissionDenied(_("Only the quality department keeps frameworks and the accreditation register."))


@login_required
def framework_list(request):
    institution = institution_in_view(request)
    frameworks = sel.frameworks_for(request.user).filter(Q(institution__isnull=True) | Q(institution=institution))
    context = {
        "frameworks": frameworks.order_by("institution_id", "code", "-version"),
        "can_manage": svc.can_manage(request.user, institution.pk),
    }
    return render(request, "accreditation/frameworks/list.html", context)


@login_required
def framework_detail(request, pk):
    access.require(request.user, Perm.VIEW_ACCREDITATION)
    framework = sel.framework_detail(request.user, pk)
    return render(request, "accreditation/frameworks/detail.html", {"framework": framework})


@login_required
def framework_import(request):
    institution = institution_in_view(request)
    _require_manage(request, institution)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            framework = svc.framework_import(
                actor=request.user, institution=institution, raw=form.cleaned_data["file"].read()
            )
        except svc.PackError as error:
            problems = error.problems
        else:
            messages.success(request, _("The framework is loaded."))
            return redirect("framework_detail", framework.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accreditation/frameworks/import.html", {"form": form, "problems": problems}, status=status)


@login_required
def mapping_list(request):
    institution = institution_in_view(request)
    can_manage = svc.can_manage(request.user, institution.pk)
    form = None
    if can_manage:
        form = MappingForm(
            request.POST or None,
            instance=CriterionMapping(institution=institution),
            criteria=sel.criteria_choices(request.user),
        )
        if request.method == "POST":
            return save_form(
                request,
                form,
                lambda m: svc.mapping_save(actor=request.user, mapping=m),
                success_url="mapping_list",
                template="accreditation/frameworks/mappings.html",
                context={"mappings": sel.mappings_for(request.user, institution.pk), "can_manage": True},
            )
    context = {"mappings": sel.mappings_for(request.user, institution.pk), "form": form, "can_manage": can_manage}
    return render(request, "accreditation/frameworks/mappings.html", context)


@login_required
@require_POST
def mapping_delete(request, pk):
    institution = institution_in_view(request)
    mapping = get_object_or_404(CriterionMapping, pk=pk, institution=institution)
    try:
        svc.mapping_delete(actor=request.user, mapping=mapping)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mapping is removed."))
    return redirect("mapping_list")
