"""Serializers of the processes API: processes, quality objectives, indicators with their
targets and values, risks with their actions. Values of indicators are entered through
`services_indicators.value_enter`; processes (and their owners), objectives, risks and their
actions are written through the services the pages use (see "writes" below)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sapat.org import selectors as org_selectors
from sapat.org.api.serializers import (
    NAME_HELP,
    PROGRAMME_MISSING,
    ServiceSerializer,
    VisibleRelatedField,
    visible_person,
    visible_unit,
)
from sapat.org.models import Institution, Programme

from .. import selectors as process_selectors
from .. import selectors_risks as risk_selectors
from .. import services as process_services
from .. import services_policy as policy_services
from .. import services_risks as risk_services
from ..models import Process, ProcessOwnership
from ..models_indicators import Indicator, IndicatorLevel, IndicatorTarget, IndicatorValue
from ..models_policy import ObjectiveReview, ObjectiveStatus, QualityObjective
from ..models_risks import Risk, RiskAction, RiskLevel, RiskStatus
from ..selectors_indicators import indicators_for
from ..selectors_policy import objectives_for
from ..services_risks import scale_for

INDICATOR_MISSING = _("Indicator {value} does not exist or is outside what you may see.")
INDICATOR_AMBIGUOUS = _("Several indicators you may see have the code {value}: give the id.")


def choices_help(choices) -> str:
    return "One of: " + ", ".join(f'"{value}"' for value in choices.values) + "."


LEVEL_HELP = "On the institution's risk scale; null without a rating. " + choices_help(RiskLevel)


# --- processes --------------------------------------------------------------------------------


class UnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField(help_text=NAME_HELP)

    def get_name(self, obj) -> str:
        return obj.tr("name")


class OwnerSerializer(serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = ProcessOwnership
        fields = ["id", "person", "person_name", "position_title", "unit", "start_date", "end_date"]
        read_only_fields = fields

    def get_person_name(self, obj) -> str:
        return obj.person.full_name if obj.person_id else ""


class ProcessSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=NAME_HELP)
    short_name = serializers.CharField(read_only=True, help_text="The short name, or the full name if none.")
    current_owners = OwnerSerializer(many=True, read_only=True)
    units = UnitBriefSerializer(many=True, read_only=True, source="unit_list", help_text="Participating units.")

    class Meta:
        model = Process
        fields = [
            "id",
            "institution",
            "group",
            "code",
            "name",
            "name_ky",
            "name_ru",
            "name_en",
            "short_name",
            "purpose",
            "resources",
            "is_active",
            "current_owners",
            "units",
        ]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        return obj.tr("name")


# --- objectives -------------------------------------------------------------------------------


class ObjectiveReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectiveReview
        fields = ["year", "achieved_percent", "comment"]
        read_only_fields = fields


class ObjectiveSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text=NAME_HELP)
    processes = serializers.SerializerMethodField()
    reviews = ObjectiveReviewSerializer(many=True, read_only=True, source="review_list")
    status = serializers.CharField(read_only=True, help_text=choices_help(ObjectiveStatus))

    class Meta:
        model = QualityObjective
        fields = [
            "id",
            "institution",
            "unit",
            "parent",
            "code",
            "title",
            "title_ky",
            "title_ru",
            "title_en",
            "start_year",
            "end_year",
            "responsible",
            "status",
            "processes",
            "reviews",
        ]
        read_only_fields = fields

    def get_processes(self, obj) -> list[int]:
        return [process.pk for process in obj.process_list]


# --- indicators -------------------------------------------------------------------------------


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "period", "target", "warning"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text=NAME_HELP)
    targets = TargetSerializer(many=True, read_only=True, source="target_list")
    level = serializers.CharField(read_only=True, help_text=choices_help(IndicatorLevel))

    class Meta:
        model = Indicator
        fields = [
            "id",
            "institution",
            "code",
            "name",
            "name_ky",
            "name_ru",
            "name_en",
            "unit_of_measure",
            "direction",
            "level",
            "frequency",
            "computation",
            "min_value",
            "max_value",
            "responsible",
            "objective",
            "process",
            "targets",
        ]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        return obj.tr("name")


class IndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "year", "period", "unit", "programme", "value", "comment", "source", "entered_at"]
        read_only_fields = fields


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class IndicatorRef(serializers.Field):
    """An indicator the user may see, given by its id or by its code."""

    default_error_messages = {"missing": INDICATOR_MISSING, "ambiguous": INDICATOR_AMBIGUOUS}

    def to_internal_value(self, data):
        visible = indicators_for(self.context["request"].user)
        if isinstance(data, bool) or not isinstance(data, int | str) or str(data).strip() == "":
            self.fail("missing", value=data)
        text = str(data).strip()
        if isinstance(data, int) or text.isdigit():
            indicator = visible.filter(pk=int(text)).first()
            if indicator is not None:
                return indicator
        found = list(visible.filter(code=text)[:2])
        if len(found) > 1:
            self.fail("ambiguous", value=text)
        if not found:
            self.fail("missing", value=text)
        return found[0]

    def to_representation(self, value):
        return value.pk


class IndicatorValueInputSerializer(serializers.Serializer):
    indicator = IndicatorRef(help_text="The indicator's id, or its code.")
    year = serializers.IntegerField(help_text="The academic year's start year, e.g. 2024.")
    period = serializers.IntegerField(
        required=False,
        default=0,
        help_text="0 for a yearly indicator; the semester (1–2), quarter (1–4) or month (1–12) otherwise.",
    )
    unit = visible_unit(required=False, allow_null=True, help_text="The unit; the programme's unit if not given.")
    programme = VisibleRelatedField(
        model=Programme,
        selector=org_selectors.programmes_for,
        missing_message=PROGRAMME_MISSING,
        required=False,
        allow_null=True,
    )
    value = serializers.CharField(help_text='A number, e.g. 12.5 or "12,5".')
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BulkErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the list, from 0.")
    field = serializers.CharField()
    message = serializers.CharField()


class BulkErrorsSerializer(serializers.Serializer):
    errors = BulkErrorSerializer(many=True)


# --- risks ------------------------------------------------------------------------------------


class RiskActionSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = RiskAction
        fields = ["id", "description", "owner", "deadline", "done_on", "is_overdue"]
        read_only_fields = fields


class RiskSerializer(serializers.ModelSerializer):
    rating = serializers.IntegerField(read_only=True, help_text="Likelihood times impact.")
    level = serializers.SerializerMethodField()
    residual_rating = serializers.IntegerField(read_only=True, allow_null=True)
    residual_level = serializers.SerializerMethodField()
    actions = RiskActionSerializer(many=True, read_only=True, source="action_list")
    status = serializers.CharField(read_only=True, help_text=choices_help(RiskStatus))

    class Meta:
        model = Risk
        fields = [
            "id",
            "institution",
            "kind",
            "code",
            "process",
            "unit",
            "title",
            "cause",
            "consequence",
            "likelihood",
            "impact",
            "rating",
            "level",
            "residual_likelihood",
            "residual_impact",
            "residual_rating",
            "residual_level",
            "owner",
            "review_date",
            "status",
            "actions",
        ]
        read_only_fields = fields

    def _scale(self, obj):
        """One scale per institution for the whole response."""
        scales = self.context.setdefault("risk_scales", {})
        if obj.institution_id not in scales:
            scales[obj.institution_id] = scale_for(obj.institution_id)
        obj.scale = scales[obj.institution_id]
        return obj.scale

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=LEVEL_HELP))
    def get_level(self, obj):
        return self._scale(obj).level(obj.rating)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text=LEVEL_HELP))
    def get_residual_level(self, obj):
        return self._scale(obj).level(obj.residual_rating)


# --- query parameters -------------------------------------------------------------------------


class InstitutionFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search in codes and names.")


class RiskActionFilterSerializer(serializers.Serializer):
    risk = serializers.IntegerField(required=False, min_value=1, help_text="Only the actions of this risk.")


class ValueFilterSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(required=False, min_value=1, help_text="Only this indicator.")
    year = serializers.IntegerField(required=False, min_value=1, help_text="Only this academic year (start year).")
    period = serializers.IntegerField(
        required=False, min_value=0, max_value=12, help_text="Only this period (0 the whole year)."
    )
    unit = serializers.IntegerField(required=False, min_value=1, help_text="Only values of this unit.")


# --- writes -----------------------------------------------------------------------------------
# Input only: each is answered with the reading serializer above. Ids are accepted only for
# records the user may see; the service then checks the permission where the record goes,
# validates it (errors name the field) and writes the audit log.

INSTITUTION_MISSING = _("Institution {pk_value} does not exist or is outside what you may see.")
PROCESS_MISSING = _("Process {pk_value} does not exist or is outside what you may see.")
OBJECTIVE_MISSING = _("Objective {pk_value} does not exist or is outside what you may see.")
RISK_MISSING = _("Risk {pk_value} does not exist or is outside what you may see.")


def visible_institution(**kwargs):
    return VisibleRelatedField(
        model=Institution, selector=org_selectors.institutions_for, missing_message=INSTITUTION_MISSING, **kwargs
    )


def visible_process(**kwargs):
    return VisibleRelatedField(
        model=Process, selector=process_selectors.processes_for, missing_message=PROCESS_MISSING, **kwargs
    )


class LinkedServiceSerializer(ServiceSerializer):
    """A service serializer whose many-to-many fields (`links`) go to the service as
    arguments (None when not sent: the links stay as they are)."""

    links: tuple[str, ...] = ()

    def _split(self, validated_data):
        return {name: validated_data.pop(name, None) for name in self.links}

    def create(self, validated_data):
        links = self._split(validated_data)
        return self.save_with_service(self.Meta.model(**validated_data), creating=True, **links)

    def update(self, instance, validated_data):
        links = self._split(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self.save_with_service(instance, creating=False, **links)

    def institution_fixed(self, attrs):
        self.unchanged(attrs, "institution")
        if self.instance is None and attrs.get("institution") is None:
            raise serializers.ValidationError({"institution": _("Name the institution.")})


class ProcessWriteSerializer(LinkedServiceSerializer):
    institution = visible_institution(required=False, help_text="Required for a new process; fixed afterwards.")
    units = visible_unit(many=True, required=False, help_text="Participating units; replaces the list when sent.")
    links = ("units",)

    class Meta:
        model = Process
        fields = [
            "institution",
            "group",
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "short_name_ky",
            "short_name_ru",
            "short_name_en",
            "purpose",
            "resources",
            "is_active",
            "units",
        ]
        validators = []  # the code's uniqueness is checked by the model's clean(), which names the field

    def validate(self, attrs):
        self.institution_fixed(attrs)
        return attrs

    def save_with_service(self, instance, *, creating, units=None):
        return process_services.process_save(actor=self.actor, process=instance, units=units)


class OwnerInputSerializer(serializers.ModelSerializer):
    person = visible_person(required=False, allow_null=True, help_text="A person of the process's institution.")
    unit = visible_unit(required=False, allow_null=True, help_text="The owning unit, if the register names one.")

    class Meta:
        model = ProcessOwnership
        fields = ["person", "position_title", "unit", "start_date"]
        extra_kwargs = {"position_title": {"help_text": "The person's current post when not given."}}


class OwnerEndSerializer(serializers.Serializer):
    owner = serializers.IntegerField(help_text="The id of a current owner of this process.")
    end_date = serializers.DateField(required=False, help_text="Today if not given.")


class ObjectiveWriteSerializer(LinkedServiceSerializer):
    unit = visible_unit(help_text="The unit whose objective it is; the institution follows from it.")
    parent = VisibleRelatedField(
        model=QualityObjective,
        selector=objectives_for,
        missing_message=OBJECTIVE_MISSING,
        required=False,
        allow_null=True,
        help_text="The objective above (required below the top unit).",
    )
    responsible = visible_person(required=False, allow_null=True)
    processes = visible_process(many=True, required=False, help_text="Replaces the list when sent.")
    links = ("processes",)

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
            "responsible",
            "status",
            "processes",
        ]
        extra_kwargs = {"code": {"help_text": "Given from the cascade (e.g. 1.2.3) when empty."}}
        validators = []

    def save_with_service(self, instance, *, creating, processes=None):
        return policy_services.objective_save(actor=self.actor, objective=instance, processes=processes)


class RiskWriteSerializer(ServiceSerializer):
    institution = visible_institution(
        required=False, help_text="Taken from the unit or the process when not given; fixed afterwards."
    )
    process = visible_process(required=False, allow_null=True)
    unit = visible_unit(required=False, allow_null=True)
    owner = visible_person(required=False, allow_null=True)

    class Meta:
        model = Risk
        fields = [
            "institution",
            "kind",
            "process",
            "unit",
            "title",
            "cause",
            "consequence",
            "likelihood",
            "impact",
            "owner",
            "review_date",
            "status",
            "residual_likelihood",
            "residual_impact",
        ]
        extra_kwargs = {
            "likelihood": {"help_text": "A level of the institution's scale, from 1."},
            "impact": {"help_text": "A level of the institution's scale, from 1."},
        }
        validators = []

    def validate(self, attrs):
        if self.instance is None and attrs.get("institution") is None:
            source = attrs.get("unit") or attrs.get("process")
            if source is None:
                raise serializers.ValidationError(
                    {"unit": _("Name the process or the unit the risk belongs to (or both).")}
                )
            attrs["institution"] = source.institution
        self.unchanged(attrs, "institution")
        return attrs

    def save_with_service(self, instance, *, creating):
        return risk_services.risk_save(actor=self.actor, risk=instance)


class RiskActionDetailSerializer(RiskActionSerializer):
    class Meta(RiskActionSerializer.Meta):
        fields = ["id", "risk", *RiskActionSerializer.Meta.fields[1:]]
        read_only_fields = fields


class RiskActionWriteSerializer(ServiceSerializer):
    risk = VisibleRelatedField(
        model=Risk, selector=risk_selectors.risks_for, missing_message=RISK_MISSING, help_text="Fixed afterwards."
    )
    owner = visible_person(required=False, allow_null=True)

    class Meta:
        model = RiskAction
        fields = ["risk", "description", "owner", "deadline"]

    def validate(self, attrs):
        self.unchanged(attrs, "risk")
        return attrs

    def save_with_service(self, instance, *, creating):
        if creating:
            return risk_services.action_add(actor=self.actor, action=instance)
        return risk_services.action_save(actor=self.actor, action=instance)


class ActionDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, help_text="Today if not given.")
