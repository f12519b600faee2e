from django.urls import path

from . import views_public

urlpatterns = [
    path("done/", views_public.done, name="survey_done"),
    path("o/<str:key>/", views_public.answer_open, name="survey_open"),
    path("<str:code>/", views_public.answer, name="survey_answer"),
]
