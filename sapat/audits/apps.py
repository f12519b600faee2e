from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "sapat.audits"
    verbose_name = _("Internal audits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sapat.core import attachments

        from . import services
        from .choices import AuditState
        from .models import AuditorTraining, ChecklistItem

        # Evidence of a checklist answer: seen by whoever sees the audit, added by the team
        # while the audit is conducted and its report written.
        attachments.register(
            ChecklistItem,
            can_view=lambda user, item: services.can_see_audit(user, item.audit),
            can_attach=lambda user, item: (
                item.audit.state in (AuditState.CONDUCT, AuditState.REPORT)
                and services.is_team_member(user, item.audit)
            ),
        )
        # An auditor's certificate: seen with the pool, kept by the quality department.
        attachments.register(
            AuditorTraining,
            can_view=lambda user, training: services.can_view(user, training.auditor.institution_id),
            can_attach=lambda user, training: services.can_manage(user, training.auditor.institution_id),
        )
