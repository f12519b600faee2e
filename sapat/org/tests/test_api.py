"""The organisation API: token sign-in, the permission matrix role by role, scoping per
institution, validation as 400 with the field named, the audit log, filters, fixed query
counts and a schema without warnings."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sapat.core.models import AuditEntry
from sapat.org.choices import Post, ProgrammeLevel, Role, StudyForm
from sapat.org.models import AcademicYear, ContingentFigure, Person, Position, Programme, Semester, Unit
from sapat.org.tests import factories

PASSWORD = "pass-Word-42"  # what factories.user_with_role sets


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def token_client(user) -> APIClient:
    """Signed in the way an outside system is: a fresh user object on every request."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def new_unit(parent, code="NEW", **extra):
    return {"parent": parent.pk, "unit_type": "department", "code": code, "name_ky": f"Бөлүм {code}", **extra}


def academic_year(inst, start_year=2024):
    year = AcademicYear.objects.create(
        institution=inst,
        start_year=start_year,
        start_date=datetime.date(start_year, 9, 1),
        end_date=datetime.date(start_year + 1, 6, 30),
    )
    Semester.objects.create(
        academic_year=year,
        kind="autumn",
        start_date=datetime.date(start_year, 9, 1),
        end_date=datetime.date(start_year, 12, 31),
    )
    return year


@pytest.fixture
def expert(world):
    return factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=timezone.localdate() + datetime.timedelta(days=30)
    )


# --- token ----------------------------------------------------------------------------------


def test_token_is_issued_for_a_password_and_authenticates(world):
    response = api().post("/api/token/", {"username": "admin", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert world.fac_a.pk in ids(client.get("/api/units/"))

    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/units/").status_code == 401
    assert APIClient().get("/api/units/").status_code == 401


def test_token_refused_for_a_wrong_password(world):
    response = api().post("/api/token/", {"username": "admin", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_requests_are_throttled_per_address(world):
    client = api()
    for _ in range(10):
        assert client.post("/api/token/", {"username": "nobody", "password": "x"}).status_code == 400
    response = client.post("/api/token/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 429


def test_token_requests_are_throttled_per_user_name_from_any_address(world):
    client = api()
    for n in range(10):
        response = client.post("/api/token/", {"username": "Admin", "password": "x"}, REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 400
    response = client.post("/api/token/", {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429


# --- units, role by role ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "quality"])
def test_admin_and_quality_department_create_and_update_units(world, who):
    client = api(getattr(world, who))
    entries = AuditEntry.objects.count()

    response = client.post("/api/units/", new_unit(world.fac_a, "FA-D9"), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    unit = Unit.objects.get(pk=data["id"])
    assert (unit.institution, unit.parent, unit.code) == (world.inst, world.fac_a, "FA-D9")
    assert data["institution"] == world.inst.pk and data["path"] == f"{world.fac_a.path}{unit.pk}/"

    response = client.patch(f"/api/units/{unit.pk}/", {"name_en": "Department of Physics"}, format="json")
    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert unit.name_en == "Department of Physics"

    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_id")[entries:])
    assert actions == [("create", str(unit.pk)), ("update", str(unit.pk))]
    assert AuditEntry.objects.order_by("-id").first().actor == getattr(world, who)


def test_unit_head_writes_below_their_faculty_only(world):
    client = api(world.head_a)
    response = client.patch(f"/api/units/{world.dep_a.pk}/", {"name_ru": "Кафедра"}, format="json")
    assert response.status_code == 200, response.content
    assert client.post("/api/units/", new_unit(world.fac_a, "FA-D2"), format="json").status_code == 201

    # Faculty B is visible (the structure is not secret) but not theirs to change.
    assert client.get(f"/api/units/{world.fac_b.pk}/").status_code == 200
    response = client.patch(f"/api/units/{world.fac_b.pk}/", {"name_ru": "Чужой"}, format="json")
    assert response.status_code == 403
    assert client.post("/api/units/", new_unit(world.fac_b, "FB-D1"), format="json").status_code == 403
    # Nor may they move their own department under faculty B.
    response = client.patch(f"/api/units/{world.dep_a.pk}/", {"parent": world.fac_b.pk}, format="json")
    assert response.status_code == 403
    world.fac_b.refresh_from_db()
    world.dep_a.refresh_from_db()
    assert world.fac_b.name_ru == "" and world.dep_a.parent == world.fac_a
    assert not Unit.objects.filter(code="FB-D1").exists()


@pytest.mark.parametrize("who", ["staff_a", "rector", "quality_a"])
def test_roles_without_the_right_cannot_write_units(world, who):
    client = api(getattr(world, who))
    entries = AuditEntry.objects.count()
    assert client.get("/api/units/").status_code == 200
    assert client.post("/api/units/", new_unit(world.dep_a, "X1"), format="json").status_code == 403
    assert client.patch(f"/api/units/{world.dep_a.pk}/", {"name_ru": "x"}, format="json").status_code == 403
    assert client.put(f"/api/units/{world.dep_a.pk}/", new_unit(world.fac_a, "FA-D1"), format="json").status_code == 403
    assert client.post(f"/api/units/{world.dep_a.pk}/close/").status_code == 403
    assert AuditEntry.objects.count() == entries


def test_staff_cannot_write_people_positions_or_programmes(world):
    client = api(world.staff_a)
    person = factories.person(world.dep_a)
    programme = factories.programme(world.dep_a)
    assert client.post("/api/people/", {}, format="json").status_code == 403
    assert client.patch(f"/api/people/{person.pk}/", {"phone": "1"}, format="json").status_code == 403
    assert client.post("/api/positions/", {}, format="json").status_code == 403
    assert client.post("/api/programmes/", {}, format="json").status_code == 403
    assert client.patch(f"/api/programmes/{programme.pk}/", {"is_active": False}, format="json").status_code == 403


def test_analyst_reads_every_institution_but_writes_nothing(world):
    other_fac = factories.unit(world.other_root, "OF")
    other_person = factories.person(other_fac)
    client = api(world.analyst)

    units = ids(client.get("/api/units/"))
    assert {world.root.pk, world.fac_a.pk, world.other_root.pk, other_fac.pk} <= units
    assert ids(client.get("/api/units/", {"institution": world.other_inst.pk})) == {world.other_root.pk, other_fac.pk}
    assert other_person.pk in ids(client.get("/api/people/"))
    assert {world.inst.pk, world.other_inst.pk} <= ids(client.get("/api/institutions/"))

    assert client.post("/api/units/", new_unit(other_fac, "OF-1"), format="json").status_code == 403
    assert client.patch(f"/api/units/{other_fac.pk}/", {"name_ru": "x"}, format="json").status_code == 403
    assert client.post(f"/api/units/{other_fac.pk}/close/").status_code == 403
    assert client.patch(f"/api/people/{other_person.pk}/", {"phone": "1"}, format="json").status_code == 403


def test_expert_sees_nothing_of_the_organisation(world, expert):
    client = api(expert)
    for url in (
        "/api/units/",
        "/api/people/",
        "/api/positions/",
        "/api/programmes/",
        "/api/academic-years/",
        "/api/contingent/",
        "/api/institutions/",
        f"/api/units/{world.root.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/api/units/", new_unit(world.root, "E1"), format="json").status_code == 403


def test_a_user_without_any_role_gets_403(world):
    from sapat.core.models import User

    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    assert api(nobody).get("/api/units/").status_code == 403


# --- scoping per institution -----------------------------------------------------------------


def test_another_institutions_records_are_invisible(world):
    other_fac = factories.unit(world.other_root, "OF")
    other_person = factories.person(other_fac)
    other_programme = factories.programme(other_fac)
    other_position = Position.objects.create(person=other_person, unit=other_fac, post=Post.TEACHER)
    other_year = academic_year(world.other_inst)
    other_figure = ContingentFigure.objects.create(
        programme=other_programme, academic_year=other_year, admitted=1, enrolled=1, graduated=0, expelled=0
    )
    client = api(world.admin)

    for url, obj in (
        ("/api/units/", other_fac),
        ("/api/people/", other_person),
        ("/api/positions/", other_position),
        ("/api/programmes/", other_programme),
        ("/api/academic-years/", other_year),
        ("/api/contingent/", other_figure),
        ("/api/institutions/", world.other_inst),
    ):
        assert obj.pk not in ids(client.get(url)), url
        assert client.get(f"{url}{obj.pk}/").status_code == 404, url
        assert ids(client.get(url, {"institution": world.other_inst.pk})) == set() or url == "/api/institutions/"
    # Not even a write reveals it: 404, not 403.
    assert client.patch(f"/api/units/{other_fac.pk}/", {"name_ru": "x"}, format="json").status_code == 404
    assert client.post(f"/api/units/{other_fac.pk}/close/").status_code == 404


def test_ids_of_invisible_records_are_refused_with_a_clear_message(world):
    other_fac = factories.unit(world.other_root, "OF")
    other_person = factories.person(other_fac)
    world.admin.language = "en"
    world.admin.save()
    client = api(world.admin)
    units, people = Unit.objects.count(), Person.objects.count()

    response = client.post("/api/units/", new_unit(other_fac, "SNEAK"), format="json")
    assert response.status_code == 400
    assert response.json()["parent"] == [f"Unit {other_fac.pk} does not exist or is outside what you may see."]

    response = client.post("/api/units/", new_unit(world.fac_a, "SNEAK", head=other_person.pk), format="json")
    assert response.status_code == 400 and "head" in response.json()

    person = {"unit": other_fac.pk, "last_name": "Осмонов", "first_name": "Асан", "staff_category": "teaching"}
    response = client.post("/api/people/", person, format="json")
    assert response.status_code == 400 and "unit" in response.json()

    assert (Unit.objects.count(), Person.objects.count()) == (units, people)


# --- validation: 400, the field named, nothing changed ---------------------------------------


def test_duplicate_unit_code_is_refused(world):
    client = api(world.admin)
    units, entries = Unit.objects.count(), AuditEntry.objects.count()
    response = client.post("/api/units/", new_unit(world.fac_b, "FA-D1"), format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    response = client.patch(f"/api/units/{world.fac_b.pk}/", {"code": "FA"}, format="json")
    assert response.status_code == 400 and "code" in response.json()
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (units, entries)
    world.fac_b.refresh_from_db()
    assert world.fac_b.code == "FB"
    # The same code in another institution is fine.
    assert api(world.analyst).get(f"/api/units/{world.other_root.pk}/").status_code == 200


def test_a_position_cannot_end_before_it_starts(world):
    person = factories.person(world.dep_a)
    client = api(world.admin)
    entries = AuditEntry.objects.count()
    position = {
        "person": person.pk,
        "unit": world.dep_a.pk,
        "post": Post.TEACHER,
        "start_date": "2024-09-01",
        "end_date": "2024-01-01",
    }
    response = client.post("/api/positions/", position, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]
    assert not Position.objects.filter(person=person).exists()

    response = client.post("/api/positions/", {**position, "end_date": None}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"/api/positions/{pk}/end/", {"end_date": "2024-08-31"}, format="json")
    assert response.status_code == 400 and "end_date" in response.json()
    assert Position.objects.get(pk=pk).end_date is None
    assert AuditEntry.objects.count() == entries + 1  # the creation only


def test_contingent_employed_cannot_exceed_graduated(world):
    programme = factories.programme(world.dep_a)
    year = academic_year(world.inst)
    entries = AuditEntry.objects.count()
    figures = {
        "programme": programme.pk,
        "academic_year": year.pk,
        "admitted": 50,
        "enrolled": 200,
        "graduated": 40,
        "expelled": 3,
        "employed": 41,
    }
    response = api(world.admin).post("/api/contingent/", figures, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["employed"]
    assert not ContingentFigure.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_closing_a_unit_with_open_sub_units_is_refused(world):
    response = api(world.admin).post(f"/api/units/{world.fac_a.pk}/close/")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    world.fac_a.refresh_from_db()
    assert world.fac_a.closed_on is None


def test_the_top_unit_cannot_be_moved_or_closed(world):
    client = api(world.admin)
    response = client.patch(f"/api/units/{world.root.pk}/", {"parent": world.fac_a.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    assert client.post(f"/api/units/{world.root.pk}/close/").status_code == 400


def test_a_unit_cannot_move_under_itself(world):
    response = api(world.admin).patch(f"/api/units/{world.fac_a.pk}/", {"parent": world.dep_a.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()


def test_bad_filters_are_a_400_naming_the_parameter(world):
    client = api(world.admin)
    assert "level" in client.get("/api/programmes/", {"level": "nonsense"}).json()
    assert client.get("/api/units/", {"institution": "abc"}).status_code == 400


# --- the audited writes ----------------------------------------------------------------------


def test_unit_close_and_reopen(world):
    client = api(world.head_a)
    entries = AuditEntry.objects.count()
    response = client.post(f"/api/units/{world.dep_a.pk}/close/", {"closed_on": "2025-01-31"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["closed_on"] == "2025-01-31" and response.json()["is_active"] is False
    # A closed unit gets no new sub-units.
    assert client.post("/api/units/", new_unit(world.dep_a, "SUB"), format="json").status_code == 400
    response = client.post(f"/api/units/{world.dep_a.pk}/reopen/")
    assert response.status_code == 200 and response.json()["closed_on"] is None
    assert AuditEntry.objects.count() == entries + 2
    assert api(world.head_b).post(f"/api/units/{world.dep_a.pk}/close/").status_code == 403


def test_a_unit_cannot_close_before_it_opened(world):
    world.dep_a.opened_on = datetime.date(2020, 9, 1)
    world.dep_a.save()
    response = api(world.admin).post(f"/api/units/{world.dep_a.pk}/close/", {"closed_on": "2019-01-01"})
    assert response.status_code == 400 and "closed_on" in response.json()


def test_people_are_created_updated_and_audited(world):
    client = api(world.head_a)
    entries = AuditEntry.objects.count()
    data = {
        "unit": world.dep_a.pk,
        "last_name": "Осмонова",
        "first_name": "Айгүл",
        "staff_category": "teaching",
        "email": "a@example.org",
    }
    response = client.post("/api/people/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["institution"] == world.inst.pk and body["has_account"] is False
    assert body["full_name"] == "Осмонова Айгүл" and body["current_positions"] == []

    response = client.patch(f"/api/people/{body['id']}/", {"degree": "phd"}, format="json")
    assert response.status_code == 200 and response.json()["degree"] == "phd"
    # Moving the person to faculty B needs the right there too.
    response = client.patch(f"/api/people/{body['id']}/", {"unit": world.fac_b.pk}, format="json")
    assert response.status_code == 403
    assert Person.objects.get(pk=body["id"]).unit == world.dep_a
    assert client.post("/api/people/", {**data, "unit": world.fac_b.pk}, format="json").status_code == 403
    assert AuditEntry.objects.count() == entries + 2


def test_positions_are_created_ended_and_audited(world):
    person = factories.person(world.dep_a)
    client = api(world.admin)
    entries = AuditEntry.objects.count()
    data = {"person": person.pk, "unit": world.dep_a.pk, "post": Post.DEPARTMENT_HEAD, "start_date": "2023-09-01"}
    response = client.post("/api/positions/", data, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["is_current"] is True
    assert [p["id"] for p in client.get(f"/api/people/{person.pk}/").json()["current_positions"]] == [pk]

    other = factories.person(world.dep_a)
    response = client.patch(f"/api/positions/{pk}/", {"person": other.pk}, format="json")
    assert response.status_code == 400 and "person" in response.json()

    response = client.post(f"/api/positions/{pk}/end/")
    assert response.status_code == 200
    assert response.json()["end_date"] == timezone.localdate().isoformat()
    assert AuditEntry.objects.count() == entries + 2
    assert client.delete(f"/api/positions/{pk}/").status_code == 405


def test_programmes_are_created_updated_and_audited(world):
    client = api(world.head_a)
    entries = AuditEntry.objects.count()
    data = {
        "unit": world.dep_a.pk,
        "code": "580100",
        "name_ky": "Экономика",
        "name_ru": "Экономика",
        "level": ProgrammeLevel.BACHELOR,
        "study_form": StudyForm.FULL_TIME,
        "language": "ky",
    }
    response = client.post("/api/programmes/", data, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["institution"] == world.inst.pk

    duplicate = client.post("/api/programmes/", data, format="json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    part_time = client.post("/api/programmes/", {**data, "study_form": StudyForm.PART_TIME}, format="json")
    assert part_time.status_code == 201

    assert client.patch(f"/api/programmes/{pk}/", {"is_active": False}, format="json").status_code == 200
    assert Programme.objects.get(pk=pk).is_active is False
    response = client.post("/api/programmes/", {**data, "code": "580200", "unit": world.fac_b.pk}, format="json")
    assert response.status_code == 403
    assert AuditEntry.objects.count() == entries + 3


def test_contingent_is_entered_by_unit_quality_and_corrected_by_posting_again(world):
    programme = factories.programme(world.dep_a)
    programme_b = factories.programme(world.fac_b)
    year = academic_year(world.inst)
    client = api(world.quality_a)
    entries = AuditEntry.objects.count()
    figures = {
        "programme": programme.pk,
        "academic_year": year.pk,
        "admitted": 50,
        "enrolled": 200,
        "graduated": 40,
        "expelled": 3,
        "employed": 30,
    }
    response = client.post("/api/contingent/", figures, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["start_year"] == 2024
    response = client.post("/api/contingent/", {**figures, "employed": 35}, format="json")
    assert response.status_code == 200
    figure = ContingentFigure.objects.get()
    assert figure.employed == 35 and response.json()["id"] == figure.pk

    response = client.patch(f"/api/contingent/{figure.pk}/", {"expelled": 4}, format="json")
    assert response.status_code == 200 and response.json()["expelled"] == 4
    assert AuditEntry.objects.count() == entries + 3

    other_year = academic_year(world.inst, 2023)
    response = client.patch(f"/api/contingent/{figure.pk}/", {"academic_year": other_year.pk}, format="json")
    assert response.status_code == 400 and "academic_year" in response.json()
    # Unit quality of faculty A enters nothing for faculty B.
    response = client.post("/api/contingent/", {**figures, "programme": programme_b.pk}, format="json")
    assert response.status_code == 403
    # Nor may they change the programme itself.
    assert client.patch(f"/api/programmes/{programme.pk}/", {"is_active": False}, format="json").status_code == 403


def test_contingent_refuses_a_year_of_another_institution(world):
    programme = factories.programme(world.dep_a)
    other_year = academic_year(world.other_inst)
    figures = {
        "programme": programme.pk,
        "academic_year": other_year.pk,
        "admitted": 1,
        "enrolled": 1,
        "graduated": 0,
        "expelled": 0,
    }
    response = api(world.admin).post("/api/contingent/", figures, format="json")
    assert response.status_code == 400 and "academic_year" in response.json()
    # Even for an analyst, who sees that year, the model refuses the mix.
    response = api(world.analyst).post("/api/contingent/", figures, format="json")
    assert response.status_code == 403


def test_nothing_is_deleted_and_read_only_lists_refuse_writes(world):
    client = api(world.admin)
    assert client.delete(f"/api/units/{world.dep_a.pk}/").status_code == 405
    person = factories.person(world.dep_a)
    assert client.delete(f"/api/people/{person.pk}/").status_code == 405
    assert client.post("/api/academic-years/", {}, format="json").status_code == 405
    assert client.post("/api/institutions/", {}, format="json").status_code == 405
    assert Unit.objects.filter(pk=world.dep_a.pk).exists() and Person.objects.filter(pk=person.pk).exists()


# --- filters and languages -------------------------------------------------------------------


def test_unit_filters(world):
    client = api(world.admin)
    assert ids(client.get("/api/units/", {"unit": world.fac_a.pk})) == {world.fac_a.pk, world.dep_a.pk}
    assert ids(client.get("/api/units/", {"parent": world.root.pk})) == {world.fac_a.pk, world.fac_b.pk}
    assert ids(client.get("/api/units/", {"q": "fa-d1"})) == {world.dep_a.pk}
    assert ids(client.get("/api/units/", {"unit": world.other_root.pk})) == set()  # not visible: nothing
    world.dep_a.closed_on = datetime.date(2020, 1, 1)
    world.dep_a.save()
    assert ids(client.get("/api/units/", {"active": "false"})) == {world.dep_a.pk}
    assert world.dep_a.pk not in ids(client.get("/api/units/", {"active": "true"}))


def test_programme_filters(world):
    bachelor = factories.programme(world.dep_a, "510100", name_ky="Информатика")
    master = factories.programme(world.fac_b, "710100", level=ProgrammeLevel.MASTER, study_form=StudyForm.PART_TIME)
    other = factories.programme(world.other_root, "510100")
    client = api(world.analyst)
    assert ids(client.get("/api/programmes/", {"level": "master"})) == {master.pk}
    assert ids(client.get("/api/programmes/", {"study_form": "full_time"})) == {bachelor.pk, other.pk}
    assert ids(client.get("/api/programmes/", {"q": "информ"})) == {bachelor.pk}
    assert ids(client.get("/api/programmes/", {"unit": world.fac_a.pk})) == {bachelor.pk}
    assert ids(client.get("/api/programmes/", {"institution": world.inst.pk})) == {bachelor.pk, master.pk}


def test_people_and_position_filters(world):
    ivanova = factories.person(world.dep_a, "Иванова")
    factories.person(world.fac_b, "Петров")
    current = Position.objects.create(person=ivanova, unit=world.dep_a, post=Post.TEACHER)
    ended = Position.objects.create(
        person=ivanova, unit=world.fac_b, post=Post.DEAN, end_date=datetime.date(2020, 1, 1)
    )
    client = api(world.admin)
    assert ids(client.get("/api/people/", {"q": "иванова"})) == {ivanova.pk}
    in_fac_a = ids(client.get("/api/people/", {"unit": world.fac_a.pk}))
    assert ivanova.pk in in_fac_a and in_fac_a == set(
        Person.objects.filter(unit__path__startswith=world.fac_a.path).values_list("pk", flat=True)
    )
    assert ids(client.get("/api/positions/", {"person": ivanova.pk})) == {current.pk, ended.pk}
    assert ids(client.get("/api/positions/", {"person": ivanova.pk, "current": "true"})) == {current.pk}
    assert ids(client.get("/api/positions/", {"person": ivanova.pk, "current": "false"})) == {ended.pk}
    assert ids(client.get("/api/positions/", {"unit": world.fac_b.pk})) == {ended.pk}


def test_name_is_given_in_the_accounts_language(world):
    world.fac_a.name_ru = "Факультет А"
    world.fac_a.name_en = "Faculty A"
    world.fac_a.save()
    url = f"/api/units/{world.fac_a.pk}/"
    response = api(world.admin).get(url)
    assert response.json()["name"] == world.fac_a.name_ky and response.headers["Content-Language"] == "ky"
    assert (response.json()["name_ky"], response.json()["name_ru"], response.json()["name_en"]) == (
        world.fac_a.name_ky,
        "Факультет А",
        "Faculty A",
    )
    world.admin.language = "ru"
    world.admin.save()
    # As on the pages, the account decides, not Accept-Language; token users too.
    response = token_client(world.admin).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["name"] == "Факультет А" and response.headers["Content-Language"] == "ru"
    world.admin.language = "en"
    world.admin.save()
    assert token_client(world.admin).get(url).json()["name"] == "Faculty A"


def test_error_messages_are_in_the_accounts_language(world):
    world.staff_a.language = "ru"
    world.staff_a.save()
    response = token_client(world.staff_a).post("/api/units/", new_unit(world.dep_a, "X"), format="json")
    assert response.status_code == 403
    assert response.headers["Content-Language"] == "ru"


# --- fixed query counts ----------------------------------------------------------------------


def _add_units(world, n):
    for _ in range(n):
        factories.unit(world.fac_a, unit_type="department")


def _add_people(world, n):
    for _ in range(n):
        person = factories.person(world.dep_a)
        Position.objects.create(person=person, unit=world.dep_a, post=Post.TEACHER)


def _add_positions(world, n):
    person = factories.person(world.dep_a)
    for _ in range(n):
        Position.objects.create(person=person, unit=world.dep_a, post=Post.TEACHER)


def _add_programmes(world, n):
    for _ in range(n):
        factories.programme(world.dep_a)


def _add_years(world, n):
    start = 1990 + AcademicYear.objects.count()
    for year in range(start, start + n):
        academic_year(world.inst, year)


def _add_figures(world, n):
    year = AcademicYear.objects.first() or academic_year(world.inst)
    for _ in range(n):
        programme = factories.programme(world.dep_a)
        ContingentFigure.objects.create(
            programme=programme, academic_year=year, admitted=1, enrolled=1, graduated=0, expelled=0
        )


def _add_institutions(world, n):
    for _ in range(n):
        factories.institution()


@pytest.mark.parametrize(
    "url, add",
    [
        ("/api/units/", _add_units),
        ("/api/people/", _add_people),
        ("/api/positions/", _add_positions),
        ("/api/programmes/", _add_programmes),
        ("/api/academic-years/", _add_years),
        ("/api/contingent/", _add_figures),
        ("/api/institutions/", _add_institutions),
    ],
)
def test_lists_take_the_same_number_of_queries_for_3_or_30_rows(world, url, add):
    client = token_client(world.analyst)
    counts = []
    for n in (3, 27):
        add(world, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] >= n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- schema ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ("/api/token/", "/api/units/{id}/close/", "/api/positions/{id}/end/", "/api/contingent/"):
        assert f"{path}:" in schema
