"""/api/complaints/ (list, detail, route, answer, note)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("complaints", views.ComplaintViewSet, basename="api-complaint")

urlpatterns = router.urls
