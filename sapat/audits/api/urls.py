"""/api/audit-programmes/, /api/audits/ (with the workflow steps), /api/audit-findings/ and
/api/checklist-items/ (with the answer)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("audit-programmes", views.AuditProgrammeViewSet, basename="api-audit-programme")
router.register("audits", views.AuditViewSet, basename="api-audit")
router.register("audit-findings", views.FindingViewSet, basename="api-audit-finding")
router.register("checklist-items", views.ChecklistItemViewSet, basename="api-checklist-item")

urlpatterns = router.urls
