"""The set-up pages (document and record types) and the records pages: who may open them,
forms that save through the services or show their errors, filters, disposal only after
the retention period, fixed query counts."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.documents import services
from sapat.documents.choices import ApproverKind, Level
from sapat.documents.models import DocumentType, Record, RecordType
from sapat.documents.tests import factories as f
from sapat.org.choices import Role, UnitType
from sapat.org.tests import factories

# These tests read the interface's English messages.
pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate()


def entries_for(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    )


@pytest.fixture
def expert(world):
    return factories.user_with_role(
        Role.EXPERT, world.root, username="expert", valid_until=TODAY + datetime.timedelta(days=30)
    )


@pytest.fixture
def setup(world):
    w = world
    w.council = factories.unit(w.root, "ОК", unit_type=UnitType.COUNCIL, name_ky="Окумуштуулар кеңеши")
    w.dtype = f.doc_type(w.inst, approver=w.rector.person)
    w.other_quality = factories.user_with_role(Role.QUALITY_DEPARTMENT, w.other_root, username="other_quality")
    w.other_dtype = f.doc_type(w.other_inst)
    w.protocols = services.record_type_save(
        actor=w.quality,
        record_type=RecordType(
            institution=w.inst, name_ky="Кафедранын отурумдарынын протоколдору", retention_months=60, unit=w.dep_a
        ),
    )
    w.audits = services.record_type_save(
        actor=w.quality,
        record_type=RecordType(institution=w.inst, name_ky="Ички аудиттин отчеттору", retention_months=60, unit=w.root),
    )
    w.old = record(w, w.protocols, w.dep_a, "2018-жылдын протоколдору", datetime.date(2018, 9, 1))
    w.recent = record(w, w.protocols, w.dep_a, "Протокол №3", TODAY - datetime.timedelta(days=30))
    w.audit_b = record(w, w.audits, w.fac_b, "Ички аудиттин отчету FB", datetime.date(2019, 3, 1))
    w.other_type = services.record_type_save(
        actor=w.other_quality,
        record_type=RecordType(institution=w.other_inst, name_ky="Протоколдор", retention_months=12, unit=w.other_root),
    )
    w.other_record = record(
        w, w.other_type, w.other_root, "Башка университет", datetime.date(2015, 1, 1), actor=w.other_quality
    )
    return w


def record(w, record_type, unit, title, dated, actor=None):
    return services.record_save(
        actor=actor or w.quality, record=Record(record_type=record_type, unit=unit, title=title, dated=dated)
    )


def type_data(**extra):
    return {
        "code": "БЖ",
        "name_ky": "Бөлүм жөнүндө жобо",
        "name_ru": "Положение о подразделении",
        "name_en": "Unit regulation",
        "level": Level.L3,
        "code_pattern": "{unit}-{type}-{seq:02d}",
        "approver_kind": ApproverKind.PERSON,
        "approver": "",
        "approval_body": "",
        "review_months": 36,
        **extra,
    }


# --- who may open the pages ---------------------------------------------------------------------

CONFIG_URLS = ("document_type_list", "document_type_add", "record_type_list", "record_type_add")


@pytest.mark.parametrize("who", ["quality", "admin"])
def test_quality_department_and_admin_open_the_set_up_pages(client, setup, who):
    client.force_login(getattr(setup, who))
    for name in CONFIG_URLS:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("document_type_edit", args=[setup.dtype.pk])).status_code == 200
    assert client.get(reverse("record_type_edit", args=[setup.protocols.pk])).status_code == 200


@pytest.mark.parametrize("who", ["head_a", "quality_a", "staff_a", "rector", "analyst"])
def test_other_roles_get_403_on_the_set_up_pages(client, setup, who):
    client.force_login(getattr(setup, who))
    for name in CONFIG_URLS:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("document_type_edit", args=[setup.dtype.pk])).status_code == 403
    assert client.post(reverse("document_type_add"), type_data()).status_code == 403
    assert not DocumentType.objects.filter(code="БЖ").exists()


def test_experts_get_403_and_anonymous_users_sign_in(client, setup, expert):
    assert client.get(reverse("document_type_list")).status_code == 302
    assert client.get(reverse("record_list")).status_code == 302
    client.force_login(expert)
    assert client.get(reverse("document_type_list")).status_code == 403
    assert client.get(reverse("record_list")).status_code == 403


def test_another_institutions_types_are_404(client, setup):
    client.force_login(setup.quality)
    assert client.get(reverse("document_type_edit", args=[setup.other_dtype.pk])).status_code == 404
    assert client.get(reverse("record_type_edit", args=[setup.other_type.pk])).status_code == 404
    response = client.get(reverse("document_type_list"))
    assert setup.dtype.name_ky in response.content.decode()
    assert list(response.context["types"]) == [setup.dtype]


def test_empty_lists_say_so(client, world):
    client.force_login(world.quality)
    assert "No document types yet" in client.get(reverse("document_type_list")).content.decode()
    assert "No record types yet" in client.get(reverse("record_type_list")).content.decode()
    assert "No records yet" in client.get(reverse("record_list")).content.decode()


# --- document types -------------------------------------------------------------------------------


def test_a_document_type_is_added_and_logged(client, setup):
    client.force_login(setup.quality)
    response = client.post(reverse("document_type_add"), type_data(approver=setup.rector.person.pk))
    assert response.status_code == 302, response.context["form"].errors
    doc_type = DocumentType.objects.get(institution=setup.inst, code="БЖ")
    assert (doc_type.approver, doc_type.level, doc_type.review_months) == (setup.rector.person, Level.L3, 36)
    assert entries_for(doc_type).filter(action="create", actor=setup.quality).exists()
    assert "БЖ" in client.get(reverse("document_type_list")).content.decode()


def test_a_council_type_needs_its_body_and_gets_it(client, setup):
    client.force_login(setup.quality)
    data = type_data(code="СЖ", level=Level.L1, approver_kind=ApproverKind.COUNCIL)
    response = client.post(reverse("document_type_add"), data)
    assert response.status_code == 400
    assert "Choose the body that approves" in response.content.decode()
    response = client.post(reverse("document_type_add"), {**data, "approval_body": setup.council.pk})
    assert response.status_code == 302
    assert DocumentType.objects.get(code="СЖ").approval_body == setup.council


def test_only_councils_of_the_institution_approve_and_only_its_people(client, setup):
    client.force_login(setup.quality)
    form = client.get(reverse("document_type_add")).context["form"]
    assert list(form.fields["approval_body"].queryset) == [setup.council]
    assert setup.other_quality.person not in form.fields["approver"].queryset
    response = client.post(reverse("document_type_add"), type_data(approver=setup.other_quality.person.pk))
    assert response.status_code == 400
    assert "approver" in response.context["form"].errors


@pytest.mark.parametrize(
    "pattern, message",
    [
        ("{foo}-{seq}", "unknown placeholder"),
        ("СМС-{type}", "needs {seq}"),
        ("{type}-{{seq}}", "needs {seq}"),
        ("{type.upper}-{seq}", "unknown placeholder"),
        ("{type}-{seq:s}", "unknown placeholder"),
        ("{0}-{seq}", "unknown placeholder"),
    ],
)
def test_a_bad_code_pattern_is_refused_with_a_message(client, setup, pattern, message):
    client.force_login(setup.quality)
    response = client.post(reverse("document_type_add"), type_data(code_pattern=pattern))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["code_pattern"])
    assert not DocumentType.objects.filter(code="БЖ").exists()


def test_a_type_code_is_unique_in_the_institution(client, setup):
    client.force_login(setup.quality)
    response = client.post(reverse("document_type_add"), type_data(code="ДП"))
    assert response.status_code == 400
    assert "already has a document type with this code" in response.content.decode()
    # The other institution may use the same code.
    client.force_login(setup.other_quality)
    assert client.post(reverse("document_type_add"), type_data(code="БЖ")).status_code == 302


def test_editing_a_type_keeps_its_code_and_logs_the_change(client, setup):
    client.force_login(setup.quality)
    data = type_data(
        code="ДП",
        level=Level.L2,
        code_pattern="СМС-{type}-{seq:02d}",
        review_months=24,
        approver=setup.rector.person.pk,
    )
    response = client.post(reverse("document_type_edit", args=[setup.dtype.pk]), data)
    assert response.status_code == 302
    setup.dtype.refresh_from_db()
    assert setup.dtype.review_months == 24
    assert entries_for(setup.dtype).filter(action="update").exists()


# --- record types ---------------------------------------------------------------------------------


def test_a_record_type_is_added_and_edited(client, setup):
    client.force_login(setup.quality)
    data = {
        "name_ky": "Сынак ведомосттору",
        "name_ru": "Экзаменационные ведомости",
        "name_en": "",
        "retention_months": 60,
        "unit": setup.fac_a.pk,
        "description": "Деканатта сакталат.",
    }
    assert client.post(reverse("record_type_add"), data).status_code == 302
    record_type = RecordType.objects.get(name_ky="Сынак ведомосттору")
    assert record_type.institution == setup.inst
    response = client.post(reverse("record_type_edit", args=[record_type.pk]), {**data, "retention_months": 0})
    assert response.status_code == 400
    response = client.post(reverse("record_type_edit", args=[record_type.pk]), {**data, "retention_months": 120})
    assert response.status_code == 302
    record_type.refresh_from_db()
    assert record_type.retention_months == 120
    assert entries_for(record_type).filter(action="update").exists()


def test_a_record_type_is_kept_by_a_unit_of_the_institution(client, setup):
    client.force_login(setup.quality)
    data = {"name_ky": "Х", "retention_months": 12, "unit": setup.other_root.pk}
    response = client.post(reverse("record_type_add"), data)
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


# --- records --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["quality", "head_a", "staff_a", "analyst", "rector"])
def test_everyone_with_a_view_of_the_organisation_reads_the_register(client, setup, who):
    client.force_login(getattr(setup, who))
    response = client.get(reverse("record_list"))
    assert response.status_code == 200
    shown = {r.pk for r in response.context["page"]}
    assert {setup.old.pk, setup.recent.pk, setup.audit_b.pk} <= shown or who == "analyst"
    assert setup.other_record.pk not in shown


def test_only_record_keepers_see_the_buttons(client, setup):
    client.force_login(setup.staff_a)
    page = client.get(reverse("record_list")).content.decode()
    assert reverse("record_add") not in page and reverse("record_dispose", args=[setup.old.pk]) not in page
    client.force_login(setup.head_a)
    page = client.get(reverse("record_list")).content.decode()
    assert reverse("record_add") in page
    assert reverse("record_dispose", args=[setup.old.pk]) in page  # past retention, in faculty A
    assert reverse("record_dispose", args=[setup.recent.pk]) not in page  # kept
    assert reverse("record_dispose", args=[setup.audit_b.pk]) not in page  # faculty B's


def test_record_filters(client, setup):
    client.force_login(setup.quality)

    def shown(**params):
        return {r.pk for r in client.get(reverse("record_list"), params).context["page"]}

    assert shown(type=setup.audits.pk) == {setup.audit_b.pk}
    assert shown(unit=setup.fac_a.pk) == {setup.old.pk, setup.recent.pk}
    assert shown(unit=setup.other_root.pk) == set()
    assert shown(state="due") == {setup.old.pk, setup.audit_b.pk}
    assert shown(state="kept") == {setup.old.pk, setup.recent.pk, setup.audit_b.pk}
    assert shown(state="disposed") == set()
    services.record_dispose(actor=setup.quality, record=setup.old, note="Акт №1")
    assert shown(state="disposed") == {setup.old.pk}
    assert shown(state="due") == {setup.audit_b.pk}
    assert "No records match" in client.get(reverse("record_list"), {"type": 999}).content.decode()
    client.force_login(setup.head_a)
    assert shown(state="due") == set()  # faculty B's record is not theirs to dispose of


def test_a_record_is_added_with_its_keep_until_date(client, setup):
    client.force_login(setup.quality_a)
    data = {
        "record_type": setup.protocols.pk,
        "unit": setup.dep_a.pk,
        "title": "Протокол №7",
        "dated": "2024-05-10",
        "location": "Кафедра, 2-шкаф",
    }
    response = client.post(reverse("record_add"), data)
    assert response.status_code == 302
    created = Record.objects.get(title="Протокол №7")
    assert created.keep_until == datetime.date(2029, 5, 10)
    assert entries_for(created).filter(action="create", actor=setup.quality_a).exists()


def test_a_record_goes_only_to_a_unit_in_the_users_scope(client, setup):
    client.force_login(setup.quality_a)
    data = {"record_type": setup.protocols.pk, "unit": setup.fac_b.pk, "title": "Х", "dated": "2024-05-10"}
    response = client.post(reverse("record_add"), data)
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    response = client.post(reverse("record_add"), {**data, "unit": setup.fac_a.pk, "record_type": setup.other_type.pk})
    assert response.status_code == 400
    assert "record_type" in response.context["form"].errors


def test_staff_and_other_faculties_cannot_keep_records(client, setup):
    client.force_login(setup.staff_a)
    assert client.get(reverse("record_add")).status_code == 403
    assert client.get(reverse("record_edit", args=[setup.recent.pk])).status_code == 403
    assert client.post(reverse("record_dispose", args=[setup.old.pk]), {"disposal_note": "x"}).status_code == 403
    client.force_login(setup.head_b)
    assert client.get(reverse("record_edit", args=[setup.recent.pk])).status_code == 403
    client.force_login(setup.quality)
    assert client.get(reverse("record_edit", args=[setup.other_record.pk])).status_code == 404
    assert Record.objects.get(pk=setup.old.pk).disposed_on is None


def test_a_record_is_edited_but_not_moved_out_of_scope(client, setup):
    client.force_login(setup.head_a)
    data = {
        "record_type": setup.protocols.pk,
        "unit": setup.dep_a.pk,
        "title": "Протокол №3 (оңдолгон)",
        "dated": setup.recent.dated.isoformat(),
        "location": "",
    }
    assert client.post(reverse("record_edit", args=[setup.recent.pk]), data).status_code == 302
    assert Record.objects.get(pk=setup.recent.pk).title == "Протокол №3 (оңдолгон)"
    response = client.post(reverse("record_edit", args=[setup.recent.pk]), {**data, "unit": setup.fac_b.pk})
    assert response.status_code == 400
    assert Record.objects.get(pk=setup.recent.pk).unit == setup.dep_a


def test_disposing_before_the_end_of_retention_is_refused(client, setup):
    client.force_login(setup.quality)
    url = reverse("record_dispose", args=[setup.recent.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["too_early"]
    response = client.post(url, {"disposal_note": "Акт №2"})
    assert response.status_code == 400
    assert f"This record must be kept until {setup.recent.keep_until}" in response.content.decode()
    assert Record.objects.get(pk=setup.recent.pk).disposed_on is None


def test_a_record_is_kept_through_its_keep_until_day(setup):
    on_the_day = record(setup, setup.protocols, setup.dep_a, "Чек", TODAY.replace(year=TODAY.year - 5))
    assert on_the_day.keep_until == TODAY
    with pytest.raises(Exception, match="must be kept until"):
        services.record_dispose(actor=setup.quality, record=on_the_day, note="Акт")


def test_disposal_is_recorded_with_its_act(client, setup):
    client.force_login(setup.head_a)
    url = reverse("record_dispose", args=[setup.old.pk])
    response = client.post(url, {"disposal_note": ""})
    assert response.status_code == 400
    response = client.post(url, {"disposal_note": "Жок кылуу акты №4, 2026-10-01"})
    assert response.status_code == 302
    disposed = Record.objects.get(pk=setup.old.pk)
    assert (disposed.disposed_on, disposed.disposed_by) == (TODAY, setup.head_a.person)
    assert disposed.disposal_note == "Жок кылуу акты №4, 2026-10-01"
    assert entries_for(disposed).filter(action="update", actor=setup.head_a).exists()
    # Disposed of once: not again, and no longer edited.
    response = client.post(url, {"disposal_note": "again"})
    assert response.status_code == 400
    assert client.get(reverse("record_edit", args=[setup.old.pk])).status_code == 302
    page = client.get(reverse("record_list"), {"state": "disposed"}).content.decode()
    assert "Жок кылуу акты №4" in page


def _add_records(setup, n):
    for i in range(n):
        unit = factories.unit(setup.fac_a, f"R{setup.size + i}", unit_type=UnitType.DEPARTMENT)
        record(setup, setup.protocols, unit, f"Протокол {i}", datetime.date(2015 + i % 10, 1, 1))
    setup.size += n


def test_the_register_takes_the_same_number_of_queries_for_3_or_30_rows(client, setup):
    Record.objects.all().delete()
    setup.size = 0
    client.force_login(setup.head_a)
    counts = []
    for n in (3, 27):
        _add_records(setup, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("record_list"))
        assert response.status_code == 200
        assert len(response.context["page"]) == setup.size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
