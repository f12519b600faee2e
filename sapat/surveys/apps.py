from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "sapat.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from django.db.models.signals import post_save

        from .answering import forget_campaign
        from .indices import register_all
        from .models import Campaign

        register_all()
        post_save.connect(
            lambda sender, instance, **kw: forget_campaign(instance.pk),
            sender=Campaign,
            weak=False,
            dispatch_uid="surveys.forget_campaign",
        )
