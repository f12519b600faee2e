"""/accreditation/…: each part of the app brings its own url module."""

from . import urls_frameworks, urls_projects, urls_register

urlpatterns = []
urlpatterns += urls_frameworks.urlpatterns
urlpatterns += urls_register.urlpatterns
urlpatterns += urls_projects.urlpatterns
