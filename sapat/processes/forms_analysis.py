from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.forms import DATE

from .models_analysis import ProcessAnalysis


def _area(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class AnalysisForm(forms.ModelForm):
    """The owner's text. Nothing is required while it is a draft: the submission checks
    that the analysis is complete."""

    class Meta:
        model = ProcessAnalysis
        fields = [
            "objectives_verdict",
            "objectives_comment",
            "measures_done_percent",
            "measures_comment",
            "satisfaction",
            "nonconformities",
            "risks",
            "effectiveness",
            "improvements",
        ]
        widgets = {
            "objectives_comment": _area(6),
            "measures_comment": _area(),
            "satisfaction": _area(3),
            "nonconformities": _area(3),
            "risks": _area(3),
            "improvements": _area(),
            "measures_done_percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What must be reworked"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class RemindForm(forms.Form):
    deadline = forms.DateField(label=_("Submit by"), required=False, widget=DATE)
