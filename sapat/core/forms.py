from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in that pauses a user name at one address after too many failed attempts."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a few minutes and try again."),
    }

    def _key(self) -> str:
        username = (self.data.get("username") or "").strip().lower()
        return f"login-failures:{username}:{_client_address(self.request)}"

    def clean(self):
        key = self._key()
        if cache.get(key, 0) >= settings.LOGIN_MAX_FAILURES:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            data = super().clean()
        except ValidationError:
            cache.set(key, cache.get(key, 0) + 1, settings.LOGIN_LOCKOUT_SECONDS)
            raise
        cache.delete(key)
        return data
