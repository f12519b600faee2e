from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.choices import UnitType
from sapat.org.forms import DATE
from sapat.org.models import Unit

from .forms import unit_label
from .models import Process
from .models_policy import ObjectiveReview, QualityObjective, QualityPolicy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = QualityPolicy
        fields = ["text_ky", "text_ru", "text_en"]
        widgets = {name: forms.Textarea(attrs={"rows": 12}) for name in ("text_ky", "text_ru", "text_en")}


class PolicyApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("approved on"), widget=DATE)
    approved_by_body = forms.ModelChoiceField(
        label=_("approved by"), queryset=Unit.objects.none(), help_text=_("The collegial body that approved it.")
    )
    protocol_number = forms.CharField(label=_("protocol number"), max_length=40, required=False)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["approved_by_body"]
        field.queryset = Unit.objects.filter(
            institution=institution, unit_type=UnitType.COUNCIL, closed_on__isnull=True
        ).order_by("path")
        field.label_from_instance = unit_label


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = QualityObjective
        fields = [
            "unit",
            "parent",
            "code",
            "title_ky",
            "title_ru",
            "title_en",
            "start_year",
            "end_year",
            "status",
            "responsible",
            "processes",
        ]

    def __init__(self, *args, user, institution, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        parents = QualityObjective.objects.filter(institution=institution).select_related("unit")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("sort_key")
        self.fields["parent"].label_from_instance = lambda o: f"{o.code} {o.title} ({o.unit.code})"
        current = self.instance.responsible_id
        self.fields["responsible"].queryset = org_selectors.people_for(user).filter(
            Q(institution=institution, left_on__isnull=True) | Q(pk=current)
        )
        self.fields["processes"].queryset = Process.objects.filter(institution=institution).order_by("sort_key")
        self.fields["processes"].label_from_instance = lambda p: f"{p.code} {p.name}"
        self.fields["processes"].widget.attrs["size"] = 8
        self.fields["processes"].help_text = _("Hold Ctrl (or ⌘) to choose several.")


class ReviewForm(forms.ModelForm):
    class Meta:
        model = ObjectiveReview
        fields = ["year", "achieved_percent", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
