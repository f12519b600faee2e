from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.forms import DATE
from sapat.org.models import Unit

from .models import Process, Risk, RiskAction, RiskScale, SwotAnalysis, SwotItem
from .models_risks import shown_label


def _unit_label(unit):
    return f"{unit.code} — {unit.name}"


def _levels(labels):
    return [(i, f"{i} — {shown_label(label)}") for i, label in enumerate(labels, start=1)]


def _units(institution):
    return Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by("path")


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "process",
            "unit",
            "cause",
            "consequence",
            "likelihood",
            "impact",
            "owner",
            "review_date",
            "status",
            "residual_likelihood",
            "residual_impact",
        ]
        widgets = {
            "review_date": DATE,
            "cause": forms.Textarea(attrs={"rows": 3}),
            "consequence": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, institution, scale: RiskScale, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = institution
        self.instance.scale = scale
        self.fields["process"].queryset = Process.objects.filter(institution=institution, is_active=True)
        self.fields["process"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["unit"].queryset = _units(institution)
        self.fields["unit"].label_from_instance = _unit_label
        self.fields["unit"].help_text = _("Name the process, the unit, or both.")
        self.fields["owner"].queryset = org_selectors.people_for(user).filter(
            institution=institution, left_on__isnull=True
        )
        for name, labels, required in (
            ("likelihood", scale.likelihood_labels, True),
            ("impact", scale.impact_labels, True),
            ("residual_likelihood", scale.likelihood_labels, False),
            ("residual_impact", scale.impact_labels, False),
        ):
            choices = _levels(labels)
            if not required:
                choices = [("", "—"), *choices]
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=choices,
                coerce=int,
                required=required,
                empty_value=None,
            )
        self.fields["residual_likelihood"].help_text = _(
            "After treatment. A residual rating above the initial one is kept, and flagged."
        )


class RiskActionForm(forms.ModelForm):
    class Meta:
        model = RiskAction
        fields = ["description", "owner", "deadline"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = org_selectors.people_for(user).filter(
            institution=institution, left_on__isnull=True
        )


class SwotForm(forms.ModelForm):
    class Meta:
        model = SwotAnalysis
        fields = ["title", "date", "unit"]
        widgets = {"date": DATE}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = institution
        self.fields["unit"].queryset = _units(institution)
        self.fields["unit"].label_from_instance = _unit_label


class SwotItemForm(forms.ModelForm):
    class Meta:
        model = SwotItem
        fields = ["quadrant", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ToRiskForm(forms.Form):
    process = forms.ModelChoiceField(queryset=Process.objects.none(), required=False, label=_("process"))
    likelihood = forms.TypedChoiceField(label=_("likelihood"), coerce=int)
    impact = forms.TypedChoiceField(label=_("impact"), coerce=int)

    def __init__(self, *args, institution, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.filter(institution=institution, is_active=True)
        self.fields["process"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["likelihood"].choices = _levels(scale.likelihood_labels)
        self.fields["impact"].choices = _levels(scale.impact_labels)
        self.fields["likelihood"].initial = self.fields["impact"].initial = 3
