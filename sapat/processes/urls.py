from django.urls import path

from . import urls_analysis, urls_indicators, urls_policy, urls_reports, urls_risks, urls_roadmap, views

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("new/", views.process_add, name="process_add"),
    path("model/", views.process_model, name="process_model"),
    path("model.svg", views.process_model_svg, name="process_model_svg"),
    path("<int:pk>/", views.process_detail, name="process_detail"),
    path("<int:pk>/edit/", views.process_edit, name="process_edit"),
    path("<int:pk>/history/", views.process_history, name="process_history"),
    path("<int:pk>/passport.pdf", views.process_passport_pdf, name="process_passport_pdf"),
    path("<int:pk>/owners/new/", views.ownership_add, name="ownership_add"),
    path("owners/<int:pk>/end/", views.ownership_end, name="ownership_end"),
    path("<int:pk>/inputs/new/", views.input_add, name="input_add"),
    path("inputs/<int:pk>/edit/", views.input_edit, name="input_edit"),
    path("inputs/<int:pk>/delete/", views.input_delete, name="input_delete"),
    path("<int:pk>/outputs/new/", views.output_add, name="output_add"),
    path("outputs/<int:pk>/edit/", views.output_edit, name="output_edit"),
    path("outputs/<int:pk>/delete/", views.output_delete, name="output_delete"),
]
urlpatterns += urls_risks.urlpatterns
urlpatterns += urls_policy.urlpatterns
urlpatterns += urls_indicators.urlpatterns
urlpatterns += urls_analysis.urlpatterns
urlpatterns += urls_roadmap.urlpatterns
urlpatterns += urls_reports.urlpatterns
