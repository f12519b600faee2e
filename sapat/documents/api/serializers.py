"""Serializers of the documents API: documents, their revisions and language versions (with
the address to download each stored file through its permission check), and the bodies of
the status transitions. Nothing is written here: the transitions call the services."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sapat.org.api.serializers import NAME_HELP

from ..choices import DocumentStatus, Level
from ..models import AgreementStep, Document, DocumentType, LanguageVersion, Revision

TITLE_HELP = "The title in the account's interface language, falling back to Kyrgyz."
LEVEL_HELP = "1-4, or base for external documents (laws, Ministry orders, standards)."


def level_field(**kwargs):
    """A document level. Programmes have a "level" enum too, and the schema would name two
    choice sets alike: here it is a string whose values the description lists."""
    return serializers.CharField(help_text=f"{LEVEL_HELP} One of: {', '.join(Level.values)}.", **kwargs)


class DocumentTypeBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    level = level_field(read_only=True)

    class Meta:
        model = DocumentType
        fields = ["id", "code", "name", "level", "approver_kind"]
        read_only_fields = fields


class LanguageVersionSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField(
        help_text="Where the stored file is downloaded, with the same permission check as the document; "
        "null when the version is text only."
    )

    class Meta:
        model = LanguageVersion
        fields = [
            "id",
            "language",
            "text",
            "has_file",
            "original_name",
            "file_format",
            "size",
            "sha256",
            "download_url",
        ]
        read_only_fields = fields

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, obj):
        if not obj.file:
            return None
        url = reverse("api-document-file-detail", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AgreementStepSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = AgreementStep
        fields = ["order", "person", "person_name", "decision", "decided_at"]
        read_only_fields = fields


class RevisionSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    approved_by_name = serializers.SerializerMethodField()
    approval_body_name = serializers.SerializerMethodField()
    versions = LanguageVersionSerializer(many=True, read_only=True)
    agreement = AgreementStepSerializer(
        source="agreement_steps", many=True, read_only=True, help_text="The agreement sheet, in order."
    )

    class Meta:
        model = Revision
        fields = [
            "id",
            "number",
            "state",
            "state_label",
            "summary",
            "clauses",
            "effective_date",
            "approved_on",
            "approved_by",
            "approved_by_name",
            "approval_body",
            "approval_body_name",
            "protocol_number",
            "protocol_date",
            "registered_on",
            "ended_on",
            "versions",
            "agreement",
        ]
        read_only_fields = fields

    def get_approved_by_name(self, obj) -> str:
        return obj.approved_by.full_name if obj.approved_by else ""

    def get_approval_body_name(self, obj) -> str:
        return obj.approval_body.name if obj.approval_body else ""


class DocumentSerializer(serializers.ModelSerializer):
    """A document as lists show it."""

    title = serializers.CharField(read_only=True, help_text=TITLE_HELP)
    doc_type = DocumentTypeBriefSerializer(read_only=True)
    level = level_field(source="doc_type.level", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    owner_name = serializers.SerializerMethodField()
    review_overdue = serializers.BooleanField(read_only=True)
    is_external = serializers.BooleanField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "institution",
            "code",
            "title",
            "title_ky",
            "title_ru",
            "title_en",
            "doc_type",
            "level",
            "status",
            "status_label",
            "unit",
            "unit_name",
            "owner",
            "owner_name",
            "is_external",
            "issuer",
            "external_number",
            "external_date",
            "institution_wide",
            "review_months",
            "next_review_on",
            "review_overdue",
        ]
        read_only_fields = fields

    def get_owner_name(self, obj) -> str:
        return obj.owner.full_name if obj.owner else ""


class DocumentDetailSerializer(DocumentSerializer):
    """A document with the revisions the user may see, newest first."""

    revisions = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "revisions"]
        read_only_fields = fields

    @extend_schema_field(RevisionSerializer(many=True))
    def get_revisions(self, obj):
        revisions = self.context.get("revisions")
        if revisions is None:
            revisions = []
        return RevisionSerializer(revisions, many=True, context=self.context).data


# --- query parameters and transition bodies ------------------------------------------------


class DocumentFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    status = serializers.ChoiceField(choices=DocumentStatus.choices, required=False)
    type = serializers.IntegerField(required=False, min_value=1, help_text="Only documents of this document type (id).")
    level = serializers.ChoiceField(choices=Level.choices, required=False, help_text=LEVEL_HELP)
    unit = serializers.IntegerField(
        required=False, min_value=1, help_text="Only documents owned by this unit and the units below it."
    )
    q = serializers.CharField(required=False, allow_blank=True, help_text="Search in codes and titles.")


REVISION_HELP = "The revision's number; the newest revision when not given."


class RevisionChoiceSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False, min_value=1, help_text=REVISION_HELP)


class ApproveSerializer(RevisionChoiceSerializer):
    approved_on = serializers.DateField(required=False, help_text="Today if not given.")
    protocol_number = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="Required when a council approves."
    )
    protocol_date = serializers.DateField(
        required=False, allow_null=True, help_text="Required when a council approves."
    )


class RegisterSerializer(RevisionChoiceSerializer):
    effective_date = serializers.DateField(
        help_text="The day the revision comes into force: today or earlier brings it into force at once."
    )


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="Why, for the log.")
