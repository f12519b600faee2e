from django import template

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
