from rest_framework import serializers

from sapat.processes.api.serializers import choices_help

from ..choices import CampaignStatus, QuestionKind, Stakeholder
from ..models import Campaign, Question, Questionnaire


class QuestionSerializer(serializers.ModelSerializer):
    section = serializers.JSONField(source="section.title", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=choices_help(QuestionKind))

    class Meta:
        model = Question
        fields = [
            "code",
            "kind",
            "section",
            "text",
            "required",
            "options",
            "allow_other",
            "items",
            "scale_labels",
            "min_value",
            "max_value",
            "show_if_code",
            "show_if_values",
        ]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    stakeholder = serializers.CharField(read_only=True, help_text=choices_help(Stakeholder))

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "institution",
            "key",
            "version",
            "name_ky",
            "name_ru",
            "name_en",
            "stakeholder",
            "per_teaching_slot",
            "questions",
        ]


class CampaignSerializer(serializers.ModelSerializer):
    audience = serializers.CharField(read_only=True, help_text=choices_help(Stakeholder))
    status = serializers.CharField(read_only=True, help_text=choices_help(CampaignStatus))

    class Meta:
        model = Campaign
        fields = [
            "id",
            "institution",
            "unit",
            "questionnaire",
            "title",
            "starts_on",
            "ends_on",
            "audience",
            "status",
            "min_group_size",
            "open_link",
            "previous",
        ]


class TokensRequestSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=2000, required=False, allow_null=True)


class TokensSerializer(serializers.Serializer):
    issued = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField())


class StatSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.code")
    item = serializers.IntegerField()
    answers = serializers.IntegerField(source="n")
    mean = serializers.FloatField(allow_null=True)
    median = serializers.IntegerField(allow_null=True)
    positive_share = serializers.IntegerField(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    compare = serializers.DictField(child=serializers.FloatField())


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    hidden = serializers.BooleanField()
    respondents = serializers.SerializerMethodField()
    stats = StatSerializer(many=True)

    def get_respondents(self, group) -> int | None:
        return None if group.hidden else group.respondents


class ResultsSerializer(serializers.Serializer):
    min_group_size = serializers.IntegerField(source="min_n")
    by = serializers.CharField(allow_null=True)
    overall = GroupSerializer()
    groups = GroupSerializer(many=True)
