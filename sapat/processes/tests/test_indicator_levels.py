"""Indicators by period (semester, quarter, month) and by level (unit, programme, process):
periods that do not exist are refused everywhere (service, form, import, API); a period's
own target wins over its year's; the dashboard drills down institution → unit → programme
at a fixed query count; the dashboard PDF carries the page's charts; evidence files on
values; the student-to-teacher ratio against a hand-computed value; who may enter what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sapat.core.attachments import attachments_of
from sapat.org.models import AcademicYear, ContingentFigure
from sapat.org.tests import factories as org_factories
from sapat.processes import computations, selectors_indicators
from sapat.processes import services_indicators as services
from sapat.processes.imports_indicators import IndicatorValueImporter
from sapat.processes.models_indicators import (
    Frequency,
    Indicator,
    IndicatorLevel,
    IndicatorStatus,
    IndicatorTarget,
    IndicatorValue,
    period_label,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def years(world):
    for start in range(2020, 2025):
        AcademicYear.objects.create(
            institution=world.inst,
            start_year=start,
            start_date=datetime.date(start, 9, 1),
            end_date=datetime.date(start + 1, 6, 30),
        )


def indicator(inst, code="I1", **kwargs):
    kwargs.setdefault("name_ky", f"Көрсөткүч {code}")
    return services.indicator_save(actor=None, indicator=Indicator(institution=inst, code=code, **kwargs))


def enter(ind, unit, value, year=2024, period=0, actor=None, **kwargs):
    return services.value_enter(actor=actor, indicator=ind, year=year, period=period, unit=unit, value=value, **kwargs)


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frequency, good, bad",
    [
        (Frequency.YEAR, [0], [1, 2]),
        (Frequency.SEMESTER, [1, 2], [0, 3]),
        (Frequency.QUARTER, [1, 4], [0, 5]),
        (Frequency.MONTH, [1, 9, 12], [0, 13]),
    ],
)
def test_periods_follow_the_frequency(world, years, frequency, good, bad):
    ind = indicator(world.inst, frequency=frequency)
    for period in good:
        assert enter(ind, world.root, 5, period=period).period == period
    for period in bad:
        with pytest.raises(ValidationError) as error:
            enter(ind, world.root, 5, period=period)
        assert "There is no period" in error.value.message_dict["period"][0]
    assert IndicatorValue.objects.count() == len(good)


def test_period_labels_and_history_per_period(world, years):
    ind = indicator(world.inst, frequency=Frequency.SEMESTER)
    enter(ind, world.root, 10, period=1)
    enter(ind, world.root, 20, period=2)
    enter(ind, world.root, 11, period=1)  # corrects semester 1 only
    current = IndicatorValue.objects.filter(superseded_by__isnull=True).order_by("period")
    assert [v.value for v in current] == [11, 20]
    assert IndicatorValue.objects.filter(period=1).count() == 2
    assert period_label(2024, 1, Frequency.SEMESTER) == "2024–2025, semester 1"
    assert period_label(2024, 3, Frequency.QUARTER) == "2024–2025, quarter 3"
    assert period_label(2024, 10, Frequency.MONTH) == "October 2024"
    assert period_label(2024, 2, Frequency.MONTH) == "February 2025"
    assert period_label(2024, 0) == "2024–2025"


def test_period_target_wins_over_the_year_target_and_latest_month_is_shown(world, years):
    ind = indicator(world.inst, frequency=Frequency.MONTH)
    services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, period=0, target=50))
    services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, period=2, target=80))
    with pytest.raises(ValidationError):
        services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, period=13, target=1))
    enter(ind, world.root, 60, period=12)  # December 2024
    enter(ind, world.root, 60, period=2)  # February 2025: the latest of the academic year
    enter(ind, world.root, 99, period=1, year=2023)
    [row] = selectors_indicators.dashboard([ind], world.root, [2023, 2024])
    assert (row.value.year, row.value.period) == (2024, 2)
    assert row.target.target == 80 and row.status == IndicatorStatus.OFF_TARGET
    labels = [label for label, _v, _s in row.points]
    assert labels[-1] == "02.2025" and len(labels) == 12
    by_label = {label: s for label, _v, s in row.points}
    assert row.trend == [(2023, 99), (2024, 60)]  # a year's value: its latest period's
    assert by_label["12.2024"] == IndicatorStatus.ON_TARGET  # against the year's target, 50


def test_form_import_and_api_take_the_period(client, world, years):
    ind = indicator(world.inst, "Q", frequency=Frequency.QUARTER)
    client.force_login(world.quality)
    url = reverse("indicator_value_add", args=[ind.pk])
    assert "Quarter 4" in client.get(url).content.decode()
    response = client.post(url, {"year": 2024, "period": 5, "unit": world.root.pk, "value": "1"})
    assert response.status_code == 400
    response = client.post(url, {"year": 2024, "period": 3, "unit": world.root.pk, "value": "1"})
    assert response.status_code == 302 and IndicatorValue.objects.get().period == 3

    csv = "indicator_code,year,value,period\nQ,2024,2,4\nQ,2024,3,7\n"
    result = IndicatorValueImporter(world.quality, world.inst).run(
        SimpleUploadedFile("v.csv", csv.encode(), content_type="text/csv")
    )
    assert not result.ok and result.problems[0].row == 3 and "There is no period" in result.problems[0].message
    assert IndicatorValue.objects.count() == 1
    csv = "indicator_code,year,value,period\nQ,2024,2,4\nQ,2024,3,4\n"
    result = IndicatorValueImporter(world.quality, world.inst).run(
        SimpleUploadedFile("v.csv", csv.encode(), content_type="text/csv")
    )
    assert not result.ok and "already appear" in result.problems[0].message

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.quality).key}")
    root = world.root.pk
    bad = [
        {"indicator": "Q", "year": 2024, "period": 1, "unit": root, "value": 1},
        {"indicator": "Q", "year": 2024, "unit": root, "value": 2},
    ]
    response = api.post("/api/indicator-values/bulk/", bad, format="json")
    assert response.status_code == 400
    assert {(e["index"], e["field"]) for e in response.json()["errors"]} == {(1, "period")}
    response = api.post("/api/indicator-values/bulk/", bad[:1], format="json")
    assert response.status_code == 201 and response.json()[0]["period"] == 1
    rows = api.get("/api/indicator-values/?period=1").json()["results"]
    assert [r["period"] for r in rows] == [1]


def test_computed_indicators_are_yearly(world):
    with pytest.raises(ValidationError):
        indicator(world.inst, computation="admission", frequency=Frequency.QUARTER)


# --- levels and the drill-down ---------------------------------------------------------------


@pytest.fixture
def levels(world, years):
    inst_ind = indicator(world.inst, "INST")
    unit_ind = indicator(world.inst, "UNIT", level=IndicatorLevel.UNIT)
    prog_ind = indicator(world.inst, "PROG", level=IndicatorLevel.PROGRAMME)
    for ind in (inst_ind, unit_ind, prog_ind):
        services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, target=60, warning=50))
    programme = org_factories.programme(world.fac_a, name_ky="Информатика")
    enter(inst_ind, world.root, 70)
    enter(unit_ind, world.root, 65)
    enter(unit_ind, world.fac_a, 55)  # at risk
    enter(unit_ind, world.fac_b, 40)  # off target
    enter(prog_ind, None, 77, programme=programme)
    return inst_ind, unit_ind, prog_ind, programme


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("indicator_list") + query)
    assert response.status_code == 200
    return response.content.decode()


def scopes(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse("indicator_dashboard_scopes") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_drill_down_institution_unit_programme(client, world, levels):
    _inst_ind, _unit_ind, _prog_ind, programme = levels
    html = page(client, world.rector)
    assert "INST" in html and "UNIT" in html and 'data-testid="latest-PROG"' not in html
    assert reverse("indicator_dashboard_scopes") in html  # the units come in a second request
    units = scopes(client, world.rector)
    assert f"?unit={world.fac_a.pk}" in units and f"?unit={world.fac_b.pk}" in units
    rows = selectors_indicators.summaries([levels[1]], [world.fac_a, world.fac_b], since_year=2020)
    assert rows[0].counts[IndicatorStatus.AT_RISK] == 1 and rows[1].counts[IndicatorStatus.OFF_TARGET] == 1

    html = page(client, world.rector, f"?unit={world.fac_a.pk}")
    assert 'data-testid="latest-INST"' not in html and "55" in html and "At risk" in html
    html = scopes(client, world.rector, f"?unit={world.fac_a.pk}")
    assert f"?programme={programme.pk}" in html
    assert f"?unit={world.dep_a.pk}" not in html  # a unit without values is left out
    enter(levels[1], world.dep_a, 61)
    assert f"?unit={world.dep_a.pk}" in scopes(client, world.rector, f"?unit={world.fac_a.pk}")

    html = page(client, world.rector, f"?programme={programme.pk}")
    assert 'data-testid="latest-PROG"' in html and "77" in html and "On target" in html
    assert f"?unit={world.fac_a.pk}" in html  # the trail back to the faculty


def test_dashboard_query_count_does_not_grow_with_units_programmes_values(client, world, levels):
    client.force_login(world.quality)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    queries = [
        reverse(name) + query
        for name in ("indicator_list", "indicator_dashboard_scopes")
        for query in ("", f"?unit={world.fac_a.pk}", f"?programme={levels[3].pk}")
    ]
    before = [count(q) for q in queries]
    for i in range(6):
        unit = org_factories.unit(world.fac_a, f"D{i}", unit_type="department")
        prog = org_factories.programme(unit if i % 2 else world.fac_a)
        ind = indicator(world.inst, f"U{i}", level=IndicatorLevel.UNIT, frequency=Frequency.QUARTER)
        for q in (1, 2, 3):
            enter(ind, unit, q, period=q)
            enter(ind, world.fac_a, q, period=q)
        enter(levels[2], None, 50 + i, programme=prog)
    assert [count(q) for q in queries] == before


def test_dashboard_pdf_has_the_values_and_the_same_charts(client, world, levels):
    client.force_login(world.quality)
    html = page(client, world.quality, f"?unit={world.fac_a.pk}")
    response = client.get(reverse("indicator_dashboard_pdf") + f"?unit={world.fac_a.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "UNIT" in text and "55" in text and "At risk" in text
    # The page and the PDF draw one and the same chart.
    chart = selectors_indicators.dashboard([levels[1]], world.fac_a, [2020, 2021, 2022, 2023, 2024])[0].chart
    assert chart in html


def test_indicator_page_has_the_big_trend_chart(client, world, levels):
    client.force_login(world.quality)
    url = reverse("indicator_detail", args=[levels[1].pk]) + f"?unit={world.fac_a.pk}"
    html = client.get(url).content.decode()
    assert 'data-testid="trend-chart"' in html and "stroke-dasharray" in html and "2024–25: 55" in html
    # the values of the scope shown; the other scopes with values to choose from
    assert f'data-kind="unit" value="{world.fac_b.pk}"' in html
    values = html[html.index('data-testid="trend-chart"') :]
    assert world.fac_a.name in values and world.fac_b.name not in values


def test_process_page_shows_its_indicators_with_status(client, world, years):
    from sapat.processes.tests import factories

    process = factories.process(world.inst, "2.3")
    ind = indicator(world.inst, "PR", level=IndicatorLevel.PROCESS, process=process)
    services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, target=60))
    enter(ind, world.root, 30)
    client.force_login(world.staff_a)
    html = client.get(process.get_absolute_url()).content.decode()
    assert "PR" in html and "30" in html and "Off target" in html


# --- evidence --------------------------------------------------------------------------------


def pdf_upload():
    return SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_evidence_file_with_the_value(client, world, years):
    ind = indicator(world.inst)
    client.force_login(world.head_a)
    url = reverse("indicator_value_add", args=[ind.pk])
    bad = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf at all")
    response = client.post(url, {"year": 2024, "unit": world.fac_a.pk, "value": "5", "evidence": bad})
    assert response.status_code == 400 and not IndicatorValue.objects.exists()  # all or nothing
    response = client.post(url, {"year": 2024, "unit": world.fac_a.pk, "value": "5", "evidence": pdf_upload()})
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    [file] = attachments_of(value)
    assert file.name == "evidence.pdf" and file.uploaded_by == world.head_a
    html = client.get(value.get_absolute_url()).content.decode()
    assert "evidence.pdf" in html and 'type="file"' in html
    client.force_login(world.staff_a)  # sees the value and its file, may not add
    html = client.get(value.get_absolute_url()).content.decode()
    assert "evidence.pdf" in html and 'type="file"' not in html
    assert client.get(reverse("attachment_download", args=[file.pk])).status_code == 200


# --- the library -----------------------------------------------------------------------------


def test_student_teacher_ratio(world, years):
    programme = org_factories.programme(world.fac_b)
    ContingentFigure.objects.create(
        programme=programme,
        academic_year=AcademicYear.objects.get(institution=world.inst, start_year=2023),
        admitted=30,
        enrolled=100,
        graduated=20,
        expelled=5,
    )
    for _i in range(3):
        org_factories.person(world.fac_b)
    org_factories.person(world.fac_b, staff_category="service")  # not teaching
    # fac_b: head_b's person + 3 teachers = 4; 100 students / 4 = 25
    assert computations.student_teacher_ratio(2023, computations.Scope(world.fac_b)) == Decimal("25.00")
    assert computations.student_teacher_ratio(2022, computations.Scope(world.fac_b)) is None
    assert "student_teacher_ratio" in computations.LIBRARY


# --- who may enter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, unit, allowed",
    [
        ("quality", "fac_b", True),  # the quality department: every unit
        ("admin", "fac_b", False),  # runs the installation, enters no values
        ("head_a", "dep_a", True),  # the unit's head: the unit and below
        ("head_a", "root", False),
        ("head_b", "fac_a", False),
        ("quality_a", "dep_a", False),  # the unit quality responsible does not either
        ("staff_a", "fac_a", False),
        ("rector", "fac_a", False),
        ("analyst", "fac_a", False),
        ("responsible", "fac_b", True),  # the indicator's responsible person: any unit
    ],
)
def test_who_may_enter_by_form(client, world, years, who, unit, allowed):
    ind = indicator(world.inst, responsible=world.staff_a.person if who == "responsible" else None)
    other = indicator(world.inst, "I2")
    user = world.staff_a if who == "responsible" else getattr(world, who)
    unit = getattr(world, unit)
    client.force_login(user)
    response = client.post(reverse("indicator_value_add", args=[ind.pk]), {"year": 2024, "unit": unit.pk, "value": "5"})
    assert (response.status_code == 302) == allowed
    assert IndicatorValue.objects.filter(unit=unit).exists() == allowed
    if who == "responsible":  # responsible for one indicator only
        with pytest.raises(PermissionDenied):
            enter(other, unit, 1, actor=user)
