"""/api/...: the organisation's records and the token endpoint."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("institutions", views.InstitutionViewSet, basename="api-institution")
router.register("units", views.UnitViewSet, basename="api-unit")
router.register("people", views.PersonViewSet, basename="api-person")
router.register("positions", views.PositionViewSet, basename="api-position")
router.register("programmes", views.ProgrammeViewSet, basename="api-programme")
router.register("academic-years", views.AcademicYearViewSet, basename="api-academic-year")
router.register("contingent", views.ContingentFigureViewSet, basename="api-contingent")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="api_token"),
    *router.urls,
]
