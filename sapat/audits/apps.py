from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "sapat.audits"
    verbose_name = _("Internal audits")
    default_auto_field = "django.db.models.BigAutoField"
