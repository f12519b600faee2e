from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sapat.org.choices import UnitType

register = template.Library()

_SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


@register.filter
def bs(field):
    """Render a form field with Bootstrap's classes and its error state."""
    css = "form-select" if field.widget_type in _SELECTS else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def query_without(request, *names):
    """The current query string less some keys, for links that change one filter."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@register.filter
def change_rows(entry):
    """An audit entry's changes as (field label, before, after), labels in the reader's language."""
    model = entry.content_type.model_class()
    rows = []
    for name, (before, after) in entry.changes.items():
        try:
            field = model._meta.get_field(name)
        except Exception:  # a field since removed: show its stored name
            rows.append((name, before, after))
            continue
        label = str(field.verbose_name)
        if field.choices:
            choices = {str(k): str(v) for k, v in field.flatchoices}
            before, after = choices.get(str(before), before), choices.get(str(after), after)
        rows.append((label, before, after))
    return rows


@register.filter
def record_type(content_type):
    model = content_type.model_class()
    return model._meta.verbose_name if model else content_type.model


@register.simple_tag
def unit_tree_html(roots, open_all=False):
    """The unit tree as nested lists. Built in Python with labels and the link pattern
    worked out once: a recursive template include costs ~0.3 ms a node, too slow for a
    university's 600+ units."""
    type_labels = {value: str(label) for value, label in UnitType.choices}
    placeholder = 2**31 - 1
    url_pattern = reverse("unit_detail", args=[placeholder]).replace(str(placeholder), "{}")

    def node_html(node):
        unit = node.unit
        link = format_html(
            '<a href="{}" class="{}">{}</a> <span class="code">{}</span> '
            '<span class="badge text-bg-light border fw-normal">{}</span>',
            url_pattern.format(unit.pk),
            "" if unit.is_active else "closed",
            unit.name,
            unit.code,
            type_labels.get(unit.unit_type, unit.unit_type),
        )
        css = "" if node.matched else "nomatch"
        if not node.children:
            return format_html('<li class="{}">{}</li>', css, link)
        children = mark_safe("".join(node_html(child) for child in node.children))
        opened = mark_safe(" open" if open_all or unit.depth < 1 else "")
        return format_html(
            '<li class="{}"><details{}><summary>{}</summary><ul>{}</ul></details></li>', css, opened, link, children
        )

    return mark_safe("".join(node_html(root) for root in roots))
