from django import template
from django.contrib.contenttypes.models import ContentType

from sapat.core import attachments

register = template.Library()


@register.inclusion_tag("core/_attachments.html", takes_context=True)
def attachment_panel(context, record, title=None):
    """The record's files with download links, and the upload form for those who may add.
    Two queries: for a detail page, not for rows of a list."""
    user = context["request"].user
    return {
        "request": context["request"],
        "record": record,
        "title": title,
        "files": list(attachments.attachments_of(record)),
        "can_attach": attachments.can_attach(user, record),
        "content_type_id": ContentType.objects.get_for_model(record, for_concrete_model=True).pk,
        "accept": ",".join(f".{f}" for f in attachments.rules_for(record).formats),
    }
