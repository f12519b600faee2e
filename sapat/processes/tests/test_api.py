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
from sapat.processes import services_indicators
from sapat.processes.models_indicators import Indicator, IndicatorTarget, IndicatorValue
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
    for url in ("/api/processes/", "/api/objectives/", "/api/indicators/", "/api/indicator-values/", "/api/risks/"):
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
    urls = ["/api/processes/", "/api/objectives/", "/api/indicators/", "/api/indicator-values/", "/api/risks/"]
    user = world.quality
    api(user)  # the token exists before counting

    def grow(n, start):
        for i in range(start, start + n):
            process = factories.process(world.inst, f"3.{i}")
            factories.owner(process, unit=world.fac_a, position_title="Декан")
            ind = indicator(world.inst, f"K{i}")
            IndicatorTarget.objects.create(indicator=ind, year=2024, target=i)
            services_indicators.value_enter(actor=None, indicator=ind, year=2024, unit=world.fac_a, value=i)
            make_risk(world, title=f"Risk {i}")

    grow(2, 1)
    small = {url: _count(user, url) for url in urls}
    grow(17, 10)
    large = {url: _count(user, url) for url in urls}
    assert small == large
