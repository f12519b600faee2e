"""/api/nonconformities/ and /api/improvement-actions/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("nonconformities", views.NonconformityViewSet, basename="api-nonconformity")
router.register("improvement-actions", views.ActionViewSet, basename="api-improvement-action")

urlpatterns = router.urls
