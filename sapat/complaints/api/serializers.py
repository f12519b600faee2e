"""Serializers of the complaints API. Contacts of the sender appear only on complaints that
were not sent anonymously (the anonymous ones have none to show)."""

from rest_framework import serializers

from sapat.org.api.serializers import visible_unit

from ..choices import Category, Kind, MessageKind, Status, Submitter
from ..models import TEXT_MAX, Complaint, ComplaintMessage


class MessageSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MessageKind.choices, read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default=None)

    class Meta:
        model = ComplaintMessage
        fields = ["id", "kind", "text", "author", "created_at"]


class ComplaintSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    submitter_type = serializers.ChoiceField(choices=Submitter.choices, read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    messages = MessageSerializer(many=True, read_only=True, source="message_list")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "institution",
            "kind",
            "submitter_type",
            "category",
            "subject",
            "text",
            "concerns_unit",
            "anonymous",
            "contact_name",
            "contact_email",
            "contact_phone",
            "status",
            "unit",
            "routed_at",
            "due_on",
            "is_overdue",
            "answer",
            "answered_at",
            "created_at",
            "messages",
        ]
        read_only_fields = fields


class RouteSerializer(serializers.Serializer):
    unit = visible_unit(help_text="The unit that must answer; of the complaint's institution.")
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=TEXT_MAX, help_text="What the sender sees on the tracking page.")
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)


class ComplaintFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    unit = serializers.IntegerField(required=False)
    overdue = serializers.BooleanField(required=False)
