from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "sapat.complaints"
    label = "complaints"
    verbose_name = _("Complaints and suggestions")

    def ready(self):
        from sapat.core import attachments

        from .models import Complaint
        from .services import can_attach_file, can_see_files

        attachments.register(Complaint, can_view=can_see_files, can_attach=can_attach_file)
