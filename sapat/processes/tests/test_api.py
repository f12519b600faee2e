"""The processes API: token sign-in, scoping per institution (analysts see all, experts
nothing), values entered by those who may (201) and refused to others (403), the bulk upload
all or nothing, and fixed query counts for the lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sapat.org.choices import Role
from sapat.org.models import AcademicYear
from sapat.org.tests import factories as org_factories
from sapat.processes import services_indicators, services_risks
from sapat.processes.models_indicators import Indicator, IndicatorTarget, IndicatorValue
from sapat.processes.models_risks import RiskAction
from sapat.processes.tests import factories
from sapat.processes.tests.test_risks import make_risk

pytestmark = pytest.mark.usefixtures("english")


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def indicator(inst, code="I1", **kwargs):
    kwargs.setdefault("name_ky", f"Көрсөткүч {code}")
    return services_indicators.indicator_save(actor=None, indicator=Indicator(institution=inst, code=code, **kwargs))


@pytest.fixture
def stage(world):
    for inst in (world.inst, world.other_inst):
        AcademicYear.objects.create(
            institution=inst,
            start_year=2024,
            start_date=datetime.date(2024, 9, 1),
            end_date=datetime.date(2025, 6, 30),
        )
    mine = indicator(world.inst, "I1", min_value=0, max_value=100)
    IndicatorTarget.objects.create(indicator=mine, year=2024, target=80)
    theirs = indicator(world.other_inst, "O1")
    process = factories.process(world.inst, "2.3")
    factories.owner(process, unit=world.fac_a, position_title="Декан")
    other_process = factories.process(world.other_inst, "2.3")
    risk = make_risk(world)
    return {
        "indicator": mine,
        "other_indicator": theirs,
        "process": process,
        "other_process": other_process,
        "risk": risk,
    }


def test_token_lists_are_scoped_to_the_institution_and_analysts_see_all(world, stage):
    mine, theirs = stage["process"].pk, stage["other_process"].pk
    assert ids(api(world.head_a).get("/api/processes/")) == {mine}
    assert ids(api(world.analyst).get("/api/processes/")) == {mine, theirs}
    assert api(world.head_a).get(f"/api/processes/{theirs}/").status_code == 404
    assert ids(api(world.head_a).get("/api/indicators/")) == {stage["indicator"].pk}
    assert ids(api(world.analyst).get("/api/indicators/")) == {stage["indicator"].pk, stage["other_indicator"].pk}

    row = api(world.head_a).get(f"/api/processes/{mine}/").json()
    assert [owner["unit"] for owner in row["current_owners"]] == [world.fac_a.pk]
    detail = api(world.head_a).get(f"/api/indicators/{stage['indicator'].pk}/").json()
    assert [(t["year"], float(t["target"])) for t in detail["targets"]] == [(2024, 80.0)]
    risk = api(world.head_a).get(f"/api/risks/{stage['risk'].pk}/").json()
    assert risk["rating"] == 9 and risk["level"] and risk["actions"] == []
    assert api(world.head_a).get("/api/objectives/").status_code == 200


def test_experts_get_403_and_anonymous_401(world, stage):
    expert = org_factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    for url in (
        "/api/processes/",
        "/api/objectives/",
        "/api/indicators/",
        "/api/indicator-values/",
        "/api/risks/",
        "/api/risk-actions/",
    ):
        assert api(expert).get(url).status_code == 403, url
        assert APIClient().get(url).status_code == 401, url


@pytest.mark.parametrize("who", ["quality", "head_a"])
def test_value_is_entered_for_fac_a(world, stage, who):
    ind = stage["indicator"]
    data = {"indicator": ind.pk, "year": 2024, "unit": world.fac_a.pk, "value": "72,5", "comment": "ok"}
    response = api(getattr(world, who)).post("/api/indicator-values/", data, format="json")
    assert response.status_code == 201, response.content
    assert IndicatorValue.objects.get(pk=response.json()["id"]).value == 72.5
    listed = api(world.quality).get(f"/api/indicator-values/?indicator={ind.pk}&year=2024&unit={world.fac_a.pk}")
    assert ids(listed) == {response.json()["id"]}


def test_value_for_another_unit_is_403_and_a_bad_value_400(world, stage):
    ind = stage["indicator"]
    data = {"indicator": ind.pk, "year": 2024, "unit": world.fac_b.pk, "value": "50"}
    assert api(world.head_a).post("/api/indicator-values/", data, format="json").status_code == 403
    data = {"indicator": ind.pk, "year": 2024, "unit": world.fac_a.pk, "value": "500"}
    response = api(world.head_a).post("/api/indicator-values/", data, format="json")
    assert response.status_code == 400 and "value" in response.json()
    assert not IndicatorValue.objects.exists()


def test_bulk_is_all_or_nothing(world, stage):
    ind = stage["indicator"]
    good = [
        {"indicator": "I1", "year": 2024, "unit": world.fac_a.pk, "value": 60, "comment": ""},
        {"indicator": ind.pk, "year": 2024, "unit": world.dep_a.pk, "value": "70"},
    ]
    bad = [*good, {"indicator": "I1", "year": 2030, "unit": world.fac_a.pk, "value": "x"}, {"year": 2024}]
    response = api(world.head_a).post("/api/indicator-values/bulk/", bad, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} >= {(2, "value"), (3, "indicator"), (3, "value")}
    assert all(e["message"] for e in errors)
    assert not IndicatorValue.objects.exists()

    denied = [*good, {"indicator": "I1", "year": 2024, "unit": world.fac_b.pk, "value": 1}]
    assert api(world.head_a).post("/api/indicator-values/bulk/", denied, format="json").status_code == 403
    assert not IndicatorValue.objects.exists()

    response = api(world.head_a).post("/api/indicator-values/bulk/", good, format="json")
    assert response.status_code == 201, response.content
    assert IndicatorValue.objects.filter(superseded_by__isnull=True).count() == 2


def _count(user, url):
    with CaptureQueriesContext(connection) as ctx:
        response = api(user).get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow_with_rows(world, stage):
    urls = [
        "/api/processes/",
        "/api/objectives/",
        "/api/indicators/",
        "/api/indicator-values/",
        "/api/risks/",
        "/api/risk-actions/",
    ]
    user = world.quality
    api(user)  # the token exists before counting

    def grow(n, start):
        for i in range(start, start + n):
            process = factories.process(world.inst, f"3.{i}")
            factories.owner(process, unit=world.fac_a, position_title="Декан")
            ind = indicator(world.inst, f"K{i}")
            IndicatorTarget.objects.create(indicator=ind, year=2024, target=i)
            services_indicators.value_enter(actor=None, indicator=ind, year=2024, unit=world.fac_a, value=i)
            risk = make_risk(world, title=f"Risk {i}")
            services_risks.action_add(
                actor=None, action=RiskAction(risk=risk, description="x", deadline=timezone.localdate())
            )

    grow(2, 1)
    small = {url: _count(user, url) for url in urls}
    grow(17, 10)
    large = {url: _count(user, url) for url in urls}
    assert small == large


# --- writes -----------------------------------------------------------------------------------


def test_processes_are_written_by_the_quality_department_only(world, stage):
    data = {"institution": world.inst.pk, "group": 3, "code": "3.9", "name_ky": "Китепкана", "units": [world.fac_a.pk]}
    for who in ("head_a", "rector", "analyst"):
        assert api(getattr(world, who)).post("/api/processes/", data, format="json").status_code == 403, who
    response = api(world.quality).post("/api/processes/", data, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["code"] == "3.9" and [u["id"] for u in row["units"]] == [world.fac_a.pk]
    from sapat.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(row["id"]), content_type__model="process", actor=world.quality)
    response = api(world.quality).patch(f"/api/processes/{row['id']}/", {"name_ru": "Библиотека"}, format="json")
    assert response.status_code == 200 and response.json()["name_ru"] == "Библиотека"
    assert response.json()["units"]  # links not sent stay
    response = api(world.quality).patch(f"/api/processes/{row['id']}/", {"institution": world.other_inst.pk})
    assert response.status_code == 400 and "institution" in response.json()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"group": 3, "code": "2.9", "name_ky": "x"}, "code"),  # code of another group
        ({"group": 2, "code": "2.3", "name_ky": "x"}, "code"),  # taken
        ({"group": 3, "code": "3.9"}, "name_ky"),
        ({"group": 3, "code": "3.9", "name_ky": "x", "units": [999999]}, "units"),
    ],
)
def test_process_field_errors(world, stage, data, field):
    response = api(world.quality).post("/api/processes/", {"institution": world.inst.pk, **data}, format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_a_process_from_another_institution_cannot_be_written(world, stage):
    client = api(world.quality)
    other = stage["other_process"].pk
    assert client.patch(f"/api/processes/{other}/", {"name_ru": "x"}, format="json").status_code == 404
    data = {"institution": world.other_inst.pk, "group": 3, "code": "3.9", "name_ky": "x"}
    response = client.post("/api/processes/", data, format="json")
    assert response.status_code == 400 and "outside what you may see" in response.json()["institution"][0]


def test_owners_are_added_and_ended(world, stage):
    process = stage["process"].pk
    data = {"person": world.staff_a.person.pk, "position_title": "Проректор"}
    assert api(world.head_a).post(f"/api/processes/{process}/owners/", data, format="json").status_code == 403
    response = api(world.quality).post(f"/api/processes/{process}/owners/", data, format="json")
    assert response.status_code == 201, response.content
    owners = {o["person"]: o["id"] for o in response.json()["current_owners"]}
    assert world.staff_a.person.pk in owners
    again = api(world.quality).post(f"/api/processes/{process}/owners/", data, format="json")
    assert again.status_code == 400 and "person" in again.json()
    end = {"owner": owners[world.staff_a.person.pk]}
    response = api(world.quality).post(f"/api/processes/{process}/end-owner/", end, format="json")
    assert response.status_code == 200
    assert world.staff_a.person.pk not in {o["person"] for o in response.json()["current_owners"]}


def test_objectives_cascade_through_the_api(world, stage):
    top = {"unit": world.root.pk, "title_ky": "Сапатты жогорулатуу", "start_year": 2025, "end_year": 2027}
    assert api(world.head_a).post("/api/objectives/", top, format="json").status_code == 403
    response = api(world.quality).post("/api/objectives/", {**top, "processes": [stage["process"].pk]}, format="json")
    assert response.status_code == 201, response.content
    parent = response.json()
    assert parent["code"] == "1" and parent["processes"] == [stage["process"].pk]
    mine = {"unit": world.fac_a.pk, "title_ky": "Факультеттин максаты", "start_year": 2025, "end_year": 2026}
    response = api(world.head_a).post("/api/objectives/", mine, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    response = api(world.head_a).post("/api/objectives/", {**mine, "parent": parent["id"]}, format="json")
    assert response.status_code == 201 and response.json()["code"] == "1.1"
    child = response.json()["id"]
    response = api(world.head_a).patch(f"/api/objectives/{child}/", {"end_year": 2020}, format="json")
    assert response.status_code == 400 and "end_year" in response.json()
    response = api(world.head_a).patch(f"/api/objectives/{child}/", {"status": "in_progress"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    theirs = {"unit": world.fac_b.pk, "parent": parent["id"], "title_ky": "x", "start_year": 2025, "end_year": 2026}
    assert api(world.head_a).post("/api/objectives/", theirs, format="json").status_code == 403
    assert api(world.analyst).patch(f"/api/objectives/{child}/", {"status": "achieved"}).status_code == 403


def test_risks_are_written_by_who_may_manage_them(world, stage):
    data = {"unit": world.fac_a.pk, "title": "Жатакана жетишсиз", "likelihood": 4, "impact": 5}
    response = api(world.head_a).post("/api/risks/", data, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["institution"] == world.inst.pk and row["code"] == "R-002" and row["level"] == "critical"
    assert api(world.head_b).patch(f"/api/risks/{row['id']}/", {"impact": 1}, format="json").status_code == 403
    assert api(world.analyst).patch(f"/api/risks/{row['id']}/", {"impact": 1}, format="json").status_code == 403
    response = api(world.head_a).patch(
        f"/api/risks/{row['id']}/", {"residual_likelihood": 2, "residual_impact": 2, "status": "treated"}, format="json"
    )
    assert response.status_code == 200 and response.json()["residual_level"] == "low"
    theirs = {**data, "unit": world.fac_b.pk}
    assert api(world.head_a).post("/api/risks/", theirs, format="json").status_code == 403
    assert api(world.head_a).patch(f"/api/risks/{row['id']}/", {"unit": world.fac_b.pk}).status_code == 403


@pytest.mark.parametrize(
    "data,field",
    [
        ({"title": "x", "likelihood": 1, "impact": 1}, "unit"),
        ({"unit": "fac_a", "title": "x", "likelihood": 9, "impact": 1}, "likelihood"),
        ({"unit": "fac_a", "title": "x", "likelihood": 1, "impact": 1, "status": "treated"}, "residual_likelihood"),
        ({"unit": "fac_a", "title": "x", "likelihood": 1, "impact": 1, "residual_impact": 2}, "residual_impact"),
        ({"unit": "fac_a", "likelihood": 1, "impact": 1}, "title"),
    ],
)
def test_risk_field_errors(world, stage, data, field):
    if data.get("unit") == "fac_a":
        data = {**data, "unit": world.fac_a.pk}
    response = api(world.quality).post("/api/risks/", data, format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_risk_actions_through_the_api(world, stage):
    risk = stage["risk"].pk  # of fac_a
    today = timezone.localdate()
    past = {"risk": risk, "description": "Келишим", "deadline": str(today - datetime.timedelta(days=1))}
    response = api(world.head_a).post("/api/risk-actions/", past, format="json")
    assert response.status_code == 400 and "deadline" in response.json()
    data = {**past, "deadline": str(today + datetime.timedelta(days=20))}
    assert api(world.head_b).post("/api/risk-actions/", data, format="json").status_code == 403
    response = api(world.head_a).post("/api/risk-actions/", data, format="json")
    assert response.status_code == 201, response.content
    action = response.json()["id"]
    response = api(world.head_a).patch(f"/api/risk-actions/{action}/", {"description": "Жаңы"}, format="json")
    assert response.status_code == 200 and response.json()["description"] == "Жаңы"
    response = api(world.head_a).post(f"/api/risk-actions/{action}/done/", {}, format="json")
    assert response.status_code == 200 and response.json()["done_on"] == str(today)
    response = api(world.head_a).delete(f"/api/risk-actions/{action}/")
    assert response.status_code == 400 and "record of the treatment" in str(response.json())
    second = api(world.quality).post("/api/risk-actions/", data, format="json").json()["id"]
    assert api(world.head_b).delete(f"/api/risk-actions/{second}/").status_code == 403
    assert api(world.quality).delete(f"/api/risk-actions/{second}/").status_code == 204
    assert ids(api(world.quality).get(f"/api/risk-actions/?risk={risk}")) == {action}
    assert api(world.analyst).get("/api/risk-actions/").status_code == 200
    expert = org_factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    assert api(expert).post("/api/risk-actions/", data, format="json").status_code == 403


def test_schema_documents_the_writes(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for name in ("ProcessWrite", "ObjectiveWrite", "RiskWrite", "RiskActionWrite", "OwnerInput"):
        assert f"    {name}:" in schema, name
    for path in ("/api/risk-actions/{id}/done/:", "/api/processes/{id}/owners/:", "/api/processes/{id}/end-owner/:"):
        assert path in schema
