from rest_framework import serializers

from sapat.org.models import Institution, Programme

from ..models_frameworks import Criterion, CriterionGroup, CriterionMapping, Framework, FrameworkLevel
from ..models_register import Accreditation, AccreditationEvent

TEXT = ("ky", "ru", "en")


def texts(obj, field):
    return {lang: getattr(obj, f"{field}_{lang}") for lang in TEXT}


class LevelSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkLevel
        fields = ["key", "rank", "name"]

    def get_name(self, obj) -> dict:
        return texts(obj, "name")


class CriterionSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField(
        help_text="Descriptor of each level by key; a level the source leaves empty is absent."
    )
    elements = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = ["id", "code", "title", "levels", "elements"]

    def get_title(self, obj) -> dict:
        return texts(obj, "title")

    def get_levels(self, obj) -> dict:
        return {d.level.key: texts(d, "text") for d in obj.descriptors.all()}

    def get_elements(self, obj) -> list:
        return [texts(e, "text") for e in obj.elements.all()]


class CriterionGroupSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriterionGroup
        fields = ["code", "name", "criteria"]

    def get_name(self, obj) -> dict:
        return texts(obj, "name")


class FrameworkSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    shipped = serializers.BooleanField(source="is_shipped", read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "code", "version", "kind", "name", "source", "shipped", "institution"]

    def get_name(self, obj) -> dict:
        return texts(obj, "name")


class FrameworkDetailSerializer(FrameworkSerializer):
    levels = LevelSerializer(many=True, read_only=True)
    groups = CriterionGroupSerializer(many=True, read_only=True)

    class Meta(FrameworkSerializer.Meta):
        fields = FrameworkSerializer.Meta.fields + ["levels", "groups"]


class MappingSerializer(serializers.ModelSerializer):
    source_code = serializers.CharField(source="source.code", read_only=True)
    source_framework = serializers.CharField(source="source.framework.code", read_only=True)
    target_code = serializers.CharField(source="target.code", read_only=True)
    target_framework = serializers.CharField(source="target.framework.code", read_only=True)

    class Meta:
        model = CriterionMapping
        fields = [
            "id",
            "institution",
            "source",
            "source_framework",
            "source_code",
            "target",
            "target_framework",
            "target_code",
            "coverage",
            "note",
        ]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccreditationEvent
        fields = ["id", "kind", "date", "order_number", "ends_on", "note"]
        read_only_fields = ["ends_on"]


class AccreditationSerializer(serializers.ModelSerializer):
    events = EventSerializer(many=True, read_only=True)
    standing = serializers.SerializerMethodField(help_text="refused, suspended, terminated, expired or in_force")
    application_due = serializers.DateField(read_only=True)

    class Meta:
        model = Accreditation
        fields = [
            "id",
            "institution",
            "kind",
            "programme",
            "agency",
            "decision_date",
            "decision_number",
            "result",
            "certificate_number",
            "valid_from",
            "valid_until",
            "state",
            "standing",
            "application_due",
            "note",
            "events",
        ]
        read_only_fields = ["state"]

    def get_standing(self, obj) -> str:
        return obj.standing()


class AccreditationWriteSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all())
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Accreditation
        fields = [
            "institution",
            "kind",
            "programme",
            "agency",
            "decision_date",
            "decision_number",
            "result",
            "certificate_number",
            "valid_from",
            "valid_until",
            "note",
        ]
        validators = []
