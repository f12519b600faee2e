"""Self-evaluation projects and criterion assessments (read; the review steps through the
services the pages use: PermissionDenied → 403, ValidationError → 400). Scoped like the
pages: the quality department, commission members, experts (submitted reports only)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors_projects as sel
from .. import services_projects as svc
from ..models_projects import CriterionAssessment, Evidence, SelfEvaluationProject
from . import serializers_projects as s
from .views import ReadViewSet


class ProjectViewSet(ReadViewSet):
    model = SelfEvaluationProject
    serializer_class = s.ProjectSerializer

    def visible(self, user):
        return sel.projects_for(user).prefetch_related("members__person", "reports").order_by("-year", "id")


class AssessmentViewSet(ReadViewSet):
    """Criterion assessments of the reports the user sees; `?report=<id>` narrows the list."""

    model = CriterionAssessment
    serializer_class = s.AssessmentSerializer

    def visible(self, user):
        from django.db.models import Prefetch

        qs = (
            sel.assessments_for(user)
            .select_related("criterion")
            .prefetch_related(
                "checks", Prefetch("evidence", queryset=Evidence.objects.select_related(*Evidence.LINKS.values()))
            )
            .order_by("report_id", "criterion__order")
        )
        report = self.request.query_params.get("report") if self.request else None
        return qs.filter(report_id=report) if report and report.isdigit() else qs

    def _step(self, fn, **kwargs):
        assessment = self.get_object()
        fn(actor=self.request.user, assessment=assessment, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    @extend_schema(request=None, responses={200: s.AssessmentSerializer}, summary="Submit to the compiler")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(svc.assessment_submit)

    @extend_schema(request=None, responses={200: s.AssessmentSerializer}, summary="Accept (compiler)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(svc.assessment_accept)

    @extend_schema(request=s.ReturnSerializer, responses={200: s.AssessmentSerializer}, summary="Send back (compiler)")
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        data = s.ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(svc.assessment_return, comment=data.validated_data["comment"])
