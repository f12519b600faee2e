"""The processes API: processes, quality objectives, indicators with their targets and values,
risks with their actions; read with exactly the scoping of the pages (`processes_for`,
`objectives_for`, `indicators_for`, `risks_for`).

- Everything needs the right to see the organisation (experts have none: 403); a record
  outside the user's institutions is a 404. Analysts read every institution.
- Values of indicators are entered through `services_indicators.value_enter`, which checks
  who may enter them (PermissionDenied: 403) and validates them (ValidationError: 400).
- The bulk upload is all or nothing: one transaction; any refused item and nothing is stored."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.exceptions import as_drf_validation_error
from sapat.org.api.views import OrgViewSet, filtered_by

from .. import selectors, selectors_indicators, selectors_policy, selectors_risks, services_indicators
from ..models import Process
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


@filtered_by(s.InstitutionFilterSerializer)
class ProcessViewSet(ProcessesReadViewSet):
    """The process register: every process of the institutions the user may see, with its
    current owners and participating units."""

    model = Process
    serializer_class = s.ProcessSerializer
    search_fields = NAMES

    def visible(self, user):
        return selectors.processes_for(user).order_by("institution_id", "sort_key", "id")


@filtered_by(s.InstitutionFilterSerializer)
class ObjectiveViewSet(ProcessesReadViewSet):
    """Quality objectives of the institutions the user may see, with their processes and reviews."""

    model = QualityObjective
    serializer_class = s.ObjectiveSerializer
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
        for name in ("indicator", "year", "unit"):
            if name in params:
                queryset = queryset.filter(**{f"{name}_id" if name != "year" else name: params[name]})
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
class RiskViewSet(ProcessesReadViewSet):
    """The risk register of the institutions the user may see: rating and level on the
    institution's scale (initial and residual), and the treatment actions."""

    model = Risk
    serializer_class = s.RiskSerializer
    search_fields = ("code", "title")

    def visible(self, user):
        actions = Prefetch("actions", queryset=RiskAction.objects.order_by("deadline", "id"), to_attr="action_list")
        return selectors_risks.risks_for(user).prefetch_related(actions).order_by("institution_id", "code", "id")
