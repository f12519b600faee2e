"""The respondents' page: no account, no session, no heavy scripts. The token in the link is
the credential (so the form needs no CSRF cookie: a forged post would need the token).
The answer stored carries neither the token nor anything about the browser."""

import hashlib
import hmac
from functools import wraps

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import answering
from .answering import Refused
from .choices import QuestionKind
from .models import pick

LANGS = ("ky", "ru", "en")
ANSWERED_COOKIE = "sapat_answered"
OPEN_RATE_LIMIT = 30  # answers per browser address and campaign per hour, for open links


def _lang(request) -> str:
    lang = request.POST.get("lang") or request.GET.get("lang") or ""
    return lang if lang in LANGS else "ky"


def in_respondents_language(view):
    """Messages and labels in the language the respondent chose (?lang=), not the site's."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(_lang(request)):
            return view(request, *args, **kwargs)

    return wrapper


def done_url(lang, key) -> str:
    """Where a stored answer leads: the thanks page, which also forgets the unfinished copy."""
    return f"{reverse('survey_done')}?lang={lang}&k={key}"


def _refused(request, refused: Refused, lang):
    return render(
        request, "surveys/public/message.html", {"message": refused.message, "lang": lang}, status=refused.status
    )


def _view_questions(questions, post, errors, lang) -> list[dict]:
    post = post or {}

    def chosen(name):
        return set(post.getlist(name)) if hasattr(post, "getlist") else set()

    def scale(labels, top, name):
        picked = chosen(name)
        return [
            {
                "value": i,
                "label": pick(labels[i - 1], lang) if i - 1 < len(labels) else str(i),
                "checked": str(i) in picked,
            }
            for i in range(1, top + 1)
        ]

    rows = []
    for number, q in enumerate(questions, start=1):
        name = f"q-{q.code}"
        row = {
            "number": number,
            "q": q,
            "name": name,
            "text": pick(q.text, lang),
            "error": errors.get(q.code),
            "value": post.get(name, ""),
            "other": post.get(f"{name}-other", ""),
        }
        if q.kind in (QuestionKind.MATRIX,) or (q.kind == QuestionKind.RATING4 and q.items):
            row["matrix"] = [
                {
                    "label": pick(item, lang),
                    "name": f"{name}-{i}",
                    "points": scale(q.scale_labels, q.scale_max, f"{name}-{i}"),
                }
                for i, item in enumerate(q.items, start=1)
            ]
            row["heads"] = [p["label"] for p in scale(q.scale_labels, q.scale_max, "")]
        elif q.kind in (QuestionKind.LIKERT, QuestionKind.RATING4):
            row["points"] = scale(q.scale_labels, q.scale_max, name)
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            row["points"] = scale(q.options, q.scale_max, name)
        rows.append(row)
    return rows


def _page(request, *, campaign, about, form_key, lang, post=None, errors=None, status=200):
    questionnaire = campaign.questionnaire
    questions = answering.questions_of(questionnaire)
    return render(
        request,
        "surveys/public/answer.html",
        {
            "campaign": campaign,
            "questionnaire": questionnaire,
            "title": pick({c: getattr(questionnaire, f"name_{c}") for c in LANGS}, lang),
            "intro": pick({c: getattr(questionnaire, f"intro_{c}") for c in LANGS}, lang),
            "about": about,
            "questions": _view_questions(questions, post, errors or {}, lang),
            "errors": errors,
            "lang": lang,
            "langs": [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")],
            "form_key": form_key,
        },
        status=status,
    )


def _about(slot) -> str:
    if slot.teacher_id:
        return f"{slot.discipline} — {slot.teacher.full_name}"
    return slot.discipline


@csrf_exempt
@in_respondents_language
def answer(request, code):
    lang = _lang(request)
    try:
        if request.method == "POST":
            fields = answering.as_fields(request.POST)
            stored = answering.submit_fast(code, fields, lang)
            errors = None if stored else answering.submit_code(code, fields, lang).errors
            if not errors:
                return redirect(done_url(lang, code[:24]))
            status = 400
        else:
            status, errors = 200, None
        # Shown only when there is a form to show: the slow, complete read is fine here.
        token = answering.token_lookup(code)
        answering.refuse_used(token)
        answering.ensure_open(token.campaign)
    except Refused as refused:
        return _refused(request, refused, lang)
    return _page(
        request,
        campaign=token.campaign,
        about=_about(token.slot),
        form_key=token.code,
        lang=lang,
        post=request.POST if errors else None,
        errors=errors,
        status=status,
    )


def _answered(request) -> list[int]:
    try:
        return signing.loads(request.COOKIES.get(ANSWERED_COOKIE, ""), salt="surveys.open")
    except signing.BadSignature:
        return []


def _rate_key(request, campaign) -> str:
    # Only a keyed hash of the address is kept, in the cache, for an hour.
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:24]
    return f"surveys-open:{campaign.pk}:{digest}"


@csrf_exempt
@in_respondents_language
def answer_open(request, key):
    lang = _lang(request)
    try:
        campaign = answering.open_campaign(key)
        answering.ensure_open(campaign)
        answered = _answered(request)
        if campaign.pk in answered:
            raise Refused(_("You have already answered this survey from this browser. Thank you!"), status=409)
        if request.method == "POST":
            rate_key = _rate_key(request, campaign)
            if cache.get(rate_key, 0) >= OPEN_RATE_LIMIT:
                raise Refused(_("Too many answers from this network. Try again in an hour."), status=429)
            checked = answering.submit_open(campaign, request.POST, lang)
            if not checked.errors:
                cache.set(rate_key, cache.get(rate_key, 0) + 1, 3600)
                response = redirect(done_url(lang, campaign.open_key))
                response.set_cookie(
                    ANSWERED_COOKIE,
                    signing.dumps([*answered, campaign.pk][-50:], salt="surveys.open"),
                    max_age=3600 * 24 * 365,
                    httponly=True,
                    samesite="Lax",
                )
                return response
            status, errors = 400, checked.errors
        else:
            status, errors = 200, None
    except Refused as refused:
        return _refused(request, refused, lang)
    return _page(
        request,
        campaign=campaign,
        about="",
        form_key=campaign.open_key,
        lang=lang,
        post=request.POST if errors else None,
        errors=errors,
        status=status,
    )


@in_respondents_language
def done(request):
    return render(
        request,
        "surveys/public/message.html",
        {
            "message": _("Thank you! Your answer has been recorded anonymously."),
            "lang": _lang(request),
            "clear_key": request.GET.get("k", "")[:32],
            "done": True,
        },
    )
