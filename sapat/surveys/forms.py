from django import forms
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from sapat.org.models import Programme, StudentGroup, Unit

from .choices import QuestionKind, Stakeholder
from .models import Campaign, Question, Questionnaire

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES_HELP = _("One per line: Kyrgyz | Russian | English.")


def latest_versions(institution):
    latest = Questionnaire.objects.filter(institution=institution).values("key").annotate(v=Max("version"))
    pks = [
        pk
        for row in latest
        for pk in Questionnaire.objects.filter(institution=institution, key=row["key"], version=row["v"]).values_list(
            "pk", flat=True
        )
    ]
    return Questionnaire.objects.filter(pk__in=pks)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "questionnaire",
            "title",
            "unit",
            "starts_on",
            "ends_on",
            "audience",
            "target_units",
            "target_programmes",
            "target_groups",
            "open_link",
            "min_group_size",
            "previous",
            "action_positive_below",
            "action_mean_below",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["questionnaire"].queryset = latest_versions(institution)
        units = Unit.objects.filter(institution=institution, closed_on__isnull=True)
        self.fields["unit"].queryset = units
        self.fields["target_units"].queryset = units
        self.fields["target_programmes"].queryset = Programme.objects.filter(institution=institution, is_active=True)
        self.fields["target_groups"].queryset = StudentGroup.objects.filter(
            programme__institution=institution, is_active=True
        ).select_related("programme")
        self.fields["previous"].queryset = Campaign.objects.filter(institution=institution)
        for name in ("action_positive_below", "action_mean_below"):  # blank: the usual threshold
            self.fields[name].required = False

    def _or_default(self, name):
        value = self.cleaned_data.get(name)
        return Campaign._meta.get_field(name).default if value is None else value

    def clean_action_positive_below(self):
        return self._or_default("action_positive_below")

    def clean_action_mean_below(self):
        return self._or_default("action_mean_below")


def _lines(text) -> list[dict]:
    labels = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        if parts[0]:
            labels.append({"ky": parts[0], "ru": parts[1], "en": parts[2]})
    return labels


def _unlines(labels) -> str:
    return "\n".join(" | ".join(label.get(c, "") for c in ("ky", "ru", "en")) for label in labels)


class QuestionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_ky = forms.CharField(label=_("Question in Kyrgyz"), max_length=1000)
    text_ru = forms.CharField(label=_("Question in Russian"), max_length=1000, required=False)
    text_en = forms.CharField(label=_("Question in English"), max_length=1000, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(
        label=_("Options"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=LINES_HELP
    )
    allow_other = forms.BooleanField(label=_("With “other”"), required=False)
    items = forms.CharField(
        label=_("Matrix items"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=LINES_HELP
    )
    scale_labels = forms.CharField(
        label=_("Scale labels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("From the lowest point to the highest; one per line: Kyrgyz | Russian | English."),
    )
    min_value = forms.IntegerField(label=_("Smallest number"), required=False)
    max_value = forms.IntegerField(label=_("Largest number"), required=False)
    show_if_code = forms.SlugField(label=_("Shown only if question (code)"), required=False)
    show_if_values = forms.CharField(
        label=_("was answered with"), required=False, help_text=_("Option or scale numbers, comma-separated: 1, 2")
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "code": question.code,
            "kind": question.kind,
            **{f"text_{c}": question.text.get(c, "") for c in ("ky", "ru", "en")},
            "required": question.required,
            "options": _unlines(question.options),
            "allow_other": question.allow_other,
            "items": _unlines(question.items),
            "scale_labels": _unlines(question.scale_labels),
            "min_value": question.min_value,
            "max_value": question.max_value,
            "show_if_code": question.show_if_code,
            "show_if_values": ", ".join(str(v) for v in question.show_if_values),
        }

    def clean_show_if_values(self):
        raw = self.cleaned_data["show_if_values"]
        try:
            return [int(v) for v in raw.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise forms.ValidationError(_("Write numbers separated by commas.")) from None

    def question_data(self) -> dict:
        d = self.cleaned_data
        return {
            "code": d["code"],
            "kind": d["kind"],
            "text": {c: d[f"text_{c}"] for c in ("ky", "ru", "en")},
            "required": d["required"],
            "options": _lines(d["options"]),
            "allow_other": d["allow_other"],
            "items": _lines(d["items"]),
            "scale_labels": _lines(d["scale_labels"]),
            "min_value": d["min_value"],
            "max_value": d["max_value"],
            "show_if_code": d["show_if_code"] or "",
            "show_if_values": d["show_if_values"],
        }


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))


class TokensForm(forms.Form):
    count = forms.IntegerField(
        label=_("Extra tokens per pair or group"),
        min_value=1,
        max_value=2000,
        required=False,
        help_text=_("Blank: as many as each group has students."),
    )


class LimeSurveyForm(forms.Form):
    file = forms.FileField(label=_("LimeSurvey survey structure file (.lss)"))
    stakeholder = forms.ChoiceField(label=_("Stakeholder group"), choices=Stakeholder.choices)
    key = forms.SlugField(
        label=_("Key"), max_length=60, required=False, help_text=_("Blank: made from the LimeSurvey survey number.")
    )
    per_teaching_slot = forms.BooleanField(label=_("Asked per discipline and teacher"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".lss", ".xml")):
            raise forms.ValidationError(_("Choose a LimeSurvey survey structure file (.lss)."))
        return upload


class InvitationsForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line, optionally with the language: name@example.kg, ru. Staff: leave blank."),
    )
    file = forms.FileField(label=_("Or a list of addresses (CSV or TXT)"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if not upload.name.lower().endswith((".csv", ".txt")):
                raise forms.ValidationError(_("Upload the addresses as a CSV or TXT file."))
            try:
                data["addresses"] = "\n".join([data.get("addresses") or "", upload.read().decode("utf-8-sig")])
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The list of addresses must be a UTF-8 text file.")) from None
        return data


class SectionForm(forms.Form):
    title_ky = forms.CharField(label=_("Title in Kyrgyz"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)

    def title(self) -> dict:
        return {c: self.cleaned_data[f"title_{c}"] for c in ("ky", "ru", "en")}
