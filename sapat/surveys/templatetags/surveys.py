from django import template

from ..models import pick

register = template.Library()


@register.filter
def label(labels):
    """A {"ky", "ru", "en"} label in the current language."""
    return pick(labels or {})
