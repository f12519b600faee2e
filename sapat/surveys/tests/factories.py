"""A teaching evaluation on the `world` of the root conftest: two groups of programme P
(faculty A), two teachers (staff_a in dep_a; another in a department of faculty B)."""

import datetime
from types import SimpleNamespace

from django.http import QueryDict
from django.utils import timezone

from sapat.org.choices import Role
from sapat.org.models import StudentGroup
from sapat.org.tests import factories as org

from .. import answering, services
from ..choices import CampaignStatus, Stakeholder
from ..models import Campaign, Questionnaire, Token

TEACHING_ANSWERS = {
    "goals": "4",
    "clarity": "5",
    "preparedness": "4",
    "practice": "3",
    "fairness": "5",
    "punctuality": "4",
    "respect": "5",
    "materials": "4",
    "overall": "4",
    "attendance": "1",
    "improve": "Көбүрөөк практика керек",
}


def form(questionnaire, answers=None, **extra) -> QueryDict:
    data = QueryDict(mutable=True)
    data["v"] = str(questionnaire.pk)
    for code, value in (TEACHING_ANSWERS if answers is None else answers).items():
        if isinstance(value, list):
            data.setlist(f"q-{code}", value)
        else:
            data[f"q-{code}"] = value
    for key, value in extra.items():
        data[key] = value
    return data


def teaching(world, status=CampaignStatus.OPEN, min_group_size=5):
    services.library_load(actor=world.quality, institution=world.inst)
    q = Questionnaire.objects.get(institution=world.inst, key="teaching-evaluation")
    programme = org.programme(world.fac_a, code="P1")
    g1 = StudentGroup.objects.create(programme=programme, name="ПЕД-1-23", admission_year=2023, student_count=25)
    g2 = StudentGroup.objects.create(programme=programme, name="ПЕД-2-23", admission_year=2023, student_count=20)
    dep_b = org.unit(world.fac_b, "FB-D1", unit_type="department")
    teacher_b_user = org.user_with_role(Role.STAFF, dep_b, username="teacher_b")
    today = timezone.localdate()
    campaign = Campaign(
        institution=world.inst,
        unit=world.root,
        questionnaire=q,
        title="Окутуунун сапаты 2026",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=10),
        audience=Stakeholder.STUDENTS,
        min_group_size=min_group_size,
    )
    services.campaign_create(actor=world.quality, campaign=campaign, groups=[g1, g2])
    s1, _ = services.slot_add_teaching(
        actor=world.quality, campaign=campaign, group=g1, discipline="Педагогика", teacher=world.staff_a.person
    )
    s2, _ = services.slot_add_teaching(
        actor=world.quality, campaign=campaign, group=g2, discipline="Психология", teacher=teacher_b_user.person
    )
    services.tokens_generate(actor=world.quality, campaign=campaign)
    if status != CampaignStatus.DRAFT:
        services.campaign_open(actor=world.quality, campaign=campaign)
    return SimpleNamespace(
        campaign=campaign, q=q, g1=g1, g2=g2, s1=s1, s2=s2, dep_b=dep_b, teacher_b=teacher_b_user, programme=programme
    )


def answer(slot, n, answers=None):
    """Submit `n` complete answers through unused tokens of `slot`."""
    tokens = list(Token.objects.filter(slot=slot, used=False).select_related("campaign__questionnaire")[:n])
    for token in tokens:
        checked = answering.submit_token(token, form(token.campaign.questionnaire, answers), "ky")
        assert not checked.errors, checked.errors
