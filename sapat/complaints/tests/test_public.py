"""The public pages without an account: sending, the tracking code, following it, and the
spam protections (honeypot, fill time, single-use form, rate limits per address)."""

import re

import pytest
from django.urls import reverse

from sapat.complaints import spam
from sapat.complaints.choices import MessageKind, Status
from sapat.complaints.models import Complaint

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def quick(settings, db):
    # The cache (rate limits, used forms) is the database's: each test starts with it empty.
    settings.COMPLAINT_MIN_FILL_SECONDS = 0


def form_data(client, inst, **extra):
    page = client.get(reverse("trust_submit", args=[inst.code]))
    assert page.status_code == 200
    started = re.search(r'name="started" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "kind": "complaint",
        "submitter_type": "student",
        "category": "teaching",
        "subject": "Сабак өтпөй калды",
        "text": "Мугалим үч жолу келген жок.",
        "anonymous": "on",
        "started": started,
        "website": "",
    }
    data.update(extra)
    return data


def submit(client, inst, **extra):
    return client.post(
        reverse("trust_submit", args=[inst.code]), form_data(client, inst, **extra), REMOTE_ADDR="10.1.2.3"
    )


def test_the_public_page_needs_no_account_and_speaks_each_language(client, world):
    for language in ("ky", "ru", "en"):
        client.cookies["sapat_language"] = language
        response = client.get(reverse("trust_submit", args=[world.inst.code]))
        assert response.status_code == 200 and f'<html lang="{language}">' in response.content.decode()
    assert client.get(reverse("trust_submit", args=["nowhere"])).status_code == 404


def test_sending_shows_the_tracking_code_once_and_stores_no_address(client, world):
    response = submit(client, world.inst)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in response.content.decode()
    assert complaint.status == Status.NEW and complaint.anonymous and complaint.submitted_by is None
    stored = " ".join(str(v) for v in Complaint.objects.values().get().values())
    assert "10.1.2.3" not in stored


def test_a_signed_in_user_sending_anonymously_is_not_linked(client, world):
    client.force_login(world.staff_a)
    submit(client, world.inst)
    assert Complaint.objects.get().submitted_by is None


def test_a_signed_in_user_sending_with_contacts_is_linked(client, world):
    client.force_login(world.staff_a)
    submit(client, world.inst, anonymous="", contact_name="Бакыт", contact_email="b@example.org")
    assert Complaint.objects.get().submitted_by == world.staff_a


def test_anonymous_with_contacts_is_refused_with_a_message(client, world):
    response = submit(client, world.inst, contact_email="b@example.org")
    assert response.status_code == 400
    assert "carries no name or contacts" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_honeypot_refuses(client, world):
    response = submit(client, world.inst, website="http://spam.example")
    assert response.status_code == 400 and "Website" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_form_sent_too_quickly_is_refused(client, world, settings):
    settings.COMPLAINT_MIN_FILL_SECONDS = 60
    response = submit(client, world.inst)
    assert response.status_code == 400 and "sent very quickly" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_forged_or_reused_timestamp_is_refused(client, world):
    data = form_data(client, world.inst)
    url = reverse("trust_submit", args=[world.inst.code])
    assert client.post(url, {**data, "started": "12345"}).status_code == 400
    assert client.post(url, data).status_code == 200
    again = client.post(url, data)  # the page reloaded: not sent twice
    assert again.status_code == 400 and "already been sent" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_too_many_messages_from_one_address_are_refused(client, world, settings):
    settings.COMPLAINT_LIMITS = {**settings.COMPLAINT_LIMITS, "submit": (2, 3600)}
    assert submit(client, world.inst).status_code == 200
    assert submit(client, world.inst).status_code == 200
    response = submit(client, world.inst)
    assert response.status_code == 429 and "Too many messages" in response.content.decode()
    assert Complaint.objects.count() == 2
    # Another address is not held back; the addresses are kept only as keyed hashes.
    other = client.post(
        reverse("trust_submit", args=[world.inst.code]), form_data(client, world.inst), REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 200
    assert "10.1.2.3" not in spam._key(type("R", (), {"META": {"REMOTE_ADDR": "10.1.2.3"}})(), "submit")


def test_tracking_shows_status_and_answer(client, world):
    c = f.routed(world)
    response = client.post(reverse("trust_track"), {"code": c.tracking_code.lower().replace("-", " ")})
    assert response.status_code == 200 and c.subject in response.content.decode()
    assert "preparing the answer" in response.content.decode()
    from sapat.complaints import services

    services.complaint_note(actor=world.head_a, complaint=c, text="Ички эскертүү")
    services.complaint_answer(actor=world.head_a, complaint=c, answer="Мугалим алмаштырылды.")
    page = client.post(reverse("trust_track"), {"code": c.tracking_code}).content.decode()
    assert "Мугалим алмаштырылды." in page
    assert "Ички эскертүү" not in page  # internal notes stay internal


def test_a_wrong_code_is_refused_and_guessing_is_limited(client, world, settings):
    settings.COMPLAINT_LIMITS = {**settings.COMPLAINT_LIMITS, "track": (3, 3600)}
    c = f.complaint(world.inst)
    for _ in range(3):
        response = client.post(reverse("trust_track"), {"code": "AAAA-AAAA"})
        assert response.status_code == 400 and "no message with this code" in response.content.decode()
    response = client.post(reverse("trust_track"), {"code": c.tracking_code})
    assert response.status_code == 429  # even the right code, once the address has guessed too often


def test_a_follow_up_through_the_tracking_page(client, world):
    c = f.routed(world)
    response = client.post(reverse("trust_follow_up"), {"code": c.tracking_code, "text": "Бүгүн да келген жок."})
    assert response.status_code == 200 and "has been added" in response.content.decode()
    assert c.messages.get().kind == MessageKind.FOLLOW_UP


def test_a_follow_up_that_tries_to_identify_an_anonymous_complaint_is_refused(client, world):
    c = f.routed(world)
    response = client.post(
        reverse("trust_follow_up"),
        {"code": c.tracking_code, "text": "Мен Бакытмын", "contact_name": "Бакыт", "contact_email": "b@example.org"},
    )
    assert response.status_code == 400 and "stays anonymous" in response.content.decode()
    c.refresh_from_db()
    assert not c.messages.exists() and c.contact_name == "" and c.contact_email == ""


def test_the_follow_up_form_shows_no_contact_fields_on_an_anonymous_complaint(client, world):
    c = f.routed(world)
    page = client.post(reverse("trust_track"), {"code": c.tracking_code}).content.decode()
    assert 'name="contact_name"' not in page and 'name="text"' in page


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_an_anonymous_sender_may_attach_a_file_kept_without_their_name(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sapat.core.attachments import attachments_of

    client.force_login(world.staff_a)
    response = submit(client, world.inst, upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"))
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    attachment = attachments_of(complaint).get()
    assert attachment.uploaded_by is None and attachment.name == "photo.png"


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = submit(client, world.inst, upload=SimpleUploadedFile("photo.png", b"MZ not an image"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()
