"""Indicators: the status rule, the computed library against hand-computed values, value
history, refusals (range, missing year, non-numbers, permissions role by role), pages in
every language, the dashboard's query count."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.org.models import AcademicYear, ContingentFigure
from sapat.org.tests import factories as org_factories
from sapat.processes import computations
from sapat.processes import services_indicators as services
from sapat.processes.models_indicators import (
    Direction,
    Indicator,
    IndicatorStatus,
    IndicatorTarget,
    IndicatorValue,
    ValueSource,
    indicator_status,
)

pytestmark = pytest.mark.usefixtures("english")


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def year(inst, start):
    return AcademicYear.objects.create(
        institution=inst,
        start_year=start,
        start_date=datetime.date(start, 9, 1),
        end_date=datetime.date(start + 1, 6, 30),
    )


def indicator(inst, code="I1", **kwargs):
    kwargs.setdefault("name_ky", f"Көрсөткүч {code}")
    return services.indicator_save(actor=None, indicator=Indicator(institution=inst, code=code, **kwargs))


@pytest.fixture
def years(world):
    return {y: year(world.inst, y) for y in (2020, 2021, 2022, 2023, 2024)}


# --- status rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, direction, target, warning, expected",
    [
        (65, Direction.HIGHER, 60, 50, IndicatorStatus.ON_TARGET),
        (60, Direction.HIGHER, 60, 50, IndicatorStatus.ON_TARGET),
        (55, Direction.HIGHER, 60, 50, IndicatorStatus.AT_RISK),
        (50, Direction.HIGHER, 60, 50, IndicatorStatus.AT_RISK),
        (49.9, Direction.HIGHER, 60, 50, IndicatorStatus.OFF_TARGET),
        (59, Direction.HIGHER, 60, None, IndicatorStatus.OFF_TARGET),
        (4, Direction.LOWER, 5, 8, IndicatorStatus.ON_TARGET),
        (5, Direction.LOWER, 5, 8, IndicatorStatus.ON_TARGET),
        (7, Direction.LOWER, 5, 8, IndicatorStatus.AT_RISK),
        (8, Direction.LOWER, 5, 8, IndicatorStatus.AT_RISK),
        (9, Direction.LOWER, 5, 8, IndicatorStatus.OFF_TARGET),
        (None, Direction.LOWER, 5, 8, None),
        (5, Direction.HIGHER, None, None, None),
    ],
)
def test_status_rule(value, direction, target, warning, expected):
    value = None if value is None else Decimal(str(value))
    assert indicator_status(value, direction, target, warning) == expected


# --- computations ----------------------------------------------------------------------------


@pytest.fixture
def contingent(world, years):
    p1 = org_factories.programme(world.fac_a)
    p2 = org_factories.programme(world.dep_a)
    p3 = org_factories.programme(world.fac_b)
    ay = years[2023]
    rows = [
        (p1, 100, 400, 80, 20, 60),
        (p2, 50, 200, 40, 10, None),  # employment unknown
        (p3, 30, 100, 20, 15, 10),
    ]
    for p, admitted, enrolled, graduated, expelled, employed in rows:
        ContingentFigure.objects.create(
            programme=p,
            academic_year=ay,
            admitted=admitted,
            enrolled=enrolled,
            graduated=graduated,
            expelled=expelled,
            employed=employed,
        )
    return p1, p2, p3


def test_contingent_computations(world, contingent):
    p1, _p2, _p3 = contingent
    whole = computations.Scope(world.root)
    fac_a = computations.Scope(world.fac_a)
    assert computations.admission(2023, whole) == 180
    assert computations.admission(2023, fac_a) == 150
    assert computations.graduation(2023, whole) == 140
    # (20 + 10 + 15) / (400 + 200 + 100) = 45 / 700 = 6.428… %
    assert computations.dropout_rate(2023, whole) == Decimal("6.43")
    assert computations.dropout_rate(2023, fac_a) == Decimal("5.00")  # 30 / 600
    # employment known for p1 and p3 only: (60 + 10) / (80 + 20) = 70 %
    assert computations.employment_rate(2023, whole) == Decimal("70.00")
    assert computations.employment_rate(2023, computations.Scope(world.fac_a, p1)) == Decimal("75.00")
    assert computations.admission(2022, whole) is None
    assert computations.dropout_rate(2022, whole) is None


def test_staff_share(world, years):
    # The world already holds one teaching person per account; count them in.
    for _i in range(3):
        org_factories.person(world.fac_b, degree="candidate")
    org_factories.person(world.fac_b, academic_title="docent")
    org_factories.person(world.fac_b, left_on=datetime.date(2023, 1, 1), degree="doctor")  # left before
    org_factories.person(world.fac_b, staff_category="service", degree="phd")  # not teaching
    fac_b = computations.Scope(world.fac_b)
    # fac_b: head_b's person (no degree) + 3 candidates + 1 docent = 5 teaching; 4 with one
    assert computations.staff_degree_or_title_share(2023, fac_b) == Decimal("80.00")
    assert computations.staff_degree_share(2023, fac_b) == Decimal("60.00")
    assert computations.staff_title_share(2023, fac_b) == Decimal("20.00")
    # who left in 2023 is still counted in 2021–2022
    assert computations.staff_degree_share(2021, fac_b) == Decimal("66.67")  # 4 / 6


def test_indicator_compute_supersedes(world, contingent):
    ind = indicator(world.inst, computation="admission", unit_of_measure="адам")
    first = services.indicator_compute(actor=world.quality, indicator=ind, year=2023)
    assert first.value == 180 and first.source == ValueSource.COMPUTED and first.unit == world.root
    assert services.indicator_compute(actor=world.quality, indicator=ind, year=2023).pk == first.pk  # unchanged
    ContingentFigure.objects.filter(programme=contingent[0]).update(admitted=110)
    second = services.indicator_compute(actor=world.quality, indicator=ind, year=2023)
    first.refresh_from_db()
    assert second.value == 190 and first.superseded_by == second
    assert services.indicator_compute(actor=world.quality, indicator=ind, year=2022) is None
    with pytest.raises(ValidationError):
        services.indicator_compute(actor=world.quality, indicator=indicator(world.inst, "I2"), year=2023)


# --- values ----------------------------------------------------------------------------------


def test_value_history_kept(world, years):
    ind = indicator(world.inst, min_value=0, max_value=100)
    v1 = services.value_enter(actor=world.quality, indicator=ind, year=2023, unit=world.fac_a, value="40", comment="a")
    v2 = services.value_enter(actor=world.head_a, indicator=ind, year=2023, unit=world.fac_a, value="45,5")
    v1.refresh_from_db()
    assert v1.superseded_by == v2 and v1.value == 40 and v1.entered_by == world.quality
    assert v2.is_current and v2.value == Decimal("45.5") and v2.entered_by == world.head_a
    assert IndicatorValue.objects.filter(indicator=ind, superseded_by__isnull=True).count() == 1
    v3 = services.value_enter(actor=world.quality, indicator=ind, year=2023, unit=world.fac_a, value="50")
    v2.refresh_from_db()
    assert v2.superseded_by == v3 and IndicatorValue.objects.filter(indicator=ind).count() == 3


@pytest.mark.parametrize(
    "value, year_, message",
    [
        ("120", 2023, "between 0 and 100"),
        ("-1", 2023, "between 0 and 100"),
        ("a lot", 2023, "Enter a number"),
        ("50", 2019, "no academic year 2019–2020"),
    ],
)
def test_bad_values_refused(world, years, value, year_, message):
    ind = indicator(world.inst, min_value=0, max_value=100)
    with pytest.raises(ValidationError) as error:
        services.value_enter(actor=world.quality, indicator=ind, year=year_, unit=world.fac_a, value=value)
    assert message in " ".join(error.value.messages)
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    "who, unit, allowed",
    [
        ("quality", "fac_a", True),
        ("admin", "fac_b", False),
        ("head_a", "fac_a", True),
        ("head_a", "dep_a", True),
        ("quality_a", "fac_a", False),
        ("head_a", "fac_b", False),
        ("staff_a", "dep_a", False),
        ("rector", "fac_a", False),
        ("analyst", "fac_a", False),
    ],
)
def test_who_may_enter(world, years, who, unit, allowed):
    ind = indicator(world.inst)
    enter = lambda: services.value_enter(  # noqa: E731
        actor=getattr(world, who), indicator=ind, year=2023, unit=getattr(world, unit), value="1"
    )
    if allowed:
        assert enter().value == 1
    else:
        with pytest.raises(PermissionDenied):
            enter()


def test_responsible_person_may_enter(world, years):
    ind = indicator(world.inst, responsible=world.staff_a.person)
    assert services.value_enter(actor=world.staff_a, indicator=ind, year=2023, unit=world.fac_b, value="3").value == 3


def test_define_and_targets_quality_only(world, years):
    with pytest.raises(PermissionDenied):
        services.indicator_save(actor=world.head_a, indicator=Indicator(institution=world.inst, code="X", name_ky="X"))
    ind = services.indicator_save(
        actor=world.quality, indicator=Indicator(institution=world.inst, code="X", name_ky="X")
    )
    with pytest.raises(ValidationError):
        services.indicator_save(actor=world.quality, indicator=Indicator(institution=world.inst, code="X", name_ky="Y"))
    with pytest.raises(PermissionDenied):
        services.target_save(actor=world.head_a, target=IndicatorTarget(indicator=ind, year=2023, target=60))
    services.target_save(actor=world.quality, target=IndicatorTarget(indicator=ind, year=2023, target=60, warning=50))
    services.target_save(actor=world.quality, target=IndicatorTarget(indicator=ind, year=2023, target=65))
    assert IndicatorTarget.objects.get(indicator=ind).target == 65
    with pytest.raises(ValidationError):
        services.target_save(actor=world.quality, target=IndicatorTarget(indicator=ind, year=2019, target=60))
    with pytest.raises(ValidationError):  # warning above the target of a higher-better indicator
        services.target_save(
            actor=world.quality, target=IndicatorTarget(indicator=ind, year=2024, target=60, warning=70)
        )


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def filled(world, years, contingent):
    ind = indicator(world.inst, "ADM", computation="admission", unit_of_measure="адам")
    hand = indicator(world.inst, "DEG", min_value=0, max_value=100, unit_of_measure="%")
    for y, v in ((2021, 50), (2022, 55), (2023, 58)):
        services.value_enter(actor=None, indicator=hand, year=y, unit=world.root, value=v)
    services.value_enter(actor=None, indicator=hand, year=2023, unit=world.root, value=61, comment="corrected")
    services.target_save(actor=None, target=IndicatorTarget(indicator=hand, year=2023, target=60, warning=50))
    services.indicator_compute(actor=None, indicator=ind, year=2023)
    return ind, hand


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_pages_render(client, world, filled, language):
    ind, hand = filled
    login(client, world.quality, language)
    for url in (
        reverse("indicator_list"),
        reverse("indicator_list") + f"?unit={world.fac_a.pk}",
        reverse("indicator_detail", args=[hand.pk]),
        reverse("indicator_detail", args=[ind.pk]),
        reverse("indicator_add"),
        reverse("indicator_edit", args=[hand.pk]),
        reverse("indicator_value_add", args=[hand.pk]),
        reverse("indicator_target_add", args=[hand.pk]),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("indicator_list")).content.decode()
    assert "<svg" in page and "<polyline" in page


def test_dashboard_shows_status(client, world, filled):
    login(client, world.quality)
    page = client.get(reverse("indicator_list")).content.decode()
    assert "On target" in page and "61" in page
    detail = client.get(reverse("indicator_detail", args=[filled[1].pk])).content.decode()
    assert "Earlier values" in detail and "corrected" in detail


def test_value_entry_by_form(client, world, years):
    ind = indicator(world.inst, min_value=0, max_value=100)
    login(client, world.head_a)
    url = reverse("indicator_value_add", args=[ind.pk])
    response = client.post(url, {"year": 2023, "unit": world.fac_a.pk, "value": "150", "comment": ""})
    assert response.status_code == 400 and "between 0 and 100" in response.content.decode()
    response = client.post(url, {"year": 2023, "unit": world.fac_b.pk, "value": "50", "comment": ""})
    assert response.status_code == 400  # fac_b is not offered to head_a
    response = client.post(url, {"year": 2023, "unit": world.fac_a.pk, "value": "50", "comment": "ok"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=ind).entered_by == world.head_a
    login(client, world.staff_a)
    assert client.get(url).status_code == 403
    assert client.get(reverse("indicator_add")).status_code == 403


def test_compute_button(client, world, filled):
    ind, _hand = filled
    login(client, world.quality)
    response = client.post(reverse("indicator_compute", args=[ind.pk]), {"year": 2023})
    assert response.status_code == 302


def test_other_institution_404(client, world, years):
    ind = indicator(world.other_inst, "O1")
    login(client, world.quality)
    assert client.get(reverse("indicator_detail", args=[ind.pk])).status_code == 404
    assert client.get(reverse("indicator_value_add", args=[ind.pk])).status_code == 404


def test_dashboard_query_count_constant(client, world, years):
    login(client, world.quality)

    def make(n, start):
        for i in range(start, start + n):
            ind = indicator(world.inst, f"Q{i}")
            services.value_enter(actor=None, indicator=ind, year=2023, unit=world.root, value=i)
            services.value_enter(actor=None, indicator=ind, year=2024, unit=world.root, value=i + 1)
            services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, target=5))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("indicator_list")).status_code == 200
        return len(ctx.captured_queries)

    make(3, 0)
    few = count()
    make(17, 3)
    assert count() == few
