from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import selectors
from .access import Perm
from .choices import Role
from .models import (
    AcademicYear,
    ContingentFigure,
    Person,
    Position,
    Programme,
    RoleAssignment,
    Semester,
    StudentGroup,
    Unit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_label(unit):
    """How a unit reads in a select: its code, then its name."""
    return f"{unit.code} — {unit.name}"


class ScopedForm(forms.ModelForm):
    """A model form whose unit and person choices are limited to one institution and,
    for unit fields, to the units the user may write in."""

    unit_fields: dict[str, str] = {}
    person_fields: tuple[str, ...] = ()

    def __init__(self, *args, user, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.institution = user, institution
        for name, perm in self.unit_fields.items():
            if name in self.fields:
                self.fields[name].queryset = self._keeping_current(
                    name,
                    selectors.units_for(user, perm).filter(institution=institution, closed_on__isnull=True),
                )
        people = selectors.people_for(user).filter(institution=institution, left_on__isnull=True)
        for name in self.person_fields:
            if name in self.fields:
                self.fields[name].queryset = self._keeping_current(name, people)
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DATE

    def _keeping_current(self, name, queryset):
        """The choices plus the record's current value, so that saving a record unchanged
        stays valid when its unit has closed, its head has left, or (for a unit's parent)
        the value lies above the user's own scope. The services still check the rights at
        both ends of any change."""
        current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
        if current is None:
            return queryset
        return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))


class UnitForm(ScopedForm):
    unit_fields = {"parent": Perm.MANAGE_UNITS}
    person_fields = ("head", "quality_responsible")

    class Meta:
        model = Unit
        fields = [
            "parent",
            "unit_type",
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "head",
            "quality_responsible",
            "opened_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.institution_id is None:
            # A new unit: its institution is the form's (the model's checks compare them).
            self.instance.institution = self.institution
        if self.instance.pk and self.instance.parent_id is None:
            del self.fields["parent"]  # the institution's top unit stays on top
        elif self.instance.pk:
            # Not under itself or its own sub-units.
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(path__startswith=self.instance.path)


class PersonForm(ScopedForm):
    unit_fields = {"unit": Perm.MANAGE_PEOPLE}

    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "gender",
            "unit",
            "staff_category",
            "degree",
            "academic_title",
            "email",
            "phone",
            "left_on",
        ]


class PositionForm(ScopedForm):
    unit_fields = {"unit": Perm.MANAGE_PEOPLE}

    class Meta:
        model = Position
        fields = ["unit", "post", "title", "start_date", "end_date"]


class AccountForm(forms.Form):
    username = forms.RegexField(
        label=_("user name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    email = forms.EmailField(label=_("e-mail"), required=False)


class RoleForm(ScopedForm):
    unit_fields = {"unit": Perm.MANAGE_ACCESS}

    class Meta:
        model = RoleAssignment
        fields = ["role", "unit", "valid_from", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.user.is_superuser:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ANALYST]
        self.fields["unit"].required = False


class AcademicYearForm(forms.ModelForm):
    class Meta:
        model = AcademicYear
        fields = ["start_year", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}


class SemesterForm(forms.ModelForm):
    class Meta:
        model = Semester
        fields = ["kind", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}


class ProgrammeForm(ScopedForm):
    unit_fields = {"unit": Perm.MANAGE_PROGRAMMES}
    person_fields = ("leader",)

    class Meta:
        model = Programme
        fields = [
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "level",
            "study_form",
            "language",
            "unit",
            "leader",
            "is_active",
        ]


class StudentGroupForm(forms.ModelForm):
    class Meta:
        model = StudentGroup
        fields = ["name", "admission_year", "student_count", "is_active"]


class ContingentForm(forms.ModelForm):
    class Meta:
        model = ContingentFigure
        fields = ["academic_year", "admitted", "enrolled", "graduated", "expelled", "employed"]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].queryset = AcademicYear.objects.filter(institution=institution)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))
