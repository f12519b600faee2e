from django import forms
from django.utils.translation import gettext_lazy as _

from sapat.org import selectors as org_selectors
from sapat.org.forms import DATE

from .models_roadmap import Roadmap, RoadmapTask, TaskStatus


class RoadmapForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["kind", "title", "start_date"]
        widgets = {"start_date": DATE}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            self.instance.institution = institution
        if self.instance._state.adding:
            self.fields["start_date"].help_text = _(
                "The default tasks' deadlines are counted from it; each can be changed later."
            )


class TaskForm(forms.ModelForm):
    class Meta:
        model = RoadmapTask
        fields = ["title_ky", "title_ru", "title_en", "owner", "deadline", "status", "notes"]
        widgets = {"deadline": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = org_selectors.people_for(user).filter(
            institution=institution, left_on__isnull=True
        )


class TaskReportForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=TaskStatus.choices)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
