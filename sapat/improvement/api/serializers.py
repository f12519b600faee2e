"""Serializers of the improvement API: nonconformities with their actions and checks, actions
with their notes. Writes go through the services (`sapat.improvement.services`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sapat.org.api.serializers import VisibleRelatedField, visible_person, visible_unit
from sapat.processes.models import Process, Risk
from sapat.processes.selectors import processes_for
from sapat.processes.selectors_risks import risks_for

from ..models import (
    MAX_WHYS,
    Action,
    ActionKind,
    ActionNote,
    ActionStatus,
    EffectivenessCheck,
    NcSource,
    NcState,
    NcType,
    Nonconformity,
    Origin,
    Severity,
    Verdict,
)


def _types_for(user):
    from ..selectors import nc_types_for

    return nc_types_for(user)


def _ncs_for(user):
    from ..selectors import nonconformities_for

    return nonconformities_for(user)


class ActionNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionNote
        fields = ["id", "at", "author", "text"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    nonconformity_code = serializers.CharField(source="nonconformity.code", read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "institution",
            "kind",
            "origin",
            "nonconformity",
            "nonconformity_code",
            "risk",
            "audit_finding",
            "complaint",
            "unit",
            "description",
            "owner",
            "owner_name",
            "deadline",
            "status",
            "done_on",
            "result",
            "cancel_reason",
            "is_overdue",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ActionDetailSerializer(ActionSerializer):
    notes = ActionNoteSerializer(many=True, read_only=True)

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "notes"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = EffectivenessCheck
        fields = ["id", "verdict", "checked_by", "checked_on", "note"]
        read_only_fields = fields


class WhySerializer(serializers.Serializer):
    why = serializers.CharField(max_length=500)
    because = serializers.CharField(max_length=500)


class NonconformitySerializer(serializers.ModelSerializer):
    type_name = serializers.CharField(source="nc_type.name", read_only=True)

    class Meta:
        model = Nonconformity
        fields = [
            "id",
            "institution",
            "code",
            "state",
            "nc_type",
            "type_name",
            "source",
            "audit_finding",
            "complaint",
            "unit",
            "process",
            "title",
            "requirement",
            "description",
            "severity",
            "detected_on",
            "registered_by",
            "closed_on",
        ]
        read_only_fields = fields


class NonconformityDetailSerializer(NonconformitySerializer):
    whys = WhySerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    checks = CheckSerializer(many=True, read_only=True)

    class Meta(NonconformitySerializer.Meta):
        fields = [
            *NonconformitySerializer.Meta.fields,
            "root_cause",
            "whys",
            "immediate_correction",
            "unit_approved_by",
            "unit_approved_at",
            "quality_approved_by",
            "quality_approved_at",
            "check_due_on",
            "verdict",
            "checked_by",
            "checked_on",
            "check_note",
            "reopen_count",
            "actions",
            "checks",
        ]
        read_only_fields = fields


# --- input -----------------------------------------------------------------------------------


class NonconformityInputSerializer(serializers.Serializer):
    nc_type = VisibleRelatedField(
        model=NcType,
        selector=_types_for,
        missing_message=_("Type {pk_value} does not exist or is outside what you may see."),
    )
    source = serializers.ChoiceField(choices=NcSource.choices)
    unit = visible_unit()
    process = VisibleRelatedField(
        model=Process,
        selector=processes_for,
        required=False,
        allow_null=True,
        missing_message=_("Process {pk_value} does not exist or is outside what you may see."),
    )
    title = serializers.CharField(max_length=300)
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    detected_on = serializers.DateField(required=False)


class AnalysisInputSerializer(serializers.Serializer):
    root_cause = serializers.CharField()
    whys = WhySerializer(many=True, required=False, max_length=MAX_WHYS)
    immediate_correction = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[("unit", "unit"), ("quality", "quality")],
        help_text='"unit": for the unit (its head); "quality": the quality department.',
    )


class CheckInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField()


class ActionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    description = serializers.CharField()
    owner = visible_person()
    deadline = serializers.DateField()
    origin = serializers.ChoiceField(choices=Origin.choices, required=False)
    nonconformity = VisibleRelatedField(
        model=Nonconformity,
        selector=_ncs_for,
        required=False,
        allow_null=True,
        missing_message=_("Nonconformity {pk_value} does not exist or is outside what you may see."),
    )
    risk = VisibleRelatedField(
        model=Risk,
        selector=risks_for,
        required=False,
        allow_null=True,
        missing_message=_("Risk {pk_value} does not exist or is outside what you may see."),
    )
    unit = visible_unit(required=False, allow_null=True)


class DoneInputSerializer(serializers.Serializer):
    result = serializers.CharField()
    done_on = serializers.DateField(required=False)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class NcFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    state = serializers.ChoiceField(choices=NcState.choices, required=False)
    source = serializers.ChoiceField(choices=NcSource.choices, required=False)
    unit = serializers.IntegerField(required=False, min_value=1, help_text="Only this unit (not below it).")
    process = serializers.IntegerField(required=False, min_value=1)
    type = serializers.IntegerField(required=False, min_value=1, help_text="Only this nonconformity type.")


class ActionFilterSerializer(serializers.Serializer):
    institution = serializers.IntegerField(required=False, min_value=1, help_text="Only this institution.")
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    nonconformity = serializers.IntegerField(required=False, min_value=1)
    mine = serializers.BooleanField(required=False, help_text="Only the actions the user owns.")
    overdue = serializers.BooleanField(required=False, help_text="Only open actions past their deadline.")
