import io
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from sapat.core.models import AuditEntry, User
from sapat.demo import loader
from sapat.demo.data_common import DEMO_PASSWORD
from sapat.documents import selectors as doc_selectors
from sapat.documents import services as doc_services
from sapat.documents.choices import AgreementDecision, DocumentStatus, Level, RevisionState
from sapat.documents.models import (
    Acquaintance,
    AgreementStep,
    Document,
    DocumentReview,
    DocumentType,
    LanguageVersion,
    Record,
    RecordType,
    Revision,
)
from sapat.org.choices import Role, UnitType
from sapat.org.models import (
    AcademicYear,
    ContingentFigure,
    Institution,
    Person,
    Position,
    Programme,
    RoleAssignment,
    Semester,
    StudentGroup,
    Unit,
)

# Seed 004 (Batken State University), §5.1, word for word and in the seed's order.
BATKEN_ADMINISTRATIVE_DEPARTMENTS = [
    "Ректордун жардамчысы",
    "Кеңсе башчысы",
    "Окумуштуулар Кеңешинин катчысы",
    "Юрист",
    "Кадрлар департаменти",
    "Кабыл алуу жана кесипке багыт берүү бөлүмү",
    "Билим берүү округу",
    "Окуу-маалымат департаменти",
    "Санариптештирүү жана техникалык камсыздоо бөлүмү",
    "Билим берүүнүн сапаты бөлүмү",
    "Магистратура бөлүмү",
    "Илим изилдөө бөлүмү",
    "Уюштуруу жана тарбия иштери боюнча бөлүмү",
    "Баткен аймак таануу музей бөлүмү",
    "Эл аралык байланыштар, академиялык мобилдүүлүк боюнча бөлүмү",
    "Юридикалык клиника",
    "Борборлоштурулган эсепкана жана пландык-финансылык бөлүмү",
    "Экономикалык пландоо жана инвестиция тартуу бөлүмү",
    "Административдик-чарба департаменти",
    "Борборлоштурулган китепкана",
    "Мамлекеттик тилди өнүктүрүү жана медиа бөлүмү",
]

MODELS = (
    Institution,
    Unit,
    Person,
    Position,
    RoleAssignment,
    AcademicYear,
    Semester,
    Programme,
    StudentGroup,
    ContingentFigure,
    User,
)


def run_load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """Load the demo once for the module, inside a transaction rolled back at the end (the
    audit log refuses deletes, not a rollback). Each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once, db):
    return loaded_once


@pytest.mark.django_db
def test_two_institutions_and_batkens_21_administrative_departments(demo):
    assert set(Institution.objects.values_list("code", flat=True)) == {"batsu", "oshsu"}
    root = Unit.objects.get(institution__code="batsu", parent__isnull=True)
    departments = Unit.objects.filter(parent=root, unit_type=UnitType.ADMIN_DEPARTMENT).order_by("pk")
    assert list(departments.values_list("name_ky", flat=True)) == BATKEN_ADMINISTRATIVE_DEPARTMENTS
    assert root.head.full_name == "Гыязов Айдарбек Токторович"
    assert root.quality_responsible.last_name == "Эргешали кызы"
    assert root.quality_responsible.first_name == "Айчүрөк"

    for inst in Institution.objects.all():
        assert 60 <= inst.people.count() <= 120
        assert 10 <= inst.programmes.count() <= 20
        assert inst.units.filter(closed_on__lt=timezone.localdate()).count() == 1
        assert inst.academic_years.count() == 6
        assert Semester.objects.filter(academic_year__institution=inst).count() == 12
        assert Position.objects.filter(person__institution=inst, end_date__lt=timezone.localdate()).exists()
        assert not inst.units.filter(unit_type=UnitType.COUNCIL).filter(code="").exists()
        groups = inst.programmes.annotate(n=Count("groups")).values_list("n", flat=True)
        assert all(2 <= n <= 6 for n in groups)
    current = AcademicYear.objects.filter(institution__code="batsu", start_year=2026).get()
    assert current.start_date.isoformat() == "2026-09-01"


@pytest.mark.django_db
def test_every_demo_login_signs_in_and_holds_its_role(demo):
    accounts = loader.demo_accounts()
    assert {a.role for code, a in accounts if code == "batsu"} == set(Role.values) - {Role.ANALYST}
    for code, account in accounts:
        user = authenticate(username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        assert not user.is_superuser
        assignment = user.role_assignments.get(role=account.role)
        if account.role == Role.ANALYST:
            assert assignment.unit is None
            assert not Person.objects.filter(user=user).exists()
        else:
            assert assignment.unit.institution.code == code
            assert user.person.institution.code == code
        if account.role == Role.EXPERT:
            assert assignment.valid_until == timezone.localdate() + timedelta(days=60)
    assert "batsu.quality" in demo and DEMO_PASSWORD in demo


@pytest.mark.django_db
def test_contingent_figures_are_consistent(demo):
    figures = ContingentFigure.objects.all()
    assert figures.count() > 100
    assert not figures.filter(employed__gt=F("graduated")).exists()
    assert not figures.filter(graduated__gt=F("enrolled")).exists()
    assert not figures.filter(admitted__gt=F("enrolled")).exists()
    assert set(figures.values_list("academic_year__start_year", flat=True)) == set(range(2021, 2026))
    for figure in figures:
        assert figure.expelled <= 0.1 * figure.enrolled + 1


@pytest.mark.django_db
def test_every_created_record_has_a_create_entry_in_the_audit_log(demo):
    for model in MODELS:
        content_type = ContentType.objects.get_for_model(model)
        logged = set(
            AuditEntry.objects.filter(content_type=content_type, action="create").values_list("object_id", flat=True)
        )
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert ids, model
        assert ids <= logged, (model, sorted(ids - logged)[:5])


@pytest.mark.django_db
def test_a_second_run_changes_nothing(demo):
    before = {model: model.objects.count() for model in (*MODELS, AuditEntry)}
    out = run_load_demo()
    assert out.count("already there, left as it is.") == 2
    assert {model: model.objects.count() for model in (*MODELS, AuditEntry)} == before


# --- documents and records -------------------------------------------------------------------

# Seed 004 (Batken State University), §5.4.3, the 18 level-2 procedures word for word.
BATKEN_PROCEDURES = [
    "Жетекчилик тарабынан сапат менеджменти системасынын анализи",
    "Стратегиялык пландаштыруу",
    "Керектөөчүлөрдүн талаптарынын анализи",
    "Окуу процесси",
    "ИИ процесси",
    "Таалим-тарбия процесси",
    "Керектөөчүлөрдүн канаатангандыгын анализи",
    "Персоналды башкаруу",
    "Маалыматтык-китепканалык камсыздалышты башкаруу",
    "Окуу процессинин информациялык технологиялар менен камсыздалышын башкаруу",
    "Инфраструктураны жана өндүрүш чөйрөсүн башкаруу",
    "Кабыл алуу компаниясы",
    "Коррекциялоочу аракеттер",
    "Эскертүүчү, алдын алуучу аракеттер",
    "Ички аудит",
    "Ылайык келбегендерди башкаруу",
    "Иш кагаздарды башкаруу",
    "Жазууларды, каттоолорду башкаруу",
]

DOCUMENT_MODELS = (DocumentType, Document, Revision, LanguageVersion, AgreementStep, DocumentReview, RecordType, Record)


@pytest.mark.django_db
def test_each_institution_has_its_documents_at_every_stage(demo):
    today = timezone.localdate()
    for inst in Institution.objects.all():
        types = DocumentType.objects.filter(institution=inst)
        assert set(types.values_list("code", flat=True)) == {"СП", "СЖ", "ДП", "БЖ", "КИ", "Ж", "ТД"}
        council = Unit.objects.get(institution=inst, code="ОК", unit_type=UnitType.COUNCIL)
        for code in ("СП", "СЖ"):
            assert types.get(code=code).approval_body == council
        assert types.get(code="ДП").approver == Unit.objects.get(institution=inst, parent__isnull=True).head
        assert types.get(code="СЖ").name_ky == "Сапат боюнча жетектеме"

        manual = Document.objects.get(institution=inst, doc_type__code="СЖ")
        assert manual.status == DocumentStatus.IN_FORCE and manual.title_ky == "Сапат боюнча жетектеме"
        first, second = manual.revisions.order_by("number")
        assert (first.state, second.state) == (RevisionState.OBSOLETE, RevisionState.IN_FORCE)
        assert second.approval_body == council and second.protocol_number and second.protocol_date
        assert first.ended_on == second.effective_date
        assert len(doc_selectors.change_sheet(manual)) == 1
        assert Document.objects.get(institution=inst, doc_type__code="СП").reviews.exists()

        procedures = Document.objects.filter(institution=inst, doc_type__code="ДП").order_by("code")
        assert [d.code for d in procedures] == [f"СМС-ДП-{n:02d}" for n in range(1, 19)]
        states = Counter(Revision.objects.filter(document__in=procedures, number=1).values_list("state", flat=True))
        assert states[RevisionState.AGREEMENT] == 3 and states[RevisionState.APPROVAL] == 1
        assert states[RevisionState.DRAFT] == 2
        in_force = procedures.filter(status=DocumentStatus.IN_FORCE)
        assert in_force.count() == 12
        overdue = in_force.filter(next_review_on__lt=today)
        assert 3 <= overdue.count() <= 4
        for document in overdue:
            revision = document.revisions.get(state=RevisionState.IN_FORCE)
            assert revision.effective_date < today - timedelta(days=365)
        assert in_force.filter(next_review_on__gte=today, next_review_on__lte=today + timedelta(days=14)).exists()
        assert procedures.filter(revisions__number=2, revisions__state=RevisionState.IN_FORCE).count() == 1
        assert (
            Revision.objects.filter(
                document__in=procedures, state=RevisionState.REGISTERED, effective_date__gt=today
            ).count()
            == 1
        )
        for step_revision in Revision.objects.filter(document__in=procedures, state=RevisionState.AGREEMENT):
            decisions = list(step_revision.agreement_steps.order_by("order").values_list("decision", flat=True))
            assert decisions == [AgreementDecision.AGREED, AgreementDecision.PENDING]
        # Every revision has its Kyrgyz text: purpose, scope, responsibilities, steps.
        for version in LanguageVersion.objects.filter(revision__document__in=procedures):
            assert version.language == "ky"
            assert all(heading in version.text for heading in ("1. Максаты", "3. Жоопкерчилик", "4.1."))

        externals = Document.objects.filter(institution=inst, doc_type__level=Level.BASE)
        assert externals.count() == 4
        assert all(d.issuer and d.external_number and d.external_date for d in externals)
        assert externals.filter(title_ky__contains="«Билим берүү жөнүндө»").exists()
        assert not externals.exclude(status=DocumentStatus.IN_FORCE).exists()

        assert RecordType.objects.filter(institution=inst).count() == 6
        records = Record.objects.filter(record_type__institution=inst)
        assert 18 <= records.count() <= 24
        assert records.filter(disposed_on__isnull=True, keep_until__lt=today).count() >= 3
        disposed = records.get(disposed_on__isnull=False)
        assert disposed.disposal_note and disposed.disposed_by and disposed.disposed_on > disposed.keep_until


@pytest.mark.django_db
def test_batken_procedures_carry_the_seeds_titles(demo):
    procedures = Document.objects.filter(institution__code="batsu", doc_type__code="ДП").order_by("code")
    assert list(procedures.values_list("title_ky", flat=True)) == BATKEN_PROCEDURES
    owners = {d.unit.code for d in procedures}
    assert {"ББСБ", "КД", "КАКББ", "БК"} <= owners


@pytest.mark.django_db
def test_readers_are_asked_and_a_realistic_share_has_read(demo):
    requests = Acquaintance.objects.all()
    assert requests.count() > 1000
    share = requests.filter(confirmed_at__isnull=False).count() / requests.count()
    assert 0.5 < share < 0.95
    assert not requests.exclude(revision__state=RevisionState.IN_FORCE).exists()
    assert not requests.filter(confirmed_at__lt=F("requested_at")).exists()
    teacher = User.objects.get(username="batsu.staff")
    mine = requests.filter(person=teacher.person)
    assert mine.filter(confirmed_at__isnull=True).exists() and mine.filter(confirmed_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_demo_logins_find_their_documents_and_the_services_take_them_on(demo):
    staff = User.objects.get(username="batsu.staff")
    visible = doc_selectors.documents_for(staff)
    assert visible.filter(doc_type__code="ДП", status=DocumentStatus.IN_FORCE).exists()
    assert not visible.filter(status=DocumentStatus.DRAFT).exists()
    assert not doc_selectors.documents_for(User.objects.get(username="batsu.expert")).exists()

    # The dean on the agreement sheets has a demo login and it is his turn.
    turns = doc_selectors.my_agreement_turns(User.objects.get(username="batsu.head"))
    assert turns.count() == 3
    step = turns.first()
    doc_services.agreement_decide(actor=User.objects.get(username="batsu.head"), step=step, agreed=True)
    assert Revision.objects.get(pk=step.revision_id).state == RevisionState.APPROVAL

    # The rector approves what waits for him; the quality department registers it.
    rector, quality = User.objects.get(username="batsu.rector"), User.objects.get(username="batsu.quality")
    waiting = Revision.objects.filter(document__institution__code="batsu", state=RevisionState.APPROVAL)
    assert waiting.count() == 2
    revision = doc_services.revision_approve(actor=rector, revision=waiting.first())
    doc_services.revision_register(actor=quality, revision=revision, effective_date=timezone.localdate())
    assert Revision.objects.get(pk=revision.pk).state == RevisionState.IN_FORCE


@pytest.mark.django_db
def test_the_daily_job_brings_the_registered_revisions_into_force(demo, monkeypatch):
    coming = Revision.objects.filter(state=RevisionState.REGISTERED)
    assert coming.count() == 2
    day = coming.first().effective_date
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: day)
    out = io.StringIO()
    call_command("documents_daily", stdout=out)
    assert "Brought into force: 2" in out.getvalue()
    assert not Revision.objects.filter(state=RevisionState.REGISTERED).exists()
    for document in Document.objects.filter(revisions__number=2, doc_type__code="ДП", revisions__effective_date=day):
        states = dict(document.revisions.values_list("number", "state"))
        assert states == {1: RevisionState.OBSOLETE, 2: RevisionState.IN_FORCE}


@pytest.mark.django_db
def test_every_document_row_has_a_create_entry_in_the_audit_log(demo):
    for model in DOCUMENT_MODELS:
        content_type = ContentType.objects.get_for_model(model)
        logged = set(
            AuditEntry.objects.filter(content_type=content_type, action="create").values_list("object_id", flat=True)
        )
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert ids, model
        assert ids <= logged, (model, sorted(ids - logged)[:5])


@pytest.mark.django_db
def test_a_second_run_adds_no_documents(demo):
    models = (*DOCUMENT_MODELS, Acquaintance, AuditEntry)
    before = {model: model.objects.count() for model in models}
    out = run_load_demo()
    assert out.count("documents present, left as they are") == 2
    assert {model: model.objects.count() for model in models} == before


@pytest.mark.django_db
def test_documents_are_added_to_a_demo_loaded_before_they_existed(demo, monkeypatch):
    """A database with the demo institutions but no documents gets them on the next run."""
    from sapat.demo import documents_loader

    loaded = []
    counts = dict.fromkeys(("documents", "revisions", "requests", "read", "record types", "records"), 0)
    monkeypatch.setattr(documents_loader, "has_documents", lambda institution: False)
    monkeypatch.setattr(documents_loader.DocumentsLoader, "load", lambda self: loaded.append(self.spec.code) or counts)
    outcome = loader.load(write=lambda line: None)
    assert loaded == ["batsu", "oshsu"]
    assert (outcome["batsu"], outcome["batsu documents"]) == ("skipped", "created")


# --- process registers (seed 004 Appendix 1, seed 001 Annex 1) ------------------------------------

# code, the Kyrgyz name, the owners' names as the demo's Person records spell them.
BATKEN_REGISTER = [
    ("1.1", "Стратегиялык пландаштыруу", ["Гыязов Айдарбек Токторович"]),
    (
        "1.2",
        "Процесстерди жана сапат менеджменти системасын мониторинг, өлчөө анализдөө жана жакшыртуу",
        ["Эргешали кызы Айчүрөк"],
    ),
    (
        "1.3",
        "Коомчулукту БатМУнун ишмердиги менен кабардар кылуу",
        ["Сагтаров Жолболду Омурзакович", "Бекмаматов Замирбек Молдошевич"],
    ),
    ("2.1", "ЖОЖго чейин даярдоо жана студенттерди кабыл алуу", ["Осмонов Заирбек Абдижапарович"]),
    (
        "2.2",
        "Кесиптик орто билим берүү программалары боюнча билим берүү ишмердигин уюштуруу жана жүзөгө ашыруу",
        ["Бөрүбаева Гульбара Назырбековна"],
    ),
    (
        "2.3",
        "Бакалавриат, специалитет программалары боюнча билим берүү ишмердигин уюштуруу жана жүзөгө ашыруу",
        ["Миралы кызы Анара"],
    ),
    (
        "2.4",
        "Магистратура билим берүү программалары боюнча билим берүү ишмердигин жүзөгө ашыруу",
        ["Момунова Гүлзат Ачыловна"],
    ),
    ("2.5", "Тарбиялык жана окуудан сырткары иштер", ["Кунназаров Айбек Ысмаилович", "Үсөнов Иса Мурзапарович"]),
    ("2.6", "Илимий изилдөө ишмердиги", ["Саматова Абиба Абдиламитовна"]),
    ("2.7", "Эл аралык ишмердик", ["Артыкбаев Гыламиндин Үрүстөмович"]),
    ("2.8", "Жогорку квалификациялуу кадрларды даярдоо", ["Момунова Гүлзат Ачыловна"]),
    ("2.9", "Кошумча кесиптик билим берүү программаларын иштеп чыгуу жана жүзөгө ашыруу", []),
    ("2.10", "Персоналдык квалификациясын жогорулатуу программасын иштеп чыгуу жана жүзөгө ашыруу", []),
    ("3.1", "Персоналды башкаруу", ["Абдуллаева Салияхан Мамасадыковна"]),
    ("3.2", "Инфраструктураны жана өндүрүш чөйрөсүн башкаруу", ["Мидинов Шерали Ташбаевич"]),
    ("3.3", "Информациялык системаларды жана технологияларды башкаруу", ["Бекмаматов Замирбек Молдошевич"]),
    ("3.4", "Каржылык ишмердик жана сатып алуу", ["Үсөнов Муса Мурзапарович"]),
    ("3.5", "Библиотекалык кызмат көрсөтүү", ["Бостонова Айниса Полотхановна"]),
    ("3.6", "Окуу жана окуу-методикалык адабияттарды басып чыгаруу", []),
    (
        "4.1",
        "Ички аудиттер",
        [
            "Эргешали кызы Айчүрөк",
            "Сайдалиев Мурзабек Джумагулович",
            "Бекмурзаева Бүажар Абдусаттаровна",
            "Нурдинова Гүлзада Абдилакимовна",
            "Сулайманова Нургүл Орозбаевна",
            "Халмурзаева Хайткул Пайзуллаевна",
        ],
    ),
    ("4.2", "Туура келбөөчүлүктөрдү башкаруу, Коррекциялык жана алдын ала эскертүүчү аракеттер", []),
    ("4.3", "Процесстерди жана ишмердиктин түрлөрүнө мониторинг, анализдөө, өлчөө, жакшыртуу", []),
]

# Annex 1's second "1.3" (monitoring of the quality system) is 1.4 here: see data_processes.
OSH_REGISTER = [
    ("1.1", "Стратегиялык пландаштыруу", ["Кожобеков Кудайберди Гапаралиевич"]),
    ("1.2", "Процесстердин менеджментин жакшыртуу", ["Артыкова Жылдыз Абдисаламовна"]),
    ("1.3", "Коомчулукту ОшМУнун ишмердиги менен кабардар кылуу", ["Мапаева Нуржамал Абдиллажановна"]),
    ("1.4", "Сапат системасына мониторинг жүргүзүү, өлчөө, анализдөө жана жакшыртуу", ["Былыкова Махабат Максатовна"]),
    ("2.1", "Студенттерди кабыл алуу", ["Кожобеков Кудайберди Гапаралиевич"]),
    (
        "2.2",
        "Кесиптик орто билим берүү программалары боюнча билим берүү ишмердигин уюштуруу жана жүзөгө ашыруу",
        ["Мамажакып уулу Чынгыз"],
    ),
    (
        "2.3",
        "Бакалавриат, специалитет программалары боюнча жогорку кесиптик билим берүү ишмердигин уюштуруу жана "
        "жүзөгө ашыруу",
        ["Омуров Нурлан Кубатович"],
    ),
    (
        "2.4",
        "Магистратура билим берүү программалары боюнча билим берүү ишмердигин уюштуруу жана жүзөгө ашыруу",
        ["Папиева Толкун Маматаевна"],
    ),
    ("2.5", "Тарбиялык жана окуудан сырткары иштер", ["Мапаева Нуржамал Абдиллажановна"]),
    ("2.6", "Илимий изилдөө ишмердиги", ["Арапбаев Руслан Нурмаматович"]),
    ("2.7", "Эл аралык ишмердик", ["Аттокуров Курсантбек Шарабидинович"]),
    ("2.8", "ЖОЖдон кийинки даярдоо", ["Молдалиев Жоомарт Тумакович", "Жанбаева Анара Кенешовна"]),
    (
        "2.9",
        "Кошумча кесиптик билим берүү программаларын иштеп чыгуу жана жүзөгө ашыруу",
        ["Джороев Ташболот Абдыхайымович"],
    ),
    (
        "2.10",
        "Персоналдын квалификациясын жогорулатуу программаларын иштеп чыгуу жана жүзөгө ашыруу",
        ["Джороев Ташболот Абдыхайымович"],
    ),
    ("3.1", "Персоналды башкаруу", ["Турдубаева Гүлсара Турдубаевна"]),
    ("3.2", "Инфраструктураны жана өндүрүш чөйрөсүн башкаруу", ["Зайнидинов Алтынбек Талипжанович"]),
    ("3.3", "Информациялык системаларды жана технологияларды башкаруу", ["Ураимов Рабшанбек Жусупович"]),
    ("3.4", "Каржылык ишмердик", ["Курбанбаева Динара Шараповна"]),
    ("3.5", "Библиотекалык кызмат көрсөтүү", ["Орозбаев Азамат Мамасадыкович"]),
    ("3.6", "Окуу жана окуу-методикалык адабияттарды басып чыгаруу", ["Нуранов Адылбек Шерматович"]),
    ("3.7", "Коопсуздукту камсыз кылуу", ["Арзиев Нурлаким Маматкулович"]),
    ("3.8", "Процесстерди укуктук жактан камсыздоо", ["Айдарбекова Жамал Абдыкадыровна"]),
    ("4.1", "Ички аудит", []),
    (
        "4.2",
        "Тобокелчиликтерди башкаруу. Коррекциялык жана алдын ала эскертүүчү аракеттер",
        ["Омуров Нурлан Кубатович"],
    ),
    (
        "4.3",
        "Процесстерди жана ишмердиктин түрлөрүнө мониторинг, анализдөө, өлчөө, жакшыртуу",
        ["Асилбек кызы Жыпар"],
    ),
]


def register_rows(code):
    from sapat.processes.models import Process

    rows = []
    for process in Process.objects.filter(institution__code=code).prefetch_related("ownerships__person"):
        owners = [o.person.full_name for o in process.ownerships.all() if o.person_id]
        rows.append((process.code, process.name_ky, owners))
    return rows


@pytest.mark.django_db
def test_both_process_registers_are_loaded_as_the_seeds_give_them(demo):
    from sapat.processes.models import Process

    assert register_rows("batsu") == BATKEN_REGISTER
    assert register_rows("oshsu") == OSH_REGISTER
    batsu = {p.code: p for p in Process.objects.filter(institution__code="batsu")}
    assert len(batsu) == 22
    assert [p.group for p in batsu.values()] == [1] * 3 + [2] * 10 + [3] * 6 + [4] * 3
    # Owners given only by a position or a unit, as the register writes them.
    assert list(batsu["2.9"].ownerships.values_list("position_title", "unit__code")) == [
        ("ОМД", "ОМД"),
        ("Кафедралар", None),
    ]
    assert list(batsu["3.6"].ownerships.values_list("position_title", flat=True)) == ["Келишимдин негизинде"]
    assert not batsu["2.10"].ownerships.exists()
    assert batsu["1.1"].ownerships.get().position_title == "БатМУнун ректору"
    osh = {p.code: p for p in Process.objects.filter(institution__code="oshsu")}
    assert len(osh) == 25
    assert osh["4.1"].ownerships.get().position_title == "Ички аудит кызматынын жетектөөчү адиси"
    assert osh["2.2"].ownerships.get().position_title == (
        "Директор департамента среднего профессионального образования ОшГУ"
    )
    for process in (*batsu.values(), *osh.values()):
        assert process.name_ru and process.name_en and process.short_name_ky, process.code
        assert process.units.exists(), process.code


@pytest.mark.django_db
def test_the_registers_agree_with_the_owners_the_people_data_names(demo):
    """Each seed person's `processes` note (data_batsu, data_oshsu) and the register agree,
    but for ОшМУ's duplicate 1.3, which the register numbers 1.4."""
    from sapat.demo import data_batsu, data_oshsu
    from sapat.processes.models import ProcessOwnership

    for spec in (data_batsu.INSTITUTION, data_oshsu.INSTITUTION):
        for person in spec.people:
            if not person.processes:
                continue
            owned = set(
                ProcessOwnership.objects.filter(
                    process__institution__code=spec.code,
                    person__last_name=person.name_parts[0],
                    person__first_name=person.name_parts[1],
                ).values_list("process__code", flat=True)
            )
            noted = set(person.processes)
            if spec.code == "oshsu" and person.key == "quality_head":
                noted = {"1.4"}
            assert owned == noted, (spec.code, person.name)


@pytest.mark.django_db
def test_core_processes_have_maps_that_link_processes(demo):
    from sapat.processes import selectors as process_selectors
    from sapat.processes.models import Process

    for code in ("batsu", "oshsu"):
        processes = list(Process.objects.filter(institution__code=code))
        mapped = [p for p in processes if p.purpose and p.inputs.count() >= 3 and p.outputs.count() >= 2]
        assert 6 <= len([p for p in mapped if p.group == 2]) <= 8, code
        links = process_selectors.process_links(processes)
        assert len(links) >= 15, code
        groups = {(link.source.group, link.target.group) for link in links}
        assert (3, 2) in groups and (2, 2) in groups and (1, 2) in groups
        assert Process.objects.filter(institution__code=code, documents__isnull=False).distinct().count() >= 10


@pytest.mark.django_db
def test_every_process_row_has_a_create_entry_in_the_audit_log(demo):
    from sapat.processes.models import Process, ProcessInput, ProcessOutput, ProcessOwnership

    for model in (Process, ProcessOwnership, ProcessInput, ProcessOutput):
        content_type = ContentType.objects.get_for_model(model)
        logged = set(
            AuditEntry.objects.filter(content_type=content_type, action="create").values_list("object_id", flat=True)
        )
        ids = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert ids and ids <= logged, model


@pytest.mark.django_db
def test_process_registers_load_once_and_into_a_demo_loaded_before_them(demo):
    from sapat.processes.models import Process, ProcessOwnership

    before = (Process.objects.count(), ProcessOwnership.objects.count(), AuditEntry.objects.count())
    outcome = loader.load(write=lambda line: None)
    assert (outcome["batsu processes"], outcome["oshsu processes"]) == ("skipped", "skipped")
    assert (Process.objects.count(), ProcessOwnership.objects.count(), AuditEntry.objects.count()) == before
    Process.objects.filter(institution__code="oshsu").delete()
    outcome = loader.load(write=lambda line: None)
    assert outcome["oshsu processes"] == "created"
    assert Process.objects.filter(institution__code="oshsu").count() == 25
