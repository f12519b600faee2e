"""/api/processes/, /api/objectives/, /api/indicators/, /api/indicator-values/ (with the bulk
upload) /api/risks/ and /api/risk-actions/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("processes", views.ProcessViewSet, basename="api-process")
router.register("objectives", views.ObjectiveViewSet, basename="api-objective")
router.register("indicators", views.IndicatorViewSet, basename="api-indicator")
router.register("indicator-values", views.IndicatorValueViewSet, basename="api-indicator-value")
router.register("risks", views.RiskViewSet, basename="api-risk")
router.register("risk-actions", views.RiskActionViewSet, basename="api-risk-action")

urlpatterns = router.urls
