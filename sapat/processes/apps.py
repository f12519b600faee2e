from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "sapat.processes"
    label = "processes"
    verbose_name = _("Processes, policy and objectives")

    def ready(self):
        from sapat.core import attachments
        from sapat.org.imports import register

        from . import selectors_analysis
        from .imports_indicators import IndicatorValueImporter
        from .models_analysis import ProcessAnalysis
        from .models_indicators import IndicatorValue
        from .services_indicators import can_attach_evidence, can_see_value

        register(IndicatorValueImporter)
        attachments.register(
            ProcessAnalysis,
            can_view=selectors_analysis.can_view_files,
            can_attach=selectors_analysis.can_attach_files,
        )
        attachments.register(IndicatorValue, can_view=can_see_value, can_attach=can_attach_evidence)
