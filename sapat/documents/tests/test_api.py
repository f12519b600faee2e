"""The documents API: visibility exactly as the selectors, role by role; revisions being
prepared only for those who may see drafts; transitions through the services with their
permission checks (403) and validation (400); downloads as attachments after the same
checks; token sign-in; fixed query counts; the schema."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sapat.documents import services
from sapat.documents.choices import DocumentStatus, Level, RevisionState
from sapat.documents.models import Document, Revision
from sapat.documents.tests import factories as f
from sapat.org.choices import Role
from sapat.org.tests import factories

# These tests read the interface's English messages.
pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def into_force(w, doc, *, text="1. Жалпы жоболор", upload=None):
    revision = doc.revisions.order_by("-number").first()
    services.version_save(actor=w.quality, revision=revision, language="ky", text=text, upload=upload)
    services.revision_submit(actor=w.quality, revision=revision)
    services.revision_approve(actor=w.rector, revision=Revision.objects.get(pk=revision.pk))
    services.revision_register(actor=w.quality, revision=Revision.objects.get(pk=revision.pk), effective_date=TODAY)
    doc.refresh_from_db()
    return Revision.objects.get(pk=revision.pk)


@pytest.fixture
def expert(world):
    return factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=TODAY + datetime.timedelta(days=30)
    )


@pytest.fixture
def setup(world):
    """In institution A: a published procedure in force with a file (its second revision a
    draft with a file), a document distributed to department A only, a draft of faculty A, a
    draft of faculty B; in the other institution a published document."""
    w = world
    w.dtype = f.doc_type(w.inst, approver=w.rector.person)
    w.published = f.document(w.quality, w.fac_a, w.dtype, title="Ички аудит", institution_wide=True)
    w.published_rev = into_force(w, w.published, upload=f.docx_upload("Ички аудит жол-жобосу"))
    w.published_file = w.published_rev.versions.get(language="ky")
    w.next_rev = services.revision_start(actor=w.quality, document=w.published)
    w.draft_file = services.version_save(
        actor=w.quality, revision=w.next_rev, language="ru", upload=f.docx_upload("Внутренний аудит, проект")
    )
    w.distributed = f.document(w.quality, w.fac_a, w.dtype, title="Кафедранын иши")
    w.distributed.distributed_units.add(w.dep_a)
    into_force(w, w.distributed)
    w.draft = f.document(w.quality, w.fac_a, w.dtype, title="Долбоор")
    w.draft_b = f.document(w.quality, w.fac_b, w.dtype, title="Б факультетинин долбоору")
    w.other_quality = factories.user_with_role(Role.QUALITY_DEPARTMENT, w.other_root, username="other_quality")
    w.other_rector = factories.user_with_role(Role.TOP_MANAGEMENT, w.other_root, username="other_rector")
    other_type = f.doc_type(w.other_inst, approver=w.other_rector.person)
    w.other = services.document_create(
        actor=w.other_quality,
        document=Document(doc_type=other_type, unit=w.other_root, title_ky="Ош", institution_wide=True),
    )
    revision = w.other.revisions.get()
    services.version_save(actor=w.other_quality, revision=revision, language="ky", text="т")
    services.revision_submit(actor=w.other_quality, revision=revision)
    services.revision_approve(actor=w.other_rector, revision=Revision.objects.get(pk=revision.pk))
    services.revision_register(
        actor=w.other_quality, revision=Revision.objects.get(pk=revision.pk), effective_date=TODAY
    )
    return w


# --- who sees what ----------------------------------------------------------------------------------


def test_visibility_role_by_role(setup):
    w = setup
    mine = {w.published.pk, w.distributed.pk, w.draft.pk, w.draft_b.pk}
    assert ids(api(w.quality).get("/api/documents/")) == mine
    assert ids(api(w.admin).get("/api/documents/")) == mine
    # Faculty A's head manages its documents; of faculty B only what is published to them.
    assert ids(api(w.head_a).get("/api/documents/")) == {w.published.pk, w.distributed.pk, w.draft.pk}
    assert ids(api(w.head_b).get("/api/documents/")) == {w.published.pk, w.draft_b.pk}
    # Staff of department A: the documents in force published to everyone or to their unit.
    assert ids(api(w.staff_a).get("/api/documents/")) == {w.published.pk, w.distributed.pk}
    # Analysts: the documents in force published institution-wide, in every institution.
    assert ids(api(w.analyst).get("/api/documents/")) == {w.published.pk, w.other.pk}
    assert ids(api(w.other_quality).get("/api/documents/")) == {w.other.pk}


def test_experts_and_users_without_roles_get_403(setup, expert):
    from sapat.core.models import User

    nobody = User.objects.create_user(username="nobody", password="x-Pass-42")
    for user in (expert, nobody):
        client = api(user)
        for url in (
            "/api/documents/",
            f"/api/documents/{setup.published.pk}/",
            f"/api/document-files/{setup.published_file.pk}/",
        ):
            assert client.get(url).status_code == 403, url
    assert api().get("/api/documents/").status_code in (401, 403)


def test_a_draft_is_404_for_staff_and_other_institutions(setup):
    w = setup
    for user in (w.staff_a, w.head_b, w.other_quality, w.analyst):
        response = api(user).get(f"/api/documents/{w.draft.pk}/")
        assert response.status_code == 404, user
    assert api(w.staff_a).get(f"/api/documents/{w.draft.pk}/revisions/").status_code == 404
    assert api(w.head_a).get(f"/api/documents/{w.draft.pk}/").status_code == 200
    assert api(w.analyst).get(f"/api/documents/{w.distributed.pk}/").status_code == 404


def test_detail_shows_the_revisions_the_user_may_see(setup):
    w = setup
    body = api(w.staff_a).get(f"/api/documents/{w.published.pk}/").json()
    assert body["code"] == w.published.code and body["status"] == DocumentStatus.IN_FORCE
    assert body["level"] == Level.L2 and body["doc_type"]["code"] == "ДП"
    assert [r["number"] for r in body["revisions"]] == [1]  # the draft of revision 2 is not theirs to see
    revision = body["revisions"][0]
    assert revision["state"] == RevisionState.IN_FORCE and revision["effective_date"] == TODAY.isoformat()
    version = revision["versions"][0]
    assert version["language"] == "ky" and version["has_file"] and version["file_format"] == "docx"
    assert version["download_url"].endswith(f"/api/document-files/{w.published_file.pk}/")
    assert version["download_url"].startswith("http")

    body = api(w.quality).get(f"/api/documents/{w.published.pk}/").json()
    assert [r["number"] for r in body["revisions"]] == [2, 1]
    listed = api(w.quality).get(f"/api/documents/{w.published.pk}/revisions/").json()
    assert [r["number"] for r in listed] == [2, 1]
    assert [r["number"] for r in api(w.staff_a).get(f"/api/documents/{w.published.pk}/revisions/").json()] == [1]


def test_filters(setup):
    w = setup
    client = api(w.quality)
    assert ids(client.get("/api/documents/", {"status": "in_force"})) == {w.published.pk, w.distributed.pk}
    assert ids(client.get("/api/documents/", {"status": "draft"})) == {w.draft.pk, w.draft_b.pk}
    assert ids(client.get("/api/documents/", {"unit": w.fac_b.pk})) == {w.draft_b.pk}
    assert ids(client.get("/api/documents/", {"unit": w.other_root.pk})) == set()
    assert ids(client.get("/api/documents/", {"q": "аудит"})) == {w.published.pk}
    assert ids(client.get("/api/documents/", {"q": w.distributed.code})) == {w.distributed.pk}
    assert len(ids(client.get("/api/documents/", {"type": w.dtype.pk}))) == 4
    assert ids(client.get("/api/documents/", {"level": "1"})) == set()
    assert len(ids(client.get("/api/documents/", {"level": "2"}))) == 4
    response = client.get("/api/documents/", {"status": "lost", "level": "9"})
    assert response.status_code == 400
    assert {"status", "level"} <= set(response.json())


def test_token_authentication_works(setup):
    client = token_client(setup.staff_a)
    assert ids(client.get("/api/documents/")) == {setup.published.pk, setup.distributed.pk}
    response = client.get(f"/api/document-files/{setup.published_file.pk}/")
    assert response.status_code == 200


# --- downloads ---------------------------------------------------------------------------------------


def test_a_visible_file_downloads_as_an_attachment(setup):
    w = setup
    response = api(w.staff_a).get(f"/api/document-files/{w.published_file.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "procedure.docx" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    content = b"".join(response.streaming_content)
    w.published_file.file.open("rb")
    assert content == w.published_file.file.read()
    w.published_file.file.close()
    assert api(w.analyst).get(f"/api/document-files/{w.published_file.pk}/").status_code == 200


def test_a_file_of_a_draft_or_of_a_hidden_document_is_404(setup):
    w = setup
    url = f"/api/document-files/{w.draft_file.pk}/"
    for user in (w.staff_a, w.head_b, w.analyst, w.other_quality):
        assert api(user).get(url).status_code == 404, user
    assert api(w.quality).get(url).status_code == 200
    assert api(w.head_a).get(url).status_code == 200  # manages faculty A's documents
    assert api(w.other_quality).get(f"/api/document-files/{w.published_file.pk}/").status_code == 404
    text_only = w.distributed.revisions.get().versions.get()
    assert api(w.quality).get(f"/api/document-files/{text_only.pk}/").status_code == 404
    assert api(w.quality).get("/api/document-files/999999/").status_code == 404


def test_a_download_ignores_what_the_client_accepts(setup):
    response = api(setup.staff_a).get(
        f"/api/document-files/{setup.published_file.pk}/", HTTP_ACCEPT="application/vnd.ms-word"
    )
    assert response.status_code == 200


# --- transitions ---------------------------------------------------------------------------------


def test_submit_approve_register_through_the_api(setup):
    w = setup
    services.version_save(actor=w.quality, revision=w.draft.revisions.get(), language="ky", text="Текст")
    url = f"/api/documents/{w.draft.pk}"
    assert api(w.staff_a).post(f"{url}/submit/").status_code == 404  # not visible to staff
    assert api(w.rector).post(f"{url}/submit/").status_code == 403  # the approver sees it, may not submit
    response = api(w.head_a).post(f"{url}/submit/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["revisions"][0]["state"] == RevisionState.APPROVAL

    assert api(w.quality).post(f"{url}/approve/").status_code == 403  # only the named approver
    response = api(w.rector).post(f"{url}/approve/", {"approved_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["revisions"][0]["state"] == RevisionState.APPROVED

    response = api(w.head_a).post(f"{url}/register/", {}, format="json")
    assert response.status_code == 400 and "effective_date" in response.json()
    early = (TODAY - datetime.timedelta(days=3)).isoformat()
    response = api(w.head_a).post(f"{url}/register/", {"effective_date": early}, format="json")
    assert response.status_code == 400 and "effective_date" in response.json()
    assert api(w.analyst).post(f"{url}/register/", {"effective_date": TODAY.isoformat()}).status_code == 404
    later = (TODAY + datetime.timedelta(days=10)).isoformat()
    response = api(w.head_a).post(f"{url}/register/", {"effective_date": later}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["revisions"][0]["state"] == RevisionState.REGISTERED
    assert body["revisions"][0]["effective_date"] == later
    assert body["status"] == DocumentStatus.DRAFT


def test_a_transition_in_the_wrong_state_is_a_400_with_the_services_message(setup):
    w = setup
    response = api(w.quality).post(f"/api/documents/{w.draft.pk}/submit/")
    assert response.status_code == 400
    assert "Write the text or attach a file" in str(response.json())
    response = api(w.quality).post(f"/api/documents/{w.published.pk}/approve/", {"revision": 1}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert api(w.quality).post(f"/api/documents/{w.published.pk}/submit/", {"revision": 7}).status_code == 404


def test_a_council_approval_needs_its_protocol(setup):
    from sapat.documents.choices import ApproverKind
    from sapat.org.choices import UnitType

    w = setup
    council = factories.unit(w.root, "ОК", unit_type=UnitType.COUNCIL)
    manual_type = f.doc_type(
        w.inst, code="СЖ", level=Level.L1, approver_kind=ApproverKind.COUNCIL, approval_body=council
    )
    manual = f.document(w.quality, w.root, manual_type, title="Сапат боюнча жетектеме")
    services.version_save(actor=w.quality, revision=manual.revisions.get(), language="ky", text="Т")
    url = f"/api/documents/{manual.pk}"
    assert api(w.quality).post(f"{url}/submit/").status_code == 200
    assert api(w.quality).post(f"{url}/approve/", {}, format="json").status_code == 400
    data = {"protocol_number": "5", "protocol_date": TODAY.isoformat()}
    response = api(w.quality).post(f"{url}/approve/", data, format="json")
    assert response.status_code == 200, response.content
    revision = response.json()["revisions"][0]
    assert (revision["protocol_number"], revision["approval_body"]) == ("5", council.pk)


def test_withdraw(setup):
    w = setup
    url = f"/api/documents/{w.published.pk}/withdraw/"
    assert api(w.staff_a).post(url).status_code == 403
    assert api(w.analyst).post(url).status_code == 403
    assert api(w.head_b).post(url).status_code == 403
    response = api(w.quality).post(url, {"note": "Жаңысы менен алмаштырылды"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == DocumentStatus.WITHDRAWN
    assert Revision.objects.get(pk=w.published_rev.pk).state == RevisionState.WITHDRAWN
    # Withdrawn, it is no longer published to staff.
    assert api(w.staff_a).get(f"/api/documents/{w.published.pk}/").status_code == 404


def test_reading_is_not_writing(setup):
    client = api(setup.quality)
    assert client.post("/api/documents/", {"title_ky": "x"}, format="json").status_code == 405
    assert client.patch(f"/api/documents/{setup.draft.pk}/", {"title_ky": "x"}, format="json").status_code == 405
    assert client.delete(f"/api/documents/{setup.draft.pk}/").status_code == 405


# --- queries and schema ---------------------------------------------------------------------------


def test_the_list_takes_the_same_number_of_queries_for_3_or_30_documents(world):
    dtype = f.doc_type(world.inst)
    client = token_client(world.staff_a)
    counts = []
    for n in (3, 27):
        for i in range(n):
            doc = f.document(world.quality, world.dep_a, dtype, title=f"Документ {i}", institution_wide=True)
            Document.objects.filter(pk=doc.pk).update(status=DocumentStatus.IN_FORCE)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/documents/")
        assert response.status_code == 200
        assert response.json()["count"] >= n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_the_schema_has_the_documents_endpoints_and_no_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/documents/",
        "/api/documents/{id}/",
        "/api/documents/{id}/revisions/",
        "/api/documents/{id}/submit/",
        "/api/documents/{id}/approve/",
        "/api/documents/{id}/register/",
        "/api/documents/{id}/withdraw/",
        "/api/document-files/{id}/",
    ):
        assert f"{path}:" in schema, path
