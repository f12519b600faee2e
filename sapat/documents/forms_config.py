"""Forms of the documents module's set-up pages (document and record types) and of the
records pages. Unit and person choices are limited to the institution (ScopedForm); the
services check the rights again and the models validate the rest."""

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sapat.org.access import Perm
from sapat.org.choices import UnitType
from sapat.org.forms import ScopedForm
from sapat.org.models import Unit

from .models import DocumentType, Record, RecordType, code_pattern_problem


def at_least_one(field) -> None:
    field.validators.append(MinValueValidator(1))
    field.widget.attrs["min"] = 1


class DocumentTypeForm(ScopedForm):
    person_fields = ("approver",)

    class Meta:
        model = DocumentType
        fields = [
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "level",
            "code_pattern",
            "approver_kind",
            "approver",
            "approval_body",
            "review_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = self.institution
        councils = Unit.objects.filter(institution=self.institution, unit_type=UnitType.COUNCIL, closed_on__isnull=True)
        current = self.instance.approval_body_id if self.instance.pk else None
        if current:
            councils = Unit.objects.filter(Q(pk__in=councils.values("pk")) | Q(pk=current))
        self.fields["approval_body"].queryset = councils.order_by("name_ky")
        self.fields["approver"].help_text = _("The official who approves documents of this type, e.g. the rector.")
        self.fields["approval_body"].help_text = _(
            "The collegial body whose protocol approves documents of this type, e.g. the Academic Council."
        )
        at_least_one(self.fields["review_months"])

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        taken = DocumentType.objects.filter(institution=self.institution, code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The institution already has a document type with this code."))
        return code

    def clean_code_pattern(self):
        pattern = self.cleaned_data["code_pattern"].strip()
        problem = code_pattern_problem(pattern)
        if problem:
            raise forms.ValidationError(problem)
        return pattern


class RecordTypeForm(ScopedForm):
    unit_fields = {"unit": Perm.VIEW_ORG}

    class Meta:
        model = RecordType
        fields = ["name_ky", "name_ru", "name_en", "retention_months", "unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = self.institution
        at_least_one(self.fields["retention_months"])
        self.fields["retention_months"].help_text = _("For example 60 for five years.")


class RecordForm(ScopedForm):
    unit_fields = {"unit": Perm.MANAGE_RECORDS}

    class Meta:
        model = Record
        fields = ["record_type", "unit", "title", "dated", "location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = RecordType.objects.filter(institution=self.institution).select_related(None)
        self.fields["record_type"].queryset = types
        self.fields["record_type"].help_text = _("Its retention period sets the date the record may be disposed of.")
        self.fields["location"].help_text = _("Room, cabinet, folder or archive number.")


class RecordDisposeForm(forms.Form):
    disposal_note = forms.CharField(
        label=_("disposal act"),
        max_length=300,
        help_text=_("The number and date of the act, and who signed it."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
