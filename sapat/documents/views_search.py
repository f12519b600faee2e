"""The search page: words in codes, titles and texts of the documents the user may see,
narrowed by type, level, unit and status, with where the words matched."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.models import Unit

from . import search
from .choices import DocumentStatus, Level
from .models import DocumentType

PER_PAGE = 20


class SearchForm(forms.Form):
    """What to look for. A filter with a wrong value is left out; the others still apply."""

    q = forms.CharField(label=_("Words or code"), required=False, max_length=search.MAX_QUERY_CHARS)
    doc_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.none(), required=False, empty_label=_("All types")
    )
    level = forms.ChoiceField(label=_("Level"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autofocus": True, "placeholder": _("e.g. internal audit, ДП-04")}
        )
        self.fields["doc_type"].queryset = DocumentType.objects.filter(institution=institution)
        self.fields["doc_type"].label_from_instance = lambda t: f"{t.code} — {t.name}"
        self.fields["level"].choices = [("", _("All levels")), *Level.choices]
        self.fields["unit"].queryset = (
            org_selectors.units_for(user).filter(institution=institution).select_related(None).order_by("path")
        )
        self.fields["unit"].label_from_instance = lambda u: f"{u.code} {u.name}"
        self.fields["status"].choices = [("", _("Any status")), *DocumentStatus.choices]

    def filters(self) -> dict:
        """The valid filters only."""
        data = {}
        for name in ("doc_type", "level", "unit", "status"):
            field = self.fields[name]
            try:
                value = field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name)))
            except forms.ValidationError:
                continue
            if value:
                data[name] = value
        return data


@login_required
def document_search(request):
    institution = org_selectors.current_institution(request)
    form = SearchForm(request.GET or None, user=request.user, institution=institution)
    text = request.GET.get("q", "")[: search.MAX_QUERY_CHARS]
    words = search.query_words(text)
    page = None
    if words:
        number = request.GET.get("page", "")
        offset = (int(number) - 1) * PER_PAGE if number.isdigit() and 0 < int(number) < 10_000 else 0
        results = search.search_documents(
            request.user, text, institution=institution, offset=offset, limit=PER_PAGE, **form.filters()
        )
        page = Paginator(results, PER_PAGE).get_page(number)
    context = {"form": form, "page": page, "text": text.strip(), "typed": bool(text.strip()), "words": words}
    return render(request, "documents/search/search.html", context)
