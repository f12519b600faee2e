"""Reads of the accreditation register, scoped like the rest of the institution's records."""

from django.db.models import Prefetch

from sapat.org import access
from sapat.org.access import Perm
from sapat.org.models import Programme

from .models_register import Accreditation, AccreditationEvent, AccreditationResult, FirstGraduation


def accreditations_for(user):
    ids = access.institution_ids(user, Perm.VIEW_ACCREDITATION)
    qs = Accreditation.objects.select_related("institution", "programme")
    if not access.can(user, Perm.VIEW_ACCREDITATION):
        return qs.none()
    return qs if ids is None else qs.filter(institution_id__in=ids)


def with_events(qs):
    return qs.prefetch_related(Prefetch("events", queryset=AccreditationEvent.objects.order_by("date", "id")))


def status_board(user, institution):
    """One row per subject — the institution, then each programme — with its accreditations
    (oldest first) and the latest one; programmes never accredited are listed too."""
    own = accreditations_for(user).filter(institution=institution).order_by("decision_date", "id")
    accreditations = list(with_events(own))
    by_subject = {}
    for acc in accreditations:
        by_subject.setdefault(acc.programme_id, []).append(acc)
    firsts = {f.programme_id: f for f in FirstGraduation.objects.filter(institution=institution)}
    rows = [{"subject": institution, "programme": None, "history": by_subject.get(None, []), "first": firsts.get(None)}]
    for programme in Programme.objects.filter(institution=institution).order_by("code", "study_form"):
        history = by_subject.get(programme.pk, [])
        rows.append(
            {"subject": programme, "programme": programme, "history": history, "first": firsts.get(programme.pk)}
        )
    for row in rows:
        granted = [a for a in row["history"] if a.result != AccreditationResult.REFUSED]
        row["latest"] = row["history"][-1] if row["history"] else None
        row["current"] = granted[-1] if granted else None
    return rows, accreditations


def results_by_year(accreditations):
    """Decisions per year and result, for the chart of results over the years (000.md)."""
    years = {}
    for acc in accreditations:
        counts = years.setdefault(acc.decision_date.year, {r: 0 for r in AccreditationResult.values})
        counts[acc.result] += 1
    return sorted(years.items())
