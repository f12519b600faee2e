from rest_framework import serializers

from ..models_projects import (
    CommissionMember,
    CriterionAssessment,
    Evidence,
    SelfEvaluationProject,
    SelfEvaluationReport,
)


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = CommissionMember
        fields = ["id", "name", "position", "category", "is_woman"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfEvaluationReport
        fields = ["id", "kind", "framework", "programme", "submitted_at"]


class ProjectSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta:
        model = SelfEvaluationProject
        fields = [
            "id",
            "institution",
            "year",
            "title",
            "status",
            "institutional",
            "programme",
            "together",
            "order_number",
            "order_date",
            "start_date",
            "end_date",
            "council_report_date",
            "preliminary_review_date",
            "final_review_date",
            "period_from",
            "period_to",
            "compiler",
            "previous",
            "members",
            "reports",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    label = serializers.CharField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "label",
            "document",
            "indicator",
            "campaign",
            "audit",
            "nonconformity",
            "action",
            "url",
            "page",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code")
    evidence = EvidenceSerializer(many=True, read_only=True)
    checks = serializers.SerializerMethodField()

    class Meta:
        model = CriterionAssessment
        fields = [
            "id",
            "report",
            "criterion",
            "criterion_code",
            "responsible",
            "deadline",
            "state",
            "level",
            "narrative",
            "strengths",
            "weaknesses",
            "recommendations",
            "review_comment",
            "checks",
            "evidence",
        ]

    def get_checks(self, obj) -> dict:
        return {str(check.element_id): check.status for check in obj.checks.all()}


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField()
