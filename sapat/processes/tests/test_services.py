"""Writes to the register: owners are ended, never deleted; who may change what; every
change is in the audit log."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.org.tests import factories as org_factories
from sapat.processes import selectors, services
from sapat.processes.models import Process, ProcessInput, ProcessOwnership

from . import factories

TODAY = timezone.localdate()


def entries(instance, action=None):
    qs = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk))
    return qs.filter(action=action) if action else qs


@pytest.fixture
def process(world):
    return factories.process(world.inst, "2.3", actor=world.quality)


def test_ending_an_owner_keeps_them_in_the_history(world, process):
    first = org_factories.person(world.fac_a, "Миралы кызы", first_name="Анара")
    second = org_factories.person(world.fac_a, "Омуров", first_name="Нурлан")
    old = factories.owner(
        process, first, "Окуу иштери боюнча проректор", start_date=datetime.date(2021, 3, 1), actor=world.quality
    )
    services.ownership_end(actor=world.quality, ownership=old)
    new = factories.owner(process, second, "Окуу иштери боюнча проректор", start_date=TODAY, actor=world.quality)

    assert ProcessOwnership.objects.filter(process=process).count() == 2
    old.refresh_from_db()
    assert old.end_date == TODAY and not old.is_current
    assert list(process.ownerships.current()) == [new]
    history = selectors.ownership_history(process)
    assert history == [new, old]
    assert entries(old, "update").get().changes["end_date"] == [None, TODAY.isoformat()]
    with pytest.raises(ValidationError):
        services.ownership_end(actor=world.quality, ownership=old)  # already over


def test_several_current_owners_and_owners_without_a_person(world, process):
    a = org_factories.person(world.fac_a, "Кунназаров", first_name="Айбек")
    b = org_factories.person(world.fac_b, "Үсөнов", first_name="Иса")
    factories.owner(process, a, "Тарбия иштери боюнча бөлүмдүн башчысы", actor=world.quality)
    factories.owner(process, b, "Эл аралык байланыштар бөлүмүнүн башчысы", actor=world.quality)
    factories.owner(process, None, "Кафедралар", actor=world.quality)
    factories.owner(process, None, "", unit=world.fac_b, actor=world.quality)
    assert process.ownerships.current().count() == 4
    with pytest.raises(ValidationError):
        factories.owner(process, None, "", actor=world.quality)  # names no one
    with pytest.raises(ValidationError):
        factories.owner(process, a, "Дагы бир жолу", actor=world.quality)  # already an owner


def test_an_owner_given_only_as_a_person_takes_their_current_post(world, process):
    from sapat.org.models import Position

    person = org_factories.person(world.fac_a, "Абдуллаева", first_name="Салияхан")
    Position.objects.create(person=person, unit=world.fac_a, post="unit_head", title="Кадрлар бөлүмүнүн башчысы")
    owner = factories.owner(process, person, actor=world.quality)
    assert owner.position_title == "Кадрлар бөлүмүнүн башчысы"


def test_an_owner_must_work_in_the_institution(world, process):
    stranger = org_factories.person(world.other_root, "Ошский")
    with pytest.raises(ValidationError) as error:
        factories.owner(process, stranger, "Проректор", actor=world.quality)
    assert "person" in error.value.message_dict
    gone = org_factories.person(world.fac_a, "Кеткен", left_on=TODAY - datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        factories.owner(process, gone, "Проректор", actor=world.quality)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("admin", True),
        ("quality", True),
        ("rector", False),
        ("head_a", False),
        ("quality_a", False),
        ("staff_a", False),
        ("analyst", False),
    ],
)
def test_who_keeps_the_register(world, who, allowed):
    user = getattr(world, who)
    p = Process(institution=world.inst, group=1, code="1.1", name_ky="Стратегиялык пландаштыруу")
    if allowed:
        services.process_save(actor=user, process=p)
        assert entries(p, "create").get().actor == user
    else:
        with pytest.raises(PermissionDenied):
            services.process_save(actor=user, process=p)
        assert not Process.objects.exists()


def test_quality_of_one_institution_cannot_touch_anothers_register(world):
    other = factories.process(world.other_inst, "1.1")
    other.name_ky = "Өзгөртүлдү"
    with pytest.raises(PermissionDenied):
        services.process_save(actor=world.quality, process=other)
    with pytest.raises(PermissionDenied):
        factories.input_from(other, "Киргизүү", actor=world.quality)


def test_the_owner_keeps_the_map_but_not_the_register(world, process):
    owner_user = world.staff_a
    factories.owner(process, owner_user.person, "Окуу иштери боюнча проректор", actor=world.quality)
    other = factories.process(world.inst, "2.4", actor=world.quality)
    assert services.can_edit_map(owner_user, process) and not services.can_edit_map(owner_user, other)

    process.purpose = "Бакалаврларды сапаттуу даярдоо."
    process.code = "2.9"  # not the owner's to change: ignored by the map edit
    process.name_ky = "Башка ат"
    saved = services.process_map_save(actor=owner_user, process=process, units=[world.dep_a])
    saved.refresh_from_db()
    assert saved.purpose == "Бакалаврларды сапаттуу даярдоо." and saved.code == "2.3" and saved.name_ky != "Башка ат"
    assert list(saved.units.all()) == [world.dep_a]

    item = factories.input_from(process, "Студенттер", other, actor=owner_user)
    pk = item.pk
    services.input_delete(actor=owner_user, item=item)
    assert not ProcessInput.objects.exists()
    deleted = AuditEntry.objects.get(object_id=str(pk), action="delete", content_type__model="processinput")
    assert deleted.actor == owner_user

    with pytest.raises(PermissionDenied):
        services.process_save(actor=owner_user, process=process)
    with pytest.raises(PermissionDenied):
        factories.owner(process, None, "Кафедралар", actor=owner_user)
    with pytest.raises(PermissionDenied):
        factories.input_from(other, "Башкасынын картасы", actor=owner_user)

    # Once their term ends, the map is no longer theirs.
    services.ownership_end(actor=world.quality, ownership=process.ownerships.get(person=owner_user.person))
    with pytest.raises(PermissionDenied):
        services.process_map_save(actor=owner_user, process=process)


def test_links_must_stay_in_the_institution(world, process):
    other = factories.process(world.other_inst, "2.1")
    with pytest.raises(ValidationError):
        factories.input_from(process, "Чет жактан", other, actor=world.quality)
    with pytest.raises(ValidationError):
        factories.output_to(process, "Өзүнө", process, actor=world.quality)
    with pytest.raises(ValidationError):
        services.process_save(actor=world.quality, process=process, units=[world.other_root])


def test_link_changes_are_logged_with_the_lists_before_and_after(world, process):
    services.process_save(actor=world.quality, process=process, units=[world.fac_a, world.fac_b])
    services.process_save(actor=world.quality, process=process, units=[world.fac_b])
    changes = [e.changes["units"] for e in entries(process, "update").order_by("id") if "units" in e.changes]
    assert changes[0][0] == "" and "FA" in changes[0][1] and "FB" in changes[0][1]
    assert changes[1] == [changes[0][1], str(world.fac_b)]
    services.process_save(actor=world.quality, process=process, units=[world.fac_b])  # no change, no entry
    assert len([e for e in entries(process, "update") if "units" in e.changes]) == 2


def test_history_of_a_process_gathers_its_owners_inputs_and_outputs(world, process):
    other = factories.process(world.inst, "2.1", actor=world.quality)
    o = factories.owner(process, None, "Кафедралар", actor=world.quality)
    i = factories.input_from(process, "Студенттер", other, actor=world.quality)
    services.input_delete(actor=world.quality, item=i)
    factories.input_from(other, "Башка процесстин кирүүсү", actor=world.quality)
    history = selectors.process_history(world.quality, process)
    kinds = {(e.content_type.model, e.action) for e in history}
    assert kinds == {
        ("process", "create"),
        ("processownership", "create"),
        ("processinput", "create"),
        ("processinput", "delete"),
    }
    assert all(e.object_repr != "2.1 ← Башка процесстин кирүүсү" for e in history)
    assert selectors.process_history(world.staff_a, process) == []  # may not read the log
    assert o.pk
