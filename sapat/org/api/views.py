"""The organisation API: the same records, rules and scopes as the pages.

- Reading needs the right to see the organisation (`Perm.VIEW_ORG`); every list and every
  lookup by id starts from the selector that scopes records to the user, so a record
  outside the user's scope is a 404, never a 403.
- Writing needs the viewset's `write_perm`: somewhere at all to send a new record, and in
  the record's own unit to change it; the service then checks again where the record is
  going, validates it and logs it. Nothing is deleted: units are closed, positions ended.
- Django's ValidationError from a service becomes a 400 (see `exceptions.py`)."""

import hashlib

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from .. import access, selectors, services
from ..access import Perm
from ..models import AcademicYear, ContingentFigure, Institution, Person, Position, Programme, Unit
from . import serializers as s

# --- token ------------------------------------------------------------------------------------


class TokenAddressThrottle(SimpleRateThrottle):
    """Token requests per client address (DRF's reading of it: behind a proxy, set
    REST_FRAMEWORK["NUM_PROXIES"], or X-Forwarded-For is taken as the client sends it)."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenUsernameThrottle(SimpleRateThrottle):
    """Token requests per user name, from any address: guessing one account's password
    is slowed down however many addresses (or forged X-Forwarded-For headers) are used."""

    scope = "api_token_user"

    def get_cache_key(self, request, view):
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None
        ident = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


@extend_schema(
    tags=["token"],
    summary="Get an API token",
    description=(
        "Exchange a user name and password for the account's token; send it afterwards as "
        '"Authorization: Token <token>". Limited to a few attempts a minute.'
    ),
)
class TokenView(ObtainAuthToken):
    authentication_classes = ()
    throttle_classes = (TokenAddressThrottle, TokenUsernameThrottle)


# --- common ground ----------------------------------------------------------------------------


class OrganisationPermission(BasePermission):
    """Read: the right to see the organisation. Write: the viewset's `write_perm`, anywhere
    for a new record, in the record's unit for a change (the service checks the target)."""

    message = _("You do not have permission to do this here.")

    def has_permission(self, request, view):
        user = request.user
        if request.method in SAFE_METHODS:
            return access.can(user, Perm.VIEW_ORG)
        if getattr(view, "action", "") is None:
            return True  # no such operation here: let the view answer 405
        return view.write_perm is not None and access.can(user, view.write_perm)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True  # the queryset is already limited to what the user may see
        return access.can(request.user, view.write_perm, view.scope_unit(obj))


class OrgViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, OrganisationPermission]
    model = None
    write_perm: str | None = None
    filter_serializer_class = None

    def visible(self, user):
        """The records `user` may see, with what the serializer needs fetched up front."""
        raise NotImplementedError

    def scope_unit(self, obj):
        return obj.unit

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.visible(self.request.user)

    def perform_authentication(self, request):
        """The language follows the account, as on the pages (sapat.core.middleware). The
        middleware cannot see a token user, who is only known once DRF has authenticated."""
        super().perform_authentication(request)
        language = getattr(request.user, "language", None)
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language()
        return response

    def filter_queryset(self, queryset):
        if self.action != "list" or self.filter_serializer_class is None:
            return queryset
        params = self.filter_serializer_class(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return self.apply_filters(queryset, params.validated_data)

    def apply_filters(self, queryset, params):
        return queryset

    def in_subtree(self, queryset, unit_id, prefix):
        """Records of the unit `unit_id` and everything below it; none if the user cannot see it."""
        path = selectors.units_for(self.request.user).filter(pk=unit_id).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{prefix}path__startswith": path})


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgViewSet):
    pass


class WriteViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """List, read, create, update; never delete."""


def filtered_by(serializer_class):
    """The list's query parameters: validated by `serializer_class` (a 400 names a bad
    one) and documented in the schema from the same class."""

    def decorate(viewset):
        viewset.filter_serializer_class = serializer_class
        return extend_schema_view(list=extend_schema(parameters=[serializer_class]))(viewset)

    return decorate


# --- institutions and units ---------------------------------------------------------------


@filtered_by(s.SearchFilterSerializer)
class InstitutionViewSet(ReadViewSet):
    """Institutions whose records the user may see."""

    model = Institution
    serializer_class = s.InstitutionSerializer

    def visible(self, user):
        return selectors.institutions_for(user).order_by("code")

    def apply_filters(self, queryset, params):
        q = params.get("q", "").strip()
        if q:
            queryset = queryset.filter(
                Q(code__icontains=q)
                | Q(name_ky__icontains=q)
                | Q(name_ru__icontains=q)
                | Q(name_en__icontains=q)
                | Q(short_name_ky__icontains=q)
                | Q(short_name_ru__icontains=q)
                | Q(short_name_en__icontains=q)
            )
        return queryset


@filtered_by(s.UnitFilterSerializer)
class UnitViewSet(WriteViewSet):
    """The units of the structure. A new unit needs a parent; closing is an action."""

    model = Unit
    serializer_class = s.UnitSerializer
    write_perm = Perm.MANAGE_UNITS

    def visible(self, user):
        return selectors.units_for(user).order_by("path")

    def scope_unit(self, obj):
        return obj

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "unit" in params:
            queryset = self.in_subtree(queryset, params["unit"], "")
        if "parent" in params:
            queryset = queryset.filter(parent_id=params["parent"])
        if params.get("active") is not None:
            queryset = queryset.filter(closed_on__isnull=params["active"])
        q = params.get("q", "").strip()
        if q:
            queryset = queryset.filter(
                Q(code__icontains=q) | Q(name_ky__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q)
            )
        return queryset

    def _unit_response(self, unit):
        return Response(s.UnitSerializer(unit, context=self.get_serializer_context()).data)

    @extend_schema(
        request=s.UnitCloseSerializer,
        responses={200: s.UnitSerializer, 400: OpenApiResponse(description="It cannot be closed (yet).")},
        summary="Close a unit",
        description="Its sub-units must be closed or moved first. The unit and its history stay.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        unit = self.get_object()
        params = s.UnitCloseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        closed_on = params.validated_data.get("closed_on")
        if closed_on and unit.opened_on and closed_on < unit.opened_on:
            raise ValidationError({"closed_on": _("A unit cannot close before it opened.")})
        return self._unit_response(services.unit_close(actor=request.user, unit=unit, closed_on=closed_on))

    @extend_schema(request=None, responses={200: s.UnitSerializer}, summary="Reopen a closed unit")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        unit = self.get_object()
        return self._unit_response(services.unit_reopen(actor=request.user, unit=unit))


# --- people and positions ------------------------------------------------------------------


@filtered_by(s.PersonFilterSerializer)
class PersonViewSet(WriteViewSet):
    """Staff records. Accounts and roles are not managed here."""

    model = Person
    serializer_class = s.PersonSerializer
    write_perm = Perm.MANAGE_PEOPLE

    def visible(self, user):
        people = selectors.people_for(user).order_by("last_name", "first_name", "middle_name", "id")
        return selectors.people_with_current_positions(people)

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "unit" in params:
            queryset = self.in_subtree(queryset, params["unit"], "unit__")
        if "staff_category" in params:
            queryset = queryset.filter(staff_category=params["staff_category"])
        return selectors.search_people(queryset, params.get("q", "").strip())


@filtered_by(s.PositionFilterSerializer)
class PositionViewSet(WriteViewSet):
    """Posts held by people in units. Ended, not deleted: see the end action."""

    model = Position
    serializer_class = s.PositionSerializer
    write_perm = Perm.MANAGE_PEOPLE

    def visible(self, user):
        return (
            Position.objects.filter(access.unit_q(user, Perm.VIEW_ORG))
            .select_related("person", "unit")
            .order_by("-start_date", "id")
        )

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(unit__institution_id=params["institution"])
        if "unit" in params:
            queryset = self.in_subtree(queryset, params["unit"], "unit__")
        if "person" in params:
            queryset = queryset.filter(person_id=params["person"])
        if params.get("current") is True:
            queryset = queryset.current()
        elif params.get("current") is False:
            queryset = queryset.exclude(pk__in=Position.objects.current().values("pk"))
        return queryset

    @extend_schema(
        request=s.PositionEndSerializer,
        responses={200: s.PositionSerializer},
        summary="End a position",
        description="The position stays in the person's history.",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        position = self.get_object()
        params = s.PositionEndSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        position = services.position_end(
            actor=request.user, position=position, end_date=params.validated_data.get("end_date")
        )
        return Response(s.PositionSerializer(position, context=self.get_serializer_context()).data)


# --- programmes, academic years, contingent ------------------------------------------------


@filtered_by(s.ProgrammeFilterSerializer)
class ProgrammeViewSet(WriteViewSet):
    """Educational programmes. A programme that no longer admits students is set inactive."""

    model = Programme
    serializer_class = s.ProgrammeSerializer
    write_perm = Perm.MANAGE_PROGRAMMES

    def visible(self, user):
        return selectors.programmes_for(user).order_by("code", "study_form", "id")

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        if "unit" in params:
            queryset = self.in_subtree(queryset, params["unit"], "unit__")
        if "level" in params:
            queryset = queryset.filter(level=params["level"])
        if "study_form" in params:
            queryset = queryset.filter(study_form=params["study_form"])
        if params.get("active") is not None:
            queryset = queryset.filter(is_active=params["active"])
        return selectors.search_programmes(queryset, params.get("q", "").strip())


@filtered_by(s.AcademicYearFilterSerializer)
class AcademicYearViewSet(ReadViewSet):
    """Academic years with their semesters (read-only here)."""

    model = AcademicYear
    serializer_class = s.AcademicYearSerializer

    def visible(self, user):
        return selectors.academic_years_for(user).order_by("-start_year", "institution_id", "id")

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(institution_id=params["institution"])
        return queryset


@filtered_by(s.ContingentFilterSerializer)
class ContingentFigureViewSet(WriteViewSet):
    """A programme's student numbers per academic year, one row per programme and year."""

    model = ContingentFigure
    serializer_class = s.ContingentFigureSerializer
    write_perm = Perm.ENTER_CONTINGENT

    def visible(self, user):
        return (
            selectors.contingent_for(user)
            .select_related("programme__unit")
            .order_by("programme_id", "-academic_year__start_year", "id")
        )

    def scope_unit(self, obj):
        return obj.programme.unit

    def apply_filters(self, queryset, params):
        if "institution" in params:
            queryset = queryset.filter(programme__institution_id=params["institution"])
        if "unit" in params:
            queryset = self.in_subtree(queryset, params["unit"], "programme__unit__")
        if "programme" in params:
            queryset = queryset.filter(programme_id=params["programme"])
        if "academic_year" in params:
            queryset = queryset.filter(academic_year_id=params["academic_year"])
        return queryset

    @extend_schema(
        responses={201: s.ContingentFigureSerializer, 200: s.ContingentFigureSerializer},
        description="Figures for a programme and year that already has figures correct that row (answered with 200).",
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        code = status.HTTP_200_OK if serializer.replaced else status.HTTP_201_CREATED
        return Response(serializer.data, status=code)
