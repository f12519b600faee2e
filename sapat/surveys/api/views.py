"""The surveys API: questionnaires (with their questions), campaigns, token generation and
aggregated results. Individual answers are never served: results come from the same
`selectors.results` as the pages, so small groups are hidden here too."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.views import OrgViewSet

from .. import selectors, services
from ..models import Campaign, Questionnaire, Token
from . import serializers as s


class ManageSurveys(BasePermission):
    def has_permission(self, request, view):
        return access.can(request.user, Perm.MANAGE_SURVEYS)


class QuestionnaireViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    permission_classes = [IsAuthenticated, ManageSurveys]
    model = Questionnaire
    serializer_class = s.QuestionnaireSerializer

    def visible(self, user):
        return (
            selectors.questionnaires_for(user)
            .prefetch_related("questions__section")
            .order_by("institution_id", "key", "version")
        )


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    """Campaigns the user organises or may read results of."""

    permission_classes = [IsAuthenticated]
    model = Campaign
    serializer_class = s.CampaignSerializer

    def visible(self, user):
        return selectors.campaigns_for(user).order_by("-starts_on", "pk")

    @extend_schema(request=s.TokensRequestSerializer, responses=s.TokensSerializer)
    @action(detail=True, methods=["post"])
    def tokens(self, request, pk=None):
        """Issue tokens (up to each group's size, or `count` more per slot) and return the new
        codes, e.g. for a mailing system; the answer link is /s/<code>/."""
        campaign = self.get_object()
        if not selectors.can_manage(request.user, campaign):
            raise PermissionDenied()
        params = s.TokensRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        before = set(Token.objects.filter(campaign=campaign).values_list("pk", flat=True))
        issued = services.tokens_generate(
            actor=request.user, campaign=campaign, count=params.validated_data.get("count")
        )
        codes = list(Token.objects.filter(campaign=campaign).exclude(pk__in=before).values_list("code", flat=True))
        return Response(s.TokensSerializer({"issued": issued, "codes": codes}).data, status=201)

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=list(selectors.DIMENSIONS))], responses=s.ResultsSerializer
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        campaign = self.get_object()
        by = request.query_params.get("by")
        scope = selectors.results_slots_q(request.user) & selectors.drill_q(request.query_params)
        results = selectors.results(campaign, scope, by=by if by in selectors.DIMENSIONS else None, texts=False)
        return Response(s.ResultsSerializer(results).data)
