from django.urls import path

from . import views, views_raising

urlpatterns = [
    path("nonconformities/", views.nc_list, name="nc_list"),
    path("nonconformities/new/", views.nc_add, name="nc_add"),
    path("nonconformities/<int:pk>/", views.nc_detail, name="nc_detail"),
    path("nonconformities/<int:pk>/edit/", views.nc_edit, name="nc_edit"),
    path("nonconformities/<int:pk>/start/", views.nc_start, name="nc_start"),
    path("nonconformities/<int:pk>/analysis/", views.nc_analyse, name="nc_analyse"),
    path("nonconformities/<int:pk>/actions/new/", views.nc_action_add, name="nc_action_add"),
    path("nonconformities/<int:pk>/approve/<str:side>/", views.nc_approve, name="nc_approve"),
    path("nonconformities/<int:pk>/check/", views.nc_check, name="nc_check"),
    path("nonconformities/<int:pk>/close/", views.nc_close, name="nc_close"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/new/", views.action_add, name="action_add"),
    path("actions/overdue/", views.overdue_actions, name="overdue_actions"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/note/", views.action_note, name="action_note"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path(
        "from/<str:source>/<int:pk>/nonconformity/",
        views_raising.raise_nonconformity,
        name="raise_nonconformity",
    ),
    path("from/<str:source>/<int:pk>/action/", views_raising.raise_action, name="raise_action"),
    path("analysis/", views.analysis, name="improvement_analysis"),
    path("settings/", views.configuration, name="improvement_config"),
    path("settings/types/new/", views.nc_type_edit, name="nc_type_add"),
    path("settings/types/<int:pk>/", views.nc_type_edit, name="nc_type_edit"),
]
