"""Forms of self-evaluation projects. They only parse input; the services check the rules."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.models import Person

from .models_frameworks import Framework, FrameworkKind
from .models_projects import (
    Aspect,
    CommissionMember,
    CriterionAssessment,
    ElementStatus,
    Evidence,
    EvidenceKind,
    Level,
    RemarkKind,
    SelfEvaluationProject,
    SelfEvaluationReport,
    StakeholderGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def frameworks_for(institution):
    from django.db.models import Q

    return Framework.objects.filter(
        Q(institution__isnull=True) | Q(institution=institution), kind=FrameworkKind.CRITERIA
    )


class ProjectForm(forms.ModelForm):
    institutional_framework = forms.ModelChoiceField(
        label=_("Criteria of the institutional report"), queryset=Framework.objects.none(), required=False
    )
    programme_framework = forms.ModelChoiceField(
        label=_("Criteria of the programme report"), queryset=Framework.objects.none(), required=False
    )

    class Meta:
        model = SelfEvaluationProject
        fields = [
            "title",
            "year",
            "institutional",
            "programme",
            "together",
            "council_decision_date",
            "council_decision_number",
            "order_number",
            "order_date",
            "start_date",
            "end_date",
            "council_report_date",
            "preliminary_review_date",
            "final_review_date",
            "period_from",
            "period_to",
        ]
        widgets = {
            name: DATE
            for name in (
                "council_decision_date",
                "order_date",
                "start_date",
                "end_date",
                "council_report_date",
                "preliminary_review_date",
                "final_review_date",
            )
        }

    def __init__(self, *args, institution, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        if creating:
            qs = frameworks_for(institution)
            self.fields["institutional_framework"].queryset = qs
            self.fields["programme_framework"].queryset = qs
            self.fields["institutional_framework"].initial = qs.filter(code__icontains="okb-institutional").first()
        else:
            del self.fields["institutional_framework"]
            del self.fields["programme_framework"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = CommissionMember
        fields = ["category", "person", "name", "position", "is_woman"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(institution=institution, left_on__isnull=True)
        self.fields["person"].help_text = _(
            "Staff: choose the person. Students, parents, graduates, employers: write the name."
        )
        self.fields["is_woman"].help_text = _("Taken from the person's record when a person is chosen.")


class PlanItemForm(forms.Form):
    area = forms.CharField(label=_("Work area"), max_length=300)
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=CommissionMember.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = project.members.all()


class CompilerForm(forms.Form):
    compiler = forms.ModelChoiceField(label=_("Report compiler"), queryset=CommissionMember.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compiler"].queryset = project.members.all()


class AssignForm(forms.Form):
    responsible = forms.ModelChoiceField(label=_("Responsible member"), queryset=CommissionMember.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Any member id is accepted here: the service refuses one from another project.
        self.fields["responsible"].queryset = CommissionMember.objects.all()


class AssessmentForm(forms.ModelForm):
    """The analysis, the rating and one "element_<id>" choice per element (Table 1)."""

    class Meta:
        model = CriterionAssessment
        fields = ["narrative", "strengths", "weaknesses", "recommendations", "level", "justification"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
            "recommendations": forms.Textarea(attrs={"rows": 2}),
            "justification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "—")] + list(Level.choices)
        checks = {c.element_id: c.status for c in self.instance.checks.all()}
        self.element_fields = []
        for element in self.instance.criterion.elements.all():
            name = f"element_{element.pk}"
            self.fields[name] = forms.ChoiceField(
                label=element.text,
                choices=[("", "—")] + list(ElementStatus.choices),
                required=False,
                initial=checks.get(element.pk, ""),
                widget=forms.RadioSelect,
            )
            self.element_fields.append(name)

    def checks(self) -> dict:
        return {int(name.split("_", 1)[1]): self.cleaned_data.get(name, "") for name in self.element_fields}


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = [
            "kind",
            "document",
            "indicator",
            "campaign",
            "audit",
            "nonconformity",
            "action",
            "url",
            "title",
            "page",
            "note",
        ]
        # A web address typed without a scheme is taken as https (Django 6's default).
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        from sapat.audits.models import Audit
        from sapat.documents.models import Document
        from sapat.improvement.models import Action, Nonconformity
        from sapat.processes.models_indicators import Indicator
        from sapat.surveys.models import Campaign

        self.fields["kind"].choices = list(EvidenceKind.choices)
        self.fields["document"].queryset = Document.objects.filter(institution=institution)
        self.fields["indicator"].queryset = Indicator.objects.filter(institution=institution)
        self.fields["campaign"].queryset = Campaign.objects.filter(institution=institution)
        self.fields["audit"].queryset = Audit.objects.filter(institution=institution)
        self.fields["nonconformity"].queryset = Nonconformity.objects.filter(institution=institution)
        self.fields["action"].queryset = Action.objects.filter(institution=institution)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments for the member"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = SelfEvaluationReport
        fields = ["introduction", "findings", "recommendation"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}


class RatingForm(forms.Form):
    aspect = forms.ChoiceField(choices=Aspect.choices)
    group = forms.ChoiceField(choices=StakeholderGroup.choices)
    score = forms.IntegerField(min_value=1, max_value=4, required=False)


class ExpertForm(forms.Form):
    username = forms.CharField(label=_("Expert's account (login)"), max_length=150)
    valid_until = forms.DateField(label=_("Access until"), widget=DATE)


class RemarkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RemarkKind.choices)
    text = forms.CharField(label=_("Text of the decision"), widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(forms.Form):
    description = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    resources = forms.CharField(label=_("Resources needed"), max_length=300, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None)
    owner = forms.ModelChoiceField(label=_("Responsible person"), queryset=None)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        from sapat.org.models import Unit

        self.fields["unit"].queryset = Unit.objects.filter(institution=institution)
        self.fields["owner"].queryset = Person.objects.filter(institution=institution, left_on__isnull=True)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    start_date = forms.DateField(label=_("Self-evaluation starts"), widget=DATE)
    end_date = forms.DateField(label=_("Self-evaluation ends"), widget=DATE)
    council_report_date = forms.DateField(label=_("Report goes to the pedagogical council"), widget=DATE)
