"""Small helpers shared by the page views of every app."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has that
    field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for err in errors:
                form.add_error(target, err)
    else:
        form.add_error(None, error)


def save_form(request, form, save, *, success_url, template, context=None, success_message=None):
    """The common POST/redisplay cycle: on a valid form call `save(obj)` (a service), show
    its validation errors in the form, redirect on success."""
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False) if hasattr(form, "save") else form.cleaned_data
        try:
            result = save(obj)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, success_message or _("Saved."))
            return redirect(success_url(result) if callable(success_url) else success_url)
    ctx = {"form": form, **(context or {})}
    status = 400 if request.method == "POST" else 200
    return render(request, template, ctx, status=status)


def paginate(request, queryset, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
