from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org.forms import unit_label
from sapat.org.models import Unit

from . import spam
from .choices import Category, Kind, Submitter
from .models import TEXT_MAX, Complaint, ComplaintSettings

SPAM_MESSAGES = {
    "invalid": _("The form could not be checked. Please reload the page and send it again."),
    "expired": _("The form was open too long. Please reload the page and send it again."),
    "too_fast": _("The form was sent very quickly. Please check what you wrote and send it again."),
    "used": _("This form has already been sent. Open the page again to write a new message."),
    "honeypot": _("Leave the field “Website” empty and send the form again."),
}


def active_units(institution):
    return Unit.objects.filter(institution=institution, closed_on__isnull=True).order_by("path")


class PublicComplaintForm(forms.ModelForm):
    """The public page. `website` is the honeypot (hidden from people), `started` the signed
    time the form was shown."""

    kind = forms.ChoiceField(label=_("What are you sending?"), choices=Kind.choices, widget=forms.RadioSelect)
    submitter_type = forms.ChoiceField(label=_("Who are you?"), choices=Submitter.choices)
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices, initial=Category.OTHER)
    anonymous = forms.BooleanField(label=_("Send anonymously"), required=False, initial=True)
    upload = forms.FileField(
        label=_("A file (optional)"),
        required=False,
        help_text=_("A photo or a document: PDF, DOCX, XLSX, ODT, JPG or PNG."),
    )
    website = forms.CharField(label=_("Website"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Complaint
        fields = [
            "kind",
            "submitter_type",
            "category",
            "concerns_unit",
            "subject",
            "text",
            "anonymous",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 7, "maxlength": TEXT_MAX})}
        labels = {"subject": _("Subject"), "text": _("Your message"), "contact_name": _("Your name")}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["concerns_unit"].queryset = active_units(institution)
        self.fields["concerns_unit"].label_from_instance = unit_label
        self.fields["concerns_unit"].label = _("Which unit does it concern? (if you know)")
        if not self.is_bound:
            self.initial["started"] = spam.issue_started()
        self.initial.setdefault("kind", Kind.COMPLAINT)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(SPAM_MESSAGES["honeypot"], code="honeypot")
        problem = spam.started_problem(data.get("started", ""))
        if problem:
            raise forms.ValidationError(SPAM_MESSAGES[problem], code=problem)
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ABCD-EFGH"}),
    )


class FollowUpForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Add a message"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def contacts(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ("contact_name", "contact_email", "contact_phone")}


class RouteForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    category = forms.ChoiceField(label=_("Topic"), choices=Category.choices)

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units(complaint.institution_id)
        self.fields["unit"].label_from_instance = unit_label
        self.initial.setdefault("unit", complaint.unit_id or complaint.concerns_unit_id)
        self.initial.setdefault("category", complaint.category)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the sender"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The sender sees it on the tracking page, and by e-mail if they gave an address."),
    )
    note = forms.CharField(
        label=_("Internal note"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the quality department and the unit."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ComplaintSettings
        fields = ["response_days"]
