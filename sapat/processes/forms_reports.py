from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sapat.org.choices import UnitType
from sapat.org.models import Unit

from .forms_indicators import _unit_label, _years

FORMATS = [("pdf", "PDF"), ("docx", "DOCX (Word)")]


class ObjectivesReportForm(forms.Form):
    """What the annual report covers: a unit (its top unit for the institution), an academic
    year of the institution, the report's language (not necessarily the interface's) and the
    file format. Read from the query string: nothing is changed."""

    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), empty_label=None)
    year = forms.TypedChoiceField(label=_("academic year"), coerce=int)
    language = forms.ChoiceField(label=_("language of the report"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("format"), choices=FORMATS)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(institution=institution).exclude(unit_type=UnitType.COUNCIL).order_by("path")
        )
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["year"].choices = _years(institution)
