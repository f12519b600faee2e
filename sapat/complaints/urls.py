from django.urls import path

from . import views, views_public

urlpatterns = [
    path("trust/", views_public.trust_index, name="trust_index"),
    path("trust/track/", views_public.trust_track, name="trust_track"),
    path("trust/track/message/", views_public.trust_follow_up, name="trust_follow_up"),
    path("trust/<slug:code>/", views_public.trust_submit, name="trust_submit"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/analysis/", views.complaint_analysis, name="complaint_analysis"),
    path("complaints/settings/", views.complaint_settings, name="complaint_settings"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/route/", views.complaint_route, name="complaint_route"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/note/", views.complaint_note, name="complaint_note"),
]
