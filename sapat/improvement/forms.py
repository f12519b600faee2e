"""Forms of the nonconformity pages. They only parse input; the services check and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.forms import DATE, unit_label
from sapat.org.models import Unit
from sapat.processes.models import Process

from .models import MAX_WHYS, ActionKind, ImprovementSettings, NcSource, NcType, Origin, Severity, Verdict

# Origins that come with their record: raised from it, never chosen in the form.
LINKED_ORIGINS = (Origin.NONCONFORMITY, Origin.RISK, Origin.AUDIT_FINDING, Origin.COMPLAINT, Origin.SURVEY)


def _units(institution):
    return Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by("path")


def _people(user, institution):
    return org_selectors.people_for(user).filter(institution=institution, left_on__isnull=True)


class NonconformityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    nc_type = forms.ModelChoiceField(label=_("Type"), queryset=NcType.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=NcSource.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    process = forms.ModelChoiceField(label=_("Process"), queryset=Process.objects.none(), required=False)
    requirement = forms.CharField(
        label=_("Requirement breached"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The clause of the standard, the regulation or the internal document that is not met."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MINOR)
    detected_on = forms.DateField(label=_("Detected on"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, institution, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nc_type"].queryset = types.filter(is_active=True)
        self.fields["unit"].queryset = _units(institution)
        self.fields["unit"].label_from_instance = unit_label
        self.fields["process"].queryset = Process.objects.filter(institution=institution, is_active=True)
        self.fields["process"].label_from_instance = lambda p: f"{p.code} {p.name}"


class AnalysisForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 3}))
    immediate_correction = forms.CharField(
        label=_("Immediate correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done at once to limit the consequences."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_WHYS + 1):
            self.fields[f"why_{i}"] = forms.CharField(
                label=_("Why? (%(n)s)") % {"n": i}, required=False, max_length=500
            )
            self.fields[f"because_{i}"] = forms.CharField(
                label=_("Because… (%(n)s)") % {"n": i}, required=False, max_length=500
            )

    def why_fields(self):
        return [(self[f"why_{i}"], self[f"because_{i}"]) for i in range(1, MAX_WHYS + 1)]

    def whys(self):
        data = self.cleaned_data
        return [(data.get(f"why_{i}", ""), data.get(f"because_{i}", "")) for i in range(1, MAX_WHYS + 1)]

    @staticmethod
    def initial_from(nc) -> dict:
        initial = {"root_cause": nc.root_cause, "immediate_correction": nc.immediate_correction}
        for i, row in enumerate(nc.whys or [], start=1):
            initial[f"why_{i}"], initial[f"because_{i}"] = row.get("why", ""), row.get("because", "")
        return initial


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices, initial=ActionKind.CORRECTIVE)
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label=_("Responsible"), queryset=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, user, institution, with_unit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(user, institution)
        if with_unit:
            self.fields["origin"] = forms.ChoiceField(
                label=_("Raised from"),
                choices=[(v, label) for v, label in Origin.choices if v not in LINKED_ORIGINS],
                initial=Origin.OWN,
            )
            self.fields["unit"] = forms.ModelChoiceField(label=_("Unit"), queryset=_units(institution))
            self.fields["unit"].label_from_instance = unit_label


class CheckForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Effectiveness"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Evidence of effectiveness"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows the cause is removed and the nonconformity has not recurred."),
    )


class DoneForm(forms.Form):
    result = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 2}))


class NcTypeForm(forms.ModelForm):
    class Meta:
        model = NcType
        fields = ["code", "name_ky", "name_ru", "name_en", "sort", "is_active"]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ImprovementSettings
        fields = ["check_after_days"]
