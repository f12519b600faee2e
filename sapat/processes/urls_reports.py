from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("objectives/report/", views.objectives_report, name="objectives_report"),
]
