"""Who sees a nonconformity and its actions: the people involved and the quality department;
top management and analysts read; experts see nothing."""

import datetime

import pytest
from django.utils import timezone

from sapat.core import attachments
from sapat.improvement import selectors as sel
from sapat.improvement import services as svc
from sapat.org.choices import Role
from sapat.org.tests import factories as org_factories

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


def visible(user):
    return set(sel.nonconformities_for(user).values_list("pk", flat=True))


def test_visibility_role_by_role(world):
    in_a = f.nc(world)  # registered by staff_a in faculty A
    in_b = f.nc(world, actor=world.head_b, unit=world.fac_b)
    other = f.nc(world, actor=None, unit=world.other_root)
    expert = org_factories.user_with_role(
        Role.EXPERT, world.root, valid_until=timezone.localdate() + datetime.timedelta(days=9)
    )
    colleague = org_factories.user_with_role(Role.STAFF, world.dep_a)
    auditor = org_factories.user_with_role(Role.AUDITOR, world.root)
    assert visible(world.quality) == {in_a.pk, in_b.pk}
    assert visible(world.admin) == set()  # the system administrator is not involved
    assert visible(world.rector) == {in_a.pk, in_b.pk}
    assert visible(world.analyst) == {in_a.pk, in_b.pk, other.pk}
    assert visible(world.head_a) == visible(world.quality_a) == {in_a.pk}
    assert visible(world.head_b) == {in_b.pk}
    assert visible(world.staff_a) == {in_a.pk}  # the registrar
    assert visible(colleague) == visible(auditor) == visible(expert) == set()


def test_action_owners_and_checkers_are_involved(world):
    item = f.nc(world, actor=world.head_b, unit=world.fac_b)
    owner = org_factories.user_with_role(Role.STAFF, world.dep_a)
    assert item.pk not in visible(owner)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    act = f.action(item, owner.person)
    assert item.pk in visible(owner)
    assert set(sel.actions_for(owner)) == {act}
    assert act in sel.actions_for(world.head_b) and act not in sel.actions_for(world.head_a)
    assert list(sel.my_actions(owner)) == [act]


def test_a_unit_named_head_sees_its_nonconformities(world):
    item = f.nc(world, actor=world.head_b, unit=world.fac_b)
    world.fac_b.quality_responsible = world.staff_a.person
    world.fac_b.save()
    assert item.pk in visible(world.staff_a)


def test_attachment_rules_follow_the_visibility(world):
    item = f.nc(world)
    assert attachments.can_view(world.head_a, item) and not attachments.can_view(world.head_b, item)
    assert attachments.can_attach(world.staff_a, item)  # the registrar adds evidence
    assert not attachments.can_attach(world.rector, item)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    act = f.action(item, world.staff_a.person)
    assert attachments.can_attach(world.staff_a, act) and not attachments.can_attach(world.head_b, act)
    assert attachments.can_view(world.rector, act) and not attachments.can_view(world.head_b, act)
