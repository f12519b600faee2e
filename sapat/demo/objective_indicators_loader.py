"""Demo: the indicators that measure the demo quality objectives, so that the annual report
on the objectives has something to tell. The institution's indicators (`indicators_loader`)
are linked to the institution's objectives they measure, and the faculties' and institutes'
objectives get indicators of their own, computed from the demo contingent and staff
records for their unit over the same five years, with the institution's targets.

Objectives are found by their code in the cascade (`policy_loader` numbers them); a code
that is missing is skipped. An institution whose indicators already serve an objective is
left alone: loading twice changes nothing."""

from decimal import Decimal

from django.db import transaction

from sapat.core.audit import save_audited
from sapat.processes import computations
from sapat.processes.models import Indicator, IndicatorTarget, IndicatorValue, QualityObjective

# Institution's indicator code → the code of the objective it measures.
LINKS = {
    "batsu": {"К-01": "2", "К-03": "3", "К-04": "3", "К-05": "4"},
    "oshsu": {"К-01": "2", "К-03": "3", "К-04": "3", "К-05": "1"},
}
# A unit objective's own indicator: (objective code, the institution's indicator it copies).
UNIT_INDICATORS = {
    "batsu": [("3.1", "К-03"), ("3.2", "К-04"), ("4.1", "К-05")],
    "oshsu": [("3.1", "К-04")],
}


def load_objective_indicators(write=print) -> dict[str, str]:
    outcome = {}
    for code in sorted(LINKS):
        indicators = Indicator.objects.filter(institution__code=code)
        if not indicators.exists() or not QualityObjective.objects.filter(institution__code=code).exists():
            continue
        if indicators.filter(objective__isnull=False).exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic():
            count = _load(code)
        outcome[code] = "created"
        write(f"{code}: {count} indicators measure the quality objectives.")
    return outcome


def _load(code) -> int:
    objectives = {o.code: o for o in QualityObjective.objects.filter(institution__code=code).select_related("unit")}
    indicators = {i.code: i for i in Indicator.objects.filter(institution__code=code)}
    linked = 0
    for indicator_code, objective_code in LINKS[code].items():
        if indicator_code in indicators and objective_code in objectives:
            indicator = indicators[indicator_code]
            indicator.objective = objectives[objective_code]
            save_audited(None, indicator)
            linked += 1
    for objective_code, model_code in UNIT_INDICATORS[code]:
        objective, model = objectives.get(objective_code), indicators.get(model_code)
        if objective is not None and model is not None and model.computation:
            _unit_indicator(objective, model)
            linked += 1
    return linked


def _unit_indicator(objective, model):
    """A copy of `model` measured for the objective's unit, computed for the years the
    institution's indicator has values, with the same targets."""
    unit = objective.unit
    indicator = save_audited(
        None,
        Indicator(
            institution=model.institution,
            code=f"{model.code}-{unit.code}",
            name_ky=model.name_ky,
            name_ru=model.name_ru,
            name_en=model.name_en,
            unit_of_measure=model.unit_of_measure,
            direction=model.direction,
            level="unit",
            computation=model.computation,
            process=model.process,
            objective=objective,
            min_value=model.min_value,
            max_value=model.max_value,
        ),
    )
    for target in model.targets.all():
        save_audited(
            None,
            IndicatorTarget(
                indicator=indicator,
                year=target.year,
                period=target.period,
                target=target.target,
                warning=target.warning,
            ),
        )
    years = sorted(set(model.values.values_list("year", flat=True)))
    for year in years:
        value = computations.compute(model.computation, year, computations.Scope(unit, None))
        if value is not None:
            save_audited(
                None,
                IndicatorValue(indicator=indicator, year=year, unit=unit, value=Decimal(value), source="computed"),
            )
