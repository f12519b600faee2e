"""The respondent's page: a complete answer is stored anonymously once; every bad input gets
a clear message and stores nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.surveys import answering
from sapat.surveys.models import Answer, Response, Token

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def ev(world):
    return f.teaching(world)


def token_of(ev, slot=None):
    return Token.objects.filter(slot=slot or ev.s1, used=False).first()


def post(client, token, data, lang="en"):
    return client.post(reverse("survey_answer", args=[token.code]) + f"?lang={lang}", data)


def stored():
    return Response.objects.count(), Answer.objects.count()


def test_the_page_speaks_the_respondents_language(client, ev):
    token = token_of(ev)
    page = client.get(reverse("survey_answer", args=[token.code]) + "?lang=ky")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Окутуучу материалды түшүнүктүү түшүндүрөт" in text
    assert "Педагогика" in text and ev.s1.teacher.full_name in text
    ru = client.get(reverse("survey_answer", args=[token.code]) + "?lang=ru").content.decode()
    assert "Преподаватель понятно объясняет материал" in ru
    # No heavy scripts: nothing but the few inline lines.
    assert "<script src" not in text and len(page.content) < 40_000


def test_a_complete_answer_is_stored_once_and_the_token_used(client, ev):
    token = token_of(ev)
    response = post(client, token, f.form(ev.q))
    assert response.status_code == 302 and response["Location"].startswith(reverse("survey_done"))
    assert Response.objects.get().slot_id == ev.s1.pk
    assert Answer.objects.count() == len(f.TEACHING_ANSWERS)
    token.refresh_from_db()
    assert token.used

    again = post(client, token, f.form(ev.q))
    assert again.status_code == 409
    assert "already been used" in again.content.decode()
    assert stored() == (1, len(f.TEACHING_ANSWERS))
    assert client.get(reverse("survey_answer", args=[token.code])).status_code == 409


def test_nothing_stored_links_an_answer_to_a_token_person_or_time(client, ev, world):
    token = token_of(ev)
    client.force_login(world.staff_a)  # even a signed-in respondent leaves no trace
    post(client, token, f.form(ev.q))
    # The schema: no foreign key from an answer or response to a token or account, no time.
    for model in (Response, Answer):
        for fld in model._meta.concrete_fields:
            assert fld.related_model not in (Token, type(world.staff_a)), fld
            assert fld.get_internal_type() != "DateTimeField", fld
    token_fields = {fld.name for fld in Token._meta.concrete_fields}
    assert token_fields == {"id", "campaign", "slot", "code", "used"}
    # The rows: nothing in any column holds the token's code or the user's id or name.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveys_response")
        response_rows = cursor.fetchall()
        cursor.execute("SELECT * FROM surveys_answer")
        answer_rows = cursor.fetchall()
    flat = [str(v) for row in response_rows + answer_rows for v in row]
    assert token.code not in flat
    assert world.staff_a.username not in flat
    (row,) = Response.objects.values()
    assert set(row) == {"id", "campaign_id", "slot_id", "submitted_on", "language"}
    assert isinstance(row["submitted_on"], datetime.date) and not isinstance(row["submitted_on"], datetime.datetime)


def test_missing_required_answers_are_named_and_nothing_is_stored(client, ev):
    token = token_of(ev)
    answers = dict(f.TEACHING_ANSWERS)
    del answers["clarity"]
    response = post(client, token, f.form(ev.q, answers))
    assert response.status_code == 400
    assert "Question 2 needs an answer." in response.content.decode()
    assert stored() == (0, 0)
    token.refresh_from_db()
    assert not token.used
    # What was answered is shown again.
    assert 'value="4" checked' in response.content.decode()


def test_a_value_outside_the_scale_is_refused(client, ev):
    token = token_of(ev)
    response = post(client, token, f.form(ev.q, {**f.TEACHING_ANSWERS, "goals": "6"}))
    assert response.status_code == 400
    assert "The answer to question 1 is outside its scale." in response.content.decode()
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    "change",
    [
        {"q-goals": "five"},  # not a number
        {"q-unknown": "1"},  # a field our page never has
        {"v": "999999"},  # another questionnaire version
    ],
)
def test_a_tampered_form_is_refused(client, ev, change):
    token = token_of(ev)
    data = f.form(ev.q)
    for key, value in change.items():
        data[key] = value
    response = post(client, token, data)
    assert response.status_code == 400
    assert "Reload the page" in response.content.decode()
    assert stored() == (0, 0)
    token.refresh_from_db()
    assert not token.used


def test_unknown_expired_and_not_started_links(client, ev):
    assert client.get(reverse("survey_answer", args=["nosuchcode"])).status_code == 404
    token = token_of(ev)
    campaign = ev.campaign
    campaign.ends_on = campaign.starts_on = datetime.date(2020, 1, 1)
    campaign.save()
    response = post(client, token, f.form(ev.q))
    assert response.status_code == 410 and "no longer accepted" in response.content.decode()
    campaign.starts_on = campaign.ends_on = datetime.date(2100, 1, 1)
    campaign.save()
    assert post(client, token, f.form(ev.q)).status_code == 403
    assert stored() == (0, 0)


def test_conditional_question_answers_are_dropped_when_hidden(world):
    ev = f.teaching(world)
    from sapat.surveys import services
    from sapat.surveys.choices import Stakeholder
    from sapat.surveys.models import Campaign, Questionnaire

    q = Questionnaire.objects.get(institution=world.inst, key="student-services")
    campaign = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=q,
        title="Кызматтар",
        starts_on=ev.campaign.starts_on,
        ends_on=ev.campaign.ends_on,
        audience=Stakeholder.STUDENTS,
    )
    services.campaign_create(actor=world.quality, campaign=campaign, groups=[ev.g1])
    services.tokens_generate(actor=world.quality, campaign=campaign)
    services.campaign_open(actor=world.quality, campaign=campaign)
    matrix = {f"services-{i}": "4" for i in range(1, 8)}
    base = {**matrix, "recommend": "5"}
    tokens = list(Token.objects.filter(campaign=campaign)[:3])
    # Not living in a dormitory: the dormitory problems are not asked, even if sent.
    answering.submit_token(tokens[0], f.form(q, {**base, "dorm": "2", "dorm-issues": ["1", "2"]}), "ky")
    assert not Answer.objects.filter(question__code="dorm-issues").exists()
    # Living there: ticked problems and the "other" text are kept.
    data = f.form(q, {**base, "dorm": "1", "dorm-issues": ["1", "3"]}, **{"q-dorm-issues-other": "Шыбак"})
    answering.submit_token(tokens[1], data, "ky")
    assert sorted(Answer.objects.filter(question__code="dorm-issues").values_list("value", flat=True)) == [0, 1, 3]
    # A required matrix needs every row.
    partial = {**base, "dorm": "2"}
    del partial["services-7"]
    checked = answering.submit_token(tokens[2], f.form(q, partial), "en")
    assert "services" in checked.errors


def test_submission_is_a_handful_of_queries(client, ev):
    tokens = list(Token.objects.filter(slot=ev.s1)[:2])
    post(client, tokens[0], f.form(ev.q))  # warms the cached questionnaire
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, tokens[1], f.form(ev.q))
    assert response.status_code == 302
    # token lookup, BEGIN…: mark used, insert response, bulk insert answers (plus savepoints).
    assert len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) <= 4


def test_open_link_answers_once_per_browser(client, world):
    from django.utils import timezone

    from sapat.surveys import services
    from sapat.surveys.choices import Stakeholder
    from sapat.surveys.models import Campaign, Questionnaire

    services.library_load(actor=world.quality, institution=world.inst)
    q = Questionnaire.objects.get(institution=world.inst, key="parent-survey")
    today = timezone.localdate()
    campaign = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=q,
        title="Ата-энелер",
        starts_on=today,
        ends_on=today,
        audience=Stakeholder.PARENTS,
        open_link=True,
    )
    services.campaign_create(actor=world.quality, campaign=campaign)
    services.campaign_open(actor=world.quality, campaign=campaign)
    url = reverse("survey_open", args=[campaign.open_key])
    assert client.post(url, f.form(q, {"informed": "4", "overall": "5"})).status_code == 302
    second = client.post(url, f.form(q, {"informed": "4", "overall": "5"}))
    assert second.status_code == 409
    assert Response.objects.filter(campaign=campaign).count() == 1
    # A wrong key is simply unknown.
    assert client.get(reverse("survey_open", args=["nope"])).status_code == 404
