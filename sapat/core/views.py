from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sapat.documents import selectors as document_selectors
from sapat.org import access, selectors
from sapat.org.access import MATRIX, PERM_LABELS, Perm
from sapat.org.choices import Role
from sapat.org.models import Unit
from sapat.org.services import user_set_language

from .audit_views import history_entries
from .forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@require_POST
def set_language(request):
    """Switch the interface language; for a signed-in user the choice is kept on the account."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    user_set_language(user=request.user, language=language)
    translation.activate(language)
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    return response


@login_required
def home(request):
    user = request.user
    institution = selectors.current_institution(request)
    context = {"institution": institution, "grants": access.grants(user)}
    if institution is not None and access.can(user, Perm.VIEW_ORG):
        context["counts"] = {
            "units": selectors.units_for(user).filter(institution=institution, closed_on__isnull=True).count(),
            "people": selectors.people_for(user).filter(institution=institution, left_on__isnull=True).count(),
            "programmes": selectors.programmes_for(user).filter(institution=institution, is_active=True).count(),
        }
    context["tasks"] = [
        (label, count, reverse("my_documents"))
        for label, count in (
            (_("documents to read"), document_selectors.my_pending_acquaintances(user).count()),
            (_("documents to agree"), document_selectors.my_agreement_turns(user).count()),
            (_("documents to approve"), document_selectors.my_approvals(user).count()),
        )
        if count
    ]
    grants = context.pop("grants")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[g.unit_id for g in grants if g.unit_id])}
    context["my_roles"] = [(Role(g.role).label, units.get(g.unit_id)) for g in grants]
    return render(request, "core/home.html", context)


@login_required
def permission_matrix(request):
    rows = [(label, [perm in MATRIX[role] for role in Role.values]) for perm, label in PERM_LABELS.items()]
    return render(request, "core/permissions.html", {"roles": Role.choices, "rows": rows})


@login_required
def record_history(request, app_label, model, object_id):
    """A record's audit trail, shown on its page for those who may read the log there."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    entries = history_entries(request.user, content_type, object_id)
    return render(request, "core/_history.html", {"entries": entries})
