import hashlib

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def client_address(request) -> str:
    """The caller's address. Behind nginx every request comes from 127.0.0.1, so with
    SAPAT_PROXY_COUNT proxies in front the address is read from X-Forwarded-For, counting
    from the right (the left end is whatever the client chose to send)."""
    if request is None:
        return ""
    hops = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in that pauses a user name at one address after too many failed attempts."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a few minutes and try again."),
    }

    def _key(self) -> str:
        username = (self.data.get("username") or "").strip().lower()
        digest = hashlib.sha256(f"{username}\0{client_address(self.request)}".encode()).hexdigest()
        return f"login-failures:{digest}"

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
