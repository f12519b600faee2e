from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "sapat.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from .indices import register_all

        register_all()
