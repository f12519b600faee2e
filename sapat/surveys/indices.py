"""Satisfaction indices per stakeholder group, for the indicators' computation library
(`sapat.processes.computations`): the mean of every scaled answer of the group's surveys
that ended in the academic year, as a percentage of the scale (1 → 0 %, top → 100 %).
Like every result, nothing is returned for fewer respondents than the campaigns' minimum."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max
from django.utils.translation import gettext_lazy as _

from .choices import QuestionKind, Stakeholder
from .models import MIN_GROUP_DEFAULT, Answer, Question, Response

# The influence rating measures influence, not satisfaction.
SATISFACTION_KINDS = (QuestionKind.LIKERT, QuestionKind.MATRIX)


def satisfaction_index(stakeholder, year, scope):
    start, end = date(year, 9, 1), date(year + 1, 8, 31)
    campaigns = {
        "campaign__institution_id": scope.institution_id,
        "campaign__questionnaire__stakeholder": stakeholder,
        "campaign__ends_on__range": (start, end),
    }
    slots = (
        {"slot__programme": scope.programme}
        if scope.programme is not None
        else {"slot__unit__path__startswith": scope.unit.path}
    )
    responses = Response.objects.filter(**campaigns, **slots).aggregate(
        n=Count("pk"), floor=Max("campaign__min_group_size")
    )
    if responses["n"] < max(responses["floor"] or MIN_GROUP_DEFAULT, 3):
        return None
    rows = (
        Answer.objects.filter(**campaigns, **slots, question__kind__in=SATISFACTION_KINDS, value__gte=1)
        .values("question")
        .annotate(mean=Avg("value"), n=Count("pk"))
    )
    tops = {q.pk: q.scale_max for q in Question.objects.filter(pk__in=[r["question"] for r in rows])}
    total = weight = 0.0
    for row in rows:
        top = tops[row["question"]]
        if top > 1:
            total += (row["mean"] - 1) / (top - 1) * row["n"]
            weight += row["n"]
    if not weight:
        return None
    return (Decimal(total / weight) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _for(stakeholder):
    def compute(year, scope):
        return satisfaction_index(stakeholder, year, scope)

    compute.__doc__ = f"Satisfaction index of {stakeholder}, % of the scale."
    return compute


INDICES = {
    "satisfaction_students": (_("Student satisfaction index, %"), Stakeholder.STUDENTS),
    "satisfaction_staff": (_("Staff satisfaction index, %"), Stakeholder.STAFF),
    "satisfaction_graduates": (_("Graduate satisfaction index, %"), Stakeholder.GRADUATES),
    "satisfaction_employers": (_("Employer satisfaction index, %"), Stakeholder.EMPLOYERS),
    "satisfaction_parents": (_("Parent satisfaction index, %"), Stakeholder.PARENTS),
}


COMPUTE = {key: _for(stakeholder) for key, (_label, stakeholder) in INDICES.items()}


def register_all():
    from sapat.processes.computations import register

    for key, (label, _stakeholder) in INDICES.items():
        register(key, label, COMPUTE[key])
