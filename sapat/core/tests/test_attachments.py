"""Evidence files: checked by content, scoped by the record's own rules, audited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sapat.core import attachments
from sapat.core.models import Attachment, AuditEntry
from sapat.org.models import Unit

pytestmark = pytest.mark.usefixtures("english")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def units_take_files(monkeypatch, settings, tmp_path):
    """Units stand in for a quality record: seen by staff of the institution, files added by
    the quality department only."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setitem(attachments._REGISTRY, "org.unit", None)
    attachments.register(
        Unit,
        can_view=lambda user, unit: user is not None and user.is_authenticated and user.username != "head_b",
        can_attach=lambda user, unit: user is not None and user.username == "quality",
    )


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_a_file_is_stored_with_its_digest_and_logged(world, units_take_files):
    unit = world.dep_a
    attachment = attachments.attachment_add(
        actor=world.quality, record=unit, upload=upload("scan.PNG", PNG), note="minutes"
    )
    assert attachment.file_format == "png" and attachment.size == len(PNG) and len(attachment.sha256) == 64
    assert list(attachments.attachments_of(unit)) == [attachment]
    entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Attachment))
    assert entry.actor == world.quality and entry.unit_id == unit.pk


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.pdf", PNG, "The file is named .pdf but its content is not a PDF file."),
        ("run.exe", b"MZ" + b"\x00" * 10, "Only these files are accepted:"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_a_wrong_file_is_refused_and_nothing_is_stored(world, units_take_files, name, data, message):
    with pytest.raises(ValidationError) as caught:
        attachments.attachment_add(actor=world.quality, record=world.dep_a, upload=upload(name, data))
    assert message in caught.value.messages[0]
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(world, units_take_files, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        attachments.attachment_add(actor=world.quality, record=world.dep_a, upload=upload("a.pdf", PDF))


def test_only_those_the_record_allows_may_add(world, units_take_files):
    with pytest.raises(PermissionDenied):
        attachments.attachment_add(actor=world.staff_a, record=world.dep_a, upload=upload("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_download_follows_the_records_visibility(client, world, units_take_files):
    attachment = attachments.attachment_add(actor=world.quality, record=world.dep_a, upload=upload("a.pdf", PDF))
    url = reverse("attachment_download", args=[attachment.pk])
    client.force_login(world.staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.head_b)
    assert client.get(url).status_code == 404


def test_upload_and_remove_through_the_page(client, world, units_take_files):
    unit = world.dep_a
    ct = ContentType.objects.get_for_model(Unit).pk
    url = reverse("attachment_upload", args=[ct, unit.pk])
    client.force_login(world.quality)
    response = client.post(url, {"file": upload("a.pdf", PDF), "next": "/"}, follow=True)
    assert "The file is attached." in response.content.decode()
    attachment = Attachment.objects.get()
    client.post(url, {"file": upload("b.pdf", PNG), "next": "/"})
    assert Attachment.objects.count() == 1  # the wrong one changed nothing
    client.force_login(world.staff_a)
    client.post(reverse("attachment_delete", args=[attachment.pk]), {"next": "/"})
    assert Attachment.objects.count() == 1  # not theirs to remove
    client.force_login(world.quality)
    client.post(reverse("attachment_delete", args=[attachment.pk]), {"next": "/"})
    assert not Attachment.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_repr="a.pdf").exists()


def test_an_open_redirect_is_not_followed(client, world, units_take_files):
    ct = ContentType.objects.get_for_model(Unit).pk
    client.force_login(world.quality)
    response = client.post(
        reverse("attachment_upload", args=[ct, world.dep_a.pk]),
        {"file": upload("a.pdf", PDF), "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
