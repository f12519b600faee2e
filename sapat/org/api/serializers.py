"""Serializers of the organisation API.

Foreign keys are ids, and an id is only accepted if the requesting user may see that
record (the choices come from `sapat.org.selectors`, per request); anything else is
answered as "does not exist". Saving never happens here directly: `create` and `update`
hand the record to the service of `sapat.org.services`, which checks the permission
where the record goes, validates it and writes the audit log."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors, services
from ..choices import ProgrammeLevel, StaffCategory, StudyForm
from ..models import AcademicYear, ContingentFigure, Institution, Person, Position, Programme, Semester, Unit

UNIT_MISSING = _("Unit {pk_value} does not exist or is outside what you may see.")
PERSON_MISSING = _("Person {pk_value} does not exist or is outside what you may see.")
PROGRAMME_MISSING = _("Programme {pk_value} does not exist or is outside what you may see.")
YEAR_MISSING = _("Academic year {pk_value} does not exist or is outside what you may see.")
NAME_HELP = "The name in the account's interface language, falling back to Kyrgyz."


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of a record the requesting user may see, looked up in `selector(user)`."""

    def __init__(self, *, model, selector, missing_message, **kwargs):
        self.selector = selector
        kwargs["error_messages"] = {**kwargs.get("error_messages", {}), "does_not_exist": missing_message}
        # Never used for lookups (get_queryset below is); it tells the schema the id's type.
        kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.queryset
        return self.selector(request.user)


def visible_unit(**kwargs):
    return VisibleRelatedField(model=Unit, selector=selectors.units_for, missing_message=UNIT_MISSING, **kwargs)


def visible_person(**kwargs):
    return VisibleRelatedField(model=Person, selector=selectors.people_for, missing_message=PERSON_MISSING, **kwargs)


class ServiceSerializer(serializers.ModelSerializer):
    """A model serializer whose writes go through a service function."""

    @property
    def actor(self):
        return self.context["request"].user

    def save_with_service(self, instance, *, creating: bool):
        raise NotImplementedError

    def create(self, validated_data):
        return self.save_with_service(self.Meta.model(**validated_data), creating=True)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_with_service(instance, creating=False)

    def unchanged(self, attrs, field):
        """Refuse a change of `field` on an existing record."""
        if self.instance is not None and field in attrs and attrs[field] != getattr(self.instance, field):
            raise serializers.ValidationError({field: _("This cannot be changed once the record exists.")})

    def open_unit(self, attrs, field="unit"):
        """A closed unit gets no new records (an existing record may stay where it is)."""
        unit = attrs.get(field)
        if unit is None or (self.instance is not None and getattr(self.instance, f"{field}_id") == unit.pk):
            return
        if not unit.is_active:
            raise serializers.ValidationError({field: _("This unit is closed.")})


# --- institutions and units ---------------------------------------------------------------


class InstitutionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    short_name = serializers.SerializerMethodField(help_text=NAME_HELP)

    class Meta:
        model = Institution
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "name_ky",
            "name_ru",
            "name_en",
            "short_name",
            "short_name_ky",
            "short_name_ru",
            "short_name_en",
        ]
        read_only_fields = fields

    def get_short_name(self, obj) -> str:
        return obj.tr("short_name")


class UnitSerializer(ServiceSerializer):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    parent = visible_unit(
        allow_null=True,
        required=False,
        help_text="The unit this one belongs to. Required for a new unit; the top unit has none.",
    )
    head = visible_person(allow_null=True, required=False, help_text="A person of the same institution.")
    quality_responsible = visible_person(allow_null=True, required=False, help_text="A person of the same institution.")
    depth = serializers.IntegerField(read_only=True, help_text="0 for the institution's top unit.")
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "institution",
            "parent",
            "path",
            "depth",
            "unit_type",
            "code",
            "name",
            "name_ky",
            "name_ru",
            "name_en",
            "head",
            "quality_responsible",
            "opened_on",
            "closed_on",
            "is_active",
        ]
        read_only_fields = ["institution", "path", "closed_on"]
        extra_kwargs = {
            "institution": {"help_text": "Taken from the parent unit."},
            "path": {"help_text": 'The chain of ids from the top unit, e.g. "/1/4/9/".'},
            "closed_on": {"help_text": "Set with the close action."},
        }
        validators = []  # uniqueness is checked by the model's clean(), which names the field

    def save_with_service(self, instance, *, creating):
        if creating:
            return services.unit_create(actor=self.actor, unit=instance)
        return services.unit_update(actor=self.actor, unit=instance)


class UnitCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(required=False, help_text="Today if not given.")


# --- people and positions ------------------------------------------------------------------


class PositionBriefSerializer(serializers.ModelSerializer):
    display_title = serializers.CharField(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "unit", "post", "title", "display_title", "start_date", "end_date"]
        read_only_fields = fields


class PersonSerializer(ServiceSerializer):
    unit = visible_unit(help_text="The unit whose records this person belongs to.")
    full_name = serializers.CharField(read_only=True)
    has_account = serializers.SerializerMethodField()
    current_positions = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "institution",
            "unit",
            "last_name",
            "first_name",
            "middle_name",
            "full_name",
            "gender",
            "email",
            "phone",
            "staff_category",
            "degree",
            "academic_title",
            "left_on",
            "has_account",
            "current_positions",
        ]
        read_only_fields = ["institution"]
        extra_kwargs = {"institution": {"help_text": "Taken from the unit."}}

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None

    @extend_schema_field(PositionBriefSerializer(many=True))
    def get_current_positions(self, obj):
        positions = getattr(obj, "current_positions", None)  # prefetched on lists
        if positions is None:
            positions = Position.objects.current().filter(person=obj) if obj.pk else []
        return PositionBriefSerializer(positions, many=True, context=self.context).data

    def validate(self, attrs):
        self.open_unit(attrs)
        return attrs

    def save_with_service(self, instance, *, creating):
        return services.person_save(actor=self.actor, person=instance)


class PositionSerializer(ServiceSerializer):
    person = visible_person(help_text="Fixed once the position exists.")
    unit = visible_unit()
    display_title = serializers.CharField(read_only=True, help_text="The title, or the post's name if none.")
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "person", "unit", "post", "title", "display_title", "start_date", "end_date", "is_current"]

    def validate(self, attrs):
        self.unchanged(attrs, "person")
        return attrs

    def save_with_service(self, instance, *, creating):
        return services.position_save(actor=self.actor, position=instance)


class PositionEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(required=False, help_text="Today if not given.")


# --- programmes, academic years, contingent ------------------------------------------------


class ProgrammeSerializer(ServiceSerializer):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    unit = visible_unit(help_text="The owning unit.")
    leader = visible_person(allow_null=True, required=False, help_text="A person of the same institution.")

    class Meta:
        model = Programme
        fields = [
            "id",
            "institution",
            "unit",
            "code",
            "name",
            "name_ky",
            "name_ru",
            "name_en",
            "level",
            "study_form",
            "language",
            "leader",
            "is_active",
        ]
        read_only_fields = ["institution"]
        extra_kwargs = {"institution": {"help_text": "Taken from the owning unit."}}
        validators = []  # uniqueness is checked by the model's clean(), which names the field

    def validate(self, attrs):
        self.open_unit(attrs)
        return attrs

    def save_with_service(self, instance, *, creating):
        return services.programme_save(actor=self.actor, programme=instance)


class SemesterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Semester
        fields = ["id", "kind", "start_date", "end_date"]
        read_only_fields = fields


class AcademicYearSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True, help_text='e.g. "2024–2025"')
    is_current = serializers.BooleanField(read_only=True)
    semesters = SemesterSerializer(many=True, read_only=True)

    class Meta:
        model = AcademicYear
        fields = ["id", "institution", "start_year", "label", "start_date", "end_date", "is_current", "semesters"]
        read_only_fields = fields


class ContingentFigureSerializer(ServiceSerializer):
    programme = VisibleRelatedField(
        model=Programme,
        selector=selectors.programmes_for,
        missing_message=PROGRAMME_MISSING,
        help_text="Fixed once the figures exist.",
    )
    academic_year = VisibleRelatedField(
        model=AcademicYear,
        selector=selectors.academic_years_for,
        missing_message=YEAR_MISSING,
        help_text="Fixed once the figures exist.",
    )
    start_year = serializers.IntegerField(source="academic_year.start_year", read_only=True)

    class Meta:
        model = ContingentFigure
        fields = [
            "id",
            "programme",
            "academic_year",
            "start_year",
            "admitted",
            "enrolled",
            "graduated",
            "expelled",
            "employed",
        ]
        # One row per programme and year: posting figures for a year that has them
        # corrects that row (as contingent_save does) instead of failing.
        validators = []

    def validate(self, attrs):
        self.unchanged(attrs, "programme")
        self.unchanged(attrs, "academic_year")
        return attrs

    def create(self, validated_data):
        self.replaced = ContingentFigure.objects.filter(
            programme=validated_data["programme"], academic_year=validated_data["academic_year"]
        ).exists()
        return super().create(validated_data)

    def save_with_service(self, instance, *, creating):
        return services.contingent_save(actor=self.actor, figure=instance)


# --- query parameters of the lists ---------------------------------------------------------


class SearchFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search in codes and names.")


class OrgFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    unit = serializers.IntegerField(required=False, min_value=1, help_text="Only this unit and the units below it.")
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search in codes and names.")


class UnitFilterSerializer(OrgFilterSerializer):
    parent = serializers.IntegerField(required=False, min_value=1, help_text="Only the direct sub-units.")
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: open units only; false: closed only."
    )


class PersonFilterSerializer(OrgFilterSerializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search in names and e-mail.")
    staff_category = serializers.ChoiceField(choices=StaffCategory.choices, required=False)


class PositionFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Only positions in this unit and the units below it."
    )
    person = serializers.IntegerField(required=False, min_value=1, help_text="Only this person's positions.")
    current = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: positions held today only."
    )


class ProgrammeFilterSerializer(OrgFilterSerializer):
    level = serializers.ChoiceField(choices=ProgrammeLevel.choices, required=False)
    study_form = serializers.ChoiceField(choices=StudyForm.choices, required=False)
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: programmes that admit students."
    )


class AcademicYearFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")


class ContingentFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Only programmes of this unit and the units below it."
    )
    programme = serializers.IntegerField(required=False, min_value=1)
    academic_year = serializers.IntegerField(required=False, min_value=1)
