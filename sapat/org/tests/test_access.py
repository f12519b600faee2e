"""The permission matrix, role by role, against the unit tree.

The rule under test: a role applies to the unit it is held in and everything below it;
`org.view` (and every INSTITUTION_WIDE permission) applies to the whole institution of that
unit; an analyst (held with no unit) reads every institution and never writes (only
READ_PERMS); an external expert sees nothing of the organisation; only roles in force today
count; a superuser may do everything."""

import datetime

import pytest
from django.utils import timezone

from sapat.core.models import User
from sapat.org import access, selectors
from sapat.org.access import ALL_PERMS, MATRIX, READ_ONLY_ROLES, READ_PERMS, Perm
from sapat.org.choices import Role
from sapat.org.models import RoleAssignment
from sapat.org.tests import factories

TARGETS = ("fac_a", "dep_a", "fac_b", "root", "other_root")
SAME_INSTITUTION = {"fac_a", "dep_a", "fac_b", "root"}
SUBTREE_OF_FAC_A = {"fac_a", "dep_a"}


def expected_targets(role: str, perm: str) -> set[str]:
    """Where a role held in faculty A (the analyst's with no unit) grants `perm`."""
    if perm not in MATRIX[role]:
        return set()
    if role in READ_ONLY_ROLES and perm not in READ_PERMS:
        return set()
    if role == Role.ANALYST:
        return set(TARGETS)
    if perm in access.INSTITUTION_WIDE:
        return SAME_INSTITUTION
    return SUBTREE_OF_FAC_A


def holder(world, role, **grant):
    unit = None if role == Role.ANALYST else world.fac_a
    if role == Role.EXPERT:
        grant.setdefault("valid_until", timezone.localdate() + datetime.timedelta(days=30))
    return factories.user_with_role(role, unit, username=f"holder_{role}", **grant)


def fresh(user):
    """The same account read again, without the grants cached on the object."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", Role.values)
def test_matrix_role_held_in_faculty_a(world, role):
    user = holder(world, role)
    for perm in sorted(ALL_PERMS):
        allowed = expected_targets(role, perm)
        for target in TARGETS:
            unit = getattr(world, target)
            assert access.can(user, perm, unit) is (target in allowed), (role, perm, target)
        # With no unit: "anywhere at all".
        assert access.can(user, perm) is bool(allowed), (role, perm)


@pytest.mark.parametrize("role", Role.values)
def test_scoped_querysets_follow_the_matrix(world, role):
    """The list filters (`unit_q`) agree with `can` for every permission."""
    from sapat.org.models import Unit

    user = holder(world, role)
    by_pk = {getattr(world, t).pk: t for t in TARGETS}
    for perm in sorted(ALL_PERMS):
        visible = set(Unit.objects.filter(access.unit_q(user, perm, prefix="")).values_list("pk", flat=True))
        assert {by_pk[pk] for pk in visible if pk in by_pk} == expected_targets(role, perm), (role, perm)


@pytest.mark.parametrize("role", Role.values)
def test_visible_institutions(world, role):
    user = holder(world, role)
    ids = access.institution_ids(user)
    if role == Role.ANALYST:
        assert ids is None
        assert set(selectors.institutions_for(user)) == {world.inst, world.other_inst}
    elif role == Role.EXPERT:
        assert ids == set()
        assert not selectors.institutions_for(user).exists()
    else:
        assert ids == {world.inst.pk}


def test_role_in_a_department_does_not_reach_up(world):
    head = factories.user_with_role(Role.UNIT_HEAD, world.dep_a, username="head_dep")
    assert access.can(head, Perm.MANAGE_UNITS, world.dep_a)
    assert not access.can(head, Perm.MANAGE_UNITS, world.fac_a)
    assert not access.can(head, Perm.MANAGE_UNITS, world.root)
    # ... but sees the structure of the whole institution.
    assert access.can(head, Perm.VIEW_ORG, world.fac_b)
    assert not access.can(head, Perm.VIEW_ORG, world.other_root)


def test_sibling_prefix_is_not_a_subtree(world):
    """Paths like /1/4/ and /1/40/ share a string prefix but not a subtree."""
    short = factories.unit(world.root, "S")
    longer = factories.unit(world.root, "S0", pk=int(f"{short.pk}0"))
    assert longer.path.startswith(short.path.rstrip("/"))
    head = factories.user_with_role(Role.UNIT_HEAD, short, username="head_short")
    assert access.can(head, Perm.MANAGE_UNITS, short)
    assert not access.can(head, Perm.MANAGE_UNITS, longer)
    assert list(selectors.units_for(head, Perm.MANAGE_UNITS)) == [short]


def test_expert_sees_nothing_of_the_organisation(world):
    expert = holder(world, Role.EXPERT)
    assert not selectors.units_for(expert).exists()
    factories.person(world.fac_a)
    factories.programme(world.fac_a)
    assert not selectors.people_for(expert).exists()
    assert not selectors.programmes_for(expert).exists()


def test_analyst_reads_everything_never_writes(world):
    analyst = world.analyst
    factories.person(world.fac_a)
    factories.person(world.other_root)
    assert selectors.people_for(analyst).count() == selectors.people_for(world.admin).count() + 1
    for perm in ALL_PERMS - READ_PERMS:
        assert not access.can(analyst, perm, world.root)


def test_read_only_roles_never_write_even_if_the_matrix_says_so(world, monkeypatch):
    monkeypatch.setitem(access.MATRIX, Role.ANALYST, ALL_PERMS)
    monkeypatch.setitem(access.MATRIX, Role.EXPERT, ALL_PERMS)
    analyst = fresh(world.analyst)
    expert = holder(world, Role.EXPERT)
    for perm in ALL_PERMS - READ_PERMS:
        assert not access.can(analyst, perm, world.fac_a)
        assert not access.can(expert, perm, world.fac_a)


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param({"valid_from": -30, "valid_until": -1}, id="expired"),
        pytest.param({"valid_from": 1}, id="starts-tomorrow"),
        pytest.param({"valid_from": 1, "valid_until": 30}, id="future-window"),
    ],
)
def test_roles_not_in_force_grant_nothing(world, dates):
    today = timezone.localdate()
    grant = {key: today + datetime.timedelta(days=days) for key, days in dates.items()}
    user = factories.user_with_role(Role.ADMIN, world.root, username="timed", **grant)
    for perm in ALL_PERMS:
        assert not access.can(user, perm)
        assert not access.can(user, perm, world.fac_a)
    assert not selectors.units_for(user).exists()
    assert access.roles_held(user) == set()


def test_role_is_in_force_on_its_first_and_last_day(world):
    today = timezone.localdate()
    starts = factories.user_with_role(Role.UNIT_HEAD, world.fac_a, username="starts", valid_from=today)
    ends = factories.user_with_role(Role.UNIT_HEAD, world.fac_a, username="ends", valid_until=today)
    for user in (starts, ends):
        assert access.can(user, Perm.MANAGE_UNITS, world.dep_a)


def test_only_roles_in_force_count_among_several(world):
    today = timezone.localdate()
    user = factories.user_with_role(Role.STAFF, world.fac_a, username="mixed")
    RoleAssignment.objects.create(
        user=user,
        role=Role.ADMIN,
        unit=world.root,
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today - datetime.timedelta(days=1),
    )
    user = fresh(user)
    assert access.roles_held(user) == {Role.STAFF}
    assert access.can(user, Perm.VIEW_ORG, world.fac_b)
    assert not access.can(user, Perm.MANAGE_ACCESS, world.fac_a)


def test_superuser_can_do_everything(world):
    su = User.objects.create_superuser("root", "root@example.org", "pass-Word-42")
    for perm in ALL_PERMS:
        for target in TARGETS:
            assert access.can(su, perm, getattr(world, target))
    assert access.institution_ids(su) is None
    assert set(selectors.units_for(su)) == set(selectors.units_for(world.analyst))


def test_switched_off_superuser_can_do_nothing(world):
    su = User.objects.create_superuser("root", "root@example.org", "pass-Word-42", is_active=False)
    assert not access.can(su, Perm.VIEW_ORG, world.root)


def test_anonymous_can_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    for perm in ALL_PERMS:
        assert not access.can(anon, perm, world.root)
    assert not selectors.units_for(anon).exists()


def test_require_raises_permission_denied(world):
    from django.core.exceptions import PermissionDenied

    access.require(world.head_a, Perm.MANAGE_UNITS, world.dep_a)
    with pytest.raises(PermissionDenied):
        access.require(world.head_a, Perm.MANAGE_UNITS, world.fac_b)


def test_grants_are_read_once_per_user_object(world, django_assert_num_queries):
    user = fresh(world.head_a)
    with django_assert_num_queries(1):
        for target in TARGETS:
            access.can(user, Perm.MANAGE_UNITS, getattr(world, target))
            access.can(user, Perm.VIEW_ORG, getattr(world, target))
