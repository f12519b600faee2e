from django import template

from ..models_indicators import plain

register = template.Library()


@register.filter(name="plain")
def plain_filter(value):
    """A decimal without trailing zeros or exponent: 100.0000 → 100, 45.5000 → 45.5."""
    return plain(value)
