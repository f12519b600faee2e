"""Loads the demo self-evaluations (seed 002 §4, §8): for each demo institution, last year's
completed self-evaluation on the Ministry's 32 criteria (every criterion rated with evidence
and accepted, the report submitted, the agency's remarks entered and turned into a
post-accreditation plan of improvement actions), and this year's, started from it, in
progress (some criteria accepted, some submitted, the rest in draft). The demo expert
account gets read-only access to last year's report.

Everything goes through the services with no actor (the system). An institution that
already has a self-evaluation is left alone."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sapat.accreditation import services_projects as svc
from sapat.accreditation.models import Framework, SelfEvaluationProject
from sapat.accreditation.models_projects import ElementStatus, EvidenceKind, Level, MemberCategory, RemarkKind
from sapat.documents.models import Document
from sapat.org.choices import Gender, Role
from sapat.org.models import Institution, Person, RoleAssignment
from sapat.processes.models_indicators import Indicator
from sapat.processes.services import root_unit

FRAMEWORK = "kr-okb-institutional"
OUTSIDERS = (
    (MemberCategory.STUDENT, "Асанова Айпери", "3-курстун студенти", True),
    (MemberCategory.PARENT, "Токтогулов Бакыт", "Ата-энелер комитетинин мүчөсү", False),
    (MemberCategory.GRADUATE, "Жумабаева Нургүл", "2021-жылдын бүтүрүүчүсү", True),
    (MemberCategory.EMPLOYER, "Осмонов Эрлан", "«Кыргызтелеком» ААКнын кадрлар бөлүмүнүн башчысы", False),
)
NARRATIVE = (
    "Акыркы беш жылдагы документтер, көрсөткүчтөр жана сурамжылоолордун жыйынтыктары талданды. "
    "Критерийдин талаптары негизинен аткарылат; далилдер тиркемелерде келтирилген."
)
REMARKS = (
    (
        RemarkKind.REMARK,
        "Сайттагы маалымат дайыма жаңыланбайт; жооптуу адам аныкталган эмес (критерий 4.4).",
        "Сайт үчүн жооптуу адамды дайындоо жана жаңылоо графигин бекитүү",
        "0,25 штаттык бирдик",
    ),
    (
        RemarkKind.RECOMMENDATION,
        "Ата-энелердин канааттануусун системалуу түрдө баалоо (критерий 4.1).",
        "Ата-энелер үчүн жылдык сурамжылоону өткөрүү жана жыйынтыгын ПКда кароо",
        "Сурамжылоо модулу, 2 адам",
    ),
)


def load_self_evaluations(write=print) -> dict[str, str]:
    framework = Framework.objects.filter(code=FRAMEWORK, institution__isnull=True).order_by("-version").first()
    outcome = {}
    for institution in Institution.objects.filter(code__in=("batsu", "oshsu")).order_by("code"):
        if framework is None:
            outcome[institution.code] = "no framework"
        elif SelfEvaluationProject.objects.filter(institution=institution).exists():
            outcome[institution.code] = "already there"
        else:
            with transaction.atomic():
                _load(institution, framework)
            outcome[institution.code] = "loaded"
        write(f"{institution.code}: self-evaluation {outcome[institution.code]}")
    return outcome


def _holder(institution, role) -> Person | None:
    grant = (
        RoleAssignment.objects.filter(role=role, unit__institution=institution, user__person__isnull=False)
        .select_related("user__person")
        .order_by("id")
        .first()
    )
    return grant.user.person if grant else None


def _commission(project, institution):
    chair = _holder(institution, Role.TOP_MANAGEMENT)
    quality = _holder(institution, Role.QUALITY_DEPARTMENT)
    staff = [
        p
        for p in Person.objects.filter(institution=institution, left_on__isnull=True, user__isnull=False).order_by("id")
        if p not in (chair, quality)
    ][:4]
    members = []
    if chair:
        members.append(
            svc.member_add(actor=None, project=project, category=MemberCategory.CHAIR, position="Ректор", person=chair)
        )
    if quality:
        members.append(
            svc.member_add(
                actor=None,
                project=project,
                category=MemberCategory.DEPUTY,
                position="Сапат бөлүмүнүн башчысы",
                person=quality,
            )
        )
    for person in staff:
        members.append(
            svc.member_add(
                actor=None,
                project=project,
                category=MemberCategory.UNIT_HEAD,
                position="Түзүмдүк бөлүмдүн жетекчиси",
                person=person,
                is_woman=person.gender == Gender.FEMALE,
            )
        )
    for category, name, position, woman in OUTSIDERS:
        svc.member_add(actor=None, project=project, category=category, position=position, name=name, is_woman=woman)
    svc.compiler_set(actor=None, project=project, member=members[1] if len(members) > 1 else members[0])
    return members


def _rate(assessment, documents, indicators, n):
    """Tick the elements (one in five criteria short of one), rate as Table 1 proposes, cite
    two documents and an indicator."""
    elements = list(assessment.criterion.elements.all())
    checks = {e.pk: ElementStatus.MET for e in elements}
    if elements and n % 5 == 4:
        checks[elements[-1].pk] = ElementStatus.NO_EVIDENCE
    svc.assessment_save(actor=None, assessment=assessment, checks=checks, narrative=NARRATIVE)
    proposal = svc.proposal_for(assessment) or Level.COMPLIES
    svc.assessment_save(
        actor=None,
        assessment=assessment,
        level=proposal,
        strengths="Ички ченемдик документтер бекитилген.",
        weaknesses="Айрым маалыматтар электрондук түрдө сакталбайт." if proposal != Level.COMPLIES else "",
    )
    for k, document in enumerate(documents[n % max(1, len(documents)) :][:2]):
        svc.evidence_add(
            actor=None, assessment=assessment, kind=EvidenceKind.DOCUMENT, document=document, page=str(k + 2)
        )
    if indicators:
        svc.evidence_add(
            actor=None, assessment=assessment, kind=EvidenceKind.INDICATOR, indicator=indicators[n % len(indicators)]
        )


def _load(institution, framework):
    today = timezone.localdate()
    documents = list(Document.objects.filter(institution=institution).order_by("id")[:20])
    indicators = list(
        Indicator.objects.filter(institution=institution, values__isnull=False).distinct().order_by("id")[:8]
    )
    start = today - datetime.timedelta(days=365)
    past = svc.project_create(
        actor=None,
        institution=institution,
        institutional_framework=framework,
        title=f"Өзүн-өзү баалоо {today.year - 1}",
        year=today.year - 1,
        council_decision_date=start - datetime.timedelta(days=10),
        council_decision_number="1",
        order_number="112/1",
        order_date=start - datetime.timedelta(days=5),
        start_date=start,
        end_date=start + datetime.timedelta(days=75),
        council_report_date=start + datetime.timedelta(days=85),
        preliminary_review_date=start + datetime.timedelta(days=60),
        final_review_date=start + datetime.timedelta(days=80),
        period_from=today.year - 5,
        period_to=today.year - 1,
    )
    members = _commission(past, institution)
    svc.project_start(actor=None, project=past)
    report = past.reports.get()
    for n, assessment in enumerate(report.assessments.select_related("criterion")):
        svc.assessment_assign(actor=None, assessment=assessment, member=members[n % len(members)])
        _rate(assessment, documents, indicators, n)
        svc.assessment_submit(actor=None, assessment=assessment)
        svc.assessment_accept(actor=None, assessment=assessment)
    svc.report_write(
        actor=None,
        report=report,
        introduction="Өзүн-өзү баалоо ПКнын чечими жана жетекчинин буйругу менен акыркы беш жыл үчүн жүргүзүлдү.",
        findings="Уюм минималдуу талаптарга негизинен ылайык келет; 4-топтун айрым критерийлери жарым-жартылай.",
        recommendation="Ыйгарым укуктуу органга институционалдык аккредитациядан өтүүгө арыз берүү сунушталат.",
    )
    svc.report_submit(actor=None, report=report)
    owner = members[1].person if len(members) > 1 else members[0].person
    for kind, text, measure, resources in REMARKS:
        remark = svc.remark_add(actor=None, project=past, kind=kind, text=text)
        svc.measure_add(
            actor=None,
            remark=remark,
            description=measure,
            owner=owner,
            deadline=today + datetime.timedelta(days=90),
            unit=root_unit(institution.pk),
            resources=resources,
        )
    expert = get_user_model().objects.filter(username=f"{institution.code}.expert").first()
    if expert is not None:
        svc.expert_grant(actor=None, project=past, user=expert, valid_until=today + datetime.timedelta(days=30))
    current = svc.project_copy(
        actor=None,
        previous=past,
        year=today.year,
        start_date=today - datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=50),
        council_report_date=today + datetime.timedelta(days=60),
    )
    svc.project_update(actor=None, project=current, order_number="87", order_date=today - datetime.timedelta(days=21))
    svc.project_start(actor=None, project=current)
    for n, assessment in enumerate(current.reports.get().assessments.select_related("criterion")):
        if n < 14:
            _rate(assessment, [], [], n)  # the copied evidence stays; ticks and rating afresh
            svc.assessment_submit(actor=None, assessment=assessment)
            if n < 10:
                svc.assessment_accept(actor=None, assessment=assessment)
