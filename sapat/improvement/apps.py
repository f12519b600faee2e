from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "sapat.improvement"
    label = "improvement"
    verbose_name = _("Nonconformities and improvement actions")

    def ready(self):
        from sapat.core import attachments
        from sapat.processes import computations

        from . import figures, services
        from .models import Action, Nonconformity

        attachments.register(
            Nonconformity,
            can_view=services.can_view_nonconformity,
            can_attach=services.can_attach_to_nonconformity,
        )
        attachments.register(Action, can_view=services.can_view_action, can_attach=services.can_attach_to_action)
        computations.register("open_nonconformities", _("Open nonconformities"), figures.open_nonconformities)
        computations.register(
            "actions_on_time_share", _("Improvement actions done on time, %"), figures.actions_on_time_share
        )
