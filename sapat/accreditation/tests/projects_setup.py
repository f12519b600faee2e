"""A small framework and a running self-evaluation project for the project tests."""

import datetime

from django.utils import timezone

from sapat.accreditation import services_projects as svc
from sapat.accreditation.models_projects import MemberCategory
from sapat.accreditation.services_frameworks import load_pack

LEVELS = [
    {"key": "not", "name": {"ky": "Ылайык келбейт", "ru": "Не соответствует", "en": "Does not comply"}},
    {"key": "partial", "name": {"ky": "Жарым-жартылай", "ru": "Частично", "en": "Partially complies"}},
    {"key": "complies", "name": {"ky": "Ылайык келет", "ru": "Соответствует", "en": "Complies"}},
]


def _t(text):
    return {"ky": text, "ru": text, "en": text}


def criterion(code, elements=3, two_levels=False):
    levels = {"not": _t("none"), "partial": None if two_levels else _t("some"), "complies": _t("all")}
    return {
        "code": code,
        "title": _t(f"Criterion {code}"),
        "levels": levels,
        "elements": [_t(f"Element {code}.{i}") for i in range(1, elements + 1)],
    }


def pack(groups=2, per_group=2, code="test-criteria"):
    return {
        "format": 1,
        "code": code,
        "version": 1,
        "kind": "criteria",
        "name": _t("Test criteria"),
        "levels": LEVELS,
        "groups": [
            {
                "code": str(g),
                "name": _t(f"Group {g}"),
                "criteria": [
                    criterion(f"{g}.{c}", two_levels=(g == 1 and c == per_group)) for c in range(1, per_group + 1)
                ],
            }
            for g in range(1, groups + 1)
        ],
    }


def framework(**kwargs):
    return load_pack(pack(**kwargs))[0]


def project(world, fw=None, **overrides):
    today = timezone.localdate()
    fields = {
        "year": today.year,
        "title": "Self-evaluation",
        "institutional": True,
        "start_date": today,
        "end_date": today + datetime.timedelta(days=60),
        "council_report_date": today + datetime.timedelta(days=70),
        "period_from": today.year - 4,
        "period_to": today.year,
        "order_number": "12",
        "order_date": today,
        **overrides,
    }
    return svc.project_create(
        actor=world.quality, institution=world.inst, institutional_framework=fw or framework(), **fields
    )


def running_project(world, fw=None):
    """A started project: chair (the rector), compiler (head_a), member staff_a responsible
    for every criterion."""
    p = project(world, fw)
    svc.member_add(
        actor=world.quality, project=p, category=MemberCategory.CHAIR, position="Rector", person=world.rector.person
    )
    compiler = svc.member_add(
        actor=world.quality, project=p, category=MemberCategory.DEPUTY, position="Deputy", person=world.head_a.person
    )
    member = svc.member_add(
        actor=world.quality,
        project=p,
        category=MemberCategory.CYCLE_HEAD,
        position="Teacher",
        person=world.staff_a.person,
    )
    svc.compiler_set(actor=world.quality, project=p, member=compiler)
    for assessment in p.reports.get().assessments.all():
        svc.assessment_assign(actor=world.quality, assessment=assessment, member=member)
    svc.project_start(actor=world.quality, project=p)
    p.refresh_from_db()
    return p, member, compiler
