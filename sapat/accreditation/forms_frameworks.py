from django import forms
from django.utils.translation import gettext_lazy as _

from .models_frameworks import CriterionMapping


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (JSON)"),
        help_text=_(
            "The same format as the shipped frameworks: codes, version, levels, groups and criteria in ky, ru and en."
        ),
    )


def criterion_label(criterion) -> str:
    return f"{criterion.framework.code} v{criterion.framework.version} · {criterion.code} {criterion.title[:70]}"


class MappingForm(forms.ModelForm):
    class Meta:
        model = CriterionMapping
        fields = ["source", "target", "coverage", "note"]

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            self.fields[name].queryset = criteria
            self.fields[name].label_from_instance = criterion_label
