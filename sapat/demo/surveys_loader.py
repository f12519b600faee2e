"""Demo surveys for each demo institution: the questionnaire library, a finished student
evaluation of teaching (spring semester, a few thousand responses with a realistic spread —
some teachers clearly better than others), a finished employer survey through an open link,
and a running student-services survey with part of its tokens used.

Campaigns, slots and tokens go through the survey services with no actor (the system);
responses and answers are bulk-inserted exactly as the answering page stores them (no token,
the day only). An institution that already has a campaign is left alone."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sapat.org.choices import StaffCategory
from sapat.org.models import Institution, Person, StudentGroup, Unit
from sapat.surveys import services
from sapat.surveys.choices import CampaignStatus, QuestionKind, Stakeholder
from sapat.surveys.models import Answer, Campaign, Questionnaire, Response, Slot, Token

GROUPS_PER_INSTITUTION = 60
LANGUAGE_MIX = ("ky", "ky", "ky", "ru", "ru", "en")
GENERAL_DISCIPLINES = ["Кыргыз тили", "Кыргызстандын тарыхы", "Англис тили", "Философия", "Информатика", "Манас таануу"]
COMMENTS = [
    "Практикалык сабактар көбүрөөк болсо жакшы болмок.",
    "Окутуучу абдан жакшы түшүндүрөт, рахмат!",
    "Окуу материалдары жетишсиз, китепканада китептер аз.",
    "Сабак кызыктуу өттү.",
    "Баалоо критерийлери алдын ала айтылса жакшы болмок.",
    "Лекциялар тез өтөт, түшүнүүгө кыйын.",
]
EMPLOYER_COMMENTS = [
    "Бүтүрүүчүлөргө практикалык тажрыйба жетишпейт.",
    "Санариптик көндүмдөрдү күчөтүү керек.",
    "Англис тилин билүү деңгээлин жогорулатуу зарыл.",
]


def load_surveys(write=print) -> dict[str, str]:
    outcome = {}
    for institution in Institution.objects.filter(code__in=["batsu", "oshsu"]).order_by("code"):
        if Campaign.objects.filter(institution=institution).exists():
            outcome[institution.code] = "skipped"
            continue
        rng = random.Random(f"surveys-{institution.code}")
        with transaction.atomic():
            services.library_load(actor=None, institution=institution)
            n_teaching = _teaching(institution, rng)
            n_employers = _employers(institution, rng)
            n_running = _running(institution, rng)
        outcome[institution.code] = "created"
        write(
            f"{institution.code}: surveys — teaching evaluation {n_teaching} responses, "
            f"employer survey {n_employers}, running survey {n_running} so far."
        )
    return outcome


def _questionnaire(institution, key):
    return Questionnaire.objects.get(institution=institution, key=key, version=1)


def _root(institution):
    return Unit.objects.get(institution=institution, parent=None)


def _campaign(institution, key, title, starts, ends, audience, status, **extra):
    campaign = Campaign(
        institution=institution,
        unit=_root(institution),
        questionnaire=_questionnaire(institution, key),
        title=title,
        starts_on=starts,
        ends_on=ends,
        audience=audience,
        **extra,
    )
    return campaign, status


def _value(rng, quality, top):
    return max(1, min(top, round(rng.gauss(quality, 0.85))))


def _responses(campaign, slot, count, quality, rng, days, comments):
    """`count` complete responses to `slot`, as the answering page would store them."""
    questions = list(campaign.questionnaire.questions.all())
    responses = [
        Response(campaign=campaign, slot=slot, submitted_on=rng.choice(days), language=rng.choice(LANGUAGE_MIX))
        for _i in range(count)
    ]
    Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        given = {}
        for q in questions:
            if q.show_if_code and not (given.get(q.show_if_code, set()) & set(q.show_if_values)):
                continue
            rows = []
            if q.kind in (QuestionKind.LIKERT, QuestionKind.RATING4):
                rows = [(0, _value(rng, quality, q.scale_max), "")]
            elif q.kind == QuestionKind.MATRIX:
                rows = [(i, _value(rng, quality, q.scale_max), "") for i in range(1, len(q.items) + 1)]
            elif q.kind == QuestionKind.SINGLE:
                rows = [(0, rng.choices(range(1, len(q.options) + 1), weights=range(len(q.options), 0, -1))[0], "")]
            elif q.kind == QuestionKind.MULTIPLE:
                rows = [(0, v, "") for v in rng.sample(range(1, len(q.options) + 1), rng.randint(1, 2))]
            elif q.kind == QuestionKind.NUMBER:
                rows = [(0, rng.randint(q.min_value or 0, min(q.max_value or 12, 12)), "")]
            elif rng.random() < 0.12:
                rows = [(0, None, rng.choice(comments))]
            given[q.code] = {v for _i, v, _t in rows if v is not None}
            answers.extend(
                Answer(response=response, campaign=campaign, slot=slot, question=q, item=i, value=v, text=t)
                for i, v, t in rows
            )
    Answer.objects.bulk_create(answers, batch_size=2000)


def _mark_used(slot, count):
    ids = list(Token.objects.filter(slot=slot, used=False).values_list("pk", flat=True)[:count])
    Token.objects.filter(pk__in=ids).update(used=True)


def _teaching(institution, rng) -> int:
    today = timezone.localdate()
    year = today.year if today.month >= 6 else today.year - 1
    starts, ends = date(year, 5, 5), date(year, 5, 25)
    campaign, _s = _campaign(
        institution,
        "teaching-evaluation",
        f"Окутуунун сапатын студенттер тарабынан баалоо — {year - 1}–{year}, жазгы семестр",
        starts,
        ends,
        Stakeholder.STUDENTS,
        CampaignStatus.CLOSED,
    )
    groups = list(
        StudentGroup.objects.filter(programme__institution=institution, is_active=True, student_count__gt=0)
        .select_related("programme__unit")
        .order_by("programme__code", "name")[:GROUPS_PER_INSTITUTION]
    )
    services.campaign_create(actor=None, campaign=campaign, groups=groups)
    teachers = list(
        Person.objects.filter(institution=institution, staff_category=StaffCategory.TEACHING, left_on__isnull=True)
        .select_related("unit")
        .order_by("pk")
    )
    quality = {t.pk: rng.gauss(3.9, 0.45) for t in teachers}
    for group in groups:
        own = [t for t in teachers if t.unit.path.startswith(group.programme.unit.path)] or teachers
        picks = [(f"{group.programme.name_ky}: кесиптик сабак", rng.choice(own))]
        picks += [(d, rng.choice(teachers)) for d in rng.sample(GENERAL_DISCIPLINES, 2)]
        for discipline, teacher in picks:
            services.slot_add_teaching(
                actor=None, campaign=campaign, group=group, discipline=discipline, teacher=teacher
            )
    services.tokens_generate(actor=None, campaign=campaign)
    services.campaign_open(actor=None, campaign=campaign)
    days = [starts + timedelta(days=i) for i in range((ends - starts).days + 1)]
    total = 0
    for slot in campaign.slots.select_related("teacher"):
        # Most groups answer well; a few small turnouts show the hiding of small groups.
        share = rng.choice([0.15, 0.5, 0.65, 0.7, 0.8, 0.85])
        count = min(slot.expected, round(slot.expected * share))
        _responses(campaign, slot, count, quality[slot.teacher_id], rng, days, COMMENTS)
        _mark_used(slot, count)
        total += count
    services.campaign_close(actor=None, campaign=campaign)
    return total


def _employers(institution, rng) -> int:
    today = timezone.localdate()
    starts, ends = today - timedelta(days=120), today - timedelta(days=60)
    campaign, _s = _campaign(
        institution,
        "employer-survey",
        "Иш берүүчүлөрдүн бүтүрүүчүлөрдүн даярдыгына канааттануусу",
        starts,
        ends,
        Stakeholder.EMPLOYERS,
        CampaignStatus.CLOSED,
        open_link=True,
    )
    services.campaign_create(actor=None, campaign=campaign)
    services.campaign_open(actor=None, campaign=campaign)
    slot = Slot.objects.get(campaign=campaign)
    count = rng.randint(38, 60)
    days = [starts + timedelta(days=i) for i in range(0, 60, 3)]
    _responses(campaign, slot, count, 3.7, rng, days, EMPLOYER_COMMENTS)
    services.campaign_close(actor=None, campaign=campaign)
    return count


def _running(institution, rng) -> int:
    today = timezone.localdate()
    faculty = (
        Unit.objects.filter(institution=institution, programmes__groups__is_active=True)
        .distinct()
        .order_by("path")
        .first()
    )
    campaign, _s = _campaign(
        institution,
        "student-services",
        f"Студенттердин кызмат көрсөтүүлөргө канааттануусу — {today.year}",
        today - timedelta(days=5),
        today + timedelta(days=16),
        Stakeholder.STUDENTS,
        CampaignStatus.OPEN,
    )
    services.campaign_create(actor=None, campaign=campaign, units=[faculty] if faculty else [])
    services.tokens_generate(actor=None, campaign=campaign)
    services.campaign_open(actor=None, campaign=campaign)
    days = [today - timedelta(days=i) for i in range(6)]
    total = 0
    for slot in campaign.slots.all():
        count = round(slot.expected * rng.uniform(0.1, 0.5))
        _responses(campaign, slot, count, 3.5, rng, days, COMMENTS)
        _mark_used(slot, count)
        total += count
    return total
