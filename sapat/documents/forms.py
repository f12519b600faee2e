"""Forms of the documents pages. Model forms only collect and check input; every change is
made by a service (sapat.documents.services), which checks the rights and the state again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.access import Perm
from sapat.org.forms import DATE, ScopedForm
from sapat.org.models import Unit

from .choices import DocumentStatus, Level, ReviewOutcome
from .models import Document, DocumentType, Revision

EXTERNAL_FIELDS = ("issuer", "external_number", "external_date")


def unit_label(unit) -> str:
    """A unit in a select list ordered by path: indented by its depth, so the list reads as the tree."""
    return "\u00a0\u00a0\u00a0" * unit.depth + f"{unit.code} {unit.name}"


def version_field(field_class=forms.IntegerField):
    """The hidden `expected_version`: what the record looked like when the form was opened,
    so that a save over someone else's newer one is refused (the services check it)."""
    return field_class(widget=forms.HiddenInput, required=False)


class DocumentForm(ScopedForm):
    """A new document (with its type) or an existing one (its type, and so its code, stay)."""

    unit_fields = {"unit": Perm.MANAGE_DOCUMENTS}
    person_fields = ("owner",)

    expected_version = version_field()

    class Meta:
        model = Document
        fields = [
            "doc_type",
            "unit",
            "owner",
            "title_ky",
            "title_ru",
            "title_en",
            "institution_wide",
            "distributed_units",
            "distributed_people",
            "review_months",
            "issuer",
            "external_number",
            "external_date",
        ]
        widgets = {"external_date": DATE}
        help_texts = {
            "institution_wide": _("Everyone in the institution may read it once it is in force."),
            "distributed_units": _("Staff of these units and of the units below them are asked to read it."),
            "distributed_people": _("People asked to read it in addition to the units above."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if creating:
            self.instance.institution = self.institution
            self.fields["doc_type"].queryset = DocumentType.objects.filter(institution=self.institution)
            self.fields["review_months"].required = False
            self.fields["review_months"].initial = None
            self.fields["review_months"].help_text = _("Leave empty to use the interval set for the type.")
            del self.fields["expected_version"]
        else:
            del self.fields["doc_type"]
            self.fields["expected_version"].initial = self.instance.version
            if not self.instance.is_external:
                for name in EXTERNAL_FIELDS:
                    del self.fields[name]
        units = org_selectors.units_for(self.user).filter(institution=self.institution, closed_on__isnull=True)
        self.fields["distributed_units"].queryset = units.select_related(None).order_by("path")
        self.fields["distributed_people"].queryset = (
            org_selectors.people_for(self.user)
            .filter(institution=self.institution, left_on__isnull=True)
            .select_related(None)
        )
        self.fields["distributed_units"].widget.attrs["size"] = 8
        self.fields["distributed_people"].widget.attrs["size"] = 8
        self.fields["distributed_units"].label_from_instance = unit_label
        self.fields["unit"].queryset = self.fields["unit"].queryset.order_by("path")
        self.fields["unit"].label_from_instance = unit_label

    def external_type_ids(self) -> list[int]:
        if "doc_type" not in self.fields:
            return []
        return [t.pk for t in self.fields["doc_type"].queryset if t.level == Level.BASE]

    def clean(self):
        data = super().clean()
        if "review_months" in self.fields and not data.get("review_months"):
            # A new document left empty: the interval set for its type.
            doc_type = data.get("doc_type")
            data["review_months"] = doc_type.review_months if doc_type else 12
        return data


class RevisionForm(forms.ModelForm):
    """A draft's summary of changes and the clauses it changes."""

    expected_version = version_field()

    class Meta:
        model = Revision
        fields = ["summary", "clauses"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"clauses": _("For the change registration sheet, e.g. 4.2, 5.1–5.3.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version


class VersionForm(forms.Form):
    """One language version of a draft: text written here, a file, or both."""

    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt"}),
        help_text=_("PDF, DOCX, XLSX or ODT. A new file replaces the one attached now."),
    )
    expected_version = version_field(forms.CharField)

    def __init__(self, *args, has_file=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file") and not self.has_file:
            raise forms.ValidationError(_("Write the text or attach a file."))
        return data


class AgreementForm(forms.Form):
    """The agreement sheet: who agrees, in order. Empty rows are skipped."""

    def __init__(self, *args, people, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        rows = max(len(current) + 2, 4)
        for n in range(1, rows + 1):
            field = forms.ModelChoiceField(queryset=people, required=False, label=_("No. %(n)d") % {"n": n})
            field.label_from_instance = lambda p: f"{p.full_name} — {p.unit.name}"
            self.fields[f"person_{n}"] = field
            if n <= len(current):
                self.fields[f"person_{n}"].initial = current[n - 1]

    def people(self) -> list:
        return [
            self.cleaned_data[name] for name in self.fields if name.startswith("person_") and self.cleaned_data[name]
        ]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("agree", _("Agree")), ("return", _("Return with a comment"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    protocol_number = forms.CharField(label=_("Protocol number"), max_length=40, required=False)
    protocol_date = forms.DateField(label=_("Protocol date"), required=False, widget=DATE)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 2}))


class RegisterForm(forms.Form):
    effective_date = forms.DateField(label=_("In force from"), widget=DATE, initial=timezone.localdate)


class ExternalRegisterForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate, required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Reason (order number and date)"), max_length=300, required=False)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentFilterForm(forms.Form):
    """The register's filters. Invalid values are ignored, not reported."""

    ALL = "all"

    q = forms.CharField(label=_("Code or title"), required=False)
    doc_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.none(), required=False, empty_label=_("All types")
    )
    level = forms.ChoiceField(label=_("Level"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    mine = forms.BooleanField(label=_("Only documents I own"), required=False)

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].queryset = DocumentType.objects.filter(institution=institution)
        self.fields["doc_type"].label_from_instance = lambda t: f"{t.code} — {t.name}"
        self.fields["level"].choices = [("", _("All levels")), *Level.choices]
        self.fields["unit"].queryset = (
            org_selectors.units_for(user).filter(institution=institution).select_related(None).order_by("path")
        )
        self.fields["unit"].label_from_instance = unit_label
        self.fields["status"].choices = [
            ("", _("In force and being prepared")),
            *DocumentStatus.choices,
            (self.ALL, _("Any status")),
        ]
