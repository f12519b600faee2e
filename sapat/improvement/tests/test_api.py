"""The improvement API: the same scoping as the pages, the workflow steps through the services
(403 for the wrong person, 400 for the wrong state or input), fixed query counts, a valid schema."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sapat.improvement import services as svc
from sapat.improvement.models import Action, NcState, Nonconformity
from sapat.org.choices import Role
from sapat.org.tests import factories as org_factories

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")
TODAY = timezone.localdate()


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_lists_are_scoped_like_the_pages(world):
    a = f.nc(world)
    b = f.nc(world, actor=world.head_b, unit=world.fac_b)
    assert ids(api(world.quality).get("/api/nonconformities/")) == {a.pk, b.pk}
    assert ids(api(world.head_a).get("/api/nonconformities/")) == {a.pk}
    assert ids(api(world.analyst).get("/api/nonconformities/")) == {a.pk, b.pk}
    assert ids(api(world.quality).get(f"/api/nonconformities/?unit={world.fac_b.pk}")) == {b.pk}
    assert api(world.quality).get("/api/nonconformities/?state=nonsense").status_code == 400
    assert api(world.head_a).get(f"/api/nonconformities/{b.pk}/").status_code == 404
    expert = org_factories.user_with_role(Role.EXPERT, world.root, valid_until=TODAY + datetime.timedelta(days=3))
    assert api(expert).get("/api/nonconformities/").status_code == 403
    assert api(expert).get("/api/improvement-actions/").status_code == 403


def test_the_whole_workflow_through_the_api(world):
    nc_type = svc.types_for(world.inst.pk).first()
    response = api(world.staff_a).post(
        "/api/nonconformities/",
        {
            "nc_type": nc_type.pk,
            "source": "inspection",
            "unit": world.fac_a.pk,
            "title": "Журналдар толтурулган эмес",
            "description": "Текшерүүдө табылды",
            "severity": "minor",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["code"].startswith("NC-")
    url = f"/api/nonconformities/{pk}/"
    assert api(world.staff_a).post(url + "start-analysis/").status_code == 403
    assert api(world.quality_a).post(url + "start-analysis/").json()["state"] == "analysis"
    response = api(world.quality_a).post(url + "analyse/", {"root_cause": ""}, format="json")
    assert response.status_code == 400 and "root_cause" in response.json()
    response = api(world.quality_a).post(
        url + "analyse/",
        {"root_cause": "Көзөмөл жок", "whys": [{"why": "Эмне үчүн?", "because": "Себеби"}]},
        format="json",
    )
    assert response.json()["state"] == "action_plan"
    deadline = (TODAY + datetime.timedelta(days=5)).isoformat()
    response = api(world.quality_a).post(
        "/api/improvement-actions/",
        {
            "nonconformity": pk,
            "kind": "corrective",
            "description": "Журналдарды толтуруу",
            "owner": world.staff_a.person.pk,
            "deadline": deadline,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["id"]
    assert api(world.quality_a).post(url + "approve/", {"side": "unit"}, format="json").status_code == 403
    assert api(world.head_a).post(url + "approve/", {"side": "unit"}, format="json").status_code == 200
    assert api(world.quality).post(url + "approve/", {"side": "quality"}, format="json").json()["state"] == (
        "in_progress"
    )
    action_url = f"/api/improvement-actions/{action_id}/"
    assert api(world.staff_a).post(action_url + "notes/", {"text": "Жарымы"}, format="json").status_code == 201
    assert api(world.head_b).post(action_url + "done/", {"result": "x"}, format="json").status_code == 404
    response = api(world.staff_a).post(action_url + "done/", {"result": "Даяр"}, format="json")
    assert response.json()["status"] == "done" and len(response.json()["notes"]) == 1
    response = api(world.head_a).post(url + "check/", {"verdict": "effective", "note": "ok"}, format="json")
    assert response.status_code == 400  # too early
    Nonconformity.objects.filter(pk=pk).update(check_due_on=TODAY)
    assert (
        api(world.staff_a).post(url + "check/", {"verdict": "effective", "note": "ok"}, format="json").status_code
        == 403
    )
    assert (
        api(world.head_a).post(url + "check/", {"verdict": "effective", "note": "ok"}, format="json").status_code == 200
    )
    assert api(world.head_a).post(url + "close/").status_code == 403
    response = api(world.quality).post(url + "close/")
    assert response.json()["state"] == NcState.CLOSED and response.json()["checks"][0]["verdict"] == "effective"
    assert ids(api(world.staff_a).get("/api/improvement-actions/?mine=true")) == {action_id}


def test_standalone_action_and_cancel(world):
    data = {
        "kind": "improvement",
        "description": "Жакшыртуу",
        "owner": world.staff_a.person.pk,
        "deadline": TODAY.isoformat(),
        "unit": world.dep_a.pk,
        "origin": "complaint",
    }
    # A complaint's action is raised from the complaint itself, which it then links.
    assert api(world.head_a).post("/api/improvement-actions/", data, format="json").status_code == 400
    response = api(world.head_a).post(
        "/api/improvement-actions/", {**data, "origin": "management_review"}, format="json"
    )
    assert response.status_code == 201 and response.json()["origin"] == "management_review"
    url = f"/api/improvement-actions/{response.json()['id']}/cancel/"
    assert api(world.staff_a).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(world.head_a).post(url, {"reason": "Керек эмес"}, format="json").json()["status"] == "cancelled"


def test_lists_cost_the_same_for_3_or_30(world):
    client = api(world.quality)
    counts = []
    for n in (3, 30):
        while Nonconformity.objects.count() < n:
            item = f.nc(world)
            svc.nonconformity_start_analysis(actor=None, nonconformity=item)
            f.action(item, world.staff_a.person)
        for url in ("/api/nonconformities/", "/api/improvement-actions/"):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts
    assert Action.objects.count() == 30


@pytest.mark.django_db
def test_the_schema_has_the_endpoints_and_no_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/nonconformities/{id}/analyse/",
        "/api/nonconformities/{id}/approve/",
        "/api/nonconformities/{id}/check/",
        "/api/improvement-actions/{id}/done/",
    ):
        assert path in schema
