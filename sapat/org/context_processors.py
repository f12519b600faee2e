from django.conf import settings

from . import access
from .access import Perm
from .selectors import current_institution, institutions_for


def navigation(request):
    """What the navigation bar needs: the institution in view and which modules to show."""
    # Each language is offered under its own name, whatever the current one is.
    common = {"interface_languages": settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return common
    visible_ids = access.institution_ids(user)
    several = visible_ids is None or len(visible_ids) > 1
    return {
        **common,
        "current_institution": current_institution(request),
        "switchable_institutions": list(institutions_for(user)) if several else [],
        "nav": {
            "org": access.can(user, Perm.VIEW_ORG),
            "import": access.can(user, Perm.IMPORT_DATA),
            "audit": access.can(user, Perm.VIEW_AUDIT),
            "access": access.can(user, Perm.MANAGE_ACCESS),
            "doc_config": access.can(user, Perm.CONFIGURE_DOCUMENTS),
            "audits": access.can(user, Perm.VIEW_AUDITS),
            "complaints": access.can(user, Perm.ANSWER_COMPLAINTS),
            "complaints_handle": access.can(user, Perm.HANDLE_COMPLAINTS),
            "improvement": access.can(user, Perm.VIEW_ORG) or access.can(user, Perm.VIEW_NC),
            "improvement_all": access.can(user, Perm.MANAGE_NC) or access.can(user, Perm.VIEW_NC),
            "improvement_config": access.can(user, Perm.MANAGE_NC),
            "surveys": access.can(user, Perm.MANAGE_SURVEYS),
            "accreditation": access.can(user, Perm.VIEW_ACCREDITATION),
        },
    }
