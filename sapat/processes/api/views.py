"""The processes API: processes, quality objectives, indicators with their targets and values,
risks with their actions; read with exactly the scoping of the pages (`processes_for`,
`objectives_for`, `indicators_for`, `risks_for`).

- Everything needs the right to see the organisation (experts have none: 403); a record
  outside the user's institutions is a 404. Analysts read every institution.
- Values of indicators are entered through `services_indicators.value_enter`, which checks
  who may enter them (PermissionDenied: 403) and validates them (ValidationError: 400).
- The bulk upload is all or nothing: one transaction; any refused item and nothing is stored.
- Processes (with their owners), objectives, risks and risk actions are created and changed
  through the services the pages use (`process_save`, `ownership_add`, `objective_save`,
  `risk_save`, `action_add`…): the service checks who may write (PermissionDenied: 403) and
  validates (ValidationError: 400, naming the field). Answers carry the record as it is read."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.exceptions import as_drf_validation_error
from sapat.org.api.views import OrgViewSet, filtered_by

from .. import (
    selectors,
    selectors_indicators,
    selectors_policy,
    selectors_risks,
    services,
    services_indicators,
    services_risks,
)
from ..models import Process, ProcessOwnership
from ..models_indicators import Indicator, IndicatorTarget, IndicatorValue
from ..models_policy import QualityObjective
from ..models_risks import Risk, RiskAction
from . import serializers as s


class ProcessesPermission(BasePermission):
    """Everything here needs the right to see the organisation; writes are checked again by
    their service, on the record."""

    message = gettext_lazy("You do not have permission to do this here.")

    def has_permission(self, request, view):
        return access.can(request.user, Perm.VIEW_ORG)


class ProcessesViewSet(OrgViewSet):
    permission_classes = [IsAuthenticated, ProcessesPermission]


class ProcessesReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProcessesViewSet):
    search_fields = ("code",)

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        q = params.get("q", "").strip()
        if q:
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": q})
            queryset = queryset.filter(condition)
        return queryset


NAMES = ("code", "name_ky", "name_ru", "name_en")

WRITE_ERRORS = {
    400: OpenApiResponse(description="A field is missing or wrong; the answer names it."),
    403: OpenApiResponse(description="The user may not write this record here."),
}


def writes(read, write, what):
    """The schema of create, update and partial update: `write` in, `read` out."""
    return extend_schema_view(
        create=extend_schema(request=write, responses={201: read, **WRITE_ERRORS}, summary=f"Add {what}"),
        update=extend_schema(request=write, responses={200: read, **WRITE_ERRORS}, summary=f"Change {what}"),
        partial_update=extend_schema(
            request=write, responses={200: read, **WRITE_ERRORS}, summary=f"Change some fields of {what}"
        ),
    )


class ServiceWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update with `write_serializer_class` (which calls the service); answer with
    the reading serializer, the record read back as lists read it."""

    write_serializer_class = None

    def _write(self, instance, data, *, partial=False):
        serializer = self.write_serializer_class(
            instance, data=data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.read_back(serializer.save())

    def read_back(self, obj):
        return self.get_serializer(self.get_queryset().get(pk=obj.pk)).data

    def create(self, request, *args, **kwargs):
        return Response(self._write(None, request.data), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return Response(self._write(self.get_object(), request.data, partial=kwargs.pop("partial", False)))


@filtered_by(s.InstitutionFilterSerializer)
@writes(s.ProcessSerializer, s.ProcessWriteSerializer, "a process")
class ProcessViewSet(ServiceWriteMixin, ProcessesReadViewSet):
    """The process register: every process of the institutions the user may see, with its
    current owners and participating units."""

    model = Process
    serializer_class = s.ProcessSerializer
    write_serializer_class = s.ProcessWriteSerializer
    search_fields = NAMES

    def visible(self, user):
        return selectors.processes_for(user).order_by("institution_id", "sort_key", "id")

    @extend_schema(
        request=s.OwnerInputSerializer,
        responses={201: s.ProcessSerializer, **WRITE_ERRORS},
        summary="Add an owner",
        description="For the quality department. Name a person, a position or a unit (or several).",
    )
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def owners(self, request, pk=None):
        process = self.get_object()
        params = s.OwnerInputSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        services.ownership_add(actor=request.user, ownership=ProcessOwnership(process=process, **params.validated_data))
        return Response(self.read_back(process), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.OwnerEndSerializer,
        responses={200: s.ProcessSerializer, **WRITE_ERRORS},
        summary="End an owner's term",
        description="The owner stays in the process's history with the end date.",
    )
    @action(detail=True, methods=["post"], url_path="end-owner", filter_serializer_class=None)
    def end_owner(self, request, pk=None):
        process = self.get_object()
        params = s.OwnerEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        ownership = get_object_or_404(ProcessOwnership, process=process, pk=params.validated_data["owner"])
        services.ownership_end(actor=request.user, ownership=ownership, end_date=params.validated_data.get("end_date"))
        return Response(self.read_back(process))


@filtered_by(s.InstitutionFilterSerializer)
@writes(s.ObjectiveSerializer, s.ObjectiveWriteSerializer, "a quality objective")
class ObjectiveViewSet(ServiceWriteMixin, ProcessesReadViewSet):
    """Quality objectives of the institutions the user may see, with their processes and reviews."""

    model = QualityObjective
    serializer_class = s.ObjectiveSerializer
    write_serializer_class = s.ObjectiveWriteSerializer
    search_fields = ("code", "title_ky", "title_ru", "title_en")

    def visible(self, user):
        return selectors_policy.objectives_for(user).order_by("institution_id", "sort_key", "id")


@filtered_by(s.InstitutionFilterSerializer)
class IndicatorViewSet(ProcessesReadViewSet):
    """Indicators of the institutions the user may see, with their targets year by year."""

    model = Indicator
    serializer_class = s.IndicatorSerializer
    search_fields = NAMES

    def visible(self, user):
        targets = Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"), to_attr="target_list")
        return (
            selectors_indicators.indicators_for(user).prefetch_related(targets).order_by("institution_id", "code", "id")
        )


VALUE_ERRORS = {
    400: OpenApiResponse(description="A value is missing or wrong (the field is named)."),
    403: OpenApiResponse(description="The user may not enter values of this indicator for this unit."),
}


def _enter(user, data) -> IndicatorValue:
    return services_indicators.value_enter(
        actor=user,
        indicator=data["indicator"],
        year=data["year"],
        period=data.get("period", 0),
        unit=data.get("unit"),
        programme=data.get("programme"),
        value=data["value"],
        comment=data.get("comment", ""),
    )


def _item_errors(index, detail) -> list[dict]:
    """`{"field": ["message", ...]}` (DRF's shape) as rows of {index, field, message}."""
    if not isinstance(detail, dict):
        detail = {api_settings.NON_FIELD_ERRORS_KEY: detail}
    rows = []
    for field, messages in detail.items():
        for message in messages if isinstance(messages, list) else [messages]:
            rows.append({"index": index, "field": field, "message": str(message)})
    return rows


@filtered_by(s.ValueFilterSerializer)
class IndicatorValueViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ProcessesViewSet):
    """The values in force (not superseded) of the indicators the user may see. Entering a
    value for a year and scope that has one supersedes it; the old one stays in the history."""

    model = IndicatorValue
    serializer_class = s.IndicatorValueSerializer

    def visible(self, user):
        indicators = selectors_indicators.indicators_for(user).values("pk")
        return (
            IndicatorValue.objects.filter(indicator__in=indicators, superseded_by__isnull=True)
            .select_related("indicator")
            .order_by("indicator_id", "-year", "-period", "unit_id", "programme_id", "id")
        )

    def apply_filters(self, queryset, params):
        for name in ("indicator", "year", "period", "unit"):
            if name in params:
                queryset = queryset.filter(**{f"{name}_id" if name in ("indicator", "unit") else name: params[name]})
        return queryset

    @extend_schema(
        request=s.IndicatorValueInputSerializer,
        responses={201: s.IndicatorValueSerializer, **VALUE_ERRORS},
        summary="Enter a value",
        description="For the indicator's responsible person, the unit's head or quality responsible and the "
        "quality department. A value already in place for the year and scope is superseded.",
    )
    def create(self, request, *args, **kwargs):
        params = s.IndicatorValueInputSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        value = _enter(request.user, params.validated_data)
        return Response(s.IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.IndicatorValueInputSerializer(many=True),
        responses={
            201: s.IndicatorValueSerializer(many=True),
            400: OpenApiResponse(s.BulkErrorsSerializer, description="Some items are wrong; nothing was stored."),
            403: OpenApiResponse(
                s.BulkErrorsSerializer, description="Some items may not be entered by the user; nothing was stored."
            ),
        },
        summary="Enter many values at once",
        description="A list of values, each as for entering one; the indicator may be given by its code. All or "
        "nothing: if any item is refused, none is stored and every refusal is listed with the item's index "
        "(from 0), the field and the message.",
    )
    @action(detail=False, methods=["post"], pagination_class=None, filter_serializer_class=None)
    def bulk(self, request):
        items = request.data
        if not isinstance(items, list) or not items:
            return Response(
                {
                    "errors": [
                        {
                            "index": None,
                            "field": api_settings.NON_FIELD_ERRORS_KEY,
                            "message": _("Send a non-empty list of values."),
                        }
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        context = self.get_serializer_context()
        errors, denied, stored = [], False, []
        with transaction.atomic():
            for index, item in enumerate(items):
                params = s.IndicatorValueInputSerializer(data=item, context=context)
                if not params.is_valid():
                    errors += _item_errors(index, params.errors)
                    continue
                try:
                    stored.append(_enter(request.user, params.validated_data))
                except DjangoValidationError as error:
                    errors += _item_errors(index, as_drf_validation_error(error).detail)
                except PermissionDenied as error:
                    denied = True
                    message = str(error) or _("You do not have permission to do this here.")
                    errors += _item_errors(index, {"permission": [message]})
            if errors:
                transaction.set_rollback(True)
        if errors:
            code = status.HTTP_403_FORBIDDEN if denied else status.HTTP_400_BAD_REQUEST
            return Response({"errors": errors}, status=code)
        return Response(s.IndicatorValueSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)


@filtered_by(s.InstitutionFilterSerializer)
@writes(s.RiskSerializer, s.RiskWriteSerializer, "a risk or opportunity")
class RiskViewSet(ServiceWriteMixin, ProcessesReadViewSet):
    """The risk register of the institutions the user may see: rating and level on the
    institution's scale (initial and residual), and the treatment actions."""

    model = Risk
    serializer_class = s.RiskSerializer
    write_serializer_class = s.RiskWriteSerializer
    search_fields = ("code", "title")

    def visible(self, user):
        actions = Prefetch("actions", queryset=RiskAction.objects.order_by("deadline", "id"), to_attr="action_list")
        return selectors_risks.risks_for(user).prefetch_related(actions).order_by("institution_id", "code", "id")


@filtered_by(s.RiskActionFilterSerializer)
@writes(s.RiskActionDetailSerializer, s.RiskActionWriteSerializer, "a treatment action")
class RiskActionViewSet(ServiceWriteMixin, mixins.DestroyModelMixin, ProcessesReadViewSet):
    """Treatment actions of the risks the user may see. Added, changed, marked done and
    removed (not once done) by those who may manage the risk."""

    model = RiskAction
    serializer_class = s.RiskActionDetailSerializer
    write_serializer_class = s.RiskActionWriteSerializer

    def visible(self, user):
        ids = access.institution_ids(user)
        qs = RiskAction.objects.select_related("risk").order_by("risk_id", "deadline", "id")
        return qs if ids is None else qs.filter(risk__institution_id__in=ids)

    def apply_filters(self, queryset, params):
        if "risk" in params:
            queryset = queryset.filter(risk_id=params["risk"])
        return queryset

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Remove a treatment action")
    def destroy(self, request, *args, **kwargs):
        services_risks.action_delete(actor=request.user, action=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=s.ActionDoneSerializer,
        responses={200: s.RiskActionDetailSerializer, **WRITE_ERRORS},
        summary="Mark done",
    )
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def done(self, request, pk=None):
        params = s.ActionDoneSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        action_ = services_risks.action_done(
            actor=request.user, action=self.get_object(), done_on=params.validated_data.get("done_on")
        )
        return Response(self.read_back(action_))
