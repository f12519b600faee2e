"""/api/questionnaires/ and /api/survey-campaigns/ (with tokens and results)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("questionnaires", views.QuestionnaireViewSet, basename="api-questionnaire")
router.register("survey-campaigns", views.CampaignViewSet, basename="api-survey-campaign")

urlpatterns = router.urls
