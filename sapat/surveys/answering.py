"""The respondent's side: reading a questionnaire for the form, checking a submitted form,
and storing it — the hottest path in Sapat (a whole university answers in the same hour).

The common case — a complete answer with a fresh token — is `submit_fast`: the form is
checked against the questionnaire's compiled structure kept in the process, and one
statement marks the token used (only if it is unused, its campaign open and the
questionnaire unchanged) and inserts the response and its answers. Anything else goes
through `submit_code`, which reads everything afresh and names the reason for a refusal."""

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CampaignStatus, QuestionKind
from .models import Answer, Campaign, Question, Questionnaire, Response, Slot, Token

TEXT_LIMIT = 2000
SHORT_TEXT_LIMIT = 300
CACHE_SIZE = 200
_QUESTIONS: dict[tuple[int, object], list] = {}
_FORMS: dict[int, "Form"] = {}


class Refused(Exception):
    """The whole submission is refused (bad token, closed survey, tampered form): nothing stored."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Checked:
    rows: list  # (question_id, item, value, text) of each answer to store
    errors: dict  # question code -> message


class Asked(NamedTuple):
    """What checking needs of one question, read once per questionnaire version."""

    id: int
    code: str
    name: str  # the form field
    kind: str
    required: bool
    top: int  # the highest scale point or option
    matrix: bool
    items: int  # matrix rows
    min_value: int | None
    max_value: int | None
    allow_other: bool
    show_if_code: str
    show_if_values: frozenset


@dataclass(frozen=True)
class Form:
    """A questionnaire version as the answering form sees it. `updated_at` is its stamp: a
    version without answers may still be edited, and a stale copy must never store."""

    pk: int
    updated_at: object
    questions: tuple[Asked, ...]
    known: frozenset  # every field name our page can send


def _remember(cache: dict, key, value):
    if len(cache) > CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


def questions_of(questionnaire) -> list[Question]:
    key = (questionnaire.pk, questionnaire.updated_at)
    cached = _QUESTIONS.get(key)
    if cached is None:
        questions = questionnaire.questions.select_related("section").order_by("section__order", "order", "id")
        cached = _remember(_QUESTIONS, key, list(questions))
    return cached


def form_of(questionnaire: Questionnaire) -> Form:
    form = _FORMS.get(questionnaire.pk)
    if form is None or form.updated_at != questionnaire.updated_at:
        asked, known = [], {"v", "csrfmiddlewaretoken", "lang"}
        for q in questions_of(questionnaire):
            name = f"q-{q.code}"
            matrix = q.kind == QuestionKind.MATRIX or (q.kind == QuestionKind.RATING4 and bool(q.items))
            items = len(q.items) if matrix else 0
            known.update({name, f"{name}-other", *(f"{name}-{i}" for i in range(1, items + 1))})
            asked.append(
                Asked(
                    q.pk, q.code, name, q.kind, q.required, q.scale_max, matrix, items, q.min_value, q.max_value,
                    q.allow_other, q.show_if_code, frozenset(q.show_if_values),
                )
            )  # fmt: skip
        form = Form(questionnaire.pk, questionnaire.updated_at, tuple(asked), frozenset(known))
        _remember(_FORMS, questionnaire.pk, form)
    return form


def as_fields(post) -> dict[str, list[str]]:
    """A submitted form as {name: [values]} (a QueryDict, or a plain dict in tests)."""
    if hasattr(post, "lists"):
        return dict(post.lists())
    return {key: value if isinstance(value, list) else [value] for key, value in post.items()}


def _damaged():
    return Refused(_("The form was changed or damaged. Reload the page and answer again."))


def _int(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise _damaged() from None


class _Outside(Exception):
    pass


def _point(raw, top) -> int:
    value = _int(raw)
    if not 1 <= value <= top:
        raise _Outside
    return value


def check(form: Form, fields: dict[str, list[str]]) -> Checked:
    """Read a submitted form against the questionnaire: per-question messages for missing
    or out-of-range answers; `Refused` for a form that cannot have come from our page."""
    version = fields.get("v")
    if not version or version[-1] != str(form.pk):
        raise Refused(_("The questionnaire has changed since the page was opened. Reload the page and answer again."))
    if not form.known.issuperset(fields):
        raise _damaged()
    rows, errors, given = [], {}, {}
    for number, q in enumerate(form.questions, start=1):
        if q.show_if_code and not (given.get(q.show_if_code, set()) & q.show_if_values):
            continue
        try:
            answered = _read(q, fields)
        except _Outside:
            errors[q.code] = _("The answer to question %(number)d is outside its scale.") % {"number": number}
            continue
        if not answered and q.required:
            errors[q.code] = _("Question %(number)d needs an answer.") % {"number": number}
            continue
        given[q.code] = {row[2] for row in answered if row[2] is not None}
        rows.extend(answered)
    return Checked(rows, errors)


def _text(fields, name, limit) -> str:
    values = fields.get(name)
    text = values[-1].strip()[:limit] if values else ""
    if "\x00" in text:  # no browser sends it, and the database refuses it
        raise _damaged()
    return text


def _read(q: Asked, fields) -> list[tuple]:
    """The rows (question_id, item, value, text) answering `q`; value 0 is "other"."""
    kind, name = q.kind, q.name
    if kind == QuestionKind.SHORT_TEXT or kind == QuestionKind.LONG_TEXT:
        text = _text(fields, name, SHORT_TEXT_LIMIT if kind == QuestionKind.SHORT_TEXT else TEXT_LIMIT)
        return [(q.id, 0, None, text)] if text else []
    if kind == QuestionKind.NUMBER:
        raw = fields.get(name, [""])[-1].strip()
        if not raw:
            return []
        value = _int(raw)
        if (q.min_value is not None and value < q.min_value) or (q.max_value is not None and value > q.max_value):
            raise _Outside
        return [(q.id, 0, value, "")]
    if q.matrix:
        rows = []
        for item in range(1, q.items + 1):
            raw = fields.get(f"{name}-{item}", [""])[-1]
            if raw:
                rows.append((q.id, item, _point(raw, q.top), ""))
        if q.required and rows and len(rows) < q.items:
            return []  # a required matrix needs every row
        return rows
    if kind == QuestionKind.MULTIPLE:
        rows = [(q.id, 0, _point(raw, q.top), "") for raw in dict.fromkeys(fields.get(name, ()))]
    else:
        raw = fields.get(name, [""])[-1]
        rows = [(q.id, 0, _point(raw, q.top), "")] if raw else []
    other = _text(fields, f"{name}-other", SHORT_TEXT_LIMIT) if q.allow_other else ""
    if other:
        rows.append((q.id, 0, 0, other))  # value 0: "other", its words in `text`
    return rows


def _store(campaign_id, slot_id, rows, lang) -> None:
    """Insert the response and all its answers: two statements, no ORM objects per answer."""
    response = Response.objects.create(
        campaign_id=campaign_id, slot_id=slot_id, submitted_on=timezone.localdate(), language=lang
    )
    if not rows:
        return
    params = []
    for question_id, item, value, text in rows:
        params += [response.pk, campaign_id, slot_id, question_id, item, value, text]
    values = ",".join(["(%s,%s,%s,%s,%s,%s,%s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Answer._meta.db_table} (response_id, campaign_id, slot_id, question_id, item, value, text) "
            f"VALUES {values}",
            params,
        )


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
    """Store one answer given with a token, reading token, campaign and questionnaire afresh.
    Returns the check; nothing is stored when it has errors. A token used at the same moment
    in two tabs stores one response only: marking it used is a conditional UPDATE in the
    same transaction as the insert."""
    token = token_lookup(code)
    refuse_used(token)
    ensure_open(token.campaign)
    checked = check(form_of(token.campaign.questionnaire), as_fields(post))
    if checked.errors:
        return checked
    with transaction.atomic():
        if not Token.objects.filter(pk=token.pk, used=False).update(used=True):
            raise Refused(USED_MESSAGE(), status=409)
        _store(token.campaign_id, token.slot_id, checked.rows, lang)
    return checked


# The token is taken only if it is unused, its campaign open today and the questionnaire
# the form was checked against is the campaign's, unchanged since it was read.
_TAKE_TOKEN = f"""
    UPDATE {Token._meta.db_table} SET used = %s
    WHERE code = %s AND used = %s AND campaign_id IN (
        SELECT c.id FROM {Campaign._meta.db_table} c JOIN {Questionnaire._meta.db_table} q ON q.id = c.questionnaire_id
        WHERE q.id = %s AND q.updated_at = %s AND c.status = %s AND c.starts_on <= %s AND c.ends_on >= %s)
    RETURNING campaign_id, slot_id"""

# PostgreSQL: the same and both inserts in one statement (one round trip, atomic by itself).
_TAKE_AND_STORE = f"""
    WITH token AS ({_TAKE_TOKEN}),
    response AS (
        INSERT INTO {Response._meta.db_table} (campaign_id, slot_id, submitted_on, language)
        SELECT campaign_id, slot_id, %s, %s FROM token RETURNING id, campaign_id, slot_id),
    answers AS (
        INSERT INTO {Answer._meta.db_table} (response_id, campaign_id, slot_id, question_id, item, value, text)
        SELECT r.id, r.campaign_id, r.slot_id, a.question_id, a.item, a.value, a.text
        FROM response r, unnest(%s::bigint[], %s::smallint[], %s::integer[], %s::text[])
            AS a(question_id, item, value, text))
    SELECT count(*) FROM response"""


def _server_bound_cursor():
    """A cursor of Django's connection that sends parameters apart from the statement, so
    PostgreSQL plans the statement once per connection when `prepare_threshold` is set
    (settings: SAPAT_DB_PREPARED). Django's own cursors bind on the client and never prepare."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


def submit_fast(code, fields: dict[str, list[str]], lang) -> bool:
    """Store a complete answer when everything is plainly right: the questionnaire version is
    known to this process, the form is complete and valid, and the token can be taken.
    Returns False, having stored nothing, in every other case: `submit_code` then finds and
    words the reason (or stores, once it has read the questionnaire)."""
    version = fields.get("v", [""])[-1]
    form = _FORMS.get(int(version)) if version.isdigit() else None
    if form is None:
        return False
    try:
        checked = check(form, fields)
    except Refused:
        return False
    if checked.errors or not checked.rows:
        return False
    today = timezone.localdate()
    stamp = connection.ops.adapt_datetimefield_value(form.updated_at)
    take = [True, code[:24], False, form.pk, stamp, CampaignStatus.OPEN, today, today]
    if connection.vendor == "postgresql":
        columns = [list(column) for column in zip(*checked.rows, strict=True)]
        with _server_bound_cursor() as cursor:
            cursor.execute(_TAKE_AND_STORE, [*take, today, lang, *columns])
            return cursor.fetchone()[0] == 1
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_TAKE_TOKEN, take)
            taken = cursor.fetchone()
        if taken is None:
            return False
        _store(*taken, checked.rows, lang)
    return True


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
    checked = check(form_of(campaign.questionnaire), as_fields(post))
    if checked.errors:
        return checked
    slot = open_slot(campaign)
    with transaction.atomic():
        _store(campaign.pk, slot.pk, checked.rows, lang)
    return checked
