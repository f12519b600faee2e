"""The accreditation API: frameworks with their groups, criteria and level descriptors, the
mappings between criteria, and the register (read; written through the services the pages
use, so the same rules and audit log apply: PermissionDenied → 403, ValidationError → 400).
Reads are scoped like the pages; experts get empty lists."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from sapat.org.api.views import OrgViewSet

from .. import selectors_frameworks, selectors_register, services_register
from ..models_frameworks import Criterion, CriterionGroup, CriterionMapping, Framework, LevelDescriptor
from ..models_register import Accreditation, AccreditationEvent
from . import serializers as s


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    permission_classes = [IsAuthenticated]


class FrameworkViewSet(ReadViewSet):
    """Criteria frameworks the user sees; one framework comes with levels, groups and criteria."""

    model = Framework

    def visible(self, user):
        qs = selectors_frameworks.frameworks_for(user).order_by("institution_id", "code", "-version")
        if self.action == "retrieve":
            criteria = Criterion.objects.order_by("order").prefetch_related(
                Prefetch("descriptors", queryset=LevelDescriptor.objects.select_related("level")), "elements"
            )
            groups = CriterionGroup.objects.order_by("order").prefetch_related(Prefetch("criteria", queryset=criteria))
            qs = qs.prefetch_related("levels", Prefetch("groups", queryset=groups))
        return qs

    def get_serializer_class(self):
        return s.FrameworkDetailSerializer if self.action == "retrieve" else s.FrameworkSerializer


class MappingViewSet(ReadViewSet):
    """Mappings between criteria: shipped ones and those of the institutions the user sees."""

    model = CriterionMapping

    serializer_class = s.MappingSerializer

    def visible(self, user):
        from sapat.org import access
        from sapat.org.access import Perm

        qs = CriterionMapping.objects.select_related("source__framework", "target__framework").order_by("id")
        if not access.can(user, Perm.VIEW_ACCREDITATION):
            return qs.none()
        ids = access.institution_ids(user, Perm.VIEW_ACCREDITATION)
        return qs if ids is None else qs.filter(institution__isnull=True) | qs.filter(institution_id__in=ids)


class AccreditationViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """The register: institutional and programme accreditations with their events."""

    model = Accreditation

    serializer_class = s.AccreditationSerializer

    def visible(self, user):
        return selectors_register.with_events(selectors_register.accreditations_for(user)).order_by("id")

    def _save(self, instance, data, partial=False):
        write = s.AccreditationWriteSerializer(instance, data=data, partial=partial)
        write.is_valid(raise_exception=True)
        acc = instance or Accreditation()
        for field, value in write.validated_data.items():
            setattr(acc, field, value)
        acc = services_register.accreditation_save(actor=self.request.user, accreditation=acc)
        return self.get_serializer(self.get_queryset().get(pk=acc.pk)).data

    @extend_schema(request=s.AccreditationWriteSerializer, responses={201: s.AccreditationSerializer})
    def create(self, request, *args, **kwargs):
        return Response(self._save(None, request.data), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AccreditationWriteSerializer, responses={200: s.AccreditationSerializer})
    def update(self, request, *args, **kwargs):
        return Response(self._save(self.get_object(), request.data, partial=kwargs.pop("partial", False)))

    @extend_schema(request=s.EventSerializer, responses={201: s.AccreditationSerializer}, summary="Record an event")
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        acc = self.get_object()
        write = s.EventSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        services_register.event_add(
            actor=request.user, event=AccreditationEvent(accreditation=acc, **write.validated_data)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=acc.pk)).data, status=status.HTTP_201_CREATED)
