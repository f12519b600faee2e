"""The improvement API: nonconformities and actions, read with exactly the scoping of the pages
(`nonconformities_for`, `actions_for`), written through the services.

- Everything needs the right to see the organisation or to read nonconformities (experts have
  neither: 403). A record the user may not see is a 404.
- A workflow step is a POST to the record's action (start-analysis, analyse, approve, check,
  close; done, cancel, notes). The service checks who may take it (PermissionDenied: 403)
  and from which state (ValidationError: 400 naming the field)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.views import OrgViewSet, filtered_by

from .. import selectors, services
from ..models import Action, ActionNote, Nonconformity
from . import serializers as s


class ImprovementPermission(BasePermission):
    message = gettext_lazy("You do not have permission to do this here.")

    def has_permission(self, request, view):
        return access.can(request.user, Perm.VIEW_ORG) or access.can(request.user, Perm.VIEW_NC)


STEP_ERRORS = {
    400: OpenApiResponse(description="Not possible in the record's state, or a value is missing or wrong."),
    403: OpenApiResponse(description="The user may not take this step on this record."),
    404: OpenApiResponse(description="No such record that the user may see."),
}


class ImprovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    permission_classes = [IsAuthenticated, ImprovementPermission]

    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return params.validated_data


@filtered_by(s.NcFilterSerializer)
class NonconformityViewSet(mixins.CreateModelMixin, ImprovementViewSet):
    """Nonconformities the user may see: those they are involved in; the quality department,
    top management and analysts read all of their scope."""

    model = Nonconformity
    serializer_class = s.NonconformitySerializer

    def visible(self, user):
        return selectors.nonconformities_for(user).order_by("institution_id", "-detected_on", "-id")

    def get_serializer_class(self):
        return s.NonconformitySerializer if self.action == "list" else s.NonconformityDetailSerializer

    def apply_filters(self, queryset, params):
        for name, field in (
            ("institution", "institution_id"),
            ("state", "state"),
            ("source", "source"),
            ("unit", "unit_id"),
            ("process", "process_id"),
            ("type", "nc_type_id"),
        ):
            if name in params:
                queryset = queryset.filter(**{field: params[name]})
        return queryset

    def _detail(self, nc, code=status.HTTP_200_OK):
        nc = Nonconformity.objects.prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner", "nonconformity")), "checks"
        ).get(pk=nc.pk)
        return Response(s.NonconformityDetailSerializer(nc).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=s.NonconformityInputSerializer,
        responses={201: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Register a nonconformity",
        description="In the unit's institution; by anyone at work there. Gets the next code NC-<year>-<n>.",
    )
    def create(self, request, *args, **kwargs):
        data = self._params(s.NonconformityInputSerializer)
        unit = data.pop("unit")
        nc = services.nonconformity_register(actor=request.user, institution=unit.institution, unit=unit, **data)
        return self._detail(nc, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Start the analysis",
        description="registered → analysis; by a handler of the unit.",
    )
    @action(detail=True, methods=["post"], url_path="start-analysis")
    def start_analysis(self, request, pk=None):
        nc = services.nonconformity_start_analysis(actor=request.user, nonconformity=self.get_object())
        return self._detail(nc)

    @extend_schema(
        request=s.AnalysisInputSerializer,
        responses={200: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Record the root cause analysis",
        description="Root cause, up to five why/because rows, immediate correction; analysis → action plan.",
    )
    @action(detail=True, methods=["post"])
    def analyse(self, request, pk=None):
        data = self._params(s.AnalysisInputSerializer)
        nc = services.nonconformity_analyse(
            actor=request.user,
            nonconformity=self.get_object(),
            root_cause=data["root_cause"],
            whys=data.get("whys", []),
            immediate_correction=data.get("immediate_correction", ""),
        )
        return self._detail(nc)

    @extend_schema(
        request=s.ApproveInputSerializer,
        responses={200: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Approve the action plan",
        description="For the unit (its head) or for the quality department, by two different people; "
        "with both approvals the work starts (in progress).",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._params(s.ApproveInputSerializer)
        nc = services.nonconformity_approve_plan(actor=request.user, nonconformity=self.get_object(), side=data["side"])
        return self._detail(nc)

    @extend_schema(
        request=s.CheckInputSerializer,
        responses={200: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Give the effectiveness verdict",
        description="By a handler who owns none of the actions, once the wait after the last action "
        "is over. Not effective: back to the action plan.",
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        data = self._params(s.CheckInputSerializer)
        nc = services.nonconformity_check(actor=request.user, nonconformity=self.get_object(), **data)
        return self._detail(nc)

    @extend_schema(
        request=None,
        responses={200: s.NonconformityDetailSerializer, **STEP_ERRORS},
        summary="Close",
        description="By the quality department, with no open action and an 'effective' verdict.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        nc = services.nonconformity_close(actor=request.user, nonconformity=self.get_object())
        return self._detail(nc)


@filtered_by(s.ActionFilterSerializer)
class ActionViewSet(mixins.CreateModelMixin, ImprovementViewSet):
    """Improvement actions the user may see: their own, those of the units they handle, those of
    the nonconformities they see."""

    model = Action
    serializer_class = s.ActionSerializer

    def visible(self, user):
        return selectors.actions_for(user).order_by("deadline", "id")

    def get_serializer_class(self):
        return s.ActionSerializer if self.action == "list" else s.ActionDetailSerializer

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        if "nonconformity" in params:
            queryset = queryset.filter(nonconformity_id=params["nonconformity"])
        if params.get("mine"):
            queryset = queryset.filter(owner__user=self.request.user)
        if params.get("overdue"):
            queryset = queryset.overdue()
        return queryset

    def _detail(self, obj, code=status.HTTP_200_OK):
        obj = (
            Action.objects.select_related("owner", "nonconformity")
            .prefetch_related(Prefetch("notes", queryset=ActionNote.objects.order_by("at", "id")))
            .get(pk=obj.pk)
        )
        return Response(s.ActionDetailSerializer(obj).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=s.ActionInputSerializer,
        responses={201: s.ActionDetailSerializer, **STEP_ERRORS},
        summary="Raise an action",
        description="From a nonconformity (being analysed or planned), from a risk, or with a unit and an "
        "origin (audit finding, complaint, management review, on its own).",
    )
    def create(self, request, *args, **kwargs):
        data = self._params(s.ActionInputSerializer)
        obj = services.action_create(actor=request.user, **data)
        return self._detail(obj, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DoneInputSerializer,
        responses={200: s.ActionDetailSerializer, **STEP_ERRORS},
        summary="Report the action done",
    )
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        data = self._params(s.DoneInputSerializer)
        return self._detail(services.action_done(actor=request.user, action=self.get_object(), **data))

    @extend_schema(
        request=s.CancelInputSerializer,
        responses={200: s.ActionDetailSerializer, **STEP_ERRORS},
        summary="Cancel the action",
        description="With the reason; by a handler of the unit.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = self._params(s.CancelInputSerializer)
        return self._detail(services.action_cancel(actor=request.user, action=self.get_object(), **data))

    @extend_schema(
        request=s.NoteInputSerializer,
        responses={201: s.ActionDetailSerializer, **STEP_ERRORS},
        summary="Add a progress note",
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        data = self._params(s.NoteInputSerializer)
        obj = self.get_object()
        services.action_note_add(actor=request.user, action=obj, **data)
        return self._detail(obj, status.HTTP_201_CREATED)
