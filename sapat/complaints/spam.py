"""Keeping robots and floods off the public pages without any third-party service:

- a rate limit per client address, counted in the cache under a keyed hash of the address
  (the address itself is stored nowhere, and never with a complaint);
- a honeypot field that people do not see and robots fill in;
- a minimum time between opening the form and sending it, carried in a signed timestamp,
  which is also single-use (a reloaded page does not send the complaint twice)."""

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from sapat.core.forms import client_address

SALT = "sapat.complaints.form"
FORM_MAX_AGE = 24 * 3600


def _limit(scope: str) -> tuple[int, int]:
    return settings.COMPLAINT_LIMITS[scope]


def _key(request, scope: str) -> str:
    digest = salted_hmac("sapat.complaints.rate", client_address(request)).hexdigest()
    return f"complaints:{scope}:{digest}"


def is_limited(request, scope: str) -> bool:
    """Has this address used up its allowance for `scope` ("submit", "track", "follow_up")?"""
    allowed, _window = _limit(scope)
    return cache.get(_key(request, scope), 0) >= allowed


def count(request, scope: str) -> None:
    _allowed, window = _limit(scope)
    key = _key(request, scope)
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, window)


def issue_started() -> str:
    """The value of the form's hidden `started` field: when the form was shown (and a nonce,
    so that two forms shown in the same second are told apart), signed."""
    return signing.dumps([int(time.time()), secrets.token_hex(6)], salt=SALT)


def started_problem(token: str) -> str | None:
    """None when the form was shown long enough ago (and not too long); else which problem:
    "invalid", "expired", "too_fast" or "used"."""
    try:
        started, _nonce = signing.loads(token or "", salt=SALT, max_age=FORM_MAX_AGE)
    except (TypeError, ValueError):
        return "invalid"
    except signing.SignatureExpired:
        return "expired"
    except signing.BadSignature:
        return "invalid"
    if time.time() - started < settings.COMPLAINT_MIN_FILL_SECONDS:
        return "too_fast"
    if cache.get(_used_key(token)):
        return "used"
    return None


def mark_used(token: str) -> None:
    cache.set(_used_key(token), 1, FORM_MAX_AGE)


def _used_key(token: str) -> str:
    return "complaints:used:" + salted_hmac("sapat.complaints.used", token).hexdigest()
