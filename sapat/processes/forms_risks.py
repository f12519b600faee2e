from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.forms import DATE
from sapat.org.models import Unit

from .models import Process, QualityObjective, Risk, RiskAction, RiskScale, SwotAnalysis, SwotItem
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


class LabelsField(forms.CharField):
    """Level labels, one per line from the lowest level up; stored as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        kwargs.setdefault("help_text", _("One level per line, from the lowest up; their number is the scale's size."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(shown_label(label) for label in value)
        return value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class RiskScaleForm(forms.ModelForm):
    likelihood_labels = LabelsField(label=_("likelihood levels"))
    impact_labels = LabelsField(label=_("impact levels"))

    class Meta:
        model = RiskScale
        fields = ["likelihood_labels", "impact_labels", "low_max", "medium_max", "high_max"]
        help_texts = {
            "low_max": _("A rating (likelihood × impact) up to this is low."),
            "medium_max": _("Above low and up to this: medium."),
            "high_max": _("Above medium and up to this: high; above it: critical."),
        }

    def _kept(self, name):
        """Default labels left as shown (translated) stay stored as written, so they keep
        following the reader's language."""
        labels = self.cleaned_data[name]
        stored = getattr(self.instance, name) or []
        return stored if labels == [shown_label(label) for label in stored] else labels

    def clean_likelihood_labels(self):
        return self._kept("likelihood_labels")

    def clean_impact_labels(self):
        return self._kept("impact_labels")


class ToObjectiveForm(forms.ModelForm):
    class Meta:
        model = QualityObjective
        fields = ["title_ky", "title_ru", "title_en", "parent", "start_year", "end_year", "responsible"]

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        # The objective above is one of this unit or of a unit above it (the cascade).
        ancestors = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
        self.fields["parent"].queryset = (
            QualityObjective.objects.filter(unit_id__in=ancestors).select_related("unit").order_by("sort_key")
        )
        self.fields["parent"].label_from_instance = lambda o: f"{o.code} {o.title} ({o.unit.code})"
        self.fields["responsible"].queryset = org_selectors.people_for(user).filter(
            institution_id=unit.institution_id, left_on__isnull=True
        )
