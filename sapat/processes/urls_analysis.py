from django.urls import path

from . import views_analysis as views

urlpatterns = [
    path("analysis/", views.analysis_overview, name="analysis_overview"),
    path("analysis/remind/", views.analysis_remind, name="analysis_remind"),
    path("<int:pk>/analysis/<int:year>/", views.analysis_detail, name="analysis_detail"),
    path("<int:pk>/analysis/<int:year>/edit/", views.analysis_edit, name="analysis_edit"),
    path("<int:pk>/analysis/<int:year>/submit/", views.analysis_submit, name="analysis_submit"),
    path("<int:pk>/analysis/<int:year>/return/", views.analysis_return, name="analysis_return"),
    path("<int:pk>/analysis/<int:year>/accept/", views.analysis_accept, name="analysis_accept"),
    path("<int:pk>/analysis/<int:year>.pdf", views.analysis_pdf, name="analysis_pdf"),
]
