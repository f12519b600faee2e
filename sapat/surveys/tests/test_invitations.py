"""One-time links by e-mail: staff and lists of addresses, the recipient's language,
reminders only to unused links, and no row tying a used link or an answer to an address."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from sapat.org.tests import factories as org
from sapat.surveys import answering, services
from sapat.surveys.choices import Stakeholder
from sapat.surveys.models import Answer, Campaign, Invitation, Questionnaire, Response, Token

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")
BASE = "https://sapat.example.kg/"


def _campaign(world, audience, key):
    services.library_load(actor=world.quality, institution=world.inst)
    today = timezone.localdate()
    campaign = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=Questionnaire.objects.get(institution=world.inst, key=key),
        title="Сурамжылоо 2026",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=10),
        audience=audience,
    )
    services.campaign_create(actor=world.quality, campaign=campaign, units=[world.fac_a])
    services.campaign_open(actor=world.quality, campaign=campaign)
    return campaign


@pytest.fixture
def graduates(world):
    return _campaign(world, Stakeholder.EMPLOYERS, "employer-survey")


def _answer_by_mail(message, questionnaire, answers):
    code = message.body.split("/s/")[1].split("/")[0]
    return answering.submit_code(code, f.form(questionnaire, answers), "ru")


def _employer_answers(questionnaire):
    """A complete answer to each required question of the library's employer survey."""
    answers = {}
    for q in questionnaire.questions.all():
        if q.kind == "matrix":
            for i in range(1, len(q.items) + 1):
                answers[f"{q.code}-{i}"] = "4"
        elif q.kind in ("likert", "single", "rating4"):
            answers[q.code] = "1"
        elif q.kind == "multiple":
            answers[q.code] = ["1"]
        elif q.kind == "number":
            answers[q.code] = str(q.min_value or 1)
    return answers


def test_a_list_of_addresses_gets_links_in_each_ones_language(world, graduates, django_capture_on_commit_callbacks):
    addresses = services.parse_addresses("hr@kumtor.kg, ru\nboss@bank.kg\n\nhr@kumtor.kg\nceo@it.kg; en")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.invitations_send(actor=world.quality, campaign=graduates, base_url=BASE, addresses=addresses) == 3
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@bank.kg", "ceo@it.kg", "hr@kumtor.kg"]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Your personal one-time link" in by_address["ceo@it.kg"].body
    assert "?lang=en" in by_address["ceo@it.kg"].body and "?lang=ru" in by_address["hr@kumtor.kg"].body
    assert "?lang=ky" in by_address["boss@bank.kg"].body
    assert Token.objects.filter(campaign=graduates).count() == 3
    # Sending again reaches only new addresses: nobody gets a second link.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.parse_addresses("boss@bank.kg\nnew@firm.kg")
        assert services.invitations_send(actor=world.quality, campaign=graduates, base_url=BASE, addresses=again) == 1
    assert Token.objects.filter(campaign=graduates).count() == 4


def test_a_used_link_is_tied_to_nobody_and_reminders_skip_it(world, graduates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(
            actor=world.quality,
            campaign=graduates,
            base_url=BASE,
            addresses=services.parse_addresses("a@firm.kg\nb@firm.kg\nc@firm.kg"),
        )
    first = next(m for m in mail.outbox if m.to == ["a@firm.kg"])
    checked = _answer_by_mail(first, graduates.questionnaire, _employer_answers(graduates.questionnaire))
    assert not checked.errors, checked.errors
    # Inspect the database: a's invitation no longer holds any token, no invitation holds a
    # used one, and nothing stored with the answer names a token, an address or a time.
    invitation = Invitation.objects.get(email="a@firm.kg")
    assert invitation.token_id is None
    assert not Invitation.objects.filter(token__used=True).exists()
    used = Token.objects.get(campaign=graduates, used=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM surveys_invitation WHERE token_id = %s", [used.pk])
        assert cursor.fetchone()[0] == 0
    response_fields = {f.name for f in Response._meta.concrete_fields}
    answer_fields = {f.name for f in Answer._meta.concrete_fields}
    assert response_fields == {"id", "campaign", "slot", "submitted_on", "language"}
    assert answer_fields == {"id", "response", "campaign", "slot", "question", "item", "value", "text"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_remind(actor=world.quality, campaign=graduates, base_url=BASE) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["b@firm.kg", "c@firm.kg"]
    invited = Invitation.objects.get(email=mail.outbox[0].to[0])
    with translation.override(invited.language):  # each reminder in its recipient's language
        expected = translation.gettext(
            "A reminder: the survey “%(title)s” is open until %(ends)s, and your link has not been used yet."
        ) % {"title": graduates.title, "ends": graduates.ends_on.strftime("%d.%m.%Y")}
    assert expected in mail.outbox[0].body
    # The reminder carries the same link as before.
    original = Invitation.objects.get(email="b@firm.kg").token.code
    assert original in next(m for m in mail.outbox if m.to == ["b@firm.kg"]).body


def test_staff_are_invited_from_their_records(world, django_capture_on_commit_callbacks):
    campaign = _campaign(world, Stakeholder.STAFF, "staff-satisfaction")
    world.staff_a.person.email = "staff.a@batsu.kg"
    world.staff_a.person.save()
    world.head_a.language = "ru"
    world.head_a.email = "head.a@batsu.kg"
    world.head_a.save()
    world.head_a.person.email = ""
    world.head_a.person.save()
    org.person(world.fac_b, "Башка", email="other@batsu.kg")  # outside the campaign's units
    with django_capture_on_commit_callbacks(execute=True):
        n = services.invitations_send(actor=world.quality, campaign=campaign, base_url=BASE)
    sent = {m.to[0]: m for m in mail.outbox}
    assert "staff.a@batsu.kg" in sent and "head.a@batsu.kg" in sent and "other@batsu.kg" not in sent
    assert n == len(sent) and "?lang=ru" in sent["head.a@batsu.kg"].body


@pytest.mark.parametrize(
    "text, message",
    [("not-an-address", "Line 1: “not-an-address” is not an e-mail address."), ("a@b.kg, de", "Line 1: the language")],
)
def test_bad_lists_send_nothing(world, graduates, text, message):
    with pytest.raises(ValidationError) as error:
        services.parse_addresses(f"ok@firm.kg\n{text}".replace("Line 1", "Line 2"))
    assert message.replace("Line 1", "Line 2") in " ".join(error.value.messages)
    assert not Invitation.objects.exists() and not mail.outbox


def test_refusals(world, graduates):
    ev = f.teaching(world)
    with pytest.raises(ValidationError, match="per group"):
        services.invitations_send(
            actor=world.quality, campaign=ev.campaign, base_url=BASE, addresses=[("a@b.kg", "ky")]
        )
    with pytest.raises(ValidationError, match="Nobody to invite"):
        services.invitations_send(actor=world.quality, campaign=graduates, base_url=BASE, addresses=[])
    for user in (world.head_a, world.staff_a, world.quality_a):
        with pytest.raises(PermissionDenied):
            services.invitations_send(actor=user, campaign=graduates, base_url=BASE, addresses=[("a@b.kg", "ky")])
    services.campaign_close(actor=world.quality, campaign=graduates)
    with pytest.raises(ValidationError, match="Open the campaign"):
        services.invitations_remind(actor=world.quality, campaign=graduates, base_url=BASE)
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_invitation_form_on_the_campaign_page(client, world, graduates):
    url = reverse("campaign_invite", args=[graduates.pk])
    client.force_login(world.head_a)
    assert client.post(url, {"addresses": "a@firm.kg"}).status_code in (403, 404)
    client.force_login(world.quality)
    page = client.get(graduates.get_absolute_url()).content.decode()
    assert 'data-testid="invitations"' in page
    bad = client.post(url, {"addresses": "a@firm.kg\nnonsense"}, follow=True).content.decode()
    assert "Line 2" in bad and not Invitation.objects.exists()
    good = client.post(url, {"addresses": "a@firm.kg, ru"}, follow=True).content.decode()
    assert "Invitations sent: 1" in good and Invitation.objects.get().language == "ru"
    remind = client.post(url, {"remind": "1"}, follow=True).content.decode()
    assert "Reminders are sent" in remind and Invitation.objects.get().reminders == 1
