from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "sapat.processes"
    label = "processes"
    verbose_name = _("Processes, policy and objectives")

    def ready(self):
        from sapat.org.imports import register

        from .imports_indicators import IndicatorValueImporter

        register(IndicatorValueImporter)
