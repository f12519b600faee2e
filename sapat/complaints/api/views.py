"""/api/complaints/: complaints for the people who handle them, with exactly the scoping of
the pages (`complaints_for`: the quality department and the unit a complaint is routed to).
Routing, answering and notes go through the services, which check permission and state
(PermissionDenied: 403; ValidationError: 400). A complaint outside the user's view is a 404.
Complaints are sent by the public through the public page, not through this API."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.views import OrgViewSet, filtered_by

from .. import selectors, services
from ..models import Complaint, ComplaintMessage
from . import serializers as s


class ComplaintsPermission(BasePermission):
    message = gettext_lazy("You do not have permission to do this here.")

    def has_permission(self, request, view):
        return access.can(request.user, Perm.HANDLE_COMPLAINTS) or access.can(request.user, Perm.ANSWER_COMPLAINTS)


@filtered_by(s.ComplaintFilterSerializer)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    """Complaints, suggestions, appeals and thanks the user may handle, newest first, with
    their messages and internal notes."""

    model = Complaint
    serializer_class = s.ComplaintSerializer
    permission_classes = [IsAuthenticated, ComplaintsPermission]

    def visible(self, user):
        thread = Prefetch(
            "messages",
            queryset=ComplaintMessage.objects.select_related("author").order_by("created_at", "id"),
            to_attr="message_list",
        )
        return selectors.complaints_for(user).prefetch_related(thread).order_by("-created_at", "-id")

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        for name in ("status", "kind"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        if "unit" in params:
            queryset = queryset.filter(unit_id=params["unit"])
        if params.get("overdue"):
            queryset = queryset.overdue()
        return queryset

    def _done(self, complaint):
        return Response(self.get_serializer(self.visible(self.request.user).get(pk=complaint.pk)).data)

    @extend_schema(request=s.RouteSerializer, responses=s.ComplaintSerializer, summary="Send to the responsible unit")
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        complaint = self.get_object()
        params = s.RouteSerializer(data=request.data, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        services.complaint_route(actor=request.user, complaint=complaint, unit=data["unit"], category=data["category"])
        return self._done(complaint)

    @extend_schema(request=s.AnswerSerializer, responses=s.ComplaintSerializer, summary="Answer and close")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        complaint = self.get_object()
        params = s.AnswerSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.complaint_answer(actor=request.user, complaint=complaint, **params.validated_data)
        return self._done(complaint)

    @extend_schema(request=s.NoteSerializer, responses=s.ComplaintSerializer, summary="Add an internal note")
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        complaint = self.get_object()
        params = s.NoteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.complaint_note(actor=request.user, complaint=complaint, text=params.validated_data["text"])
        return self._done(complaint)
