"""The teaching-load list of a campaign (group, discipline, teacher), as the university's
student system exports it, read with the shared importer of `sapat.org.imports`: headers in
any of the three languages, the same template, all or nothing. It belongs to one campaign,
so it is offered on the campaign's page rather than on the general import page."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapat.org.imports import Importer, RowFailed, RowForm
from sapat.org.models import Person, StudentGroup

from . import services


class TeachingLoadRow(RowForm):
    group = forms.CharField(label=gettext_lazy("Student group"), max_length=40)
    programme_code = forms.CharField(
        label=gettext_lazy("Programme code"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("Only when two programmes have a group of this name."),
    )
    discipline = forms.CharField(label=gettext_lazy("Discipline"), max_length=300)
    teacher = forms.CharField(
        label=gettext_lazy("Teacher"),
        max_length=300,
        help_text=gettext_lazy("E-mail, or last name and first name as in the staff records."),
    )


class TeachingLoadImporter(Importer):
    kind = "teaching_load"
    title = gettext_lazy("Teaching load for a teaching evaluation")
    description = gettext_lazy(
        "One row per discipline and teacher of a student group. Each row becomes a pair the "
        "group's students are asked about; a row already present is left as it is."
    )
    form_class = TeachingLoadRow
    example = ["ПЕД-1-23", "", "Педагогика", "Асанова Айгүл"]

    def __init__(self, actor, institution, campaign):
        super().__init__(actor, institution)
        self.campaign = campaign

    def _group(self, name, programme_code) -> StudentGroup:
        groups = StudentGroup.objects.filter(programme__institution=self.institution, name=name)
        if programme_code:
            groups = groups.filter(programme__code=programme_code)
        found = list(groups.select_related("programme__unit")[:2])
        if not found:
            raise RowFailed({"group": [_("No student group %(name)s.") % {"name": name}]})
        if len(found) > 1:
            message = _("Several programmes have group %(name)s: add the programme code.") % {"name": name}
            raise RowFailed({"programme_code": [message]})
        return found[0]

    def _teacher(self, text) -> Person:
        people = Person.objects.filter(institution=self.institution, left_on__isnull=True).select_related("unit")
        if "@" in text:
            found = list(people.filter(email__iexact=text)[:2])
        else:
            parts = text.split()
            found = []
            if len(parts) > 1:
                found = list(people.filter(last_name__iexact=parts[0], first_name__iexact=parts[1])[:2])
        if len(found) != 1:
            message = (
                _("No teacher %(name)s in the staff records.")
                if not found
                else _("Several people match %(name)s: use the e-mail.")
            )
            raise RowFailed({"teacher": [message % {"name": text}]})
        return found[0]

    def save_row(self, data) -> bool:
        group = self._group(data["group"], data["programme_code"])
        teacher = self._teacher(data["teacher"].strip())
        _slot, created = services.slot_add_teaching(
            actor=self.actor, campaign=self.campaign, group=group, discipline=data["discipline"], teacher=teacher
        )
        return created
