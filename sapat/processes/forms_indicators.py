from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.models import AcademicYear, Person, Programme, Unit

from .computations import computation_choices
from .models import Process
from .models_indicators import MONTHS, Frequency, Indicator, IndicatorTarget, periods_of
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


def period_choices(frequency, whole_year=False):
    """The periods of a year for an indicator's frequency, as form choices."""
    names = {
        Frequency.SEMESTER: lambda n: _("Semester %(n)s") % {"n": n},
        Frequency.QUARTER: lambda n: _("Quarter %(n)s") % {"n": n},
        Frequency.MONTH: lambda n: MONTHS[n - 1],
    }
    if frequency not in names:
        return [(0, _("Whole year"))]
    choices = [(n, names[frequency](n)) for n in periods_of(frequency)]
    return ([(0, _("Whole year (every period)"))] if whole_year else []) + choices


class TargetForm(forms.ModelForm):
    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    period = forms.TypedChoiceField(label=_("period"), coerce=int, initial=0, required=False, empty_value=0)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "period", "target", "warning"]

    def __init__(self, *args, institution, frequency=Frequency.YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years(institution)
        self.fields["period"].choices = period_choices(frequency, whole_year=True)
        if frequency == Frequency.YEAR:
            self.fields["period"].widget = forms.HiddenInput()


class ValueForm(forms.Form):
    """Entry of a value. The value is read as text: the service refuses what is not a number
    or out of range with the indicator's own message."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    period = forms.TypedChoiceField(label=_("period"), coerce=int, initial=0, required=False, empty_value=0)
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.none(), required=False)
    value = forms.CharField(label=_("value"), max_length=40)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("evidence file"),
        required=False,
        help_text=_("A document, spreadsheet, PDF or picture backing the value."),
    )

    def __init__(self, *args, institution, units, programme_level=False, frequency=Frequency.YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years(institution)
        self.fields["period"].choices = period_choices(frequency)
        if frequency == Frequency.YEAR:
            self.fields["period"].widget = forms.HiddenInput()
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = _unit_label
        if programme_level:
            self.fields["programme"].queryset = Programme.objects.filter(institution=institution)
        else:
            del self.fields["programme"]
