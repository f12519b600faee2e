"""Demo: which indicators measure which demo quality objectives, so that the annual report
on the objectives has something to tell. The demo indicators (`indicators_loader`) have
values for the institution and for every academic unit; an objective is measured by its
indicators' values for its own unit, so an indicator linked to a faculty's objective reports
that faculty's values.

Objectives are found by their code in the cascade (`policy_loader` numbers them); a code
that is missing is skipped. An institution whose indicators already serve an objective is
left alone: loading twice changes nothing."""

from django.db import transaction

from sapat.core.audit import save_audited
from sapat.processes.models import Indicator, QualityObjective

# Indicator code → the code of the objective it measures (see `data_policy.OBJECTIVES`).
LINKS = {
    "batsu": {
        "К-01": "2",  # students admitted → one of the leading universities of Central Asia
        "К-02": "2",  # graduates → the same
        "К-03": "3",  # dropout → the programmes' quality confirmed
        "К-04": "3.2",  # graduate employment → КГПИ raises its graduates' employment
        "К-05": "4",  # staff with a degree or title → raise the share of teachers with a degree
        "К-08": "4.1",  # qualification upgraded this year → ТГПФ raises its teachers' qualification
        "К-09": "4.1",  # … and over five years
    },
    "oshsu": {
        "К-01": "2",  # students admitted → top 3 in Central Asia
        "К-02": "2",  # graduates → the same
        "К-03": "3",  # dropout → every programme accredited
        "К-04": "3.1",  # graduate employment → the medical faculty's international accreditation
        "К-05": "1",  # staff with a degree or title → TOP-700 research universities
    },
}


def load_objective_indicators(write=print) -> dict[str, str]:
    outcome = {}
    for code, links in LINKS.items():
        indicators = Indicator.objects.filter(institution__code=code)
        if not indicators.exists() or not QualityObjective.objects.filter(institution__code=code).exists():
            continue
        if indicators.filter(objective__isnull=False).exists():
            outcome[code] = "skipped"
            continue
        objectives = {o.code: o for o in QualityObjective.objects.filter(institution__code=code)}
        linked = 0
        with transaction.atomic():
            for indicator in indicators.filter(code__in=links):
                objective = objectives.get(links[indicator.code])
                if objective is not None:
                    indicator.objective = objective
                    save_audited(None, indicator)
                    linked += 1
        outcome[code] = "created"
        write(f"{code}: {linked} indicators measure the quality objectives.")
    return outcome
