"""The audits API: the audit programmes with their versions, audits with their checklist and
findings, read with the scoping of the pages (`selectors`). The workflow steps of an audit
are actions that call the services: a refused step is 403 (who) or 400 (state, input)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sapat.org.api.views import OrgViewSet, filtered_by

from .. import selectors, services
from ..models import Audit, AuditProgramme, ChecklistItem, Finding, ProgrammeVersion
from . import serializers as s


class AuditsPermission(BasePermission):
    """Reads are scoped by the selectors (an empty list for those who see nothing); writes are
    checked by their service, on the record."""

    message = gettext_lazy("You do not have permission to do this here.")

    def has_permission(self, request, view):
        return request.user.is_authenticated


class AuditsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    permission_classes = [IsAuthenticated, AuditsPermission]


@filtered_by(s.ProgrammeFilterSerializer)
class AuditProgrammeViewSet(AuditsViewSet):
    """Audit programmes with every version and its entries (approved versions are frozen)."""

    model = AuditProgramme
    serializer_class = s.AuditProgrammeSerializer

    def visible(self, user):
        versions = ProgrammeVersion.objects.prefetch_related(
            "entries__units", "entries__processes", "entries__programmes", "entries__team"
        ).order_by("number")
        return (
            selectors.programmes_for(user)
            .prefetch_related(Prefetch("versions", queryset=versions))
            .order_by("institution_id", "-academic_year__start_year")
        )

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        return queryset


STEP_ERRORS = {
    400: OpenApiResponse(description="Not possible at the audit's stage, or the input is wrong."),
    403: OpenApiResponse(description="The user may not take this step."),
}


def _step(summary, description, request=None):
    return extend_schema(
        request=request, responses={200: s.AuditSerializer, **STEP_ERRORS}, summary=summary, description=description
    )


@filtered_by(s.AuditFilterSerializer)
class AuditViewSet(AuditsViewSet):
    """Internal audits the user may see; the detail carries the checklist and the findings."""

    model = Audit

    def get_serializer_class(self):
        return s.AuditDetailSerializer if self.action != "list" else s.AuditSerializer

    def visible(self, user):
        qs = selectors.audits_for(user).prefetch_related("units", "processes", "programmes", "team")
        if getattr(self, "action", None) != "list":
            qs = qs.prefetch_related(
                Prefetch("checklist", queryset=ChecklistItem.objects.order_by("order", "id")),
                Prefetch("findings", queryset=Finding.objects.select_related("category", "audit")),
            )
        return qs.order_by("-start_date", "-id")

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "state" in params:
            queryset = queryset.filter(state=params["state"])
        if "year" in params:
            queryset = queryset.filter(start_date__year=params["year"])
        return queryset

    def _done(self, audit):
        audit.refresh_from_db()
        return Response(s.AuditSerializer(audit).data)

    @_step("Start the conduct", "Preparation → conduct; for the lead auditor or the quality department.")
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def start(self, request, pk=None):
        return self._done(services.audit_start(actor=request.user, audit=self.get_object()))

    @_step("Finish the conduct", "Conduct → report; every question must be answered.")
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def finish(self, request, pk=None):
        return self._done(services.audit_finish_conduct(actor=request.user, audit=self.get_object()))

    @_step("Approve the report as lead auditor", "Report → approved by the lead auditor.")
    @action(detail=True, methods=["post"], url_path="lead-approve", filter_serializer_class=None)
    def lead_approve(self, request, pk=None):
        return self._done(services.report_lead_approve(actor=request.user, audit=self.get_object()))

    @_step("Approve the report", "For the head of the quality department, after the lead auditor.")
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def approve(self, request, pk=None):
        return self._done(services.report_approve(actor=request.user, audit=self.get_object()))

    @_step("Return the report", "Back to the team with a comment.", request=s.ReturnInputSerializer)
    @action(detail=True, methods=["post"], url_path="return", filter_serializer_class=None)
    def return_report(self, request, pk=None):
        params = s.ReturnInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        audit = services.report_return(actor=request.user, audit=self.get_object(), **params.validated_data)
        return self._done(audit)

    @_step(
        "Distribute the report",
        "To the audited units, the process owners and management.",
        request=s.DistributeInputSerializer,
    )
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def distribute(self, request, pk=None):
        params = s.DistributeInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        audit = services.report_distribute(actor=request.user, audit=self.get_object(), **params.validated_data)
        return self._done(audit)

    @_step("Acknowledge the report", "For a person the report was distributed to.")
    @action(detail=True, methods=["post"], filter_serializer_class=None)
    def acknowledge(self, request, pk=None):
        audit = self.get_object()
        services.report_acknowledge(actor=request.user, audit=audit)
        return self._done(audit)


@filtered_by(s.FindingFilterSerializer)
class FindingViewSet(AuditsViewSet):
    """Findings of the audits the user may see, with their category on the institution's scale."""

    model = Finding
    serializer_class = s.FindingSerializer

    def visible(self, user):
        return (
            Finding.objects.filter(audit__in=selectors.audits_for(user).values("pk"))
            .select_related("category", "audit")
            .order_by("audit_id", "number")
        )

    def apply_filters(self, queryset, params):
        if "audit" in params:
            queryset = queryset.filter(audit_id=params["audit"])
        if params.get("nonconformity") is not None:
            queryset = queryset.filter(category__is_nonconformity=params["nonconformity"])
        return queryset


class ChecklistItemViewSet(AuditsViewSet):
    """Checklist questions of the audits the user may see; the team answers them."""

    model = ChecklistItem
    serializer_class = s.ChecklistItemSerializer

    def visible(self, user):
        return ChecklistItem.objects.filter(audit__in=selectors.audits_for(user).values("pk")).order_by(
            "audit_id", "order", "id"
        )

    @extend_schema(
        request=s.AnswerInputSerializer,
        responses={200: s.ChecklistItemSerializer, **STEP_ERRORS},
        summary="Answer a question",
        description="For a member of the audit team while the audit is conducted; a nonconformity needs a note.",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        params = s.AnswerInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        item = services.item_answer(actor=request.user, item=self.get_object(), **params.validated_data)
        return Response(s.ChecklistItemSerializer(item).data)
