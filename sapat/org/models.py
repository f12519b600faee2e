from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sapat.core.models import TimeStamped, Trilingual

from .choices import (
    AcademicTitle,
    Degree,
    Gender,
    InstitutionKind,
    Post,
    ProgrammeLevel,
    Role,
    SemesterKind,
    StaffCategory,
    StudyForm,
    TeachingLanguage,
    UnitType,
)


def trilingual_names(max_length=300, blank_other=True):
    return (
        models.CharField(_("name in Kyrgyz"), max_length=max_length),
        models.CharField(_("name in Russian"), max_length=max_length, blank=blank_other),
        models.CharField(_("name in English"), max_length=max_length, blank=blank_other),
    )


def validate_people(record, fields) -> None:
    """The people a record names (head, leader …) must work in its institution, now."""
    errors = {}
    for field in fields:
        person = getattr(record, field)
        if person is None:
            continue
        if person.institution_id != record.institution_id:
            errors[field] = _("The person belongs to another institution.")
        elif person.left_on and person.left_on <= timezone.localdate():
            errors[field] = _("This person has left the institution.")
    if errors:
        raise ValidationError(errors)


class Institution(Trilingual, TimeStamped):
    """A university or college. Its structure hangs below its root unit."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    name_ky, name_ru, name_en = trilingual_names()
    short_name_ky = models.CharField(_("short name in Kyrgyz"), max_length=40)
    short_name_ru = models.CharField(_("short name in Russian"), max_length=40, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["code"]

    def __str__(self):
        return self.tr("short_name")

    def audit_unit_id(self):
        return self.units.filter(parent__isnull=True).values_list("pk", flat=True).first()


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)


class Unit(Trilingual, TimeStamped):
    """A node of the institution's structure. `path` ("/1/4/9/") is the chain of ids from
    the root, so "this unit and everything below it" is one indexed prefix query."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    unit_type = models.CharField(_("type"), max_length=32, choices=UnitType.choices)
    code = models.CharField(_("code"), max_length=32)
    name_ky, name_ru, name_en = trilingual_names()
    head = models.ForeignKey(
        "Person", verbose_name=_("head"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quality_responsible = models.ForeignKey(
        "Person",
        verbose_name=_("responsible for quality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="unit_code_unique_in_institution"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(opened_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="unit_closed_after_opened",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("unit_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def clean(self):
        if self.parent_id and self.parent.institution_id != self.institution_id:
            raise ValidationError({"parent": _("The parent unit belongs to another institution.")})
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("A unit cannot close before it opened.")})
        if (
            self.code
            and type(self)
            .objects.filter(institution_id=self.institution_id, code=self.code)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"code": _("This code is already used in the institution.")})
        validate_people(self, ("head", "quality_responsible"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)
            if old:
                # A move: every descendant's path gets the new prefix.
                type(self).objects.filter(path__startswith=old).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(old) + 1))
                )


class Person(TimeStamped):
    """A member of staff (or an outside member of a council). An account may be linked."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="people"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("main unit"),
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("The unit whose records this person belongs to."),
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    staff_category = models.CharField(_("staff category"), max_length=24, choices=StaffCategory.choices)
    degree = models.CharField(_("academic degree"), max_length=16, choices=Degree.choices, blank=True)
    academic_title = models.CharField(_("academic title"), max_length=24, choices=AcademicTitle.choices, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "middle_name"]
        indexes = [models.Index(fields=["institution", "last_name"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.middle_name) if part)
        return f"{self.last_name} {initials}".strip()

    def clean(self):
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})


class PositionQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on) | Q(start_date__isnull=True)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Position(TimeStamped):
    """A person's post in a unit over a period; ended positions stay as history."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    post = models.CharField(_("post"), max_length=32, choices=Post.choices)
    title = models.CharField(_("title as in the order"), max_length=300, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_post_display()

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.person_id and self.unit_id and self.person.institution_id != self.unit.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})


class RoleAssignment(TimeStamped):
    """A permission role held by an account in a unit: it applies to that unit and
    everything below it. Analysts hold theirs with no unit (every institution)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user_id", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(role=Role.ANALYST), name="role_needs_unit_unless_analyst"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=False) | ~Q(role=Role.EXPERT), name="expert_role_is_time_boxed"
            ),
        ]

    def __str__(self):
        where = self.unit.name if self.unit_id else _("all institutions")
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self):
        if self.role != Role.ANALYST and not self.unit_id:
            raise ValidationError({"unit": _("Choose the unit in which the role is held.")})
        if self.role == Role.EXPERT and not self.valid_until:
            raise ValidationError({"valid_until": _("An external expert's access must have an end date.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date is before the start date.")})


class AcademicYear(TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="academic_years"
    )
    start_year = models.PositiveSmallIntegerField(_("first calendar year"))
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "start_year"], name="academic_year_unique"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="academic_year_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.start_year}–{self.start_year + 1}"

    @property
    def is_current(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date

    def audit_unit_id(self):
        return self.institution.audit_unit_id()

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class Semester(TimeStamped):
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.CASCADE, related_name="semesters"
    )
    kind = models.CharField(_("semester"), max_length=16, choices=SemesterKind.choices)
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "kind"], name="semester_unique_in_year"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="semester_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.academic_year}"

    def audit_unit_id(self):
        return self.academic_year.audit_unit_id()

    def clean(self):
        if not (self.start_date and self.end_date and self.academic_year_id):
            return
        if self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        year = self.academic_year
        if self.start_date < year.start_date or self.end_date > year.end_date:
            raise ValidationError(_("The semester must lie within its academic year."))


class Programme(Trilingual, TimeStamped):
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="programmes"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="programmes")
    code = models.CharField(_("code"), max_length=32)
    name_ky, name_ru, name_en = trilingual_names()
    level = models.CharField(_("level"), max_length=16, choices=ProgrammeLevel.choices)
    study_form = models.CharField(_("form of study"), max_length=16, choices=StudyForm.choices)
    language = models.CharField(_("language of instruction"), max_length=8, choices=TeachingLanguage.choices)
    leader = models.ForeignKey(
        Person,
        verbose_name=_("programme leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_programmes",
    )
    is_active = models.BooleanField(_("admits students"), default=True)

    class Meta:
        verbose_name = _("educational programme")
        verbose_name_plural = _("educational programmes")
        ordering = ["code", "study_form"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "code", "study_form", "language"], name="programme_unique_in_institution"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("programme_detail", args=[self.pk])

    def clean(self):
        if self.unit_id and self.institution_id and self.unit.institution_id != self.institution_id:
            raise ValidationError({"unit": _("The unit belongs to another institution.")})
        if (
            self.code
            and type(self)
            .objects.filter(
                institution_id=self.institution_id, code=self.code, study_form=self.study_form, language=self.language
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"code": _("A programme with this code, form of study and language already exists.")})
        validate_people(self, ("leader",))


class StudentGroup(TimeStamped):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("group"), max_length=40)
    admission_year = models.PositiveSmallIntegerField(_("year of admission"))
    student_count = models.PositiveIntegerField(_("number of students"), default=0)
    is_active = models.BooleanField(_("studying"), default=True)

    class Meta:
        verbose_name = _("student group")
        verbose_name_plural = _("student groups")
        ordering = ["-admission_year", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="group_name_unique_in_programme")]

    def __str__(self):
        return self.name

    def audit_unit_id(self):
        return self.programme.unit_id


class ContingentFigure(TimeStamped):
    """A programme's student numbers for one academic year; indicators are computed from them."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="contingent"
    )
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="contingent"
    )
    admitted = models.PositiveIntegerField(_("admitted"))
    enrolled = models.PositiveIntegerField(_("enrolled (total)"))
    graduated = models.PositiveIntegerField(_("graduated"))
    expelled = models.PositiveIntegerField(_("expelled or dropped out"))
    employed = models.PositiveIntegerField(_("employed graduates"), null=True, blank=True)

    class Meta:
        verbose_name = _("contingent figures")
        verbose_name_plural = _("contingent figures")
        ordering = ["programme_id", "-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "academic_year"], name="contingent_once_per_year"),
            models.CheckConstraint(
                condition=Q(employed__isnull=True) | Q(employed__lte=F("graduated")),
                name="contingent_employed_within_graduated",
            ),
        ]

    def __str__(self):
        return f"{self.programme.code} {self.academic_year}"

    def audit_unit_id(self):
        return self.programme.unit_id

    def clean(self):
        if self.employed is not None and self.graduated is not None and self.employed > self.graduated:
            raise ValidationError({"employed": _("There cannot be more employed graduates than graduates.")})
        if (
            self.programme_id
            and self.academic_year_id
            and self.programme.institution_id != self.academic_year.institution_id
        ):
            raise ValidationError({"academic_year": _("The academic year belongs to another institution.")})
