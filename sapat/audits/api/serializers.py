"""Serializers of the audits API: programmes with their versions and entries, audits with
their checklist, findings. Reading only; the workflow steps take small inputs below and go
through the services."""

from rest_framework import serializers

from ..choices import Answer, AuditState, VersionState
from ..models import Audit, AuditProgramme, ChecklistItem, Finding, ProgrammeEntry, ProgrammeVersion


def choices_help(choices) -> str:
    return "One of: " + ", ".join(f'"{value}"' for value in choices.values) + "."


class ProgrammeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeEntry
        fields = [
            "id",
            "key",
            "subject",
            "units",
            "processes",
            "programmes",
            "planned_month",
            "start_date",
            "end_date",
            "lead_auditor",
            "team",
            "criteria",
        ]
        read_only_fields = fields


class ProgrammeVersionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=choices_help(VersionState))
    entries = ProgrammeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = ProgrammeVersion
        fields = ["id", "number", "state", "reason", "reason_text", "submitted_at", "approved_on", "entries"]
        read_only_fields = fields


class AuditProgrammeSerializer(serializers.ModelSerializer):
    academic_year = serializers.StringRelatedField()
    versions = ProgrammeVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditProgramme
        fields = ["id", "institution", "academic_year", "versions"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    answer = serializers.CharField(read_only=True, help_text="Empty while not answered. " + choices_help(Answer))

    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "clause", "process", "document", "question", "answer", "notes", "answered_at"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    is_nonconformity = serializers.BooleanField(read_only=True)
    audit_code = serializers.CharField(source="audit.code", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "audit",
            "audit_code",
            "number",
            "category",
            "category_name",
            "is_nonconformity",
            "unit",
            "process",
            "clause",
            "requirement",
            "description",
            "evidence",
            "checklist_item",
        ]
        read_only_fields = fields


class AuditSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=choices_help(AuditState))
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    processes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    programmes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    team = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "institution",
            "code",
            "title",
            "state",
            "entry",
            "scope",
            "criteria",
            "units",
            "processes",
            "programmes",
            "lead_auditor",
            "team",
            "start_date",
            "end_date",
            "opening_meeting_on",
            "closing_meeting_on",
            "strengths",
            "conclusion",
            "lead_approved_at",
            "approved_at",
            "distributed_on",
            "acknowledge_by",
        ]
        read_only_fields = fields


class AuditDetailSerializer(AuditSerializer):
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)

    class Meta(AuditSerializer.Meta):
        fields = [*AuditSerializer.Meta.fields, "checklist", "findings"]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=[c for c in Answer.values if c])
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnInputSerializer(serializers.Serializer):
    comment = serializers.CharField()


class DistributeInputSerializer(serializers.Serializer):
    acknowledge_by = serializers.DateField(required=False, allow_null=True, default=None)


class ProgrammeFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")


class AuditFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    state = serializers.ChoiceField(required=False, choices=AuditState.values, help_text="Only audits at this stage.")
    year = serializers.IntegerField(required=False, min_value=2000, help_text="Audits starting in this year.")


class FindingFilterSerializer(serializers.Serializer):
    audit = serializers.IntegerField(required=False, min_value=1, help_text="Only this audit.")
    nonconformity = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only nonconformities (true) or only others (false)."
    )
