"""The demo risk registers, Batken's SWOT analysis and the demo indicators (one demo load
serves them all)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from sapat.core.models import AuditEntry
from sapat.demo import loader
from sapat.processes.models import Risk, RiskAction, RiskKind, SwotAnalysis, SwotItem
from sapat.processes.selectors_risks import overdue_actions


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_each_institution_has_a_realistic_register(demo, code):
    assert demo[f"{code} risks"] == "created"
    risks = list(Risk.objects.filter(institution__code=code))
    assert 10 <= len(risks) <= 15
    assert {r.kind for r in risks} == {RiskKind.RISK, RiskKind.OPPORTUNITY}
    assert all(r.process_id for r in risks) and sum(1 for r in risks if r.unit_id) >= 8
    assert [r.code for r in sorted(risks, key=lambda r: r.pk)][:2] == ["R-001", "R-002"]
    assert any(r.residual_rating for r in risks) and any(r.owner_id for r in risks)
    assert {r.level for r in risks} >= {"medium", "high", "critical"}
    actions = RiskAction.objects.filter(risk__institution__code=code)
    assert overdue_actions(actions).exists() and actions.filter(done_on__isnull=False).exists()


def test_batkens_swot_has_four_quadrants_and_two_items_turned_into_risks(demo):
    analysis = SwotAnalysis.objects.get(institution__code="batsu")
    assert analysis.unit is None
    for quadrant in "SWOT":
        assert 3 <= analysis.items.filter(quadrant=quadrant).count() <= 4
    turned = SwotItem.objects.filter(analysis=analysis, risk__isnull=False)
    assert turned.count() == 2 and all(item.risk.kind == RiskKind.RISK for item in turned)


def test_every_risk_has_a_create_entry_and_a_second_run_changes_nothing(demo):
    risk_type = ContentType.objects.get_for_model(Risk)
    ids = {str(pk) for pk in Risk.objects.values_list("pk", flat=True)}
    logged = set(AuditEntry.objects.filter(content_type=risk_type, action="create").values_list("object_id", flat=True))
    assert ids <= logged
    before = (Risk.objects.count(), RiskAction.objects.count(), SwotItem.objects.count(), AuditEntry.objects.count())
    outcome = loader.load(write=lambda line: None)
    assert outcome["batsu risks"] == outcome["oshsu risks"] == "skipped"
    assert (
        Risk.objects.count(),
        RiskAction.objects.count(),
        SwotItem.objects.count(),
        AuditEntry.objects.count(),
    ) == before


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_indicators_have_five_years_computed_from_the_demo_data(demo, code):
    from sapat.org.models import ContingentFigure
    from sapat.processes.models import Indicator, IndicatorValue

    assert demo[f"{code} indicators"] == "created"
    from sapat.demo.indicators_loader import SATISFACTION, SPECS

    assert Indicator.objects.filter(institution__code=code).count() == len(SPECS) + len(SATISFACTION)
    admitted = IndicatorValue.objects.get(indicator__institution__code=code, indicator__code="К-01", year=2025)
    expected = sum(
        ContingentFigure.objects.filter(programme__institution__code=code, academic_year__start_year=2025).values_list(
            "admitted", flat=True
        )
    )
    assert admitted.value == expected and admitted.source == "computed"
    years = IndicatorValue.objects.filter(indicator__institution__code=code, indicator__code="К-06")
    assert sorted(years.values_list("year", flat=True)) == [2021, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_indicators_for_every_unit_and_programme_with_some_off_target(demo, code):
    from sapat.demo.indicators_loader import ACADEMIC
    from sapat.org.models import Programme, Unit
    from sapat.processes import selectors_indicators
    from sapat.processes.models import Indicator, IndicatorValue

    units = Unit.objects.filter(institution__code=code, unit_type__in=ACADEMIC, closed_on__isnull=True)
    upgrade = IndicatorValue.objects.filter(indicator__institution__code=code, indicator__code="К-08")
    assert set(upgrade.values_list("unit_id", flat=True)) >= set(units.values_list("pk", flat=True))
    assert upgrade.filter(unit=units.first()).count() == 5
    semesters = IndicatorValue.objects.filter(indicator__institution__code=code, indicator__code="К-10")
    assert set(semesters.values_list("period", flat=True)) == {1, 2}
    dropout = IndicatorValue.objects.filter(indicator__institution__code=code, indicator__code="П-02")
    with_contingent = Programme.objects.filter(institution__code=code, contingent__isnull=False).distinct()
    assert set(dropout.values_list("programme_id", flat=True)) == set(with_contingent.values_list("pk", flat=True))
    unit_level = Indicator.objects.filter(institution__code=code, level="unit")
    summaries = selectors_indicators.summaries(unit_level, units, since_year=2021)
    off = sum(s.counts["off_target"] for s in summaries)
    on = sum(s.counts["on_target"] for s in summaries)
    assert 0 < off < on  # a few off target, most on target


def test_a_second_load_leaves_the_indicators_alone(demo):
    from sapat.processes.models import IndicatorValue

    before = IndicatorValue.objects.count()
    again = loader.load(write=lambda line: None)
    assert again["batsu indicators"] == "skipped" and IndicatorValue.objects.count() == before


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_indicators_measure_the_demo_objectives(demo, code):
    """The objectives report has something to tell: indicators serve the institution's and
    the units' objectives, and each has a value for its objective's unit in 2025."""
    from sapat.processes.models import Indicator, IndicatorValue

    assert demo[f"{code} objective indicators"] == "created"
    linked = list(Indicator.objects.filter(institution__code=code, objective__isnull=False).select_related("objective"))
    assert len(linked) >= 4
    assert any(i.objective.unit.parent_id is None for i in linked)
    assert any(i.objective.unit.parent_id is not None for i in linked)
    for indicator in linked:
        assert IndicatorValue.objects.filter(indicator=indicator, unit=indicator.objective.unit_id, year=2025).exists()
    again = loader.load(write=lambda line: None)
    assert again[f"{code} objective indicators"] == "skipped"


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_satisfaction_indices_come_from_the_demo_surveys(demo, code):
    from sapat.org.models import Unit
    from sapat.processes import computations
    from sapat.processes.models import IndicatorValue

    assert demo[f"{code} satisfaction"] == "created"
    root = Unit.objects.get(institution__code=code, parent=None)
    students = IndicatorValue.objects.filter(indicator__institution__code=code, indicator__code="К-11", unit=root)
    assert students.exists()
    for value in students:  # as the indicator page would recompute it
        assert value.value == computations.compute("satisfaction_students", value.year, computations.Scope(root))
        assert 0 < value.value <= 100
    # Faculties have their own index wherever enough students answered.
    assert IndicatorValue.objects.filter(indicator__code="К-11", indicator__institution__code=code).exclude(
        unit=root
    ).exists()
    assert loader.load(write=lambda line: None)[f"{code} satisfaction"] == "skipped"
