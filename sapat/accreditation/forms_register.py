from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.forms import DATE
from sapat.org.models import Programme

from .models_register import Accreditation, AccreditationEvent, FirstGraduation


def _programmes(field, institution):
    field.queryset = Programme.objects.filter(institution=institution).order_by("code")
    field.label_from_instance = lambda p: f"{p.code} {p.name}"


class AccreditationForm(forms.ModelForm):
    class Meta:
        model = Accreditation
        fields = [
            "kind",
            "programme",
            "agency",
            "decision_date",
            "decision_number",
            "result",
            "certificate_number",
            "valid_from",
            "valid_until",
            "note",
        ]
        widgets = {
            "decision_date": DATE,
            "valid_from": DATE,
            "valid_until": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        _programmes(self.fields["programme"], institution)
        self.fields["programme"].help_text = _("Only for a programme accreditation.")


class EventForm(forms.ModelForm):
    class Meta:
        model = AccreditationEvent
        fields = ["kind", "date", "order_number", "note"]
        widgets = {"date": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class FirstGraduationForm(forms.ModelForm):
    class Meta:
        model = FirstGraduation
        fields = ["programme", "graduation_date"]
        widgets = {"graduation_date": DATE}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        _programmes(self.fields["programme"], institution)
        self.fields["programme"].help_text = _("Leave empty for a new organisation's first graduation.")
