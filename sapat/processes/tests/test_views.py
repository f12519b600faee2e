"""The register's pages: every page renders in every language; the quality department
keeps the register, a process's owner keeps its map and nothing else, everyone else in the
institution reads it, another institution's processes are not found; forms save through the
services or show their errors and change nothing."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import URLPattern, reverse
from django.utils.html import escape

from sapat.core.models import AuditEntry
from sapat.documents.tests import factories as doc_factories
from sapat.org.tests import factories as org_factories
from sapat.processes import (
    services,
    urls,
    urls_analysis,
    urls_indicators,
    urls_policy,
    urls_reports,
    urls_risks,
    urls_roadmap,
)
from sapat.processes.models import Process, ProcessInput, ProcessOutput, ProcessOwnership

from . import factories

POST_ONLY = {"ownership_end", "input_delete", "output_delete"}


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


class Stage:
    pass


@pytest.fixture
def s(world):
    """Part of a register: 2.1 feeds 2.3; staff_a's person owns 2.3; one process in the
    other institution."""
    st = Stage()
    st.admission = factories.process(world.inst, "2.1", "ЖОЖго чейин даярдоо жана студенттерди кабыл алуу")
    st.bachelor = factories.process(
        world.inst, "2.3", "Бакалавриат, специалитет программалары боюнча билим берүү ишмердигин уюштуруу"
    )
    st.ownership = factories.owner(st.bachelor, world.staff_a.person, "Окуу иштери боюнча проректор")
    st.input = factories.input_from(st.bachelor, "Биринчи курстун студенттери", st.admission, "Кабыл алуу бөлүмү")
    st.output = factories.output_to(st.bachelor, "Бүтүрүүчүлөр", None, "Иш берүүчүлөр")
    st.other = factories.process(world.other_inst, "2.3", "Ошто")
    st.other_input = factories.input_from(st.other, "Ошто студенттер")
    return st


def page_urls(s):
    b = s.bachelor
    return {
        "process_list": reverse("process_list"),
        "process_add": reverse("process_add"),
        "process_model": reverse("process_model"),
        "process_model_svg": reverse("process_model_svg"),
        "process_detail": reverse("process_detail", args=[b.pk]),
        "process_edit": reverse("process_edit", args=[b.pk]),
        "process_history": reverse("process_history", args=[b.pk]),
        "process_passport_pdf": reverse("process_passport_pdf", args=[b.pk]),
        "ownership_add": reverse("ownership_add", args=[b.pk]),
        "input_add": reverse("input_add", args=[b.pk]),
        "input_edit": reverse("input_edit", args=[s.input.pk]),
        "output_add": reverse("output_add", args=[b.pk]),
        "output_edit": reverse("output_edit", args=[s.output.pk]),
    }


def test_every_url_of_the_app_is_covered(s):
    """Every page of the register (the other pages of the app have their own tests)."""
    own_tests = [urls_analysis, urls_indicators, urls_policy, urls_reports, urls_risks, urls_roadmap]
    others = {p.name for module in own_tests for p in module.urlpatterns}
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} - others
    assert names == set(page_urls(s)) | POST_ONLY


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_page_renders_in_every_language(client, world, s, language):
    login(client, world.quality, language)
    for name, url in page_urls(s).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Language"] == language, name
    detail = client.get(page_urls(s)["process_detail"]).content.decode()
    assert "Биринчи курстун студенттери" in detail and escape("Окуу иштери боюнча проректор") in detail


def test_pages_need_a_sign_in(client, s):
    response = client.get(reverse("process_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_register_lists_the_four_groups_with_owners_and_units(client, world, s):
    services.process_save(actor=world.quality, process=s.bachelor, units=[world.fac_a])
    page = login(client, world.staff_a).get(reverse("process_list")).content.decode()
    for label in ("1. Management processes", "2. Core processes", "3. Supporting processes", "4. Measurement"):
        assert label in page
    assert page.index(">2.1<") < page.index(">2.3<")
    assert world.staff_a.person.full_name in page and world.fac_a.name in page
    assert "Ошто" not in page  # the other institution's register
    assert reverse("process_add") not in page  # staff only read


def test_empty_register_and_model_explain_themselves(client, world):
    login(client, world.quality)
    assert "No processes in this group yet" in client.get(reverse("process_list")).content.decode()
    assert "The process register is empty" in client.get(reverse("process_model")).content.decode()


# --- who may do what ---------------------------------------------------------------------------


def _writes(s):
    """(method, url, data) of every write page, for the permission checks."""
    b = s.bachelor
    return [
        ("get", reverse("process_add"), None),
        ("get", reverse("ownership_add", args=[b.pk]), None),
        ("post", reverse("ownership_end", args=[s.ownership.pk]), {}),
    ]


def _map_writes(s):
    b = s.bachelor
    return [
        ("get", reverse("process_edit", args=[b.pk]), None),
        ("get", reverse("input_add", args=[b.pk]), None),
        ("get", reverse("input_edit", args=[s.input.pk]), None),
        ("post", reverse("input_delete", args=[s.input.pk]), {}),
        ("get", reverse("output_add", args=[b.pk]), None),
        ("get", reverse("output_edit", args=[s.output.pk]), None),
        ("post", reverse("output_delete", args=[s.output.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["rector", "head_a", "quality_a", "head_b"])
def test_readers_get_403_on_every_write(client, world, s, who):
    login(client, getattr(world, who))
    assert client.get(reverse("process_detail", args=[s.bachelor.pk])).status_code == 200
    for method, url, data in _writes(s) + _map_writes(s):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, (who, url)
    assert ProcessInput.objects.filter(pk=s.input.pk).exists()
    assert ProcessOwnership.objects.get(pk=s.ownership.pk).end_date is None


def test_the_owner_edits_their_own_map_only(client, world, s):
    login(client, world.staff_a)
    for method, url, data in _writes(s):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, url
    page = client.get(reverse("process_detail", args=[s.bachelor.pk])).content.decode()
    assert (
        reverse("process_edit", args=[s.bachelor.pk]) in page
        and reverse("ownership_add", args=[s.bachelor.pk]) not in page
    )
    # The map form has no code, group or names.
    form = client.get(reverse("process_edit", args=[s.bachelor.pk])).context["form"]
    assert set(form.fields) == {"purpose", "resources", "units", "documents"}
    response = client.post(
        reverse("process_edit", args=[s.bachelor.pk]),
        {"purpose": "Бакалаврларды даярдоо.", "resources": "Окутуучулар.", "units": [world.dep_a.pk], "code": "9.9"},
    )
    assert response.status_code == 302
    s.bachelor.refresh_from_db()
    assert s.bachelor.purpose == "Бакалаврларды даярдоо." and s.bachelor.code == "2.3"
    response = client.post(reverse("input_add", args=[s.bachelor.pk]), {"name": "Окуу пландары", "supplier": "ОМД"})
    assert response.status_code == 302
    assert s.bachelor.inputs.filter(name="Окуу пландары").exists()
    # Another process's map is not theirs.
    assert client.get(reverse("process_edit", args=[s.admission.pk])).status_code == 403
    assert client.post(reverse("input_add", args=[s.admission.pk]), {"name": "x"}).status_code == 403


def test_staff_who_own_nothing_only_read(client, world, s):
    reader = org_factories.user_with_role("staff", world.fac_b, username="reader")
    login(client, reader)
    for name in ("process_list", "process_model", "process_model_svg"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("process_passport_pdf", args=[s.bachelor.pk])).status_code == 200
    for method, url, data in _writes(s) + _map_writes(s):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 403, url


def test_another_institutions_processes_are_not_found(client, world, s):
    login(client, world.quality)
    for url in (
        reverse("process_detail", args=[s.other.pk]),
        reverse("process_edit", args=[s.other.pk]),
        reverse("process_passport_pdf", args=[s.other.pk]),
        reverse("process_history", args=[s.other.pk]),
        reverse("ownership_add", args=[s.other.pk]),
        reverse("input_add", args=[s.other.pk]),
        reverse("input_edit", args=[s.other_input.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("input_delete", args=[s.other_input.pk])).status_code == 404
    assert ProcessInput.objects.filter(pk=s.other_input.pk).exists()


def test_the_analyst_reads_every_register_and_writes_nothing(client, world, s):
    login(client, world.analyst)
    assert client.get(reverse("process_detail", args=[s.other.pk])).status_code == 200
    assert client.get(reverse("process_edit", args=[s.other.pk])).status_code == 403


# --- forms ---------------------------------------------------------------------------------------


def test_quality_adds_a_process_and_the_form_shows_errors(client, world, s):
    login(client, world.quality)
    data = {"group": 3, "code": "3.1", "name_ky": "Персоналды башкаруу", "units": [world.fac_a.pk], "is_active": "on"}
    response = client.post(reverse("process_add"), data)
    assert response.status_code == 302
    created = Process.objects.get(institution=world.inst, code="3.1")
    assert list(created.units.all()) == [world.fac_a]
    assert AuditEntry.objects.filter(object_id=str(created.pk), action="create", actor=world.quality).exists()

    for bad, field in (
        ({**data, "code": "3.1"}, "code"),
        ({**data, "code": "2.5"}, "code"),
        ({**data, "code": "x"}, "code"),
    ):
        response = client.post(reverse("process_add"), bad)
        assert response.status_code == 400
        errors = response.context["form"].errors[field]
        assert errors and escape(errors[0]) in response.content.decode()
    assert Process.objects.filter(institution=world.inst).count() == 3


def test_owners_are_added_and_ended_through_the_pages(client, world, s):
    login(client, world.quality)
    person = org_factories.person(world.fac_b, "Осмонов", first_name="Заирбек")
    response = client.post(
        reverse("ownership_add", args=[s.admission.pk]),
        {
            "person": person.pk,
            "position_title": "Кабыл алуу бөлүмүнүн башчысы",
            "unit": world.fac_b.pk,
            "start_date": "2020-09-01",
        },
    )
    assert response.status_code == 302
    owner = s.admission.ownerships.get()
    response = client.post(reverse("ownership_add", args=[s.admission.pk]), {"position_title": ""})
    assert response.status_code == 400 and response.context["form"].errors
    client.post(reverse("ownership_end", args=[owner.pk]))
    owner.refresh_from_db()
    assert owner.end_date is not None
    page = client.get(reverse("process_detail", args=[s.admission.pk])).content.decode()
    assert "Осмонов Заирбек" in page  # still in the history
    response = client.post(reverse("ownership_end", args=[owner.pk]), follow=True)
    assert "already ended" in response.content.decode()


def test_inputs_and_outputs_through_the_pages(client, world, s):
    login(client, world.quality)
    response = client.post(
        reverse("output_add", args=[s.admission.pk]),
        {"name": "Кабыл алынган студенттер", "customer": "Факультеттер", "customer_process": s.bachelor.pk},
    )
    assert response.status_code == 302
    assert ProcessOutput.objects.filter(process=s.admission, customer_process=s.bachelor).exists()
    response = client.post(
        reverse("input_edit", args=[s.input.pk]),
        {"name": "Студенттер", "supplier": "", "supplier_process": s.bachelor.pk},  # itself: not offered
    )
    assert response.status_code == 400 and "supplier_process" in response.context["form"].errors
    response = client.post(reverse("output_delete", args=[s.output.pk]))
    assert response.status_code == 302 and not ProcessOutput.objects.filter(pk=s.output.pk).exists()


def test_governing_documents_link_when_the_user_may_open_them(client, world, s):
    dtype = doc_factories.doc_type(world.inst)
    doc = doc_factories.document(world.quality, world.fac_a, dtype, title="Окуу процесси")
    login(client, world.quality)
    response = client.post(
        reverse("process_edit", args=[s.bachelor.pk]),
        {"group": 2, "code": "2.3", "name_ky": s.bachelor.name_ky, "documents": [doc.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    assert list(s.bachelor.documents.all()) == [doc]
    page = client.get(reverse("process_detail", args=[s.bachelor.pk])).content.decode()
    assert reverse("document_detail", args=[doc.pk]) in page
    # A draft is not the staff member's to open: named, not linked.
    page = login(client, world.staff_a).get(reverse("process_detail", args=[s.bachelor.pk])).content.decode()
    assert doc.code in page and reverse("document_detail", args=[doc.pk]) not in page


def test_history_card_for_those_who_read_the_log(client, world, s):
    login(client, world.quality)
    page = client.get(reverse("process_detail", args=[s.bachelor.pk])).content.decode()
    assert reverse("process_history", args=[s.bachelor.pk]) in page
    history = client.get(reverse("process_history", args=[s.bachelor.pk])).content.decode()
    assert "Биринчи курстун студенттери" in history
    page = login(client, world.staff_a).get(reverse("process_detail", args=[s.bachelor.pk])).content.decode()
    assert reverse("process_history", args=[s.bachelor.pk]) not in page


def test_model_page_embeds_the_svg_with_links_to_the_processes(client, world, s):
    page = login(client, world.staff_a).get(reverse("process_model")).content.decode()
    start = page.index("<svg")
    svg = ET.fromstring(page[start : page.index("</svg>", start) + 6])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    hrefs = {a.get("href") for a in svg.iterfind(".//svg:a", ns)}
    assert reverse("process_detail", args=[s.bachelor.pk]) in hrefs
    download = client.get(reverse("process_model_svg"))
    assert download["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in download["Content-Disposition"]
    assert b"href=" not in download.content  # the file stands alone


def test_a_process_page_shows_the_links_other_maps_draw_to_it(client, world, s):
    page = login(client, world.staff_a).get(reverse("process_detail", args=[s.admission.pk])).content.decode()
    assert "Supplies “Биринчи курстун студенттери” to" in page
    assert reverse("process_detail", args=[s.bachelor.pk]) in page
    # Said on both sides: shown once, in the process's own map.
    factories.output_to(s.admission, "Биринчи курстун студенттери", s.bachelor, actor=world.quality)
    page = client.get(reverse("process_detail", args=[s.admission.pk])).content.decode()
    assert "Supplies “Биринчи курстун студенттери”" not in page
