"""A lean way in for the hottest request in Sapat: a complete answer posted to /s/<code>/.

The answer form needs none of the site's middleware (no session, account, CSRF cookie,
messages or interface language: the token in the address is the credential and the view is
CSRF-exempt), yet passing through all of it costs more than checking and storing the
answer. So the WSGI application tries this first: it applies what does matter here — the
allowed hosts, the HTTPS redirect, the request size limits, the security headers — and
stores the answer with `answering.submit_fast`. Everything that is not a plain success
(another address, a used or unknown token, a missing answer, an odd request) is handed,
untouched, to the whole Django application, whose view answers exactly as before."""

import io
import logging
import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_script_name
from django.db import DatabaseError
from django.http import HttpResponseRedirect
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix

from . import answering
from .views_public import LANGS, done_url

logger = logging.getLogger(__name__)
ANSWER_PATH = re.compile(r"/s/([0-9A-Za-z]{1,24})/")
FORM_TYPES = ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8")


class LeanAnswers:
    def __init__(self, application):
        self.application = application
        # Where the site's middleware would act on such a request, leave it to the site.
        self.enabled = not (settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW)
        self.finishers = [
            m(lambda request: None) for m in (SecurityMiddleware, CommonMiddleware, XFrameOptionsMiddleware)
        ]

    def __call__(self, environ, start_response):
        if self.enabled and environ.get("REQUEST_METHOD") == "POST":
            match = ANSWER_PATH.fullmatch(environ.get("PATH_INFO", ""))
            if match and environ.get("CONTENT_TYPE", "").lower() in FORM_TYPES:
                response = self._answer(environ, match[1])
                if response is not None:
                    response._handler_class = WSGIHandler
                    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
                    return response
        return self.application(environ, start_response)

    def _answer(self, environ, code):
        """The redirect to the thanks page once the answer is stored; None when the site must
        answer (the body, if read, is put back for it)."""
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        try:
            request.get_host()  # ALLOWED_HOSTS
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None
            body = request.body  # refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE unread
        except Exception:  # noqa: BLE001 - the site's own handling says what is wrong
            return None
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            pairs = parse_qsl(
                body.decode(), keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            )
        except (UnicodeDecodeError, ValueError):
            return None
        fields = {}
        for name, value in pairs:
            if name in fields:
                fields[name].append(value)
            else:
                fields[name] = [value]
        lang = fields.get("lang", [""])[-1] or request.GET.get("lang", "")
        lang = lang if lang in LANGS else "ky"
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        try:
            stored = answering.submit_fast(code, fields, lang)
        except DatabaseError:
            logger.warning("Answer not stored on the lean path; the site takes it over", exc_info=True)
            stored = False
        if not stored:
            return None
        response = HttpResponseRedirect(done_url(lang, code))
        for finisher in self.finishers:
            response = finisher.process_response(request, response)
        return response
