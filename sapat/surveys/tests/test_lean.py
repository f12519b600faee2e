"""The short way in for complete answers (sapat/surveys/lean.py) and the one-statement store
(answering.submit_fast): a complete answer is stored once without the site's middleware;
everything else is answered by the ordinary view, exactly as before."""

import io
import threading
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from sapat.surveys import answering, services
from sapat.surveys.lean import LeanAnswers
from sapat.surveys.models import Answer, Response, Token
from sapat.wsgi import django_application

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def cold_process():
    answering._FORMS.clear()


@pytest.fixture
def ev(world):
    return f.teaching(world)


@contextmanager
def keep_test_connection():
    # As Django's test client does: a request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class Site:
    """Counts the requests the lean path hands to the whole Django application."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return django_application(environ, start_response)


def wsgi_post(app, path, data, host="127.0.0.1", query="lang=en"):
    body = (urlencode(list(data.lists()), doseq=True) if hasattr(data, "lists") else urlencode(data)).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    with keep_test_connection():
        result = app(environ, start_response)
        content = b"".join(result)
        result.close()
    return seen["status"], seen["headers"], content.decode()


def answer_path(token):
    return reverse("survey_answer", args=[token.code])


def fresh(ev):
    return Token.objects.filter(slot=ev.s1, used=False).first()


def warm(ev):
    """The first answer of a process reads the questionnaire (the ordinary view)."""
    site = Site()
    status, _h, _c = wsgi_post(LeanAnswers(site), answer_path(fresh(ev)), f.form(ev.q))
    assert status == 302 and site.calls == 1
    return Response.objects.count()


def test_a_complete_answer_is_stored_once_without_the_site(ev):
    before = warm(ev)
    token, site = fresh(ev), Site()
    status, headers, _c = wsgi_post(LeanAnswers(site), answer_path(token), f.form(ev.q))
    assert status == 302 and site.calls == 0
    assert headers["Location"] == f"{reverse('survey_done')}?lang=en&k={token.code}"
    # The same protective headers as the site's middleware gives.
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin" and headers["Content-Length"] == "0"
    token.refresh_from_db()
    assert token.used
    response = Response.objects.latest("pk")
    assert Response.objects.count() == before + 1
    assert (response.slot_id, response.language, response.submitted_on) == (ev.s1.pk, "en", timezone.localdate())
    assert Answer.objects.filter(response=response).count() == len(f.TEACHING_ANSWERS)
    assert Answer.objects.get(response=response, question__code="improve").text == f.TEACHING_ANSWERS["improve"]

    # The same token again: the site answers, with its message, and nothing more is stored.
    status, _h, content = wsgi_post(LeanAnswers(site), answer_path(token), f.form(ev.q))
    assert status == 409 and "already been used" in content and site.calls == 1
    assert Response.objects.count() == before + 1


def _without(answers, code):
    return {k: v for k, v in answers.items() if k != code}


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"answers": _without(f.TEACHING_ANSWERS, "clarity")}, 400, "Question 2 needs an answer."),
        ({"answers": {**f.TEACHING_ANSWERS, "goals": "6"}}, 400, "outside its scale"),
        ({"extra": {"q-goals": "five"}}, 400, "Reload the page"),
        ({"extra": {"q-unknown": "1"}}, 400, "Reload the page"),
        ({"extra": {"v": "999999"}}, 400, "Reload the page"),
        ({"extra": {"q-improve": "a\x00b"}}, 400, "Reload the page"),
        ({"code": "nosuchcode"}, 404, "not valid"),
    ],
)
def test_every_refusal_is_the_sites_and_stores_nothing(ev, change, status, message):
    before = warm(ev)
    token, site = fresh(ev), Site()
    data = f.form(ev.q, change.get("answers"), **change.get("extra", {}))
    path = reverse("survey_answer", args=[change["code"]]) if "code" in change else answer_path(token)
    got, _h, content = wsgi_post(LeanAnswers(site), path, data)
    assert (got, site.calls) == (status, 1)
    assert message in content
    assert Response.objects.count() == before
    token.refresh_from_db()
    assert not token.used


def test_a_closed_or_edited_survey_is_never_answered_from_the_cache(ev, world):
    before = warm(ev)
    site = Site()
    # Closed since the questionnaire was read: refused with the site's message.
    services.campaign_close(actor=world.quality, campaign=ev.campaign)
    status, _h, content = wsgi_post(LeanAnswers(site), answer_path(fresh(ev)), f.form(ev.q))
    assert status == 410 and "no longer accepted" in content
    ev.campaign.status = "open"
    ev.campaign.save()
    # A version without answers edited in place (here: a new required question) after this
    # process read it: the cached form no longer matches, so the site checks afresh.
    Answer.objects.all().delete()
    Response.objects.all().delete()
    services.question_save(
        actor=world.quality,
        questionnaire=ev.q,
        question=None,
        data={"code": "extra", "kind": "likert", "text": {"ky": "Кошумча"}, "required": True},
    )
    status, _h, content = wsgi_post(LeanAnswers(site), answer_path(fresh(ev)), f.form(ev.q))
    assert status == 400 and "needs an answer" in content
    assert Response.objects.count() == 0 and before == 1


def test_a_host_not_allowed_is_left_to_the_site(ev):
    warm(ev)
    site = Site()
    status, _h, _c = wsgi_post(LeanAnswers(site), answer_path(fresh(ev)), f.form(ev.q), host="evil.example")
    assert status == 400 and site.calls == 1


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (DATABASE_URL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_token_at_once_store_one_answer(world):
    """Two server threads answering with the same token at the same moment: one stores, the
    other is told the link is used. Real concurrency needs PostgreSQL's row locks."""
    ev = f.teaching(world)
    answering.submit_token(fresh(ev), f.form(ev.q), "ky")  # reads the questionnaire
    codes = list(Token.objects.filter(slot=ev.s1, used=False).values_list("code", flat=True)[:20])
    fields = answering.as_fields(f.form(ev.q))
    outcomes = []

    def submit(code, barrier):
        barrier.wait()
        try:
            outcomes.append(answering.submit_fast(code, fields, "ky"))
        finally:
            connection.close()

    for code in codes:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=submit, args=(code, barrier)) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == [False] * len(codes) + [True] * len(codes)
    assert Response.objects.count() == len(codes) + 1
    assert Answer.objects.count() == (len(codes) + 1) * len(f.TEACHING_ANSWERS)
