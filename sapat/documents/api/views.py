"""The documents API: documents, their revisions and status, read with exactly the scoping
of the pages (`sapat.documents.selectors`), and the status transitions through the services.

- Reading needs the right to see the organisation (experts have none: 403). Every lookup
  starts from `documents_for(user)`: a document the user may not open is a 404. Revisions
  still being prepared are listed only for those who may see drafts.
- A transition (submit, approve, register, withdraw) calls its service, which checks who may
  take it: PermissionDenied is a 403, a ValidationError a 400 naming the field.
- Files are downloaded only through /api/document-files/{id}/, after the same checks, as an
  attachment; never from a public media address."""

import mimetypes

from django.db.models import Q
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotAcceptable
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.api.views import OrgViewSet, filtered_by
from sapat.org.selectors import units_for

from .. import files, selectors, services
from ..models import Document, LanguageVersion, Revision
from . import serializers as s

# Revisions on their way to coming into force: shown only to those who may see drafts
# (the managers of the document and the people working on it), as on the pages.
PREPARATION_STATES = selectors.PREPARATION_STATES


class DocumentsPermission(BasePermission):
    """Everything here needs the right to see the organisation; what else a transition needs
    is checked by its service, on the document."""

    message = _("You do not have permission to do this here.")

    def has_permission(self, request, view):
        return access.can(request.user, Perm.VIEW_ORG)


class DocumentsViewSet(OrgViewSet):
    permission_classes = [IsAuthenticated, DocumentsPermission]


def visible_revisions(user, document):
    """The document's revisions the user may see, newest first, with what they show."""
    revisions = selectors.revisions_of(document).order_by("-number")
    if not selectors.can_see_drafts(user, document):
        revisions = revisions.exclude(state__in=PREPARATION_STATES)
    return revisions


TRANSITION_ERRORS = {
    400: OpenApiResponse(description="Not possible in the revision's state, or a value is missing or wrong."),
    403: OpenApiResponse(description="The user may not take this step on this document."),
    404: OpenApiResponse(description="No such document (or revision) that the user may see."),
}


@filtered_by(s.DocumentFilterSerializer)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, DocumentsViewSet):
    """Documents the user may open: managers see theirs in every state; everyone else in the
    institution the documents in force published to them; analysts the documents in force
    published institution-wide."""

    model = Document
    serializer_class = s.DocumentSerializer

    def visible(self, user):
        return selectors.documents_for(user).order_by("code", "id")

    def get_serializer_class(self):
        return s.DocumentDetailSerializer if self.action != "list" else s.DocumentSerializer

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        if "type" in params:
            queryset = queryset.filter(doc_type_id=params["type"])
        if "level" in params:
            queryset = queryset.filter(doc_type__level=params["level"])
        if "unit" in params:
            path = units_for(self.request.user).filter(pk=params["unit"]).values_list("path", flat=True).first()
            queryset = queryset.filter(unit__path__startswith=path) if path else queryset.none()
        q = params.get("q", "").strip()
        if q:
            queryset = queryset.filter(
                Q(code__icontains=q) | Q(title_ky__icontains=q) | Q(title_ru__icontains=q) | Q(title_en__icontains=q)
            )
        return queryset

    def _detail(self, document):
        document = Document.objects.select_related("doc_type", "unit", "owner").get(pk=document.pk)
        revisions = visible_revisions(self.request.user, document)
        context = {**self.get_serializer_context(), "revisions": revisions}
        return Response(s.DocumentDetailSerializer(document, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        responses={200: s.RevisionSerializer(many=True)},
        summary="A document's revisions",
        description="Newest first, with their language versions and download addresses. Revisions still being "
        "prepared are listed only for the document's managers and the people working on them.",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def revisions(self, request, pk=None):
        document = self.get_object()
        revisions = visible_revisions(request.user, document)
        return Response(s.RevisionSerializer(revisions, many=True, context=self.get_serializer_context()).data)

    # --- transitions ------------------------------------------------------------------------

    def _revision(self, document, number) -> Revision:
        """The revision named by its number, or the newest; one the user may not see is a 404."""
        revisions = document.revisions.all()
        revision = revisions.filter(number=number).first() if number else revisions.order_by("-number").first()
        if revision is None:
            raise Http404
        if revision.state in PREPARATION_STATES and not selectors.can_see_drafts(self.request.user, document):
            raise Http404
        return revision

    def _params(self, serializer_class):
        params = serializer_class(data=self.request.data)
        params.is_valid(raise_exception=True)
        return params.validated_data

    @extend_schema(
        request=s.RevisionChoiceSerializer,
        responses={200: s.DocumentDetailSerializer, **TRANSITION_ERRORS},
        summary="Submit a draft",
        description="Sends the draft round its agreement sheet, or straight to approval when it has none. "
        "For the document's owner and those who manage its documents.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        document = self.get_object()
        params = self._params(s.RevisionChoiceSerializer)
        services.revision_submit(actor=request.user, revision=self._revision(document, params.get("revision")))
        return self._detail(document)

    @extend_schema(
        request=s.ApproveSerializer,
        responses={200: s.DocumentDetailSerializer, **TRANSITION_ERRORS},
        summary="Approve a revision",
        description="By the official named for the document type; a council's decision is entered by the "
        "quality department with the protocol's number and date.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        document = self.get_object()
        params = self._params(s.ApproveSerializer)
        services.revision_approve(
            actor=request.user,
            revision=self._revision(document, params.get("revision")),
            approved_on=params.get("approved_on"),
            protocol_number=params.get("protocol_number", ""),
            protocol_date=params.get("protocol_date"),
        )
        return self._detail(document)

    @extend_schema(
        request=s.RegisterSerializer,
        responses={200: s.DocumentDetailSerializer, **TRANSITION_ERRORS},
        summary="Register an approved revision",
        description="It comes into force on its effective date: at once if that is today or earlier, "
        "otherwise by the daily job (manage.py documents_daily).",
    )
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        document = self.get_object()
        params = self._params(s.RegisterSerializer)
        services.revision_register(
            actor=request.user,
            revision=self._revision(document, params.get("revision")),
            effective_date=params["effective_date"],
        )
        return self._detail(document)

    @extend_schema(
        request=s.WithdrawSerializer,
        responses={200: s.DocumentDetailSerializer, **TRANSITION_ERRORS},
        summary="Withdraw a document",
        description="Its revision in force (and one registered to come into force) is withdrawn.",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        document = self.get_object()
        params = self._params(s.WithdrawSerializer)
        services.document_withdraw(actor=request.user, document=document, note=params.get("note", ""))
        return self._detail(document)


class DocumentFileViewSet(DocumentsViewSet):
    """A stored file of a language version, streamed as an attachment to those who may see it."""

    model = LanguageVersion

    def visible(self, user):
        return LanguageVersion.objects.select_related("revision__document__doc_type").filter(
            revision__document__in=selectors.documents_for(user).values("pk")
        )

    def perform_content_negotiation(self, request, force=False):
        # A file is sent as it is, whatever the client accepts; only errors are rendered.
        try:
            return super().perform_content_negotiation(request, force)
        except NotAcceptable:
            renderer = self.get_renderers()[0]
            return renderer, renderer.media_type

    @extend_schema(
        summary="Download a document file",
        description="The stored file of a language version, as an attachment. 404 when the document is not "
        "visible to the user, when its revision is still being prepared and the user may not see drafts, "
        "or when the version has no file.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            404: OpenApiResponse(description="No such file that the user may download."),
        },
    )
    def retrieve(self, request, pk=None):
        version = selectors.visible_file(request.user, pk)
        revision = version.revision
        try:
            handle = version.file.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error
        name = version.original_name or f"{revision.document.code}-{revision.number}-{version.language}"
        content_type = files.MIME.get(version.file_format) or mimetypes.guess_type(name)[0]
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type=content_type or "application/octet-stream"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response
