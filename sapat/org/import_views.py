from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import access
from .access import Perm
from .forms import ImportForm
from .imports import IMPORTERS
from .selectors import current_institution

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer_class(request, kind):
    access.require(request.user, Perm.IMPORT_DATA)
    try:
        return IMPORTERS[kind]
    except KeyError as exc:
        raise Http404 from exc


@login_required
def import_index(request):
    access.require(request.user, Perm.IMPORT_DATA)
    return render(request, "org/import_index.html", {"importers": IMPORTERS.values()})


@login_required
def import_template(request, kind):
    importer = _importer_class(request, kind)
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="sapat-{kind}-template.xlsx"'
    return response


@login_required
def import_upload(request, kind):
    importer = _importer_class(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
        else:
            result = importer(request.user, current_institution(request)).run(upload)
    status = 400 if request.method == "POST" and (result is None or not result.ok) else 200
    return render(
        request,
        "org/import_upload.html",
        {"importer": importer, "form": form, "result": result},
        status=status,
    )
