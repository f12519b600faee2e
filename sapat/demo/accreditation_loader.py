"""Loads the demo accreditation register: for each demo institution, its institutional
accreditations (a past one and the current one) and programme accreditations — one
conditionally accredited, one suspended and restored, one refused and then accredited, some
close to expiry so that `accreditation_daily` has reminders to send — and the first
graduation of a new programme. The criteria frameworks themselves are loaded by `migrate`.

Dates are relative to today, so the demo always shows certificates about to expire. Everything
goes through the register's services with no actor (the system), so the same rules and audit
log apply. An institution that already has accreditations is left alone."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sapat.accreditation import services_frameworks, services_register
from sapat.accreditation.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationKind,
    AccreditationResult,
    EventKind,
    FirstGraduation,
)
from sapat.documents.models import add_months
from sapat.org.models import Institution, Programme

MINISTRY = "КР Билим берүү жана илим министрлиги"
AGENCIES = {
    "batsu": "Билим берүү программаларын жана уюмдарын аккредитациялоо агенттиги (ААОПО)",
    "oshsu": "Независимое агентство аккредитации и рейтинга (IAAR)",
}


@dataclass(frozen=True)
class Decision:
    months_ago: int  # decision date, months before today
    years: int  # validity in years (0: refused)
    result: str = AccreditationResult.ACCREDITED
    events: tuple = ()  # (kind, months after the decision)


A, C, R = AccreditationResult.ACCREDITED, AccreditationResult.CONDITIONAL, AccreditationResult.REFUSED
# Institutional: one expired five-year term, then the current one ending in 4 months (due in 1).
INSTITUTIONAL = (Decision(116, 5), Decision(56, 5))
# Programmes, in code order; those beyond the list have none (they show as not accredited).
PROGRAMMES = (
    (Decision(30, 5),),
    (Decision(54, 5, events=((EventKind.DUPLICATE, 20),)),),  # expires in 6 months: due in 3
    (Decision(15, 2, C),),  # conditionally accredited, for 2 years
    (Decision(40, 5, events=((EventKind.SUSPENSION, 14), (EventKind.RESTORATION, 17))),),
    (Decision(58, 0, R), Decision(57, 5)),  # refused, then accredited; expires in 3 months: due now
)
SUSPENDED_NOW = (Decision(26, 5, events=((EventKind.SUSPENSION, 24),)),)


def _record(institution, programme, decision: Decision, n: int, agency: str) -> Accreditation:
    today = timezone.localdate()
    decided = add_months(today, -decision.months_ago)
    granted = decision.result != R
    acc = Accreditation(
        institution=institution,
        kind=AccreditationKind.PROGRAMME if programme else AccreditationKind.INSTITUTIONAL,
        programme=programme,
        agency=agency,
        decision_date=decided,
        decision_number=f"{n}/{decided.year}",
        result=decision.result,
        certificate_number=f"АК-{decided.year}-{n:04d}" if granted else "",
        valid_from=decided if granted else None,
        valid_until=add_months(decided, 12 * decision.years) if granted else None,
        note="" if granted else "Минималдуу талаптардын 5 жана 6-пункттары аткарылган эмес.",
    )
    acc = services_register.accreditation_save(actor=None, accreditation=acc)
    for index, (kind, after) in enumerate(decision.events, start=1):
        reasons = {
            EventKind.SUSPENSION: "Билим берүү жөнүндө мыйзамдын талаптарын бузуу аныкталган (текшерүү актысы).",
            EventKind.RESTORATION: "Бузуулар жоюлганы текшерүү актысы менен тастыкталган.",
            EventKind.DUPLICATE: "Күбөлүк бузулгандыгына байланыштуу «Дубликат» берилди.",
        }
        services_register.event_add(
            actor=None,
            event=AccreditationEvent(
                accreditation=acc,
                kind=kind,
                date=add_months(decided, after),
                order_number=f"{n}-{index}/{add_months(decided, after).year}",
                note=reasons.get(kind, ""),
            ),
        )
    return acc


@transaction.atomic
def _load_institution(institution: Institution) -> bool:
    if Accreditation.objects.filter(institution=institution).exists():
        return False
    n = 100
    for decision in INSTITUTIONAL:
        n += 1
        _record(institution, None, decision, n, MINISTRY)
    programmes = list(Programme.objects.filter(institution=institution).order_by("code", "study_form"))
    plans = PROGRAMMES + ((SUSPENDED_NOW,) if institution.code == "oshsu" else ())
    for programme, decisions in zip(programmes, plans, strict=False):
        for decision in decisions:
            n += 1
            _record(institution, programme, decision, n, AGENCIES.get(institution.code, MINISTRY))
    # A new programme without accreditation yet: its first graduation is in four months.
    if len(programmes) > len(plans):
        services_register.first_graduation_save(
            actor=None,
            record=FirstGraduation(
                institution=institution,
                programme=programmes[len(plans)],
                graduation_date=add_months(timezone.localdate(), 4),
            ),
        )
    return True


def load_accreditation(write=print) -> dict[str, str]:
    services_frameworks.load_shipped()  # normally there since migrate; a flushed database too
    outcome = {}
    for institution in Institution.objects.filter(code__in=AGENCIES).order_by("code"):
        done = _load_institution(institution)
        outcome[institution.code] = "loaded" if done else "already there"
        write(f"{institution.code}: accreditation register {outcome[institution.code]}")
    return outcome
