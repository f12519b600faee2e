"""Importing units, people with positions, programmes and contingent figures from XLSX or
CSV. Every row goes through the same services as the pages, inside one transaction; if any
row is wrong, the transaction is rolled back and the user gets the full list of problems
(row, column, message). Column headers may be the field key or its label in any of the
three languages, so a template filled in Russian imports for a Kyrgyz-speaking user."""

import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sapat.lib.tabular import TableError, read_table, template_workbook

from . import services
from .choices import (
    AcademicTitle,
    Degree,
    Gender,
    Post,
    ProgrammeLevel,
    StaffCategory,
    StudyForm,
    TeachingLanguage,
    UnitType,
)
from .models import AcademicYear, ContingentFigure, Person, Position, Programme, Unit


@dataclass
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class RowFailed(Exception):
    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def _norm(text) -> str:
    """Compare headers and values loosely: case, spacing, a trailing "*" and ё/е do not matter."""
    return re.sub(r"\s+", " ", str(text or "")).strip().rstrip("*").strip().casefold().replace("ё", "е")


class ChoiceColumn(forms.CharField):
    """A column of coded values that accepts the stored value or its label in any of the
    interface languages ("bachelor", "Бакалавр", "Бакалавриат" all read as bachelor)."""

    def __init__(self, label, choices, required=True, help_text=""):
        super().__init__(label=label, required=required, help_text=help_text)
        self.choices = choices
        self._lookup = None

    def lookup(self) -> dict[str, str]:
        if self._lookup is None:
            self._lookup = {}
            for value, label in self.choices:
                self._lookup[_norm(value)] = value
                for code, _name in settings.LANGUAGES:
                    with translation.override(code):
                        self._lookup[_norm(label)] = value
        return self._lookup

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        found = self.lookup().get(_norm(value))
        if found is None:
            allowed = ", ".join(str(label) for _v, label in self.choices)
            raise ValidationError(_("Unknown value. Allowed: %(allowed)s.") % {"allowed": allowed})
        return found


class RowForm(forms.Form):
    """The columns of one kind of import, one field a column."""


# Model fields named in a service's ValidationError, and the column the user filled for them.
MODEL_FIELD_COLUMNS = {
    "parent": "parent_code",
    "unit": "unit_code",
    "leader": "leader_email",
    "start_date": "position_start",
    "end_date": "position_start",
    "title": "position_title",
}


class Importer:
    do_not_call_in_templates = True  # templates read the class attributes, never instantiate

    kind: str
    title = ""
    description = ""
    form_class: type[RowForm]
    example: list = []

    def __init__(self, actor, institution):
        self.actor, self.institution = actor, institution

    # --- columns ---------------------------------------------------------------------
    @classmethod
    def fields(cls):
        return cls.form_class.base_fields

    @classmethod
    def header_map(cls) -> dict[str, str]:
        mapping = {}
        for name, fld in cls.fields().items():
            mapping[_norm(name)] = name
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    mapping[_norm(fld.label)] = name
        return mapping

    @classmethod
    def template(cls) -> bytes:
        fields = cls.fields()
        headers = [str(f.label) + (" *" if f.required else "") for f in fields.values()]
        notes = []
        for f in fields.values():
            choices = getattr(f, "choices", None)
            allowed = "; ".join(str(label) for _v, label in choices) if choices else ""
            notes.append([str(f.label), _("yes") if f.required else _("no"), str(f.help_text or ""), allowed])
        return template_workbook(
            str(cls.title),
            headers,
            cls.example,
            notes,
            _("Instructions"),
            [_("Column"), _("Required"), _("What to write"), _("Allowed values")],
        )

    # --- rows --------------------------------------------------------------------------
    def unit_by_code(self, code) -> Unit:
        unit = Unit.objects.filter(institution=self.institution, code=code).first()
        if unit is None:
            raise RowFailed({"unit_code": [_("No unit with code %(code)s.") % {"code": code}]})
        return unit

    def save_row(self, data) -> bool:
        """Write one valid row; return True if it created a record, False if it updated."""
        raise NotImplementedError

    def run(self, uploaded) -> ImportResult:
        result = ImportResult()
        try:
            table = read_table(uploaded)
        except TableError as exc:
            result.problems.append(Problem(None, "", str(exc)))
            return result
        columns = self._columns(table.headers, result)
        if not result.ok:
            return result
        labels = {name: str(f.label) for name, f in self.fields().items()}
        with transaction.atomic():
            for number, cells in table.rows:
                values = {columns[i]: cells[i] for i in range(min(len(cells), len(columns))) if columns[i]}
                form = self.form_class(data={k: "" if v is None else v for k, v in values.items()})
                try:
                    if not form.is_valid():
                        raise RowFailed(form.errors)
                    with transaction.atomic():
                        created = self.save_row(form.cleaned_data)
                except RowFailed as failed:
                    for name, messages in failed.problems.items():
                        for message in messages:
                            result.problems.append(Problem(number, labels.get(name, ""), str(message)))
                except ValidationError as error:
                    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
                    for name, messages in items:
                        column = labels.get(MODEL_FIELD_COLUMNS.get(name, name), "")
                        for message in messages:
                            result.problems.append(Problem(number, column, message))
                except PermissionDenied as denied:
                    result.problems.append(Problem(number, "", str(denied)))
                else:
                    result.created += created
                    result.updated += not created
            if not result.ok:
                transaction.set_rollback(True)
                result.created = result.updated = 0
        return result

    def _columns(self, headers, result) -> list[str | None]:
        mapping = self.header_map()
        columns = [mapping.get(_norm(h)) if h else None for h in headers]
        for h, name in zip(headers, columns, strict=True):
            if h and name is None:
                result.problems.append(Problem(1, h, _("Unknown column.")))
        for name, fld in self.fields().items():
            if fld.required and name not in columns:
                result.problems.append(Problem(1, str(fld.label), _("This column is missing.")))
        return columns


class UnitRow(RowForm):
    code = forms.CharField(
        label=gettext_lazy("Unit code"),
        max_length=32,
        help_text=gettext_lazy("Unique within the institution. An existing code updates that unit."),
    )
    parent_code = forms.CharField(
        label=gettext_lazy("Parent unit code"),
        max_length=32,
        help_text=gettext_lazy("The unit this one belongs to; it may be defined in an earlier row."),
    )
    unit_type = ChoiceColumn(gettext_lazy("Type"), UnitType.choices)
    name_ky = forms.CharField(label=gettext_lazy("Name in Kyrgyz"), max_length=300)
    name_ru = forms.CharField(label=gettext_lazy("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=300, required=False)
    opened_on = forms.DateField(
        label=gettext_lazy("Opened on"), required=False, help_text=gettext_lazy("Date as YYYY-MM-DD.")
    )


class UnitImporter(Importer):
    kind = "units"
    title = gettext_lazy("Units")
    description = gettext_lazy("Faculties, institutes, departments, administrative units and councils.")
    form_class = UnitRow
    example = [
        "FIT-IT",
        "FIT",
        "department",
        "Маалыматтык технологиялар кафедрасы",
        "Кафедра информационных технологий",
        "Department of Information Technology",
        "2015-09-01",
    ]

    def save_row(self, data) -> bool:
        parent = Unit.objects.filter(institution=self.institution, code=data["parent_code"]).first()
        if parent is None:
            raise RowFailed({"parent_code": [_("No unit with code %(code)s.") % {"code": data["parent_code"]}]})
        unit = Unit.objects.filter(institution=self.institution, code=data["code"]).first()
        created = unit is None
        unit = unit or Unit(institution=self.institution)
        for name in ("code", "unit_type", "name_ky", "name_ru", "name_en", "opened_on"):
            setattr(unit, name, data[name])
        unit.parent = parent
        if created:
            services.unit_create(actor=self.actor, unit=unit)
        else:
            services.unit_update(actor=self.actor, unit=unit)
        return created


class PersonRow(RowForm):
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    middle_name = forms.CharField(label=gettext_lazy("Patronymic"), max_length=100, required=False)
    gender = ChoiceColumn(gettext_lazy("Gender"), Gender.choices, required=False)
    unit_code = forms.CharField(
        label=gettext_lazy("Unit code"), max_length=32, help_text=gettext_lazy("The person's main unit.")
    )
    staff_category = ChoiceColumn(gettext_lazy("Staff category"), StaffCategory.choices)
    degree = ChoiceColumn(gettext_lazy("Academic degree"), Degree.choices[1:], required=False)
    academic_title = ChoiceColumn(gettext_lazy("Academic title"), AcademicTitle.choices[1:], required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    post = ChoiceColumn(
        gettext_lazy("Post"),
        Post.choices,
        required=False,
        help_text=gettext_lazy("If given, a position in the unit is recorded."),
    )
    position_title = forms.CharField(label=gettext_lazy("Title as in the order"), max_length=300, required=False)
    position_start = forms.DateField(
        label=gettext_lazy("In post from"), required=False, help_text=gettext_lazy("Date as YYYY-MM-DD.")
    )


class PersonImporter(Importer):
    kind = "people"
    title = gettext_lazy("People and positions")
    description = gettext_lazy(
        "Staff records with their post in a unit. A person with the same name in the "
        "same unit is updated, not added twice."
    )
    form_class = PersonRow
    example = [
        "Эргешали кызы",
        "Айчүрөк",
        "",
        "female",
        "ББСБ",
        "management",
        "candidate",
        "docent",
        "a.ergeshali@example.kg",
        "+996 555 000 000",
        "quality_head",
        "ББСБнын башчысы",
        "2020-09-01",
    ]

    def save_row(self, data) -> bool:
        unit = self.unit_by_code(data["unit_code"])
        person = Person.objects.filter(
            institution=self.institution,
            unit=unit,
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data["middle_name"],
        ).first()
        created = person is None
        person = person or Person(institution=self.institution)
        person.unit = unit
        for name in (
            "last_name",
            "first_name",
            "middle_name",
            "gender",
            "staff_category",
            "degree",
            "academic_title",
            "email",
            "phone",
        ):
            setattr(person, name, data[name])
        services.person_save(actor=self.actor, person=person)
        if data["post"]:
            position = Position.objects.filter(
                person=person, unit=unit, post=data["post"], start_date=data["position_start"]
            ).first()
            position = position or Position(
                person=person, unit=unit, post=data["post"], start_date=data["position_start"]
            )
            position.title = data["position_title"]
            services.position_save(actor=self.actor, position=position)
        return created


class ProgrammeRow(RowForm):
    code = forms.CharField(label=gettext_lazy("Programme code"), max_length=32)
    study_form = ChoiceColumn(gettext_lazy("Form of study"), StudyForm.choices)
    name_ky = forms.CharField(label=gettext_lazy("Name in Kyrgyz"), max_length=300)
    name_ru = forms.CharField(label=gettext_lazy("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=300, required=False)
    level = ChoiceColumn(gettext_lazy("Level"), ProgrammeLevel.choices)
    language = ChoiceColumn(gettext_lazy("Language of instruction"), TeachingLanguage.choices)
    unit_code = forms.CharField(
        label=gettext_lazy("Unit code"), max_length=32, help_text=gettext_lazy("The unit that owns the programme.")
    )
    leader_email = forms.EmailField(
        label=gettext_lazy("Leader's e-mail"),
        required=False,
        help_text=gettext_lazy("The programme leader, found by e-mail."),
    )


class ProgrammeImporter(Importer):
    kind = "programmes"
    title = gettext_lazy("Programmes")
    description = gettext_lazy(
        "Educational programmes. The same code, form of study and language updates the programme."
    )
    form_class = ProgrammeRow
    example = [
        "550100",
        "full_time",
        "Педагогикалык билим берүү",
        "Педагогическое образование",
        "Teacher education",
        "bachelor",
        "ky",
        "КГПИ-ПБ",
        "",
    ]

    def save_row(self, data) -> bool:
        unit = self.unit_by_code(data["unit_code"])
        leader = None
        if data["leader_email"]:
            leader = Person.objects.filter(institution=self.institution, email__iexact=data["leader_email"]).first()
            if leader is None:
                raise RowFailed({"leader_email": [_("No person with this e-mail.")]})
        programme = Programme.objects.filter(
            institution=self.institution, code=data["code"], study_form=data["study_form"], language=data["language"]
        ).first()
        created = programme is None
        programme = programme or Programme(institution=self.institution)
        programme.unit, programme.leader = unit, leader
        for name in ("code", "study_form", "name_ky", "name_ru", "name_en", "level", "language"):
            setattr(programme, name, data[name])
        services.programme_save(actor=self.actor, programme=programme)
        return created


class ContingentRow(RowForm):
    programme_code = forms.CharField(label=gettext_lazy("Programme code"), max_length=32)
    study_form = ChoiceColumn(gettext_lazy("Form of study"), StudyForm.choices)
    academic_year = forms.IntegerField(
        label=gettext_lazy("Academic year"),
        min_value=1990,
        max_value=2100,
        help_text=gettext_lazy("Its first calendar year: 2025 for 2025–2026."),
    )
    admitted = forms.IntegerField(label=gettext_lazy("Admitted"), min_value=0)
    enrolled = forms.IntegerField(label=gettext_lazy("Enrolled (total)"), min_value=0)
    graduated = forms.IntegerField(label=gettext_lazy("Graduated"), min_value=0)
    expelled = forms.IntegerField(label=gettext_lazy("Expelled or dropped out"), min_value=0)
    employed = forms.IntegerField(label=gettext_lazy("Employed graduates"), min_value=0, required=False)
    language = ChoiceColumn(
        gettext_lazy("Language of instruction"),
        TeachingLanguage.choices,
        required=False,
        help_text=gettext_lazy("Needed only when the same code and form are taught in several languages."),
    )

    def __init__(self, *args, data=None, **kwargs):
        # "2025-2026" and "2025–2026" read as 2025.
        if data and isinstance(data.get("academic_year"), str):
            match = re.match(r"^\s*(\d{4})", data["academic_year"])
            data = {**data, "academic_year": match.group(1) if match else data["academic_year"]}
        super().__init__(*args, data=data, **kwargs)


class ContingentImporter(Importer):
    kind = "contingent"
    title = gettext_lazy("Contingent figures")
    description = gettext_lazy(
        "Admitted, enrolled, graduated, expelled and employed per programme and academic "
        "year. A second row for the same programme and year corrects the figures."
    )
    form_class = ContingentRow
    example = ["550100", "full_time", "2025-2026", 50, 210, 45, 6, 38, ""]

    def save_row(self, data) -> bool:
        programmes = Programme.objects.filter(
            institution=self.institution, code=data["programme_code"], study_form=data["study_form"]
        )
        if data["language"]:
            programmes = programmes.filter(language=data["language"])
        programmes = list(programmes[:2])
        if not programmes:
            raise RowFailed({"programme_code": [_("No programme with this code and form of study.")]})
        if len(programmes) > 1:
            raise RowFailed({"language": [_("This code and form are taught in several languages: give the language.")]})
        programme = programmes[0]
        year = AcademicYear.objects.filter(institution=self.institution, start_year=data["academic_year"]).first()
        if year is None:
            raise RowFailed({"academic_year": [_("This academic year is not set up yet.")]})
        created = not ContingentFigure.objects.filter(programme=programme, academic_year=year).exists()
        figure = ContingentFigure(
            programme=programme,
            academic_year=year,
            **{k: data[k] for k in ("admitted", "enrolled", "graduated", "expelled", "employed")},
        )
        services.contingent_save(actor=self.actor, figure=figure)
        return created


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (UnitImporter, PersonImporter, ProgrammeImporter, ContingentImporter)
}


def register(importer_class: type[Importer]) -> type[Importer]:
    """Add another app's importer to the import pages (called from its AppConfig.ready(), so
    this module never imports the apps that build on it). Usable as a class decorator."""
    IMPORTERS[importer_class.kind] = importer_class
    return importer_class
