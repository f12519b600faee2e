"""/api/documents/ and /api/document-files/: documents, their revisions and status, and
permission-checked downloads."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="api-document")
router.register("document-files", views.DocumentFileViewSet, basename="api-document-file")

urlpatterns = router.urls
