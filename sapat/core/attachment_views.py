"""Download, add and remove evidence files; the record's own rules (see `attachments`)
decide who may do what."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.lib import uploads

from . import attachments


def _back(request, record):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(record.get_absolute_url() if hasattr(record, "get_absolute_url") else "home")


def _visible_record(user, content_type_id, object_id):
    try:
        record = ContentType.objects.get_for_id(content_type_id).get_object_for_this_type(pk=object_id)
        if attachments.can_view(user, record):
            return record
    except (ObjectDoesNotExist, LookupError, AttributeError, ValueError):
        pass
    raise Http404


@login_required
def attachment_download(request, pk):
    attachment = attachments.visible_attachment(request.user, pk)
    return uploads.download_response(attachment.file, filename=attachment.name, file_format=attachment.file_format)


@login_required
@require_POST
def attachment_upload(request, content_type_id, object_id):
    record = _visible_record(request.user, content_type_id, object_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return _back(request, record)
    try:
        attachments.attachment_add(
            actor=request.user, record=record, upload=upload, note=request.POST.get("note", "").strip()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is attached."))
    return _back(request, record)


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = attachments.visible_attachment(request.user, pk)
    record = attachment.record
    attachments.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The file is removed."))
    return _back(request, record)
