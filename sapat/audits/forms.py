from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.forms import DATE, unit_label
from sapat.org.models import AcademicYear, Person, Programme, Unit
from sapat.processes.models import Process

from . import services
from .choices import AmendmentReason, Answer
from .models import Audit, Auditor, AuditorTraining, ChecklistItem, Finding, FindingCategory, ProgrammeEntry


def _units(institution):
    return Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by("path")


def _processes(institution):
    return Process.objects.filter(institution=institution, is_active=True).order_by("sort_key")


def _auditors(institution):
    return Auditor.objects.filter(institution=institution, is_active=True).select_related("person")


def _scope_fields(form, institution):
    """Limit units, processes and programmes choices to the institution, with readable labels."""
    if "units" in form.fields:
        form.fields["units"].queryset = _units(institution)
        form.fields["units"].label_from_instance = unit_label
    if "processes" in form.fields:
        form.fields["processes"].queryset = _processes(institution)
        form.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name}"
    if "programmes" in form.fields:
        form.fields["programmes"].queryset = Programme.objects.filter(institution=institution).order_by("code")


class ProgrammeCreateForm(forms.Form):
    academic_year = forms.ModelChoiceField(AcademicYear.objects.none(), label=_("academic year"))

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = AcademicYear.objects.filter(institution=institution)


class EntryForm(forms.ModelForm):
    class Meta:
        model = ProgrammeEntry
        fields = [
            "subject",
            "units",
            "processes",
            "programmes",
            "planned_month",
            "start_date",
            "end_date",
            "lead_auditor",
            "team",
            "criteria",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "criteria": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, institution)
        self.fields["lead_auditor"].queryset = _auditors(institution)
        self.fields["team"].queryset = _auditors(institution)


class AmendmentForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for the amendment"), choices=AmendmentReason.choices)
    reason_text = forms.CharField(
        label=_("what changes and why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))


class AuditorForm(forms.ModelForm):
    class Meta:
        model = Auditor
        fields = ["person", "kind", "is_active", "note"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["person"].queryset = Person.objects.filter(
            institution=institution, left_on__isnull=True
        ).select_related("unit")
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} — {p.unit.name}"


class TrainingForm(forms.ModelForm):
    class Meta:
        model = AuditorTraining
        fields = ["course", "provider", "completed_on", "hours"]
        widgets = {"completed_on": DATE}


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = [
            "title",
            "code",
            "scope",
            "criteria",
            "units",
            "processes",
            "programmes",
            "start_date",
            "end_date",
            "opening_meeting_on",
            "closing_meeting_on",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "opening_meeting_on": DATE,
            "closing_meeting_on": DATE,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Given automatically when empty.")
        _scope_fields(self, institution)


class PlanFromEntryForm(forms.Form):
    start_date = forms.DateField(label=_("first day of the audit"), widget=DATE)
    end_date = forms.DateField(label=_("last day of the audit"), widget=DATE, required=False)


class TeamForm(forms.Form):
    lead_auditor = forms.ModelChoiceField(Auditor.objects.none(), label=_("lead auditor"))
    team = forms.ModelMultipleChoiceField(Auditor.objects.none(), label=_("audit team"), required=False)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_auditor"].queryset = _auditors(institution)
        self.fields["team"].queryset = _auditors(institution)


class ClausesForm(forms.Form):
    clauses = forms.MultipleChoiceField(label=_("ISO 9001 clauses"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = [
            (c["number"], f"{c['number']} {services.clause_title(c)}") for c in services.iso_clauses()
        ]
        self.fields["clauses"].widget.attrs["size"] = 12


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(Audit.objects.none(), label=_("earlier audit"))

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Audit.objects.filter(institution_id=audit.institution_id, checklist__isnull=False)
            .exclude(pk=audit.pk)
            .distinct()
            .order_by("-start_date")
        )


class ItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["question", "clause", "process"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_fields(self, institution)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("answer"), choices=[c for c in Answer.choices if c[0]], widget=forms.RadioSelect)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["category", "description", "unit", "process", "clause", "requirement", "evidence"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.audit = audit
        self.fields["category"].queryset = FindingCategory.objects.filter(
            pk__in=[c.pk for c in services.finding_scale(audit.institution_id)]
        )
        self.fields["unit"].queryset = _units(audit.institution)
        self.fields["process"].queryset = _processes(audit.institution)
        self.fields["process"].label_from_instance = lambda p: f"{p.code} {p.name}"


class ReportForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = ["strengths", "conclusion"]
        widgets = {"strengths": forms.Textarea(attrs={"rows": 4}), "conclusion": forms.Textarea(attrs={"rows": 5})}


class DistributeForm(forms.Form):
    acknowledge_by = forms.DateField(label=_("acknowledge by"), widget=DATE, required=False)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = FindingCategory
        fields = ["code", "name_ky", "name_ru", "name_en", "is_nonconformity", "order", "is_active"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
