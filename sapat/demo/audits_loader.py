"""Loads the demo internal audits: for each demo institution, the pool of internal auditors
with their trainings, the programme of internal audits of the current academic year
(approved, then amended once for a change of structure and approved again), audits of its
entries — completed and distributed, one being conducted now, one in preparation — with
their checklists and findings.

Called at the end of `loader.load()`, after the process registers. Everything goes through
the audit services with no actor (the system), so validation, independence checks and audit
log entries are the same as on the pages. An institution that already has an audit
programme is left alone: loading twice changes nothing. Questions and texts are written in
Kyrgyz, as the seeds are."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation

from sapat.audits import services as svc
from sapat.audits.choices import AmendmentReason, Answer, AuditorKind
from sapat.audits.models import Auditor, AuditorTraining, Finding, ProgrammeEntry
from sapat.core.audit import save_audited
from sapat.org.models import AcademicYear, Institution, Person, Unit
from sapat.processes.models import Process

# The quality departments of the two seeds.
QUALITY_UNITS = ("ББСБ", "ОСМКБ")
TRAININGS = (
    ("ISO 9001:2015 боюнча ички аудиторлорду даярдоо", "Кыргызстандын сапат боюнча борбору", 40),
    ("Билим берүү уюмдарындагы ички аудит: практикум", "ББСБ", 16),
    ("ISO 19011:2018 — менеджмент системаларынын аудити", "Кыргыз стандарт", 24),
)


@dataclass(frozen=True)
class EntrySpec:
    subject: str
    unit_types: tuple  # the first unit of these types not yet audited
    processes: tuple  # process codes, those that exist
    days: int  # the audit's first day, from today (negative: in the past)
    criteria: str = "ISO 9001:2015; Сапат боюнча жетектеме; ички ченемдик документтер"


ENTRIES = (
    EntrySpec("Факультеттин билим берүү программаларын ишке ашыруусу", ("faculty",), ("2.3", "2.4"), -70),
    EntrySpec("Институттун окуу-методикалык иши", ("institute",), ("2.2", "2.3"), -45),
    EntrySpec("Колледждеги окуу процессин уюштуруу", ("college",), ("2.3",), -1),
    EntrySpec("Кадрларды башкаруу процесси", ("admin_department",), ("3.1",), 30),
    EntrySpec("Илимий-изилдөө иштери", ("faculty", "institute"), ("2.6",), 75),
)
AMENDED = EntrySpec("Студенттерди кабыл алуу процесси", ("admin_department",), ("2.1",), 110)

NONCONFORMITY_NOTES = (
    "Процесстин картасы акыркы өзгөртүүлөрдү камтыбайт; окуу планы бекитилген эмес.",
    "Документтер менен таанышуу барагына бардык кызматкерлер кол коюшкан эмес.",
    "Кафедранын жыйынынын протоколдору толук эмес жүргүзүлөт.",
)
STRENGTHS = (
    "Жетекчилик сапат саясатын колдойт; документтер тартиптүү сакталат; студенттердин пикири үзгүлтүксүз чогултулат."
)
CONCLUSION = (
    "Сапат менеджмент системасы негизинен ISO 9001:2015 талаптарына шайкеш иштейт. "
    "Табылган туура келбөөчүлүктөр боюнча оңдоочу аракеттерди бир айдын ичинде пландоо сунушталат."
)


def load_audits(write=print) -> dict[str, str]:
    outcome = {}
    for institution in Institution.objects.filter(code__in=("batsu", "oshsu")).order_by("code"):
        if not institution.processes.exists():
            continue
        if institution.audit_programmes.exists():
            outcome[institution.code] = "skipped"
            continue
        with transaction.atomic(), translation.override("ky"):
            count = _load(institution, random.Random(institution.code))
        outcome[institution.code] = "created"
        write(f"{institution.code}: internal audits — a programme in 2 versions, {count} audits.")
    return outcome


def _academic_year(institution, today) -> AcademicYear:
    years = AcademicYear.objects.filter(institution=institution)
    return years.filter(start_date__lte=today, end_date__gte=today).first() or years.order_by("-start_year").first()


def _pool(institution, rng, today) -> list[Auditor]:
    """The seeds' three kinds (004 §2.6): quality staff and the owners of the internal audit
    process, the units' quality responsibles, leading teachers; one without training on record."""
    quality = list(Person.objects.filter(institution=institution, unit__code__in=QUALITY_UNITS, left_on__isnull=True))
    owners = list(
        Person.objects.filter(
            institution=institution, process_ownerships__process__code="4.1", process_ownerships__end_date__isnull=True
        )
    )
    responsibles = [
        u.quality_responsible
        for u in Unit.objects.filter(institution=institution, quality_responsible__isnull=False).select_related(
            "quality_responsible"
        )
    ]
    teachers = list(
        Person.objects.filter(institution=institution, staff_category="teaching", left_on__isnull=True).order_by("pk")[
            :6
        ]
    )
    chosen: dict[int, tuple[Person, str]] = {}
    for people, kind in (
        (quality, AuditorKind.QUALITY),
        (owners, AuditorKind.QUALITY),
        (responsibles, AuditorKind.COUNCIL),
        (teachers, AuditorKind.TEACHER),
    ):
        for person in people:
            chosen.setdefault(person.pk, (person, kind))
    auditors = []
    members = list(chosen.values())[:16]
    for index, (person, kind) in enumerate(members):
        auditor = svc.auditor_save(actor=None, auditor=Auditor(institution=institution, person=person, kind=kind))
        auditors.append(auditor)
        if index == len(members) - 1:
            continue  # the one the pool page warns about
        for course, provider, hours in rng.sample(TRAININGS, k=rng.randint(1, 2)):
            svc.training_save(
                actor=None,
                training=AuditorTraining(
                    auditor=auditor,
                    course=course,
                    provider=provider,
                    hours=hours,
                    completed_on=today - timedelta(days=rng.randint(120, 900)),
                ),
            )
    return auditors


def _target(institution, spec, used) -> tuple[list, list]:
    unit = (
        Unit.objects.filter(institution=institution, unit_type__in=spec.unit_types, closed_on__isnull=True)
        .exclude(pk__in=used)
        .exclude(code__in=QUALITY_UNITS)
        .order_by("path")
        .first()
    )
    used.add(unit.pk)
    processes = list(Process.objects.filter(institution=institution, code__in=spec.processes))
    return [unit], processes


def _team(auditors, units, processes, on, rng, prefer=()) -> tuple[Auditor, list[Auditor]]:
    """An independent lead (the first preferred person who is independent) and one more member."""
    free = [a for a in auditors if not svc.independence_problems(a, units=units, processes=processes, on=on)]
    rng.shuffle(free)
    free.sort(key=lambda a: prefer.index(a.person_id) if a.person_id in prefer else len(prefer))
    return free[0], free[1:2]


def _entry(version, spec, units, processes, lead, team, today) -> ProgrammeEntry:
    return svc.entry_save(
        actor=None,
        entry=ProgrammeEntry(
            version=version,
            subject=spec.subject,
            planned_month=(today + timedelta(days=spec.days)).month,
            lead_auditor=lead,
            criteria=spec.criteria,
        ),
        units=units,
        processes=processes,
        team=team,
    )


def _load(institution, rng) -> int:
    today = timezone.localdate()
    auditors = _pool(institution, rng, today)
    year = _academic_year(institution, today)
    programme = svc.programme_create(actor=None, institution=institution, academic_year=year)
    version = programme.versions.get()
    # Demo accounts do the live steps: the Batken auditor leads the audit being conducted,
    # the head of Osh's quality department takes part in it.
    by_account = dict(
        Person.objects.filter(institution=institution, user__isnull=False).values_list("user__username", "pk")
    )
    prefer = [
        by_account[name]
        for name in (f"{institution.code}.auditor", f"{institution.code}.quality")
        if name in by_account
    ]
    used: set[int] = set()
    planned = []
    for spec in ENTRIES:
        units, processes = _target(institution, spec, used)
        start = today + timedelta(days=spec.days)
        lead, team = _team(auditors, units, processes, start, rng, prefer if spec.days == -1 else [])
        planned.append((spec, _entry(version, spec, units, processes, lead, team, today)))
    svc.version_submit(actor=None, version=version)
    svc.version_approve(actor=None, version=version, approved_on=today - timedelta(days=80))
    # The amendment: a unit was reorganised, its audit moves and an audit of admission is added.
    amendment = svc.amendment_start(
        actor=None,
        programme=programme,
        reason=AmendmentReason.STRUCTURE,
        reason_text=(
            "Кадрлар бөлүмү кайра уюштурулду: анын аудити кийинки айга жылдырылды; "
            "кабыл алуу процессинин аудити кошулду."
        ),
    )
    moved = amendment.entries.get(key=planned[3][1].key)
    moved.planned_month = (today + timedelta(days=60)).month
    svc.entry_save(actor=None, entry=moved)
    units, processes = _target(institution, AMENDED, used)
    lead, team = _team(auditors, units, processes, today + timedelta(days=AMENDED.days), rng)
    _entry(amendment, AMENDED, units, processes, lead, team, today)
    svc.version_submit(actor=None, version=amendment)
    svc.version_approve(actor=None, version=amendment, approved_on=today - timedelta(days=20))

    count = 0
    for spec, old_entry in planned[:4]:
        entry = amendment.entries.get(key=old_entry.key)
        start = today + timedelta(days=spec.days)
        audit = svc.audit_from_entry(actor=None, entry=entry, start_date=start, end_date=start + timedelta(days=2))
        audit.scope = f"{spec.subject}: {', '.join(u.name for u in audit.units.all())}"
        audit.opening_meeting_on = start
        audit.closing_meeting_on = start + timedelta(days=2)
        svc.audit_save(actor=None, audit=audit)
        _checklist(audit)
        count += 1
        if spec.days > 0:
            continue  # in preparation
        svc.audit_start(actor=None, audit=audit)
        _answer(audit, rng, all_of_them=spec.days < -1)
        if spec.days < -1:
            _report(audit, rng)
    return count


def _checklist(audit):
    svc.checklist_from_processes(actor=None, audit=audit)
    svc.checklist_from_clauses(actor=None, audit=audit, clauses=["5.1.2", "6.2", "7.2", "7.5.3", "9.1.2", "10.2"])


def _answer(audit, rng, *, all_of_them):
    items = list(audit.checklist.all())
    if not all_of_them:
        items = items[: len(items) // 2]
    notes = iter(rng.sample(NONCONFORMITY_NOTES, k=2))
    for index, item in enumerate(items):
        if index in (1, 4):
            svc.item_answer(actor=None, item=item, answer=Answer.NONCONFORMS, notes=next(notes))
        elif index == len(items) - 1 and all_of_them:
            svc.item_answer(actor=None, item=item, answer=Answer.NOT_APPLICABLE, notes="Бул бөлүмгө тиешелүү эмес.")
        else:
            svc.item_answer(actor=None, item=item, answer=Answer.CONFORMS, notes="")


def _report(audit, rng):
    svc.audit_finish_conduct(actor=None, audit=audit)
    scale = {c.code: c for c in svc.finding_scale(audit.institution_id)}
    unit = audit.units.first()
    first = audit.findings.order_by("number").first()
    if first is not None:
        first.category = scale["minor"]
        first.unit = unit
        svc.finding_save(actor=None, finding=first)
    for code, text in (
        ("observation", "Ички ченемдик документтердин айрымдары сайтка жарыяланган эмес."),
        (
            "improvement",
            "Студенттердин сурамжылоосунун жыйынтыктарын кафедралардын отурумдарында талкуулоо сунушталат.",
        ),
        ("good_practice", "Окутуучулардын бири-биринин сабагына катышуусу системалуу уюштурулган."),
    ):
        svc.finding_save(actor=None, finding=Finding(audit=audit, category=scale[code], unit=unit, description=text))
    svc.report_save(actor=None, audit=audit, strengths=STRENGTHS, conclusion=CONCLUSION)
    svc.report_lead_approve(actor=None, audit=audit)
    svc.report_approve(actor=None, audit=audit)
    svc.report_distribute(actor=None, audit=audit)
    # Most of the recipients have read it; the last is reminded by `audits_daily`.
    for recipient in list(audit.recipients.order_by("pk"))[:-1]:
        recipient.acknowledged_at = timezone.now() - timedelta(days=rng.randint(1, 10))
        save_audited(None, recipient, note="acknowledged")
