"""The audit log: append-only in the model and in the database, and read only within the
reader's scope."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from sapat.core.audit import record, snapshot
from sapat.core.models import AuditAction, AuditEntry
from sapat.org import services
from sapat.org.choices import StaffCategory
from sapat.org.models import Person, Unit


def make_person(actor, unit, last_name):
    return services.person_save(
        actor=actor,
        person=Person(
            institution=unit.institution,
            unit=unit,
            last_name=last_name,
            first_name="Нурлан",
            staff_category=StaffCategory.TEACHING,
        ),
    )


@pytest.fixture
def logged(world):
    """Changes in faculty A and in faculty B, by two different people."""
    a = make_person(world.admin, world.fac_a, "Токтогулова")
    a2 = make_person(world.quality, world.dep_a, "Сыдыкова")
    b = make_person(world.admin, world.fac_b, "Жумабаев")
    return a, a2, b


@pytest.fixture
def entry(logged):
    return AuditEntry.objects.order_by("id").first()


# --- append-only ---------------------------------------------------------------------------


def test_entry_cannot_be_saved_again(entry):
    entry.note = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused_by_the_database(entry):
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET note = 'tampered' WHERE id = %s",
        "UPDATE core_auditentry SET actor_name = 'someone else' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_the_log(entry, sql):
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.count() == count
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.note, stored.actor_name) == (entry.note, entry.actor_name)


def test_raw_sql_cannot_empty_the_log(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_appending_still_works(world, entry):
    count = AuditEntry.objects.count()
    record(
        actor=world.admin,
        instance=world.fac_a,
        action=AuditAction.UPDATE,
        before={},
        after={},
        note="checked",
    )
    assert AuditEntry.objects.count() == count + 1


def test_unchanged_update_is_not_logged(world):
    count = AuditEntry.objects.count()
    same = snapshot(world.fac_a)
    assert record(actor=world.admin, instance=world.fac_a, action=AuditAction.UPDATE, before=same, after=same) is None
    assert AuditEntry.objects.count() == count


def test_system_changes_are_logged_as_system(world):
    inst_entry = AuditEntry.objects.filter(content_type__model="institution").order_by("id").first()
    assert inst_entry.actor is None
    assert inst_entry.actor_name == ""


# --- the log page --------------------------------------------------------------------------


def listed(response):
    return response.content.decode()


def test_log_is_scoped_to_the_readers_units(client, world, logged):
    client.force_login(world.head_a)
    page = listed(client.get(reverse("audit_log")))
    assert "Токтогулова" in page and "Сыдыкова" in page
    assert "Жумабаев" not in page

    client.force_login(world.head_b)
    page = listed(client.get(reverse("audit_log")))
    assert "Жумабаев" in page
    assert "Токтогулова" not in page and "Сыдыкова" not in page

    for reader in (world.rector, world.quality, world.admin):
        client.force_login(reader)
        page = listed(client.get(reverse("audit_log")))
        assert all(name in page for name in ("Токтогулова", "Сыдыкова", "Жумабаев")), reader


def test_unit_quality_reads_only_below_its_unit(client, world, logged):
    client.force_login(world.quality_a)
    page = listed(client.get(reverse("audit_log")))
    assert "Токтогулова" in page and "Жумабаев" not in page


@pytest.mark.parametrize("who", ["staff_a", "analyst"])
def test_log_is_forbidden_without_the_right(client, world, logged, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("audit_log")).status_code == 403


def test_other_institution_sees_nothing(client, world, logged):
    from sapat.org.choices import Role
    from sapat.org.tests import factories

    other_admin = factories.user_with_role(Role.ADMIN, world.other_root, username="osh_admin")
    client.force_login(other_admin)
    page = listed(client.get(reverse("audit_log")))
    assert not any(name in page for name in ("Токтогулова", "Сыдыкова", "Жумабаев"))


def test_filter_by_who(client, world, logged):
    client.force_login(world.admin)
    page = listed(client.get(reverse("audit_log"), {"who": "(quality)"}))
    assert "Сыдыкова" in page
    assert "Токтогулова" not in page and "Жумабаев" not in page


def test_filter_by_who_is_case_insensitive_in_cyrillic(client, world, logged):
    client.force_login(world.admin)
    quality_person = world.quality.person
    page = listed(client.get(reverse("audit_log"), {"who": quality_person.last_name.lower()}))
    assert "Сыдыкова" in page and "Токтогулова" not in page


def test_filter_by_record_type(client, world, logged):
    services.unit_create(
        actor=world.admin,
        unit=Unit(parent=world.fac_a, unit_type="department", code="FA-D9", name_ky="Тоолуу кафедра"),
    )
    client.force_login(world.admin)
    person_type = ContentType.objects.get(app_label="org", model="person")
    unit_type = ContentType.objects.get(app_label="org", model="unit")
    page = listed(client.get(reverse("audit_log"), {"record_type": person_type.pk}))
    assert "Токтогулова" in page and "Тоолуу кафедра" not in page
    page = listed(client.get(reverse("audit_log"), {"record_type": unit_type.pk}))
    assert "Тоолуу кафедра" in page and "Токтогулова" not in page


def test_filter_by_action(client, world, logged):
    a, _, _ = logged
    a.phone = "+996 312 000 000"
    services.person_save(actor=world.admin, person=a)
    client.force_login(world.admin)
    response = client.get(reverse("audit_log"), {"action": AuditAction.UPDATE})
    entries = list(response.context["page"])
    assert entries and all(e.action == AuditAction.UPDATE for e in entries)


def test_filter_by_date(client, world, logged):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    AuditEntry.objects.create(
        at=ten_days_ago,
        actor_name="system",
        action=AuditAction.UPDATE,
        content_type=ContentType.objects.get_for_model(Unit),
        object_id=str(world.fac_a.pk),
        object_repr="Эски жазуу",
        unit=world.fac_a,
    )
    client.force_login(world.admin)
    today = timezone.localdate()
    old_day = timezone.localtime(ten_days_ago).date()

    page = listed(client.get(reverse("audit_log"), {"date_from": (today - datetime.timedelta(days=5)).isoformat()}))
    assert "Токтогулова" in page and "Эски жазуу" not in page

    page = listed(client.get(reverse("audit_log"), {"date_to": (today - datetime.timedelta(days=5)).isoformat()}))
    assert "Эски жазуу" in page and "Токтогулова" not in page

    # A one-day window includes the whole of that day.
    page = listed(client.get(reverse("audit_log"), {"date_from": old_day.isoformat(), "date_to": old_day.isoformat()}))
    assert "Эски жазуу" in page and "Токтогулова" not in page


def test_reversed_dates_are_an_error(client, world, logged):
    client.force_login(world.admin)
    response = client.get(reverse("audit_log"), {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_log_shows_before_and_after(client, world, logged):
    a, _, _ = logged
    a.phone = "+996 312 000 000"
    services.person_save(actor=world.admin, person=a)
    client.force_login(world.head_a)
    page = listed(client.get(reverse("audit_log")))
    assert "+996 312 000 000" in page


# --- a record's history --------------------------------------------------------------------


@pytest.fixture
def renamed(world):
    unit = Unit.objects.get(pk=world.fac_a.pk)
    unit.name_ru = "Факультет математики"
    return services.unit_update(actor=world.admin, unit=unit)


def history(client, user, app_label, model, pk):
    client.force_login(user)
    response = client.get(reverse("record_history", args=[app_label, model, pk]))
    assert response.status_code == 200
    return response


def test_history_shown_to_those_with_the_right_there(client, world, renamed):
    for reader in (world.head_a, world.quality_a, world.rector, world.admin):
        response = history(client, reader, "org", "unit", world.fac_a.pk)
        assert "Факультет математики" in response.content.decode(), reader
        assert len(response.context["entries"]) >= 1


@pytest.mark.parametrize("who", ["head_b", "staff_a", "analyst"])
def test_history_hidden_from_others(client, world, renamed, who):
    response = history(client, getattr(world, who), "org", "unit", world.fac_a.pk)
    assert "Факультет математики" not in response.content.decode()
    assert len(response.context["entries"]) == 0


def test_history_only_of_that_record(client, world, renamed, logged):
    response = history(client, world.admin, "org", "unit", world.fac_a.pk)
    entries = list(response.context["entries"])
    assert entries
    assert {(e.content_type.model, e.object_id) for e in entries} == {("unit", str(world.fac_a.pk))}


def test_history_of_a_person(client, world, logged):
    a, _, b = logged
    response = history(client, world.head_a, "org", "person", a.pk)
    assert len(response.context["entries"]) == 1
    response = history(client, world.head_a, "org", "person", b.pk)
    assert len(response.context["entries"]) == 0


def test_history_of_an_unknown_record_type_is_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("record_history", args=["org", "nosuchthing", 1])).status_code == 404


def test_document_text_is_logged_by_digest_not_content(world):
    from sapat.documents import services as document_services
    from sapat.documents.tests import factories as document_factories

    dtype = document_factories.doc_type(world.inst, approver=world.rector.person)
    doc = document_factories.document(world.quality, world.fac_a, dtype)
    version = document_services.version_save(
        actor=world.quality, revision=doc.revisions.get(), language="ky", text="Жашыруун долбоор"
    )
    entry = AuditEntry.objects.filter(object_id=str(version.pk), content_type__model="languageversion").get()
    assert "Жашыруун" not in str(entry.changes)
    assert entry.changes["text"][1].startswith("16 · sha256 ")
