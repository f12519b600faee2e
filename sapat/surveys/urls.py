from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/add/", views.campaign_add, name="campaign_add"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/do/<str:action>/", views.campaign_action, name="campaign_action"),
    path("campaigns/<int:pk>/tokens/", views.campaign_tokens, name="campaign_tokens"),
    path("campaigns/<int:pk>/teaching-load/", views.campaign_import, name="campaign_import"),
    path("campaigns/<int:pk>/invite/", views.campaign_invite, name="campaign_invite"),
    path("campaigns/<int:pk>/slips/", views.campaign_slips, name="campaign_slips"),
    path("campaigns/<int:pk>/results/", views.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/results.pdf", views.campaign_results_pdf, name="campaign_results_pdf"),
    path("campaigns/<int:pk>/raise-action/", views.campaign_raise_action, name="campaign_raise_action"),
    path("campaigns/<int:pk>/results.<str:fmt>", views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/answers.csv", views.campaign_raw, name="campaign_raw"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/import/", views.questionnaire_import, name="questionnaire_import"),
    path("questionnaires/library/", views.library_load, name="questionnaire_library_load"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/sections/add/", views.section_edit, name="section_add"),
    path("questionnaires/<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("questionnaires/<int:pk>/move/<str:what>/<str:item>/", views.questionnaire_move, name="questionnaire_move"),
    path("questionnaires/<int:pk>/questions/add/", views.question_edit, name="question_add"),
    path("questionnaires/<int:pk>/questions/<slug:code>/", views.question_edit, name="question_edit"),
]
