"""The respondent's side: reading a questionnaire for the form, checking a submitted form,
and storing it — the hottest path in Sapat (a whole university answers in the same hour).

A submission is one transaction of three statements: mark the token used (an UPDATE that
only succeeds once), insert the response, bulk insert its answers. The questions of a
questionnaire version are cached in the process: a version with answers never changes."""

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CampaignStatus, QuestionKind
from .models import Answer, Campaign, Question, Response, Slot, Token

TEXT_LIMIT = 2000
_QUESTIONS: dict[tuple[int, object], list] = {}
_CAMPAIGNS: dict[int, tuple[float, Campaign]] = {}
CAMPAIGN_CACHE_SECONDS = 5


class Refused(Exception):
    """The whole submission is refused (bad token, closed survey, tampered form): nothing stored."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Checked:
    answers: list  # unsaved Answer objects without response/campaign/slot
    errors: dict  # question code -> message


def questions_of(questionnaire) -> list[Question]:
    key = (questionnaire.pk, questionnaire.updated_at)
    cached = _QUESTIONS.get(key)
    if cached is None:
        cached = list(questionnaire.questions.select_related("section").order_by("section__order", "order", "id"))
        if len(_QUESTIONS) > 200:
            _QUESTIONS.clear()
        _QUESTIONS[key] = cached
    return cached


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Refused(_("The form was changed or damaged. Reload the page and answer again.")) from None


def _scale_value(raw, top, number):
    value = _int(raw)
    if not 1 <= value <= top:
        raise _Outside(number)
    return value


class _Outside(Exception):
    pass


def _visible(question, given: dict) -> bool:
    if not question.show_if_code:
        return True
    return bool(given.get(question.show_if_code, set()) & set(question.show_if_values))


def check(questionnaire, post) -> Checked:
    """Read a submitted form against the questionnaire: per-question messages for missing
    or out-of-range answers; `Refused` for a form that cannot have come from our page."""
    if str(post.get("v", "")) != str(questionnaire.pk):
        raise Refused(_("The questionnaire has changed since the page was opened. Reload the page and answer again."))
    questions = questions_of(questionnaire)
    known = {"v", "csrfmiddlewaretoken", "lang"}
    answers, errors, given = [], {}, {}
    for number, q in enumerate(questions, start=1):
        name = f"q-{q.code}"
        known.update({name, f"{name}-other"})
        if q.kind == QuestionKind.MATRIX or (q.kind == QuestionKind.RATING4 and q.items):
            known.update(f"{name}-{i}" for i in range(1, len(q.items) + 1))
        if not _visible(q, given):
            continue
        try:
            rows = _read(q, post, name, number)
        except _Outside:
            errors[q.code] = _("The answer to question %(number)d is outside its scale.") % {"number": number}
            continue
        if not rows and q.required:
            errors[q.code] = _("Question %(number)d needs an answer.") % {"number": number}
            continue
        given[q.code] = {a.value for a in rows if a.value is not None}
        answers.extend(rows)
    unknown = [key for key in post if key not in known]
    if unknown:
        raise Refused(_("The form was changed or damaged. Reload the page and answer again."))
    return Checked(answers, errors)


def _read(q, post, name, number) -> list[Answer]:
    kind = q.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        text = post.get(name, "").strip()[: 300 if kind == QuestionKind.SHORT_TEXT else TEXT_LIMIT]
        return [Answer(question=q, text=text)] if text else []
    if kind == QuestionKind.NUMBER:
        raw = post.get(name, "").strip()
        if not raw:
            return []
        value = _int(raw)
        if (q.min_value is not None and value < q.min_value) or (q.max_value is not None and value > q.max_value):
            raise _Outside
        return [Answer(question=q, value=value)]
    if kind == QuestionKind.MATRIX or (kind == QuestionKind.RATING4 and q.items):
        rows = []
        for item in range(1, len(q.items) + 1):
            raw = post.get(f"{name}-{item}", "")
            if raw:
                rows.append(Answer(question=q, item=item, value=_scale_value(raw, q.scale_max, number)))
        if q.required and rows and len(rows) < len(q.items):
            return []  # a required matrix needs every row
        return rows
    if kind == QuestionKind.MULTIPLE:
        values = post.getlist(name) if hasattr(post, "getlist") else [post[name]] if name in post else []
        rows = [Answer(question=q, value=_scale_value(raw, q.scale_max, number)) for raw in dict.fromkeys(values)]
    else:
        raw = post.get(name, "")
        rows = [Answer(question=q, value=_scale_value(raw, q.scale_max, number))] if raw else []
    other = post.get(f"{name}-other", "").strip()[:300] if q.allow_other else ""
    if other:
        rows.append(Answer(question=q, value=0, text=other))  # value 0: "other", its words in `text`
    return rows


def _store(campaign, slot_id, checked: Checked, lang) -> None:
    """Insert the response and all its answers: two statements, no ORM objects per answer."""
    response = Response.objects.create(
        campaign_id=campaign.pk, slot_id=slot_id, submitted_on=timezone.localdate(), language=lang
    )
    if not checked.answers:
        return
    params = []
    for a in checked.answers:
        params += [response.pk, campaign.pk, slot_id, a.question_id, a.item, a.value, a.text]
    table = Answer._meta.db_table
    values = ",".join(["(%s,%s,%s,%s,%s,%s,%s)"] * len(checked.answers))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (response_id, campaign_id, slot_id, question_id, item, value, text) VALUES {values}",
            params,
        )


def campaign_cached(pk) -> Campaign:
    """A campaign with its questionnaire, kept in the process for a few seconds: the hot path
    reads it for every answer. Saving a campaign drops it here at once (other server
    processes see the change within CAMPAIGN_CACHE_SECONDS)."""
    now = time.monotonic()
    hit = _CAMPAIGNS.get(pk)
    if hit is not None and now - hit[0] < CAMPAIGN_CACHE_SECONDS:
        return hit[1]
    campaign = Campaign.objects.select_related("questionnaire").get(pk=pk)
    _CAMPAIGNS[pk] = (now, campaign)
    return campaign


def forget_campaign(pk) -> None:
    _CAMPAIGNS.pop(pk, None)


def ensure_open(campaign) -> None:
    today = timezone.localdate()
    if campaign.status == CampaignStatus.DRAFT or today < campaign.starts_on:
        raise Refused(_("This survey has not started yet."), status=403)
    if campaign.status == CampaignStatus.CLOSED or today > campaign.ends_on:
        raise Refused(_("This survey is over: answers are no longer accepted."), status=410)


def token_lookup(code) -> Token:
    try:
        return Token.objects.select_related("campaign__questionnaire", "slot__teacher").get(code=code[:24])
    except Token.DoesNotExist:
        raise Refused(_("This link is not valid. Check that you copied it in full."), status=404) from None


def USED_MESSAGE():  # noqa: N802 - a message, read when raised (in the respondent's language)
    return _("This link has already been used: each link answers once. Thank you!")


def refuse_used(token) -> None:
    if token.used:
        raise Refused(USED_MESSAGE(), status=409)


def submit_code(code, post, lang) -> Checked:
    """Store one answer given with a token. Returns the check; nothing is stored when it has
    errors. A token used at the same moment in two tabs stores one response only: marking it
    used is a conditional UPDATE in the same transaction as the insert."""
    code = code[:24]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT campaign_id, slot_id, used FROM {Token._meta.db_table} WHERE code = %s", [code])
        row = cursor.fetchone()
    if row is None:
        raise Refused(_("This link is not valid. Check that you copied it in full."), status=404)
    campaign_id, slot_id, used = row
    if used:
        raise Refused(USED_MESSAGE(), status=409)
    campaign = campaign_cached(campaign_id)
    ensure_open(campaign)
    checked = check(campaign.questionnaire, post)
    if checked.errors:
        return checked
    with transaction.atomic():
        if not Token.objects.filter(code=code, used=False).update(used=True):
            raise Refused(USED_MESSAGE(), status=409)
        _store(campaign, slot_id, checked, lang)
    return checked


def submit_token(token: Token, post, lang) -> Checked:
    return submit_code(token.code, post, lang)


def open_slot(campaign) -> Slot:
    slot = campaign.slots.order_by("pk").first()
    if slot is None:
        raise Refused(_("This survey has no open link."), status=404)
    return slot


def open_campaign(key) -> Campaign:
    campaign = Campaign.objects.select_related("questionnaire").filter(open_key=key[:32], open_link=True).first()
    if campaign is None:
        raise Refused(_("This link is not valid. Check that you copied it in full."), status=404)
    return campaign


def submit_open(campaign, post, lang) -> Checked:
    """An answer through a campaign's open link (employers, parents); the per-browser limit
    and the rate limit are the view's."""
    ensure_open(campaign)
    checked = check(campaign.questionnaire, post)
    if checked.errors:
        return checked
    slot = open_slot(campaign)
    with transaction.atomic():
        _store(campaign, slot.pk, checked, lang)
    return checked
