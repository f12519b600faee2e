from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.models import AcademicYear, Person, Programme, Unit

from .computations import computation_choices
from .models import Process
from .models_indicators import Indicator, IndicatorTarget
from .models_policy import QualityObjective


def _unit_label(unit):
    return f"{unit.code} — {unit.name}"


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "unit_of_measure",
            "direction",
            "level",
            "frequency",
            "min_value",
            "max_value",
            "computation",
            "responsible",
            "objective",
            "process",
        ]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"] = forms.ChoiceField(
            label=_("computed as"),
            choices=computation_choices(),
            required=False,
            help_text=_("Leave empty when the values are entered by hand."),
        )
        self.fields["responsible"].queryset = Person.objects.filter(
            institution=institution, left_on__isnull=True
        ).order_by("last_name", "first_name")
        self.fields["objective"].queryset = QualityObjective.objects.filter(institution=institution)
        self.fields["process"].queryset = Process.objects.filter(institution=institution).order_by("sort_key")


def _years(institution):
    return [
        (y, f"{y}–{y + 1}")
        for y in AcademicYear.objects.filter(institution=institution)
        .order_by("-start_year")
        .values_list("start_year", flat=True)
    ]


class TargetForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("year"), coerce=int)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "target", "warning"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years(institution)


class ValueForm(forms.Form):
    """Entry of a value. The value is read as text: the service refuses what is not a number
    or out of range with the indicator's own message."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none(), required=False)
    value = forms.CharField(label=_("value"), max_length=40)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, institution, units, programme_level=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years(institution)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = _unit_label
        if programme_level:
            self.fields["programme"].queryset = Programme.objects.filter(institution=institution)
        else:
            del self.fields["programme"]
