from django.urls import path

from . import views_frameworks as views

urlpatterns = [
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("mappings/", views.mapping_list, name="mapping_list"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
]
