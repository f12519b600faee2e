from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "sapat.accreditation"
    verbose_name = _("Accreditation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .services_frameworks import load_shipped_after_migrate

        # The shipped packs are in the database from the first migrate on (issue 7 item 1).
        post_migrate.connect(load_shipped_after_migrate, sender=self)

        from .services_projects import register_attachments

        register_attachments()
