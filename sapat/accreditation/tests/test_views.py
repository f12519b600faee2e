"""Pages and API of frameworks, mappings and the register: who sees what (experts see
nothing), forms with bad input, and the fixed number of queries of the list pages."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.accreditation.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationState,
    CriterionMapping,
    Framework,
)
from sapat.org.choices import Role
from sapat.org.tests import factories as org

from .factories import accreditation, pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PAGES = ["accreditation_register", "framework_list", "mapping_list"]


@pytest.fixture
def expert(world):
    return org.user_with_role(Role.EXPERT, world.root, valid_until=timezone.localdate() + datetime.timedelta(days=30))


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "quality", "rector", "head_a", "quality_a", "analyst"])
@pytest.mark.parametrize("page", PAGES)
def test_readers_see_the_pages(client, world, name, page):
    client.force_login(getattr(world, name))
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", PAGES + ["framework_import", "accreditation_add", "first_graduation_add"])
def test_experts_and_staff_see_nothing_here(client, world, expert, page):
    for user in (expert, world.staff_a):
        client.force_login(user)
        assert client.get(reverse(page)).status_code == 403


def test_experts_get_nothing_from_the_api(client, world, expert):
    accreditation(world.inst)
    client.force_login(expert)
    for name in ("api-accreditation-framework-list", "api-criterion-mapping-list", "api-accreditation-list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.json().get("results", response.json()) == []
    fw = Framework.objects.get(code="kr-okb-institutional")
    assert client.get(reverse("framework_detail", args=[fw.pk])).status_code == 403


@pytest.mark.parametrize("name", ["rector", "head_a", "analyst"])
@pytest.mark.parametrize("page", ["framework_import", "accreditation_add", "first_graduation_add"])
def test_only_the_quality_department_writes(client, world, name, page):
    client.force_login(getattr(world, name))
    assert client.get(reverse(page)).status_code == 403


def test_another_institutions_framework_and_accreditation_are_hidden(client, world):
    from sapat.accreditation import services_frameworks

    theirs = services_frameworks.load_pack(pack(), institution=world.other_inst)[0]
    acc = accreditation(world.other_inst)
    client.force_login(world.quality)
    assert client.get(reverse("framework_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("accreditation_detail", args=[acc.pk])).status_code == 404
    assert theirs.name not in client.get(reverse("framework_list")).content.decode()


# --- frameworks ------------------------------------------------------------------------------


def test_the_framework_page_shows_levels_and_the_empty_level_of_two_level_criteria(client, world):
    fw = Framework.objects.get(code="kr-okb-institutional")
    client.force_login(world.head_a)
    html = client.get(reverse("framework_detail", args=[fw.pk])).content.decode()
    assert "Partially complies" in html and 'id="c-1.7"' in html and 'id="c-5.9"' in html


def upload(data: bytes):
    return SimpleUploadedFile("framework.json", data, content_type="application/json")


def test_import_a_framework_through_the_page(client, world):
    client.force_login(world.quality)
    response = client.post(reverse("framework_import"), {"file": upload(json.dumps(pack()).encode())})
    fw = Framework.objects.get(institution=world.inst, code="agency-std")
    assert response.status_code == 302 and response.url == reverse("framework_detail", args=[fw.pk])


def test_a_bad_file_shows_the_list_of_problems_and_loads_nothing(client, world):
    data = pack()
    del data["groups"][0]["criteria"][0]["levels"]["part"]
    data["groups"][0]["criteria"][1]["title"]["ru"] = ""
    client.force_login(world.quality)
    response = client.post(reverse("framework_import"), {"file": upload(json.dumps(data).encode())})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Criterion A.1: the level part is missing." in html
    assert "Criterion A.2: the ru translation is missing." in html
    assert not Framework.objects.filter(institution=world.inst).exists()
    assert client.post(reverse("framework_import"), {}).status_code == 400


def test_mappings_are_added_and_removed_on_the_page(client, world):
    from sapat.accreditation import services_frameworks

    own = services_frameworks.load_pack(pack(), institution=world.inst)[0]
    target = Framework.objects.get(code="kr-okb-institutional").criteria.get(code="1.1")
    source = own.criteria.get(code="A.1")
    client.force_login(world.quality)
    response = client.post(
        reverse("mapping_list"), {"source": source.pk, "target": target.pk, "coverage": "full", "note": "same"}
    )
    assert response.status_code == 302
    mapping = CriterionMapping.objects.get(institution=world.inst)
    assert (mapping.source, mapping.target, mapping.coverage) == (source, target, "full")
    # The same pair again, and a criterion mapped within its own framework, are refused.
    again = client.post(reverse("mapping_list"), {"source": source.pk, "target": target.pk, "coverage": "partial"})
    assert again.status_code == 400
    same_fw = client.post(
        reverse("mapping_list"), {"source": source.pk, "target": own.criteria.get(code="A.2").pk, "coverage": "full"}
    )
    assert same_fw.status_code == 400 and "two different frameworks" in same_fw.content.decode()
    shipped = CriterionMapping.objects.filter(institution=None).first()
    assert client.post(reverse("mapping_delete", args=[shipped.pk])).status_code == 404
    client.post(reverse("mapping_delete", args=[mapping.pk]))
    assert not CriterionMapping.objects.filter(institution=world.inst).exists()


def test_a_head_cannot_add_mappings(client, world):
    fw = Framework.objects.get(code="kr-okb-institutional")
    iso = Framework.objects.get(code="iso9001-2015")
    client.force_login(world.head_a)
    html = client.get(reverse("mapping_list")).content.decode()
    assert "Add a mapping" not in html
    response = client.post(
        reverse("mapping_list"),
        {"source": iso.criteria.get(code="8.5").pk, "target": fw.criteria.get(code="2.1").pk, "coverage": "full"},
    )
    assert response.status_code == 200 and not CriterionMapping.objects.filter(institution=world.inst).exists()


# --- register --------------------------------------------------------------------------------


def test_record_a_decision_and_an_event_on_the_pages(client, world):
    programme = org.programme(world.fac_a)
    client.force_login(world.quality)
    form = {
        "kind": "programme",
        "programme": programme.pk,
        "agency": "ААОПО",
        "decision_date": "2024-04-10",
        "decision_number": "17",
        "result": "conditional",
        "certificate_number": "AK-17",
        "valid_from": "2024-04-10",
        "valid_until": "2026-04-10",
    }
    response = client.post(reverse("accreditation_add"), form)
    acc = Accreditation.objects.get()
    assert response.status_code == 302 and acc.programme == programme
    bad = client.post(reverse("accreditation_add"), {**form, "valid_until": "2024-01-01"})
    assert bad.status_code == 400 and "The validity must end after it starts." in bad.content.decode()
    client.post(
        reverse("accreditation_event_add", args=[acc.pk]),
        {"kind": "suspension", "date": "2025-01-15", "order_number": "3-к"},
    )
    acc.refresh_from_db()
    assert acc.state == AccreditationState.SUSPENDED
    assert AccreditationEvent.objects.get().ends_on == datetime.date(2025, 4, 15)
    refused = client.post(
        reverse("accreditation_event_add", args=[acc.pk]),
        {"kind": "suspension", "date": "2025-02-01", "order_number": "4"},
        follow=True,
    )
    assert "cannot be recorded while the accreditation is suspended" in refused.content.decode()
    board = client.get(reverse("accreditation_register")).content.decode()
    assert "suspended" in board and "<svg" in board


def test_the_board_shows_the_application_due_date_and_first_graduations(client, world):
    programme = org.programme(world.fac_a)
    client.force_login(world.quality)
    day = timezone.localdate() + datetime.timedelta(days=200)
    client.post(reverse("first_graduation_add"), {"programme": programme.pk, "graduation_date": day.isoformat()})
    html = client.get(reverse("accreditation_register")).content.decode()
    assert "first graduation" in html


# --- API -------------------------------------------------------------------------------------


def test_api_frameworks_with_groups_criteria_and_levels(client, world):
    client.force_login(world.head_a)
    listing = client.get(reverse("api-accreditation-framework-list")).json()
    rows = listing.get("results", listing)
    fw = next(r for r in rows if r["code"] == "kr-okb-institutional")
    detail = client.get(reverse("api-accreditation-framework-detail", args=[fw["id"]])).json()
    assert [lvl["key"] for lvl in detail["levels"]] == ["not", "partial", "complies"]
    assert sum(len(g["criteria"]) for g in detail["groups"]) == 32
    c17 = next(c for g in detail["groups"] for c in g["criteria"] if c["code"] == "1.7")
    assert set(c17["levels"]) == {"not", "complies"}


def test_api_register_writes_through_the_services(client, world):
    payload = {
        "institution": world.inst.pk,
        "kind": "institutional",
        "agency": "Ministry",
        "decision_date": "2024-03-01",
        "decision_number": "45",
        "result": "accredited",
        "certificate_number": "AK-45",
        "valid_from": "2024-03-01",
        "valid_until": "2029-03-01",
    }
    client.force_login(world.head_a)
    assert client.post(reverse("api-accreditation-list"), payload, content_type="application/json").status_code == 403
    client.force_login(world.quality)
    response = client.post(reverse("api-accreditation-list"), payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["application_due"] == "2028-12-01"
    pk = response.json()["id"]
    bad = client.post(
        reverse("api-accreditation-list"), {**payload, "valid_until": "2030-01-01"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "valid_until" in bad.json()
    event = client.post(
        reverse("api-accreditation-events", args=[pk]),
        {"kind": "duplicate", "date": "2024-05-01", "order_number": "9"},
        content_type="application/json",
    )
    assert event.status_code == 201 and event.json()["events"][0]["kind"] == "duplicate"
    wrong = client.post(
        reverse("api-accreditation-events", args=[pk]),
        {"kind": "restoration", "date": "2024-06-01", "order_number": "10"},
        content_type="application/json",
    )
    assert wrong.status_code == 400


# --- queries ---------------------------------------------------------------------------------


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world, n):
    for i in range(n):
        programme = org.programme(world.fac_a)
        acc = accreditation(world.inst, programme=programme, decided=datetime.date(2020 + i % 4, 3, 1))
        AccreditationEvent.objects.create(
            accreditation=acc, kind="duplicate", date=datetime.date(2024, 9, 1), order_number=str(i)
        )


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_cost_the_same_for_2_or_20_accreditations(client, world, name):
    client.force_login(world.quality)
    grow(world, 2)
    small = count(client, reverse(name))
    grow(world, 18)
    assert count(client, reverse(name)) == small


def test_the_framework_page_costs_a_fixed_number_of_queries(client, world):
    fw = Framework.objects.get(code="kr-okb-institutional")
    client.force_login(world.quality)
    assert count(client, reverse("framework_detail", args=[fw.pk])) <= 12


def test_the_apps_address_opens_the_register(client, world):
    from django.urls import reverse

    client.force_login(world.quality)
    response = client.get("/accreditation/")
    assert response.status_code == 302 and response["Location"] == reverse("accreditation_register")
