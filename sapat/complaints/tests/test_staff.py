"""The pages and the API of the people handling complaints: who sees what, role by role,
routing and answering through the pages, the analysis, and a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.complaints import selectors, services
from sapat.complaints.choices import Status

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def three(world):
    """A new complaint, one routed to faculty A's department, one routed to faculty B."""
    return {
        "new": f.complaint(world.inst, subject="Жаңы"),
        "dep_a": f.routed(world, unit=world.dep_a, subject="Кафедрага"),
        "fac_b": f.routed(world, unit=world.fac_b, subject="Б факультетине"),
    }


VISIBLE = {
    "quality": {"new", "dep_a", "fac_b"},
    "head_a": {"dep_a"},
    "quality_a": {"dep_a"},
    "head_b": {"fac_b"},
    "staff_a": set(),
    "rector": set(),
    "admin": set(),
    "analyst": set(),
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_complaints_are_seen_only_by_the_quality_department_and_the_routed_unit(world, three, who):
    user = getattr(world, who)
    names = {name for name, c in three.items() if selectors.complaints_for(user).filter(pk=c.pk).exists()}
    assert names == VISIBLE[who]


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_pages_follow_the_same_rule(client, world, three, who):
    client.force_login(getattr(world, who))
    listing = client.get(reverse("complaint_list"))
    if not VISIBLE[who]:
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        shown = {name for name, c in three.items() if c.subject in listing.content.decode()}
        assert shown == VISIBLE[who]
    for name, c in three.items():
        status = client.get(reverse("complaint_detail", args=[c.pk])).status_code
        assert status == (200 if name in VISIBLE[who] else 404), (who, name)


def test_a_complaint_of_another_institution_is_not_seen(world):
    other = f.complaint(world.other_inst)
    assert not selectors.complaints_for(world.quality).filter(pk=other.pk).exists()


def test_routing_and_answering_through_the_pages(client, world, three):
    c = three["new"]
    client.force_login(world.quality)
    response = client.post(reverse("complaint_route", args=[c.pk]), {"unit": world.fac_a.pk, "category": "facilities"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.ROUTED and c.unit == world.fac_a and c.category == "facilities"
    bad = client.post(reverse("complaint_route", args=[c.pk]), {"unit": world.other_root.pk, "category": "other"})
    assert bad.status_code == 400

    client.force_login(world.head_a)
    assert client.post(reverse("complaint_route", args=[c.pk]), {"unit": world.fac_a.pk}).status_code in (400, 403)
    empty = client.post(reverse("complaint_answer", args=[c.pk]), {"answer": ""})
    assert empty.status_code == 400
    assert client.post(reverse("complaint_note", args=[c.pk]), {"text": "Текшерип жатабыз"}).status_code == 302
    response = client.post(reverse("complaint_answer", args=[c.pk]), {"answer": "Оңдолду.", "note": ""})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.answer == "Оңдолду."
    page = client.get(reverse("complaint_detail", args=[c.pk])).content.decode()
    assert 'data-testid="answer-form"' not in page and "Текшерип жатабыз" in page


def test_the_sender_is_shown_only_for_named_complaints(client, world):
    named = f.complaint(world.inst, anonymous=False, contact_name="Асель Токтогулова", contact_phone="0700 123456")
    client.force_login(world.quality)
    page = client.get(reverse("complaint_detail", args=[named.pk])).content.decode()
    assert "Асель Токтогулова" in page and "0700 123456" in page


def test_overdue_ones_are_highlighted_and_filtered(client, world, three):
    import datetime

    from sapat.complaints.models import Complaint

    Complaint.objects.filter(pk=three["dep_a"].pk).update(due_on=datetime.date(2020, 1, 6))
    client.force_login(world.quality)
    page = client.get(reverse("complaint_list") + "?overdue=1").content.decode()
    assert "Кафедрага" in page and "Б факультетине" not in page and "table-danger" in page


def test_the_analysis_is_for_the_quality_department(client, world, three):
    services.complaint_answer(actor=world.head_b, complaint=three["fac_b"], answer="Жооп")
    client.force_login(world.quality)
    response = client.get(reverse("complaint_analysis"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["totals"]["total"] == 3 and data["totals"]["answered"] == 1 and data["average_days"] == 0
    assert dict(data["by_kind"]) == {"Complaint": 3}
    assert sum(row["n"] for row in data["by_unit"]) == 2
    client.force_login(world.head_a)
    assert client.get(reverse("complaint_analysis")).status_code == 403


def test_the_time_to_answer_is_set_by_the_quality_department(client, world):
    client.force_login(world.quality)
    assert client.post(reverse("complaint_settings"), {"response_days": "0"}).status_code == 400
    assert client.post(reverse("complaint_settings"), {"response_days": "15"}).status_code == 302
    assert services.settings_for(world.inst.pk).response_days == 15
    client.force_login(world.head_a)
    assert client.get(reverse("complaint_settings")).status_code == 403


def test_files_are_seen_only_by_those_who_see_the_complaint(client, world, three):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sapat.core.attachments import attachment_add

    from .test_public import PNG

    attachment = attachment_add(
        actor=world.head_a, record=three["dep_a"], upload=SimpleUploadedFile("a.png", PNG, content_type="image/png")
    )
    client.force_login(world.head_a)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(world.head_b)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_for_3_or_30_complaints(client, world):
    client.force_login(world.quality)
    url = reverse("complaint_list")
    for i in range(3):
        f.routed(world, unit=world.dep_a if i % 2 else world.fac_b)
    small = _count(client, url)
    for i in range(27):
        f.routed(world, unit=world.dep_a if i % 2 else world.fac_b)
    assert _count(client, url) == small


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_what_the_pages_show(client, world, three):
    client.force_login(world.head_a)
    data = client.get("/api/complaints/").json()
    assert [c["subject"] for c in data["results"]] == ["Кафедрага"]
    assert client.get(f"/api/complaints/{three['fac_b'].pk}/").status_code == 404
    client.force_login(world.rector)
    assert client.get("/api/complaints/").status_code == 403


def test_api_routes_answers_and_refuses_through_the_services(client, world, three):
    c = three["new"]
    client.force_login(world.quality)
    response = client.post(f"/api/complaints/{c.pk}/route/", {"unit": world.fac_a.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "routed"
    wrong = client.post(
        f"/api/complaints/{c.pk}/route/", {"unit": world.other_root.pk}, content_type="application/json"
    )
    assert wrong.status_code == 400
    client.force_login(world.head_a)
    denied = client.post(f"/api/complaints/{c.pk}/route/", {"unit": world.fac_b.pk}, content_type="application/json")
    assert denied.status_code == 403
    response = client.post(f"/api/complaints/{c.pk}/answer/", {"answer": "Жооп"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = client.post(f"/api/complaints/{c.pk}/answer/", {"answer": "Жооп"}, content_type="application/json")
    assert again.status_code == 400
    assert client.get("/api/complaints/?overdue=true&status=closed").status_code == 200


def test_openapi_schema_is_valid(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/complaints/{id}/route/" in target.read_text()
