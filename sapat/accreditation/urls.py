"""/accreditation/…: each part of the app brings its own url module; the app's own address
opens the register."""

from django.urls import path
from django.views.generic import RedirectView

from . import urls_frameworks, urls_projects, urls_register

urlpatterns = [path("", RedirectView.as_view(pattern_name="accreditation_register"), name="accreditation_home")]
urlpatterns += urls_frameworks.urlpatterns
urlpatterns += urls_register.urlpatterns
urlpatterns += urls_projects.urlpatterns
