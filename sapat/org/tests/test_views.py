"""The organisation's pages: every page renders, the restricted ones answer 403 without the
right and 404 for another institution's records, forms save through the services (with an
audit entry) or show their errors and change nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.utils.html import escape

from sapat.core.models import AuditEntry, User
from sapat.org import services
from sapat.org.choices import Post, Role, UnitType
from sapat.org.models import (
    AcademicYear,
    ContingentFigure,
    Person,
    Position,
    Programme,
    RoleAssignment,
    Semester,
    StudentGroup,
    Unit,
)
from sapat.org.tests import factories

TODAY = timezone.localdate()


class Data:
    pass


@pytest.fixture
def data(world):
    """Records of faculty A, and the same kinds in the other institution."""
    d = Data()
    d.person = factories.person(world.dep_a, "Токтогулова", first_name="Айгүл")
    d.account_person = world.staff_a.person
    d.programme = factories.programme(world.dep_a, "590100")
    d.year = AcademicYear.objects.create(
        institution=world.inst,
        start_year=2024,
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    d.semester = Semester.objects.create(
        academic_year=d.year, kind="autumn", start_date=datetime.date(2024, 9, 1), end_date=datetime.date(2025, 1, 20)
    )
    d.group = StudentGroup.objects.create(programme=d.programme, name="ИНФ-1-24", admission_year=2024)
    d.position = Position.objects.create(person=d.person, unit=world.dep_a, post=Post.TEACHER)
    d.role = RoleAssignment.objects.get(user=world.staff_a)
    d.other_unit = factories.unit(world.other_root, "OF")
    d.other_person = factories.person(d.other_unit, "Ошский")
    d.other_account = factories.user_with_role(Role.STAFF, d.other_unit, username="osh_staff").person
    d.other_programme = factories.programme(d.other_unit, "590100")
    d.other_year = AcademicYear.objects.create(
        institution=world.other_inst,
        start_year=2024,
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2025, 6, 30),
    )
    d.other_semester = Semester.objects.create(
        academic_year=d.other_year,
        kind="autumn",
        start_date=datetime.date(2024, 9, 1),
        end_date=datetime.date(2025, 1, 20),
    )
    d.other_group = StudentGroup.objects.create(programme=d.other_programme, name="ОШ-1-24", admission_year=2024)
    d.other_position = Position.objects.create(person=d.other_person, unit=d.other_unit, post=Post.TEACHER)
    return d


def entries_for(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    ).order_by("id")


def assert_error_shown(response, field=None, *, or_general=False):
    """A 400 with the form's errors, each shown on the page: on `field`, at the top of the
    form with no field, or (`or_general`) either."""
    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    if or_general and not errors:
        errors = form.non_field_errors()
    assert errors, form.errors
    content = response.content.decode()
    for message in errors:
        assert escape(message) in content


# --- every page renders --------------------------------------------------------------------

POST_ONLY = {
    "switch_institution",
    "unit_close",
    "unit_reopen",
    "account_toggle",
    "position_end",
    "role_end",
    "set_language",
    "logout",
    "attachment_upload",
    "attachment_delete",
}
# Pages for someone already signed in, or reached from an e-mail.
NOT_FOR_ADMIN = {"login", "password_reset_confirm"}
# A file download needs a record type that takes files: core/tests/test_attachments.py.
TESTED_ELSEWHERE = {"attachment_download"}


def page_urls(world, d):
    """Every page of the organisation and core URL lists, with a real record to show."""
    from sapat.core import urls as core_urls
    from sapat.org import urls as org_urls

    args = {
        "unit_detail": [world.fac_a.pk],
        "unit_edit": [world.fac_a.pk],
        "unit_add": [world.fac_a.pk],
        "person_detail": [d.person.pk],
        "person_edit": [d.person.pk],
        "position_add": [d.person.pk],
        "account_add": [d.person.pk],
        "role_add": [d.account_person.pk],
        "position_edit": [d.position.pk],
        "programme_detail": [d.programme.pk],
        "programme_edit": [d.programme.pk],
        "group_add": [d.programme.pk],
        "group_edit": [d.group.pk],
        "contingent_edit": [d.programme.pk],
        "academic_year_edit": [d.year.pk],
        "semester_add": [d.year.pk],
        "semester_edit": [d.year.pk, d.semester.pk],
        "record_history": ["org", "unit", world.fac_a.pk],
        "import_upload": ["people"],
        "import_template": ["people"],
    }
    urls = {}
    for pattern in [*core_urls.urlpatterns, *org_urls.urlpatterns]:
        assert isinstance(pattern, URLPattern)
        if pattern.name in POST_ONLY | NOT_FOR_ADMIN | TESTED_ELSEWHERE:
            continue
        if pattern.pattern.converters:
            assert pattern.name in args, f"add a record for the new page {pattern.name!r}"
        urls[pattern.name] = reverse(pattern.name, args=args.get(pattern.name, []))
    return urls


def test_every_page_renders_for_the_admin(client, world, data):
    client.force_login(world.admin)
    urls = page_urls(world, data)
    assert len(urls) >= 30
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)


def test_every_page_renders_for_a_superuser(client, world, data):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pass-Word-42"))
    for name, url in page_urls(world, data).items():
        assert client.get(url).status_code == 200, name


def test_every_page_renders_in_each_language(client, world, data):
    for language in ("ky", "ru", "en"):
        User.objects.filter(pk=world.admin.pk).update(language=language)
        client.force_login(User.objects.get(pk=world.admin.pk))
        for name in ("home", "unit_tree", "person_list", "programme_list", "audit_log", "person_detail"):
            url = page_urls(world, data)[name]
            response = client.get(url)
            assert response.status_code == 200, (language, name)
            assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("name", sorted(POST_ONLY - {"set_language", "logout"}))
def test_actions_refuse_get(client, world, data, name):
    client.force_login(world.admin)
    args = {
        "switch_institution": [],
        "role_end": [data.role.pk],
        "position_end": [data.position.pk],
        "attachment_upload": [1, world.dep_a.pk],
    }.get(name, [data.account_person.pk] if name == "account_toggle" else [world.dep_a.pk])
    assert client.get(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize(
    "name",
    ["home", "unit_tree", "person_list", "programme_list", "academic_year_list", "permission_matrix"],
)
def test_list_pages_for_staff(client, world, data, name):
    client.force_login(world.staff_a)
    response = client.get(reverse(name))
    assert response.status_code == 200


def test_staff_see_records_but_not_the_buttons(client, world, data):
    client.force_login(world.staff_a)
    for url in (
        reverse("unit_detail", args=[world.fac_b.pk]),
        reverse("person_detail", args=[data.person.pk]),
        reverse("programme_detail", args=[data.programme.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert reverse("unit_edit", args=[world.fac_b.pk]) not in content
        assert reverse("person_edit", args=[data.person.pk]) not in content
        assert reverse("programme_edit", args=[data.programme.pk]) not in content
    assert client.get(reverse("audit_log")).status_code == 403


def test_lists_show_only_the_institution_in_view(client, world, data):
    client.force_login(world.staff_a)
    content = client.get(reverse("person_list")).content.decode()
    assert "Токтогулова" in content and "Ошский" not in content


def test_expert_sees_no_organisation_pages(client, world, data):
    expert = factories.user_with_role(
        Role.EXPERT, world.fac_a, username="expert", valid_until=TODAY + datetime.timedelta(days=10)
    )
    client.force_login(expert)
    assert client.get(reverse("home")).status_code == 200
    for name in ("unit_tree", "person_list", "programme_list", "academic_year_list"):
        assert client.get(reverse(name)).status_code in (403, 404), name
    assert client.get(reverse("unit_detail", args=[world.fac_a.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[data.person.pk])).status_code == 404


def test_analyst_switches_institution(client, world, data):
    client.force_login(world.analyst)
    response = client.post(
        reverse("switch_institution"), {"institution": world.other_inst.pk, "next": reverse("person_list")}
    )
    assert response.status_code == 302 and response.url == reverse("person_list")
    content = client.get(reverse("person_list")).content.decode()
    assert "Ошский" in content and "Токтогулова" not in content


def test_cannot_switch_to_an_institution_out_of_sight(client, world, data):
    client.force_login(world.admin)
    assert client.post(reverse("switch_institution"), {"institution": world.other_inst.pk}).status_code == 404


# --- restricted pages: 403 without the right, 404 for another institution ---------------------


def restricted(world, d):
    """(page name, args in faculty A, args in the other institution, users without the right)."""
    no_units = ["staff_a", "quality_a", "head_b", "rector", "analyst"]
    no_people = ["staff_a", "quality_a", "head_b", "rector", "analyst"]
    no_access = ["head_a", "quality", "quality_a", "head_b", "staff_a", "rector", "analyst"]
    no_programmes = ["staff_a", "quality_a", "head_b", "rector", "analyst"]
    no_contingent = ["staff_a", "head_b", "rector", "analyst"]
    no_calendar = ["head_a", "quality_a", "staff_a", "rector", "analyst"]
    return [
        ("unit_edit", [world.dep_a.pk], [d.other_unit.pk], no_units),
        ("unit_add", [world.dep_a.pk], [d.other_unit.pk], no_units),
        ("person_edit", [d.person.pk], [d.other_person.pk], no_people),
        ("position_add", [d.person.pk], [d.other_person.pk], no_people),
        ("position_edit", [d.position.pk], [d.other_position.pk], no_people),
        ("account_add", [d.person.pk], [d.other_person.pk], no_access),
        ("role_add", [d.account_person.pk], [d.other_account.pk], no_access),
        ("programme_edit", [d.programme.pk], [d.other_programme.pk], no_programmes),
        ("group_add", [d.programme.pk], [d.other_programme.pk], no_programmes),
        ("group_edit", [d.group.pk], [d.other_group.pk], no_programmes),
        ("contingent_edit", [d.programme.pk], [d.other_programme.pk], no_contingent),
        ("academic_year_edit", [d.year.pk], [d.other_year.pk], no_calendar),
        ("semester_add", [d.year.pk], [d.other_year.pk], no_calendar),
        ("semester_edit", [d.year.pk, d.semester.pk], [d.other_year.pk, d.other_semester.pk], no_calendar),
    ]


def test_restricted_pages_answer_403_without_the_right(client, world, data):
    for name, args, _, users in restricted(world, data):
        url = reverse(name, args=args)
        for who in users:
            client.force_login(getattr(world, who))
            assert client.get(url).status_code == 403, (name, who, "GET")
            assert client.post(url, {}).status_code == 403, (name, who, "POST")


def test_restricted_pages_open_with_the_right(client, world, data):
    allowed = {
        "unit_edit": "head_a",
        "unit_add": "head_a",
        "person_edit": "head_a",
        "position_add": "head_a",
        "position_edit": "head_a",
        "account_add": "admin",
        "role_add": "admin",
        "programme_edit": "head_a",
        "group_add": "head_a",
        "group_edit": "head_a",
        "contingent_edit": "quality_a",
        "academic_year_edit": "quality",
        "semester_add": "quality",
        "semester_edit": "quality",
    }
    for name, args, _, _ in restricted(world, data):
        client.force_login(getattr(world, allowed[name]))
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_pages_for_adding_need_some_right(client, world, data):
    for name in ("person_add", "programme_add", "academic_year_add"):
        client.force_login(world.staff_a)
        assert client.get(reverse(name)).status_code == 403, name
        assert client.post(reverse(name), {}).status_code == 403, name
    client.force_login(world.head_a)
    assert client.get(reverse("academic_year_add")).status_code == 403


def test_records_of_another_institution_are_404(client, world, data):
    client.force_login(world.admin)
    for name, _, other_args, _ in restricted(world, data):
        url = reverse(name, args=other_args)
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name
    for name, pk in (
        ("unit_detail", data.other_unit.pk),
        ("person_detail", data.other_person.pk),
        ("programme_detail", data.other_programme.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in (
        ("unit_close", data.other_unit.pk),
        ("unit_reopen", data.other_unit.pk),
        ("account_toggle", data.other_account.pk),
        ("position_end", data.other_position.pk),
    ):
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    other_role = RoleAssignment.objects.get(user=data.other_account.user)
    assert client.post(reverse("role_end", args=[other_role.pk])).status_code == 404


def test_missing_records_are_404(client, world, data):
    client.force_login(world.admin)
    for name in ("unit_detail", "unit_edit", "person_detail", "person_edit", "programme_detail", "programme_edit"):
        assert client.get(reverse(name, args=[999999])).status_code == 404, name


@pytest.mark.parametrize("name", ["unit_close", "unit_reopen"])
def test_unit_actions_403_without_the_right(client, world, data, name):
    for who in ("staff_a", "quality_a", "head_b", "rector", "analyst"):
        client.force_login(getattr(world, who))
        assert client.post(reverse(name, args=[world.dep_a.pk])).status_code == 403, who
    assert Unit.objects.get(pk=world.dep_a.pk).closed_on is None


def test_other_actions_403_without_the_right(client, world, data):
    client.force_login(world.head_b)
    assert client.post(reverse("position_end", args=[data.position.pk])).status_code == 403
    assert client.post(reverse("account_toggle", args=[data.account_person.pk])).status_code == 403
    client.force_login(world.head_a)
    assert client.post(reverse("role_end", args=[data.role.pk])).status_code in (403, 404)
    assert Position.objects.get(pk=data.position.pk).end_date is None
    assert User.objects.get(pk=world.staff_a.pk).is_active
    assert RoleAssignment.objects.get(pk=data.role.pk).valid_until is None


# --- forms: valid data saves, invalid data is shown and changes nothing ----------------------


def unit_data(unit, **changes):
    data = {
        "parent": unit.parent_id or "",
        "unit_type": unit.unit_type,
        "code": unit.code,
        "name_ky": unit.name_ky,
        "name_ru": unit.name_ru,
        "name_en": unit.name_en,
        "head": unit.head_id or "",
        "quality_responsible": unit.quality_responsible_id or "",
        "opened_on": unit.opened_on.isoformat() if unit.opened_on else "",
    }
    data.update(changes)
    return data


def test_unit_head_renames_own_faculty(client, world, data):
    """The faculty's parent (the university) lies outside the head's scope: keeping it must
    still be a valid choice."""
    client.force_login(world.head_a)
    before = entries_for(world.fac_a).count()
    response = client.post(
        reverse("unit_edit", args=[world.fac_a.pk]), unit_data(world.fac_a, name_ky="Физика-математика факультети")
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert response.url == reverse("unit_detail", args=[world.fac_a.pk])
    assert Unit.objects.get(pk=world.fac_a.pk).name_ky == "Физика-математика факультети"
    assert entries_for(world.fac_a).count() == before + 1
    entry = entries_for(world.fac_a).last()
    assert entry.actor == world.head_a
    assert entry.changes == {"name_ky": [world.fac_a.name_ky, "Физика-математика факультети"]}


def test_unit_head_sets_the_head_of_a_department(client, world, data):
    client.force_login(world.head_a)
    response = client.post(reverse("unit_edit", args=[world.dep_a.pk]), unit_data(world.dep_a, head=data.person.pk))
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.dep_a.pk).head == data.person


def test_top_unit_form_has_no_parent(client, world, data):
    client.force_login(world.admin)
    response = client.get(reverse("unit_edit", args=[world.root.pk]))
    assert "parent" not in response.context["form"].fields
    response = client.post(reverse("unit_edit", args=[world.root.pk]), unit_data(world.root, name_en="BatSU"))
    assert response.status_code == 302
    root = Unit.objects.get(pk=world.root.pk)
    assert root.name_en == "BatSU" and root.parent_id is None


def test_unit_move_through_the_form(client, world, data):
    client.force_login(world.quality)
    response = client.post(reverse("unit_edit", args=[world.dep_a.pk]), unit_data(world.dep_a, parent=world.fac_b.pk))
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.dep_a.pk).path == f"{world.fac_b.path}{world.dep_a.pk}/"


def test_unit_form_refuses_a_move_under_its_own_sub_unit(client, world, data):
    client.force_login(world.admin)
    before = entries_for(world.fac_a).count()
    response = client.post(reverse("unit_edit", args=[world.fac_a.pk]), unit_data(world.fac_a, parent=world.dep_a.pk))
    assert_error_shown(response, "parent")
    assert Unit.objects.get(pk=world.fac_a.pk).parent_id == world.root.pk
    assert entries_for(world.fac_a).count() == before


def test_unit_head_cannot_move_a_unit_out_of_reach(client, world, data):
    client.force_login(world.head_a)
    response = client.post(reverse("unit_edit", args=[world.dep_a.pk]), unit_data(world.dep_a, parent=world.fac_b.pk))
    assert_error_shown(response, "parent")
    assert Unit.objects.get(pk=world.dep_a.pk).parent_id == world.fac_a.pk


def test_unit_add(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("unit_add", args=[world.fac_a.pk]),
        {"parent": world.fac_a.pk, "unit_type": UnitType.DEPARTMENT, "code": "FA-D2", "name_ky": "Химия кафедрасы"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="FA-D2")
    assert response.url == reverse("unit_detail", args=[unit.pk])
    assert unit.parent == world.fac_a and unit.institution == world.inst
    assert entries_for(unit).get().actor == world.head_a


def test_unit_add_with_a_taken_code(client, world, data):
    client.force_login(world.admin)
    count, log = Unit.objects.count(), AuditEntry.objects.count()
    response = client.post(
        reverse("unit_add", args=[world.fac_a.pk]),
        {"parent": world.fac_a.pk, "unit_type": UnitType.DEPARTMENT, "code": "FB", "name_ky": "Дагы бир"},
    )
    assert_error_shown(response, "code", or_general=True)
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (count, log)


def test_unit_add_without_a_name(client, world, data):
    client.force_login(world.admin)
    count = Unit.objects.count()
    response = client.post(
        reverse("unit_add", args=[world.fac_a.pk]),
        {"parent": world.fac_a.pk, "unit_type": UnitType.DEPARTMENT, "code": "FA-D3", "name_ky": ""},
    )
    assert_error_shown(response, "name_ky")
    assert Unit.objects.count() == count


def test_unit_close_and_reopen_buttons(client, world, data):
    client.force_login(world.head_a)
    # Open sub-units: refused with a message, nothing changes.
    response = client.post(reverse("unit_close", args=[world.fac_a.pk]), follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Unit.objects.get(pk=world.fac_a.pk).closed_on is None

    response = client.post(reverse("unit_close", args=[world.dep_a.pk]))
    assert response.status_code == 302 and response.url == reverse("unit_detail", args=[world.dep_a.pk])
    assert Unit.objects.get(pk=world.dep_a.pk).closed_on == TODAY
    response = client.post(reverse("unit_reopen", args=[world.dep_a.pk]))
    assert response.status_code == 302
    assert Unit.objects.get(pk=world.dep_a.pk).closed_on is None
    assert entries_for(world.dep_a).count() == 2


def person_data(person=None, **changes):
    data = {
        "last_name": "",
        "first_name": "",
        "middle_name": "",
        "gender": "",
        "unit": "",
        "staff_category": "teaching",
        "degree": "",
        "academic_title": "",
        "email": "",
        "phone": "",
        "left_on": "",
    }
    if person is not None:
        for key in data:
            value = getattr(person, key if key != "unit" else "unit_id")
            data[key] = "" if value is None else value
    data.update(changes)
    return data


def test_person_add(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("person_add"),
        person_data(last_name="Эргешали кызы", first_name="Айпери", gender="female", unit=world.dep_a.pk),
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Эргешали кызы")
    assert response.url == reverse("person_detail", args=[person.pk])
    assert person.institution == world.inst and person.unit == world.dep_a
    entry = entries_for(person).get()
    assert (entry.actor, entry.unit_id, entry.action) == (world.head_a, world.dep_a.pk, "create")


def test_person_add_refuses_a_unit_out_of_reach(client, world, data):
    client.force_login(world.head_a)
    count = Person.objects.count()
    response = client.post(reverse("person_add"), person_data(last_name="Чет", first_name="Адам", unit=world.fac_b.pk))
    assert_error_shown(response, "unit")
    assert Person.objects.count() == count


def test_person_edit(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("person_edit", args=[data.person.pk]), person_data(data.person, phone="+996 770 123 456")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=data.person.pk).phone == "+996 770 123 456"
    assert entries_for(data.person).get().changes == {"phone": ["", "+996 770 123 456"]}


def test_person_edit_invalid(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("person_edit", args=[data.person.pk]), person_data(data.person, last_name="", email="not-an-address")
    )
    assert_error_shown(response, "last_name")
    assert_error_shown(response, "email")
    assert Person.objects.get(pk=data.person.pk).last_name == "Токтогулова"
    assert not entries_for(data.person).exists()


def test_person_in_a_closed_unit_can_still_be_edited(client, world, data):
    closed = factories.unit(world.fac_a, "FA-OLD", unit_type=UnitType.DEPARTMENT)
    person = factories.person(closed, "Эскиев")
    services.unit_close(actor=world.admin, unit=closed)
    client.force_login(world.head_a)
    response = client.post(reverse("person_edit", args=[person.pk]), person_data(person, left_on=TODAY.isoformat()))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).left_on == TODAY


def position_data(unit, **changes):
    data = {"unit": unit.pk, "post": Post.TEACHER, "title": "", "start_date": "2024-09-01", "end_date": ""}
    data.update(changes)
    return data


def test_position_add(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("position_add", args=[data.person.pk]), position_data(world.dep_a, post=Post.DEPARTMENT_HEAD)
    )
    assert response.status_code == 302
    assert response.url == reverse("person_detail", args=[data.person.pk])
    position = Position.objects.get(person=data.person, post=Post.DEPARTMENT_HEAD)
    assert entries_for(position).get().actor == world.head_a


def test_position_ending_before_it_starts(client, world, data):
    client.force_login(world.head_a)
    count, log = Position.objects.count(), AuditEntry.objects.count()
    response = client.post(
        reverse("position_add", args=[data.person.pk]),
        position_data(world.dep_a, start_date="2024-09-01", end_date="2024-06-30"),
    )
    assert_error_shown(response, "end_date")
    assert (Position.objects.count(), AuditEntry.objects.count()) == (count, log)


def test_position_edit_and_end(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("position_edit", args=[data.position.pk]), position_data(world.dep_a, title="Улук окутуучу")
    )
    assert response.status_code == 302
    assert Position.objects.get(pk=data.position.pk).title == "Улук окутуучу"
    response = client.post(reverse("position_end", args=[data.position.pk]))
    assert response.status_code == 302
    assert Position.objects.get(pk=data.position.pk).end_date == TODAY


def test_account_add(client, world, data):
    client.force_login(world.admin)
    response = client.post(
        reverse("account_add", args=[data.person.pk]), {"username": "aigul.t", "email": "aigul@example.org"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="aigul.t")
    assert Person.objects.get(pk=data.person.pk).user == user
    assert user.email == "aigul@example.org" and user.has_usable_password()
    entry = entries_for(user).get()
    assert (entry.actor, entry.unit_id) == (world.admin, world.dep_a.pk)


@pytest.mark.parametrize("username", ["head_a", "HEAD_A", "two words", ""])
def test_account_add_invalid(client, world, data, username):
    client.force_login(world.admin)
    count = User.objects.count()
    response = client.post(reverse("account_add", args=[data.person.pk]), {"username": username})
    assert_error_shown(response, "username")
    assert User.objects.count() == count
    assert Person.objects.get(pk=data.person.pk).user_id is None


def test_role_add(client, world, data):
    client.force_login(world.admin)
    response = client.post(
        reverse("role_add", args=[data.account_person.pk]),
        {"role": Role.UNIT_QUALITY, "unit": world.dep_a.pk, "valid_from": TODAY.isoformat(), "valid_until": ""},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.staff_a, role=Role.UNIT_QUALITY)
    assert entries_for(assignment).get().actor == world.admin


def test_role_add_invalid(client, world, data):
    client.force_login(world.admin)
    count = RoleAssignment.objects.count()
    url = reverse("role_add", args=[data.account_person.pk])
    # An expert's access needs an end date.
    response = client.post(
        url, {"role": Role.EXPERT, "unit": world.dep_a.pk, "valid_from": TODAY.isoformat(), "valid_until": ""}
    )
    assert_error_shown(response, "valid_until")
    # Only a superuser may grant the analyst role: not even offered.
    response = client.post(url, {"role": Role.ANALYST, "unit": "", "valid_from": TODAY.isoformat()})
    assert_error_shown(response, "role")
    # Nor a unit of another institution.
    response = client.post(url, {"role": Role.STAFF, "unit": data.other_unit.pk, "valid_from": TODAY.isoformat()})
    assert_error_shown(response, "unit")
    assert RoleAssignment.objects.count() == count


def test_role_add_for_a_person_without_account_redirects(client, world, data):
    client.force_login(world.admin)
    response = client.get(reverse("role_add", args=[data.person.pk]))
    assert response.status_code == 302
    assert response.url == reverse("person_detail", args=[data.person.pk])


def test_role_end_and_account_toggle(client, world, data):
    client.force_login(world.admin)
    response = client.post(reverse("role_end", args=[data.role.pk]))
    assert response.status_code == 302
    assert RoleAssignment.objects.get(pk=data.role.pk).valid_until < TODAY
    response = client.post(reverse("account_toggle", args=[data.account_person.pk]))
    assert response.status_code == 302
    assert not User.objects.get(pk=world.staff_a.pk).is_active


def programme_data(programme=None, **changes):
    data = {
        "code": "",
        "name_ky": "",
        "name_ru": "",
        "name_en": "",
        "level": "bachelor",
        "study_form": "full_time",
        "language": "ky",
        "unit": "",
        "leader": "",
        "is_active": "on",
    }
    if programme is not None:
        for key in ("code", "name_ky", "name_ru", "name_en", "level", "study_form", "language"):
            data[key] = getattr(programme, key)
        data["unit"] = programme.unit_id
        data["leader"] = programme.leader_id or ""
    data.update(changes)
    return data


def test_programme_add_and_edit(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("programme_add"), programme_data(code="580200", name_ky="Педагогика", unit=world.dep_a.pk)
    )
    assert response.status_code == 302
    programme = Programme.objects.get(code="580200")
    assert programme.institution == world.inst
    response = client.post(
        reverse("programme_edit", args=[programme.pk]),
        programme_data(programme, name_ru="Педагогика", leader=data.person.pk),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name_ru, programme.leader) == ("Педагогика", data.person)
    assert [e.action for e in entries_for(programme)] == ["create", "update"]


def test_programme_with_a_taken_code(client, world, data):
    client.force_login(world.head_a)
    count = Programme.objects.count()
    response = client.post(
        reverse("programme_add"), programme_data(code=data.programme.code, name_ky="Экинчи", unit=world.dep_a.pk)
    )
    assert_error_shown(response, "code", or_general=True)
    assert Programme.objects.count() == count


def test_group_add_and_edit(client, world, data):
    client.force_login(world.head_a)
    response = client.post(
        reverse("group_add", args=[data.programme.pk]),
        {"name": "ИНФ-2-24", "admission_year": 2024, "student_count": 25, "is_active": "on"},
    )
    assert response.status_code == 302
    group = StudentGroup.objects.get(name="ИНФ-2-24")
    response = client.post(
        reverse("group_edit", args=[group.pk]),
        {"name": "ИНФ-2-24", "admission_year": 2024, "student_count": 24, "is_active": "on"},
    )
    assert response.status_code == 302
    assert StudentGroup.objects.get(pk=group.pk).student_count == 24
    response = client.post(
        reverse("group_add", args=[data.programme.pk]),
        {"name": "ИНФ-2-24", "admission_year": 2024, "student_count": 1},
    )
    assert response.status_code == 400
    assert StudentGroup.objects.filter(name="ИНФ-2-24").count() == 1


def contingent_data(year, **changes):
    data = {"academic_year": year.pk, "admitted": 50, "enrolled": 200, "graduated": 40, "expelled": 5, "employed": 30}
    data.update(changes)
    return data


def test_contingent_entered_and_corrected(client, world, data):
    client.force_login(world.quality_a)
    url = reverse("contingent_edit", args=[data.programme.pk])
    response = client.post(url, contingent_data(data.year))
    assert response.status_code == 302
    assert response.url == reverse("programme_detail", args=[data.programme.pk])
    # The correction form opens with the year's figures; saving again updates the same row.
    response = client.get(url, {"year": data.year.pk})
    assert response.context["form"].initial["admitted"] == 50
    response = client.post(url, contingent_data(data.year, admitted=52))
    assert response.status_code == 302
    figure = ContingentFigure.objects.get()
    assert figure.admitted == 52
    assert [(e.action, e.actor) for e in entries_for(figure)] == [
        ("create", world.quality_a),
        ("update", world.quality_a),
    ]


def test_contingent_with_more_employed_than_graduated(client, world, data):
    client.force_login(world.quality_a)
    response = client.post(
        reverse("contingent_edit", args=[data.programme.pk]), contingent_data(data.year, graduated=10, employed=11)
    )
    assert_error_shown(response, "employed")
    assert not ContingentFigure.objects.exists()


def test_contingent_for_a_year_of_another_institution(client, world, data):
    client.force_login(world.quality_a)
    response = client.post(reverse("contingent_edit", args=[data.programme.pk]), contingent_data(data.other_year))
    assert_error_shown(response, "academic_year")
    assert not ContingentFigure.objects.exists()


def test_academic_year_and_semester_forms(client, world, data):
    client.force_login(world.quality)
    response = client.post(
        reverse("academic_year_add"), {"start_year": 2025, "start_date": "2025-09-01", "end_date": "2026-06-30"}
    )
    assert response.status_code == 302
    year = AcademicYear.objects.get(institution=world.inst, start_year=2025)
    assert entries_for(year).get().unit_id == world.root.pk
    response = client.post(
        reverse("academic_year_edit", args=[year.pk]),
        {"start_year": 2025, "start_date": "2025-09-02", "end_date": "2026-06-30"},
    )
    assert response.status_code == 302
    assert AcademicYear.objects.get(pk=year.pk).start_date == datetime.date(2025, 9, 2)
    response = client.post(
        reverse("semester_add", args=[year.pk]),
        {"kind": "spring", "start_date": "2026-02-01", "end_date": "2026-06-15"},
    )
    assert response.status_code == 302
    assert year.semesters.get().kind == "spring"


def test_academic_year_invalid(client, world, data):
    client.force_login(world.quality)
    count = AcademicYear.objects.count()
    response = client.post(
        reverse("academic_year_add"), {"start_year": 2026, "start_date": "2026-09-01", "end_date": "2026-06-30"}
    )
    assert_error_shown(response, "end_date")
    response = client.post(
        reverse("academic_year_add"), {"start_year": 2024, "start_date": "2024-09-01", "end_date": "2025-06-30"}
    )
    assert_error_shown(response, "start_year", or_general=True)  # the year exists
    assert AcademicYear.objects.count() == count


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["эргешали", "ЭРГЕШАЛИ", "Эргешали", "кызы айпери", "өмүрбек"])
def test_people_search_is_unicode_case_insensitive(client, world, data, query):
    factories.person(world.dep_a, "Эргешали кызы", first_name="Айпери", middle_name="Өмүрбековна")
    client.force_login(world.staff_a)
    response = client.get(reverse("person_list"), {"q": query})
    content = response.content.decode()
    assert "Эргешали кызы" in content
    assert "Токтогулова" not in content
    assert [p.last_name for p in response.context["page"]] == ["Эргешали кызы"]


def test_people_search_finds_nothing_for_nonsense(client, world, data):
    client.force_login(world.staff_a)
    response = client.get(reverse("person_list"), {"q": "жок-адам"})
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("query", ["%", "_", "\\", "a_b", "100%"])
def test_people_search_takes_wildcards_literally(client, world, data, query):
    factories.person(world.dep_a, "Белгисиз", email="a.b@example.org")
    client.force_login(world.staff_a)
    response = client.get(reverse("person_list"), {"q": query})
    assert list(response.context["page"]) == []


def test_people_search_by_e_mail_with_special_characters(client, world, data):
    factories.person(world.dep_a, "Почталуу", email="a_b+tag@example.org")
    client.force_login(world.staff_a)
    response = client.get(reverse("person_list"), {"q": "A_B+TAG"})
    assert [p.last_name for p in response.context["page"]] == ["Почталуу"]


def test_people_filter_by_unit_and_category(client, world, data):
    factories.person(world.fac_b, "Бекова", staff_category="service")
    client.force_login(world.staff_a)
    names = lambda r: {p.last_name for p in r.context["page"]}  # noqa: E731
    assert "Бекова" not in names(client.get(reverse("person_list"), {"unit": world.fac_a.pk}))
    assert "Токтогулова" in names(client.get(reverse("person_list"), {"unit": world.fac_a.pk}))
    assert names(client.get(reverse("person_list"), {"category": "service"})) == {"Бекова"}


def test_programme_search(client, world, data):
    factories.programme(world.dep_a, "530100", name_ky="Экономика", name_ru="Экономика и управление")
    client.force_login(world.staff_a)
    for query in ("530100", "экономика", "УПРАВЛЕНИЕ"):
        response = client.get(reverse("programme_list"), {"q": query})
        assert [p.code for p in response.context["page"]] == ["530100"], query


def tree_hits(response):
    hits = []

    def walk(nodes):
        for node in nodes:
            if node.matched:
                hits.append(node.unit.code)
            walk(node.children)

    walk(response.context["roots"])
    return hits


def test_unit_tree_search_by_code_and_russian_name(client, world, data):
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.name_ru = "Кафедра прикладной информатики"
    services.unit_update(actor=world.admin, unit=dep)
    client.force_login(world.staff_a)
    for query in ("FA-D1", "fa-d1", "прикладной", "КАФЕДРА ПРИКЛАДНОЙ"):
        response = client.get(reverse("unit_tree"), {"q": query})
        assert response.status_code == 200
        assert tree_hits(response) == ["FA-D1"], query
        # The hit is shown in its place: the chain above it is kept.
        assert [n.unit.code for n in response.context["roots"]] == [world.root.code]
        content = response.content.decode()
        assert '<span class="code">FA-D1</span>' in content
        assert '<span class="code">FB</span>' not in content


def test_unit_tree_partial_for_htmx(client, world, data):
    client.force_login(world.staff_a)
    response = client.get(reverse("unit_tree"), {"q": "fb"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert tree_hits(response) == ["FB"]


def test_unit_tree_hides_closed_units_unless_asked(client, world, data):
    services.unit_close(actor=world.admin, unit=Unit.objects.get(pk=world.dep_a.pk))
    client.force_login(world.staff_a)
    assert "FA-D1" not in tree_hits(client.get(reverse("unit_tree")))
    assert "FA-D1" in tree_hits(client.get(reverse("unit_tree"), {"closed": "1"}))


def test_superuser_ends_an_analyst_role(client, world, data):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pass-Word-42"))
    role = RoleAssignment.objects.get(user=world.analyst)
    response = client.post(reverse("role_end", args=[role.pk]))
    assert response.status_code == 302
    assert RoleAssignment.objects.get(pk=role.pk).valid_until < TODAY
