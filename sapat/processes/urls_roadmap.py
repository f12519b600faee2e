from django.urls import path

from . import views_roadmap as views

urlpatterns = [
    path("roadmap/", views.roadmap_list, name="roadmap_list"),
    path("roadmap/new/", views.roadmap_add, name="roadmap_add"),
    path("roadmap/<int:pk>/", views.roadmap_detail, name="roadmap_detail"),
    path("roadmap/<int:pk>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("roadmap/stages/<int:pk>/tasks/new/", views.task_add, name="roadmap_task_add"),
    path("roadmap/tasks/<int:pk>/edit/", views.task_edit, name="roadmap_task_edit"),
    path("roadmap/tasks/<int:pk>/delete/", views.task_delete, name="roadmap_task_delete"),
    path("roadmap/tasks/<int:pk>/report/", views.task_report, name="roadmap_task_report"),
]
