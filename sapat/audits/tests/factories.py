"""Programmes, auditors and audits for tests, made through the services."""

import datetime

from sapat.org.models import AcademicYear
from sapat.org.tests import factories as org

from .. import services
from ..models import Audit, Auditor, AuditorTraining, ProgrammeEntry


def academic_year(institution, start_year=2025) -> AcademicYear:
    return AcademicYear.objects.create(
        institution=institution,
        start_year=start_year,
        start_date=datetime.date(start_year, 9, 1),
        end_date=datetime.date(start_year + 1, 6, 30),
    )


def auditor(unit, trained=True, **kwargs) -> Auditor:
    person = kwargs.pop("person", None) or org.person(unit)
    a = services.auditor_save(
        actor=None, auditor=Auditor(institution=unit.institution, person=person, kind=kwargs.pop("kind", "quality"))
    )
    if trained:
        services.training_save(
            actor=None,
            training=AuditorTraining(
                auditor=a, course="ISO 9001 ички аудитору", completed_on=datetime.date(2024, 5, 10)
            ),
        )
    return a


def entry(version, subject="Факультет А", units=(), processes=(), team=(), lead=None, **kwargs) -> ProgrammeEntry:
    e = ProgrammeEntry(version=version, subject=subject, lead_auditor=lead, **kwargs)
    if not kwargs.get("start_date") and not kwargs.get("planned_month"):
        e.planned_month = 11
    return services.entry_save(actor=None, entry=e, units=list(units), processes=list(processes), team=list(team))


def audit(institution, units=(), processes=(), start=datetime.date(2025, 11, 10), **kwargs) -> Audit:
    a = Audit(
        institution=institution,
        title=kwargs.pop("title", "Ички аудит"),
        start_date=start,
        end_date=kwargs.pop("end", start + datetime.timedelta(days=2)),
        **kwargs,
    )
    return services.audit_save(actor=None, audit=a, units=list(units), processes=list(processes))
