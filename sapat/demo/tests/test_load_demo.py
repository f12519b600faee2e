import io
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
    assert out.count("already there") == 2
    assert {model: model.objects.count() for model in (*MODELS, AuditEntry)} == before
