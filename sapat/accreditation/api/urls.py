"""/api/accreditation-frameworks/, /api/criterion-mappings/ and /api/accreditations/ (with
/events/ to record a suspension, restoration, termination or duplicate)."""

from rest_framework.routers import SimpleRouter

from . import views, views_projects

router = SimpleRouter()
router.register("accreditation-frameworks", views.FrameworkViewSet, basename="api-accreditation-framework")
router.register("criterion-mappings", views.MappingViewSet, basename="api-criterion-mapping")
router.register("accreditations", views.AccreditationViewSet, basename="api-accreditation")
router.register("self-evaluations", views_projects.ProjectViewSet, basename="api-self-evaluation")
router.register("criterion-assessments", views_projects.AssessmentViewSet, basename="api-criterion-assessment")

urlpatterns = router.urls
