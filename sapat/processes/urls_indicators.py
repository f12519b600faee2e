from django.urls import path

from . import views_indicators as views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/dashboard.pdf", views.indicator_dashboard_pdf, name="indicator_dashboard_pdf"),
    path("indicators/dashboard/scopes/", views.indicator_dashboard_scopes, name="indicator_dashboard_scopes"),
    path("indicators/new/", views.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/values/new/", views.indicator_value_add, name="indicator_value_add"),
    path("indicators/<int:pk>/targets/new/", views.indicator_target_add, name="indicator_target_add"),
    path("indicators/values/<int:pk>/", views.indicator_value_detail, name="indicator_value_detail"),
    path("indicators/<int:pk>/compute/", views.indicator_compute, name="indicator_compute"),
]
