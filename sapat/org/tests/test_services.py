"""The write services: the permission first, then the rules, then the save with exactly one
audit entry per changed record. A refused call writes nothing and changes nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.core.models import AuditAction, AuditEntry, User
from sapat.org import access, services
from sapat.org.access import ALL_PERMS, Perm
from sapat.org.choices import Post, Role, StaffCategory, UnitType
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
YESTERDAY = TODAY - datetime.timedelta(days=1)


def entries_for(instance):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
        ).order_by("id")
    )


def new_entries(since_id):
    return list(AuditEntry.objects.filter(id__gt=since_id).order_by("id"))


def last_id():
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def mark():
    """The audit log's high-water mark at the start of a step."""
    return last_id


def assert_one_entry(since, instance, action, actor, unit, changes=None):
    """Exactly one new audit entry, for `instance`, with these fields."""
    created = new_entries(since)
    assert len(created) == 1, [(e.content_type.model, e.action, e.changes) for e in created]
    entry = created[0]
    assert entry.content_type == ContentType.objects.get_for_model(instance)
    assert entry.object_id == str(instance.pk)
    assert entry.action == action
    assert entry.actor == actor
    assert entry.unit_id == (unit.pk if unit is not None else None)
    if changes is not None:
        assert entry.changes == changes
    return entry


def new_unit(parent, code="NEW", **kwargs):
    return Unit(
        parent=parent,
        institution=parent.institution,
        unit_type=kwargs.pop("unit_type", UnitType.DEPARTMENT),
        code=code,
        name_ky=kwargs.pop("name_ky", "Жаңы бөлүм"),
        **kwargs,
    )


def new_person(unit, **kwargs):
    return Person(
        institution=unit.institution,
        unit=unit,
        last_name=kwargs.pop("last_name", "Осмонова"),
        first_name=kwargs.pop("first_name", "Айгүл"),
        staff_category=kwargs.pop("staff_category", StaffCategory.TEACHING),
        **kwargs,
    )


def db_paths():
    return dict(Unit.objects.values_list("pk", "path"))


# --- units ---------------------------------------------------------------------------------


def test_unit_create_in_scope(world, mark):
    since = mark()
    unit = services.unit_create(actor=world.head_a, unit=new_unit(world.fac_a, "FA-D2"))
    unit.refresh_from_db()
    assert unit.path == f"{world.fac_a.path}{unit.pk}/"
    assert unit.institution == world.inst
    entry = assert_one_entry(since, unit, AuditAction.CREATE, world.head_a, unit)
    assert entry.changes["code"] == [None, "FA-D2"]
    assert entry.changes["parent"] == [None, f"{world.fac_a} (#{world.fac_a.pk})"]
    assert "path" not in entry.changes
    assert entry.actor_name.endswith("(head_a)")


def test_unit_create_outside_scope_is_refused(world, mark):
    since, count = mark(), Unit.objects.count()
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=world.head_a, unit=new_unit(world.fac_b, "FB-D1"))
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=world.staff_a, unit=new_unit(world.dep_a, "FA-D1-X"))
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=world.admin, unit=new_unit(world.other_root, "X"))
    assert Unit.objects.count() == count
    assert new_entries(since) == []


def test_unit_create_needs_an_open_parent_and_a_free_code(world, mark):
    services.unit_close(actor=world.admin, unit=world.dep_a)
    since, count = mark(), Unit.objects.count()
    with pytest.raises(ValidationError) as err:
        services.unit_create(actor=world.admin, unit=new_unit(world.dep_a, "LAB"))
    assert "parent" in err.value.error_dict
    with pytest.raises(ValidationError):
        services.unit_create(actor=world.admin, unit=new_unit(world.fac_b, "FA"))  # code taken
    with pytest.raises(ValidationError):
        services.unit_create(actor=world.admin, unit=Unit(code="TOP", unit_type=UnitType.OTHER, name_ky="Жогору"))
    assert Unit.objects.count() == count
    assert new_entries(since) == []


def test_same_code_is_fine_in_another_institution(world):
    unit = services.unit_create(actor=_superuser(), unit=new_unit(world.other_root, "FA"))
    assert unit.institution == world.other_inst


def _superuser():
    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root", "root@example.org", "pass-Word-42"
    )


def test_unit_rename_logs_only_what_changed(world, mark):
    since = mark()
    unit = Unit.objects.get(pk=world.fac_a.pk)
    old = unit.name_ky
    unit.name_ky, unit.name_ru = "Маалымат технологиялар факультети", "Факультет ИТ"
    services.unit_update(actor=world.head_a, unit=unit)
    assert_one_entry(
        since,
        unit,
        AuditAction.UPDATE,
        world.head_a,
        world.fac_a,
        {"name_ky": [old, "Маалымат технологиялар факультети"], "name_ru": ["", "Факультет ИТ"]},
    )


def test_saving_without_change_writes_no_entry(world, mark):
    since = mark()
    services.unit_update(actor=world.admin, unit=Unit.objects.get(pk=world.fac_a.pk))
    assert new_entries(since) == []


def test_move_updates_the_paths_of_the_whole_subtree(world, mark):
    lab = factories.unit(world.dep_a, "FA-D1-L", unit_type=UnitType.CENTRE)
    deep = factories.unit(lab, "FA-D1-L1", unit_type=UnitType.OTHER)
    since = mark()
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.parent = world.fac_b
    services.unit_update(actor=world.admin, unit=dep)
    paths = db_paths()
    fb = world.fac_b.path
    assert paths[dep.pk] == f"{fb}{dep.pk}/"
    assert paths[lab.pk] == f"{fb}{dep.pk}/{lab.pk}/"
    assert paths[deep.pk] == f"{fb}{dep.pk}/{lab.pk}/{deep.pk}/"
    assert paths[world.fac_a.pk] == world.fac_a.path  # untouched
    assert set(Unit.objects.subtree(world.fac_b).values_list("pk", flat=True)) == {
        world.fac_b.pk,
        dep.pk,
        lab.pk,
        deep.pk,
    }
    assert set(Unit.objects.subtree(world.fac_a).values_list("pk", flat=True)) == {world.fac_a.pk}
    # One entry: the moved unit; the descendants' paths are bookkeeping.
    assert_one_entry(
        since,
        dep,
        AuditAction.UPDATE,
        world.admin,
        dep,
        {"parent": [f"{world.fac_a} (#{world.fac_a.pk})", f"{world.fac_b} (#{world.fac_b.pk})"]},
    )
    # The access rules follow the move at once.
    assert access.can(fresh(world.head_b), Perm.MANAGE_UNITS, Unit.objects.get(pk=deep.pk))
    assert not access.can(fresh(world.head_a), Perm.MANAGE_UNITS, Unit.objects.get(pk=deep.pk))


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_cannot_move_a_unit_under_itself_or_its_descendant(world, mark, target):
    lab = factories.unit(world.dep_a, "FA-D1-L", unit_type=UnitType.CENTRE)
    new_parent = {"self": world.fac_a, "child": world.dep_a, "grandchild": lab}[target]
    since, before = mark(), db_paths()
    unit = Unit.objects.get(pk=world.fac_a.pk)
    unit.parent = new_parent
    with pytest.raises(ValidationError) as err:
        services.unit_update(actor=world.admin, unit=unit)
    assert "parent" in err.value.error_dict
    assert db_paths() == before
    assert Unit.objects.get(pk=world.fac_a.pk).parent_id == world.root.pk
    assert new_entries(since) == []


def test_top_unit_cannot_be_moved_or_closed(world, mark):
    since = mark()
    root = Unit.objects.get(pk=world.root.pk)
    root.parent = world.fac_a
    with pytest.raises(ValidationError):
        services.unit_update(actor=world.admin, unit=root)
    with pytest.raises(ValidationError):
        services.unit_close(actor=world.admin, unit=Unit.objects.get(pk=world.root.pk))
    root = Unit.objects.get(pk=world.root.pk)
    assert root.parent_id is None and root.closed_on is None
    assert new_entries(since) == []


def test_a_unit_cannot_become_a_top_unit(world, mark):
    since = mark()
    unit = Unit.objects.get(pk=world.fac_a.pk)
    unit.parent = None
    with pytest.raises(ValidationError):
        services.unit_update(actor=world.admin, unit=unit)
    assert Unit.objects.get(pk=world.fac_a.pk).parent_id == world.root.pk
    assert new_entries(since) == []


def test_cannot_move_to_another_institution(world, mark):
    since = mark()
    unit = Unit.objects.get(pk=world.fac_a.pk)
    unit.parent = world.other_root
    with pytest.raises((ValidationError, PermissionDenied)):
        services.unit_update(actor=_superuser(), unit=unit)
    assert Unit.objects.get(pk=world.fac_a.pk).parent_id == world.root.pk
    assert new_entries(since) == []


def test_move_needs_the_right_at_both_ends(world, mark):
    since, before = mark(), db_paths()
    # Head of A: right where the unit is, not where it would go.
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.parent = world.fac_b
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=world.head_a, unit=dep)
    # Head of B: right where it would go, not where it is.
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.parent = world.fac_b
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=world.head_b, unit=dep)
    assert db_paths() == before
    assert new_entries(since) == []
    # Quality department holds the right over the whole institution.
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.parent = world.fac_b
    services.unit_update(actor=world.quality, unit=dep)
    assert Unit.objects.get(pk=dep.pk).path.startswith(world.fac_b.path)


def test_cannot_move_under_a_closed_unit(world, mark):
    closed = factories.unit(world.root, "OLD", closed_on=YESTERDAY)
    since = mark()
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.parent = closed
    with pytest.raises(ValidationError):
        services.unit_update(actor=world.admin, unit=dep)
    assert new_entries(since) == []


def test_close_and_reopen(world, mark):
    # Closing a unit with open sub-units is refused.
    since = mark()
    with pytest.raises(ValidationError):
        services.unit_close(actor=world.admin, unit=Unit.objects.get(pk=world.fac_a.pk))
    assert Unit.objects.get(pk=world.fac_a.pk).closed_on is None
    assert new_entries(since) == []

    since = mark()
    dep = services.unit_close(actor=world.head_a, unit=Unit.objects.get(pk=world.dep_a.pk))
    assert Unit.objects.get(pk=dep.pk).closed_on == TODAY
    assert not Unit.objects.get(pk=dep.pk).is_active
    assert_one_entry(since, dep, AuditAction.UPDATE, world.head_a, dep, {"closed_on": [None, TODAY.isoformat()]})

    services.unit_close(actor=world.head_a, unit=Unit.objects.get(pk=world.fac_a.pk))
    # A sub-unit cannot be reopened under a closed parent.
    since = mark()
    with pytest.raises(ValidationError):
        services.unit_reopen(actor=world.admin, unit=Unit.objects.get(pk=world.dep_a.pk))
    assert Unit.objects.get(pk=world.dep_a.pk).closed_on == TODAY
    assert new_entries(since) == []

    since = mark()
    fac = services.unit_reopen(actor=world.head_a, unit=Unit.objects.get(pk=world.fac_a.pk))
    assert_one_entry(since, fac, AuditAction.UPDATE, world.head_a, fac, {"closed_on": [TODAY.isoformat(), None]})
    services.unit_reopen(actor=world.head_a, unit=Unit.objects.get(pk=world.dep_a.pk))
    assert Unit.objects.get(pk=world.dep_a.pk).is_active


def test_close_waits_for_sub_units_closing_later(world):
    """A sub-unit closing next month is still open today: the parent cannot close first."""
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.closed_on = TODAY + datetime.timedelta(days=30)
    services.unit_update(actor=world.admin, unit=dep)
    with pytest.raises(ValidationError):
        services.unit_close(actor=world.admin, unit=Unit.objects.get(pk=world.fac_a.pk))


def test_close_outside_scope_is_refused(world, mark):
    since = mark()
    with pytest.raises(PermissionDenied):
        services.unit_close(actor=world.head_b, unit=Unit.objects.get(pk=world.dep_a.pk))
    with pytest.raises(PermissionDenied):
        services.unit_close(actor=world.quality_a, unit=Unit.objects.get(pk=world.dep_a.pk))
    assert Unit.objects.get(pk=world.dep_a.pk).closed_on is None
    assert new_entries(since) == []


def test_close_before_opening_is_refused(world, mark):
    dep = Unit.objects.get(pk=world.dep_a.pk)
    dep.opened_on = TODAY
    services.unit_update(actor=world.admin, unit=dep)
    since = mark()
    with pytest.raises(ValidationError):
        services.unit_close(actor=world.admin, unit=Unit.objects.get(pk=dep.pk), closed_on=YESTERDAY)
    assert Unit.objects.get(pk=dep.pk).closed_on is None
    assert new_entries(since) == []


# --- people and positions -------------------------------------------------------------------


def test_person_create_and_update(world, mark):
    since = mark()
    person = services.person_save(actor=world.head_a, person=new_person(world.dep_a))
    assert person.institution == world.inst
    entry = assert_one_entry(since, person, AuditAction.CREATE, world.head_a, world.dep_a)
    assert entry.changes["last_name"] == [None, "Осмонова"]
    assert entry.changes["unit"] == [None, f"{world.dep_a} (#{world.dep_a.pk})"]

    since = mark()
    person = Person.objects.get(pk=person.pk)
    person.phone = "+996 555 000 111"
    services.person_save(actor=world.head_a, person=person)
    assert_one_entry(since, person, AuditAction.UPDATE, world.head_a, world.dep_a, {"phone": ["", "+996 555 000 111"]})


def test_person_save_outside_scope_is_refused(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    since, count = mark(), Person.objects.count()
    with pytest.raises(PermissionDenied):
        services.person_save(actor=world.head_b, person=new_person(world.fac_a, last_name="Чужой"))
    with pytest.raises(PermissionDenied):
        services.person_save(actor=world.staff_a, person=new_person(world.dep_a, last_name="Чужой"))
    # Moving a person from A to B needs the right at both ends.
    moved = Person.objects.get(pk=person.pk)
    moved.unit = world.fac_b
    with pytest.raises(PermissionDenied):
        services.person_save(actor=world.head_a, person=moved)
    moved = Person.objects.get(pk=person.pk)
    moved.unit = world.fac_b
    with pytest.raises(PermissionDenied):
        services.person_save(actor=world.head_b, person=moved)
    assert Person.objects.count() == count
    assert Person.objects.get(pk=person.pk).unit_id == world.dep_a.pk
    assert new_entries(since) == []


def test_person_save_takes_the_institution_of_the_unit(world):
    person = new_person(world.dep_a)
    person.institution = world.other_inst
    person = services.person_save(actor=world.admin, person=person)
    assert Person.objects.get(pk=person.pk).institution == world.inst


def test_position_save(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    since = mark()
    position = services.position_save(
        actor=world.head_a,
        position=Position(person=person, unit=world.dep_a, post=Post.TEACHER, start_date=datetime.date(2020, 9, 1)),
    )
    entry = assert_one_entry(since, position, AuditAction.CREATE, world.head_a, world.dep_a)
    assert entry.changes["post"] == [None, Post.TEACHER]
    assert entry.changes["start_date"] == [None, "2020-09-01"]
    assert entry.changes["person"] == [None, f"{person} (#{person.pk})"]

    since = mark()
    services.position_end(actor=world.head_a, position=Position.objects.get(pk=position.pk))
    assert Position.objects.get(pk=position.pk).end_date == TODAY
    assert_one_entry(
        since, position, AuditAction.UPDATE, world.head_a, world.dep_a, {"end_date": [None, TODAY.isoformat()]}
    )
    assert not Position.objects.current(on=TODAY + datetime.timedelta(days=1)).filter(pk=position.pk).exists()


def test_position_ending_before_it_starts_is_refused(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    since = mark()
    with pytest.raises(ValidationError) as err:
        services.position_save(
            actor=world.admin,
            position=Position(
                person=person,
                unit=world.dep_a,
                post=Post.TEACHER,
                start_date=datetime.date(2024, 9, 1),
                end_date=datetime.date(2024, 8, 31),
            ),
        )
    assert "end_date" in err.value.error_dict
    assert not Position.objects.exists()
    assert new_entries(since) == []


def test_position_outside_scope_is_refused(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    since = mark()
    with pytest.raises(PermissionDenied):
        services.position_save(
            actor=world.head_b, position=Position(person=person, unit=world.dep_a, post=Post.TEACHER)
        )
    position = services.position_save(
        actor=world.admin, position=Position(person=person, unit=world.dep_a, post=Post.TEACHER)
    )
    since = mark()
    with pytest.raises(PermissionDenied):
        services.position_end(actor=world.head_b, position=Position.objects.get(pk=position.pk))
    assert Position.objects.get(pk=position.pk).end_date is None
    assert new_entries(since) == []


# --- accounts and roles --------------------------------------------------------------------


def test_account_create(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a, email="aigul@example.org"))
    since = mark()
    user, password = services.account_create(
        actor=world.admin, person=person, username="aigul", password="Kyrgyz-42-pass"
    )
    assert password == "Kyrgyz-42-pass"
    user.refresh_from_db()
    assert user.check_password("Kyrgyz-42-pass")
    assert user.email == "aigul@example.org"
    assert (user.first_name, user.last_name) == ("Айгүл", "Осмонова")
    assert Person.objects.get(pk=person.pk).user == user
    created = new_entries(since)
    assert [(e.content_type.model, e.action) for e in created] == [("user", "create"), ("person", "update")]
    for entry in created:
        assert entry.actor == world.admin
        # Both records fall in the person's unit: the unit's administrators can read them.
        assert entry.unit_id == world.dep_a.pk
    user_entry, person_entry = created
    assert user_entry.changes["username"] == [None, "aigul"]
    assert "password" not in user_entry.changes
    assert password not in str(user_entry.changes)
    assert person_entry.changes == {"user": [None, f"aigul (#{user.pk})"]}


def test_account_create_without_password_sets_a_random_one(world):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    user, password = services.account_create(actor=world.admin, person=person, username="random")
    assert len(password) >= 12
    assert User.objects.get(pk=user.pk).check_password(password)


def test_account_create_refusals(world, mark):
    person = services.person_save(actor=world.admin, person=new_person(world.dep_a))
    since, users = mark(), User.objects.count()
    with pytest.raises(ValidationError) as err:
        services.account_create(actor=world.admin, person=person, username="HEAD_A")  # taken, any case
    assert "username" in err.value.error_dict
    with pytest.raises(PermissionDenied):
        services.account_create(actor=world.head_a, person=person, username="fresh")
    with pytest.raises(PermissionDenied):
        services.account_create(actor=world.quality, person=person, username="fresh")
    assert User.objects.count() == users
    assert Person.objects.get(pk=person.pk).user_id is None
    assert new_entries(since) == []
    # A person has one account.
    services.account_create(actor=world.admin, person=person, username="fresh")
    since, users = mark(), User.objects.count()
    with pytest.raises(ValidationError):
        services.account_create(actor=world.admin, person=Person.objects.get(pk=person.pk), username="second")
    assert User.objects.count() == users
    assert new_entries(since) == []


def test_account_switch_off_and_on(world, mark):
    staff = User.objects.get(pk=world.staff_a.pk)
    since = mark()
    services.account_set_active(actor=world.admin, user=staff, active=False)
    assert not User.objects.get(pk=staff.pk).is_active
    assert_one_entry(since, staff, AuditAction.UPDATE, world.admin, world.dep_a, {"is_active": [True, False]})
    with pytest.raises(PermissionDenied):
        services.account_set_active(actor=world.head_a, user=User.objects.get(pk=staff.pk), active=True)
    with pytest.raises(ValidationError):
        services.account_set_active(actor=world.admin, user=User.objects.get(pk=world.admin.pk), active=False)
    assert User.objects.get(pk=world.admin.pk).is_active


def test_account_with_wider_roles_is_out_of_reach(world, mark):
    """A faculty's administrator may switch off accounts in the faculty, but not the account
    of someone working there whose roles reach further (the university's administrator)."""
    faculty_admin = factories.user_with_role(Role.ADMIN, world.fac_a, username="fac_admin")
    uni_admin = factories.user_with_role(Role.ADMIN, world.root, username="uni_admin")
    Person.objects.filter(user=uni_admin).update(unit=world.fac_a)
    ministry = factories.user_with_role(Role.ANALYST, None, username="ministry")
    services.person_save(actor=world.admin, person=new_person(world.dep_a, last_name="Министрлик"))
    Person.objects.filter(last_name="Министрлик").update(user=ministry)
    since = mark()
    for target in (uni_admin, ministry):
        with pytest.raises(PermissionDenied):
            services.account_set_active(actor=faculty_admin, user=User.objects.get(pk=target.pk), active=False)
        assert User.objects.get(pk=target.pk).is_active
    assert new_entries(since) == []
    services.account_set_active(actor=faculty_admin, user=User.objects.get(pk=world.staff_a.pk), active=False)
    assert not User.objects.get(pk=world.staff_a.pk).is_active
    services.account_set_active(actor=world.admin, user=User.objects.get(pk=uni_admin.pk), active=False)
    assert not User.objects.get(pk=uni_admin.pk).is_active


def test_role_grant(world, mark):
    since = mark()
    assignment = services.role_grant(
        actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.UNIT_QUALITY, unit=world.dep_a)
    )
    entry = assert_one_entry(since, assignment, AuditAction.CREATE, world.admin, world.dep_a)
    assert entry.changes["role"] == [None, Role.UNIT_QUALITY]
    assert entry.changes["user"] == [None, f"staff_a (#{world.staff_a.pk})"]
    assert access.can(fresh(world.staff_a), Perm.ENTER_CONTINGENT, world.dep_a)


def test_role_grant_refusals(world, mark):
    since, count = mark(), RoleAssignment.objects.count()
    # No right to manage access.
    for actor in (world.quality, world.head_a, world.rector, world.analyst):
        with pytest.raises(PermissionDenied):
            services.role_grant(
                actor=actor, assignment=RoleAssignment(user=world.staff_a, role=Role.STAFF, unit=world.dep_a)
            )
    # Only a superuser grants the analyst role (every institution), even to an administrator.
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.ANALYST))
    # Nobody outside the institution.
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.STAFF, unit=world.other_root)
        )
    # An expert's access is time-boxed.
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.EXPERT, unit=world.dep_a)
        )
    assert RoleAssignment.objects.count() == count
    assert new_entries(since) == []


def test_only_an_administrator_makes_an_administrator(world, monkeypatch, mark):
    """Were another role given the right to manage access, it still could not create admins."""
    monkeypatch.setitem(access.MATRIX, Role.UNIT_HEAD, ALL_PERMS)
    head = fresh(world.head_a)
    services.role_grant(actor=head, assignment=RoleAssignment(user=world.staff_a, role=Role.STAFF, unit=world.dep_a))
    since, count = mark(), RoleAssignment.objects.count()
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=head, assignment=RoleAssignment(user=world.staff_a, role=Role.ADMIN, unit=world.dep_a)
        )
    assert RoleAssignment.objects.count() == count
    assert new_entries(since) == []
    services.role_grant(
        actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.ADMIN, unit=world.dep_a)
    )


def test_superuser_grants_the_analyst_role(world, mark):
    su = _superuser()
    user = User.objects.create_user("ministry", password="pass-Word-42")
    since = mark()
    assignment = services.role_grant(actor=su, assignment=RoleAssignment(user=user, role=Role.ANALYST))
    assert_one_entry(since, assignment, AuditAction.CREATE, su, None)
    assert access.institution_ids(fresh(user)) is None


def test_role_end(world, mark):
    assignment = RoleAssignment.objects.get(user=world.staff_a)
    assignment.valid_from = TODAY - datetime.timedelta(days=100)
    assignment.save()
    since = mark()
    services.role_end(actor=world.admin, assignment=RoleAssignment.objects.get(pk=assignment.pk))
    ended = RoleAssignment.objects.get(pk=assignment.pk)
    assert ended.valid_until == YESTERDAY
    assert ended.valid_from == assignment.valid_from  # the history stays true
    assert_one_entry(
        since, ended, AuditAction.UPDATE, world.admin, world.dep_a, {"valid_until": [None, YESTERDAY.isoformat()]}
    )
    assert not access.can(fresh(world.staff_a), Perm.VIEW_ORG, world.dep_a)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()  # ended, not deleted


def test_role_granted_today_ends_at_once(world):
    assignment = services.role_grant(
        actor=world.admin, assignment=RoleAssignment(user=world.staff_a, role=Role.UNIT_QUALITY, unit=world.dep_a)
    )
    services.role_end(actor=world.admin, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.valid_until < TODAY
    assert assignment.valid_from <= assignment.valid_until
    assert Role.UNIT_QUALITY not in access.roles_held(fresh(world.staff_a))


def test_ending_an_ended_role_does_not_extend_it(world, mark):
    long_ago = TODAY - datetime.timedelta(days=400)
    assignment = RoleAssignment.objects.create(
        user=world.staff_a,
        role=Role.UNIT_QUALITY,
        unit=world.dep_a,
        valid_from=long_ago,
        valid_until=long_ago + datetime.timedelta(days=30),
    )
    since = mark()
    services.role_end(actor=world.admin, assignment=RoleAssignment.objects.get(pk=assignment.pk))
    assert RoleAssignment.objects.get(pk=assignment.pk).valid_until == long_ago + datetime.timedelta(days=30)
    assert new_entries(since) == []


def test_role_end_refusals(world, mark):
    assignment = RoleAssignment.objects.get(user=world.staff_a)
    since = mark()
    with pytest.raises(PermissionDenied):
        services.role_end(actor=world.head_a, assignment=RoleAssignment.objects.get(pk=assignment.pk))
    analyst_role = RoleAssignment.objects.get(user=world.analyst)
    with pytest.raises(PermissionDenied):
        services.role_end(actor=world.admin, assignment=analyst_role)
    assert RoleAssignment.objects.get(pk=assignment.pk).valid_until is None
    assert RoleAssignment.objects.get(pk=analyst_role.pk).valid_until is None
    assert new_entries(since) == []


def test_language_preference_is_not_audited(world, mark):
    since = mark()
    services.user_set_language(user=world.staff_a, language="ru")
    assert User.objects.get(pk=world.staff_a.pk).language == "ru"
    assert new_entries(since) == []


# --- academic frame, programmes, contingent ------------------------------------------------


@pytest.fixture
def year(world):
    return services.academic_year_save(
        actor=world.admin,
        year=AcademicYear(
            institution=world.inst,
            start_year=2024,
            start_date=datetime.date(2024, 9, 1),
            end_date=datetime.date(2025, 6, 30),
        ),
    )


def test_academic_year_and_semester(world, year, mark):
    entry = entries_for(year)[0]
    assert entry.unit_id == world.root.pk  # an institution-wide record
    since, count = mark(), AcademicYear.objects.count()
    for actor in (world.head_a, world.rector):
        with pytest.raises(PermissionDenied):
            services.academic_year_save(
                actor=actor,
                year=AcademicYear(
                    institution=world.inst,
                    start_year=2025,
                    start_date=datetime.date(2025, 9, 1),
                    end_date=datetime.date(2026, 6, 30),
                ),
            )
    with pytest.raises(ValidationError):
        services.academic_year_save(
            actor=world.quality,
            year=AcademicYear(
                institution=world.inst,
                start_year=2024,
                start_date=datetime.date(2024, 9, 1),
                end_date=datetime.date(2025, 6, 30),
            ),
        )
    with pytest.raises(PermissionDenied):
        services.academic_year_save(
            actor=world.admin,
            year=AcademicYear(
                institution=world.other_inst,
                start_year=2024,
                start_date=datetime.date(2024, 9, 1),
                end_date=datetime.date(2025, 6, 30),
            ),
        )
    assert AcademicYear.objects.count() == count
    assert new_entries(since) == []

    since = mark()
    semester = services.semester_save(
        actor=world.quality,
        semester=Semester(
            academic_year=year, kind="autumn", start_date=datetime.date(2024, 9, 1), end_date=datetime.date(2025, 1, 20)
        ),
    )
    assert_one_entry(since, semester, AuditAction.CREATE, world.quality, world.root)
    since = mark()
    with pytest.raises(ValidationError):  # outside its year
        services.semester_save(
            actor=world.quality,
            semester=Semester(
                academic_year=year,
                kind="spring",
                start_date=datetime.date(2025, 2, 1),
                end_date=datetime.date(2025, 7, 30),
            ),
        )
    assert Semester.objects.count() == 1
    assert new_entries(since) == []


def test_programme_and_group(world, mark):
    since = mark()
    programme = services.programme_save(
        actor=world.head_a,
        programme=Programme(
            unit=world.dep_a,
            code="590100",
            name_ky="Информатика",
            level="bachelor",
            study_form="full_time",
            language="ky",
        ),
    )
    assert programme.institution == world.inst
    assert_one_entry(since, programme, AuditAction.CREATE, world.head_a, world.dep_a)
    since = mark()
    group = services.group_save(
        actor=world.head_a, group=StudentGroup(programme=programme, name="ИНФ-1-24", admission_year=2024)
    )
    assert_one_entry(since, group, AuditAction.CREATE, world.head_a, world.dep_a)
    since = mark()
    with pytest.raises(PermissionDenied):
        services.programme_save(
            actor=world.head_b,
            programme=Programme(
                unit=world.dep_a, code="590200", name_ky="X", level="bachelor", study_form="full_time", language="ky"
            ),
        )
    with pytest.raises(PermissionDenied):
        services.group_save(
            actor=world.quality_a, group=StudentGroup(programme=programme, name="ИНФ-2-24", admission_year=2024)
        )
    # Moving a programme from A to B needs the right at both ends.
    moved = Programme.objects.get(pk=programme.pk)
    moved.unit = world.fac_b
    with pytest.raises(PermissionDenied):
        services.programme_save(actor=world.head_a, programme=moved)
    assert Programme.objects.get(pk=programme.pk).unit_id == world.dep_a.pk
    assert Programme.objects.count() == 1 and StudentGroup.objects.count() == 1
    assert new_entries(since) == []


def figures(programme, year, **values):
    data = {"admitted": 50, "enrolled": 200, "graduated": 40, "expelled": 5, "employed": 30}
    data.update(values)
    return ContingentFigure(programme=programme, academic_year=year, **data)


def test_contingent_second_save_updates_the_same_row(world, year, mark):
    programme = factories.programme(world.dep_a)
    since = mark()
    first = services.contingent_save(actor=world.quality_a, figure=figures(programme, year))
    assert_one_entry(since, first, AuditAction.CREATE, world.quality_a, world.dep_a)
    since = mark()
    second = services.contingent_save(actor=world.quality_a, figure=figures(programme, year, admitted=55, employed=32))
    assert second.pk == first.pk
    assert ContingentFigure.objects.count() == 1
    row = ContingentFigure.objects.get()
    assert (row.admitted, row.employed, row.enrolled) == (55, 32, 200)
    assert row.created_at == first.created_at
    assert_one_entry(
        since, row, AuditAction.UPDATE, world.quality_a, world.dep_a, {"admitted": [50, 55], "employed": [30, 32]}
    )


def test_contingent_refusals(world, year, mark):
    programme = factories.programme(world.dep_a)
    services.contingent_save(actor=world.quality_a, figure=figures(programme, year))
    since = mark()
    with pytest.raises(ValidationError) as err:
        services.contingent_save(actor=world.quality_a, figure=figures(programme, year, graduated=10, employed=11))
    assert "employed" in err.value.error_dict
    with pytest.raises(PermissionDenied):
        services.contingent_save(actor=world.head_b, figure=figures(programme, year, admitted=1))
    with pytest.raises(PermissionDenied):
        services.contingent_save(actor=world.staff_a, figure=figures(programme, year, admitted=1))
    row = ContingentFigure.objects.get()
    assert (row.admitted, row.graduated, row.employed) == (50, 40, 30)
    assert new_entries(since) == []


def test_institution_create_only_by_superuser(world):
    from sapat.org.models import Institution

    count = Institution.objects.count()
    with pytest.raises(PermissionDenied):
        services.institution_create(
            actor=world.admin,
            institution=Institution(code="jasu", kind="university", name_ky="ЖАМУ", short_name_ky="ЖАМУ"),
            root=Unit(unit_type=UnitType.INSTITUTION, code="JASU", name_ky="ЖАМУ"),
        )
    assert Institution.objects.count() == count


def test_institution_create_is_logged_in_its_own_scope(world, mark):
    from sapat.org.models import Institution

    since = mark()
    su = _superuser()
    inst = services.institution_create(
        actor=su,
        institution=Institution(code="jasu", kind="university", name_ky="ЖАМУ", short_name_ky="ЖАМУ"),
        root=Unit(unit_type=UnitType.INSTITUTION, code="JASU", name_ky="Жалал-Абад мамлекеттик университети"),
    )
    root = Unit.objects.get(institution=inst, parent__isnull=True)
    assert root.path == f"/{root.pk}/"
    created = new_entries(since)
    assert sorted(e.content_type.model for e in created) == ["institution", "unit"]
    for entry in created:
        assert (entry.action, entry.actor, entry.unit_id) == (AuditAction.CREATE, su, root.pk)
    inst_entry = next(e for e in created if e.content_type.model == "institution")
    assert inst_entry.changes["code"] == [None, "jasu"]
