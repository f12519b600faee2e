"""/api/accreditation-frameworks/, /api/criterion-mappings/ and /api/accreditations/ (with
/events/ to record a suspension, restoration, termination or duplicate)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("accreditation-frameworks", views.FrameworkViewSet, basename="api-accreditation-framework")
router.register("criterion-mappings", views.MappingViewSet, basename="api-criterion-mapping")
router.register("accreditations", views.AccreditationViewSet, basename="api-accreditation")

urlpatterns = router.urls
