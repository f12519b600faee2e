"""The process model picture and the process passport, drawn from the data."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sapat.processes import diagram, selectors
from sapat.processes.models import Process

from . import factories

# These tests read the interface's English messages.
pytestmark = pytest.mark.usefixtures("english")

NS = {"svg": "http://www.w3.org/2000/svg"}


def svg_of(client, user):
    client.force_login(user)
    response = client.get(reverse("process_model_svg"))
    assert response.status_code == 200
    return ET.fromstring(response.content)


def arrows(root):
    return {(p.get("data-from"), p.get("data-to")) for p in root.iterfind(".//svg:path[@class='link']", NS)}


@pytest.fixture
def register(world):
    codes = ["1.1", "1.2", "2.1", "2.3", "2.4", "3.1", "4.1"]
    return {code: factories.process(world.inst, code, short_name_ky=f"Кыска {code}") for code in codes}


def test_an_input_from_another_process_is_an_arrow_of_the_model(client, world, register):
    factories.input_from(register["2.3"], "Кабыл алынган студенттер", register["2.1"])
    factories.output_to(register["2.3"], "Бүтүрүүчүлөр", register["2.4"])
    factories.input_from(register["2.3"], "Окутуучулар", register["3.1"])
    factories.input_from(register["2.3"], "Иш берүүчүлөрдүн талаптары", None, "Иш берүүчүлөр")  # no process
    root = svg_of(client, world.staff_a)
    assert arrows(root) == {("2.1", "2.3"), ("2.3", "2.4"), ("3.1", "2.3")}
    link = root.find(".//svg:path[@data-from='2.1']", NS)
    assert "Кабыл алынган студенттер" in link.find("svg:title", NS).text
    assert link.get("marker-end") == "url(#pm-arrow)"


def test_every_process_is_a_box_in_its_groups_band(client, world, register):
    root = svg_of(client, world.staff_a)
    boxes = {g.get("data-code"): g for g in root.iterfind(".//svg:g[@class='process']", NS)}
    assert set(boxes) == set(register)
    assert {code: box.get("data-group") for code, box in boxes.items()} == {c: c[0] for c in register}
    assert "Кыска 2.3" in "".join(boxes["2.3"].itertext())
    bands = {g.get("data-group") for g in root.iterfind(".//svg:g[@class='band']", NS)}
    assert bands == {"1", "2", "3", "4"}
    texts = " ".join(root.itertext())
    assert "Stakeholder requirements" in texts and "Stakeholder satisfaction" in texts


def test_bands_stack_management_core_supporting_and_measurement_stands_aside(world, register):
    processes = list(Process.objects.filter(institution=world.inst))
    root = ET.fromstring(diagram.render_svg(processes, [], standalone=True).split("\n", 1)[1])

    def rect(group):
        return root.find(f".//svg:g[@data-group='{group}']/svg:rect", NS)

    y = {g: float(rect(g).get("y")) for g in "1234"}
    x = {g: float(rect(g).get("x")) for g in "1234"}
    assert y["1"] < y["2"] < y["3"]
    assert x["4"] > x["1"] == x["2"] == x["3"]


def test_links_both_ways_and_links_to_inactive_processes(world, register):
    factories.input_from(register["2.3"], "Изилдөөлөр", register["2.4"])
    factories.output_to(register["2.3"], "Магистрлер", register["2.4"])
    factories.output_to(register["2.3"], "Дагы магистрлер", register["2.4"])  # same pair: one arrow
    register["1.2"].is_active = False
    register["1.2"].save()
    factories.output_to(register["2.3"], "Отчет", register["1.2"])
    active = list(Process.objects.filter(institution=world.inst, is_active=True))
    links = selectors.process_links(active)
    assert [(link.source.code, link.target.code) for link in links] == [("2.3", "2.4"), ("2.4", "2.3")]
    assert links[0].items == ["Магистрлер", "Дагы магистрлер"]
    svg = diagram.render_svg(active, links)
    paths = ET.fromstring(svg).findall(".//svg:path[@class='link']", NS)
    assert len({p.get("d") for p in paths}) == 2  # two separate curves


def test_an_empty_register_draws_empty_bands(world):
    svg = diagram.render_svg([], [], standalone=True)
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "No processes" in svg


def test_long_names_are_wrapped_and_cut(world):
    lines = diagram.wrap("Бакалавриат, специалитет программалары боюнча жогорку кесиптик билим берүү " * 3, 140, 11, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 140 / (11 * diagram.CHAR_W) for line in lines)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_passport_pdf_has_the_code_the_kyrgyz_name_and_the_map(client, world):
    supplier = factories.process(world.inst, "2.1", "ЖОЖго чейин даярдоо жана студенттерди кабыл алуу")
    process = factories.process(
        world.inst,
        "2.10",
        "Персоналдын квалификациясын жогорулатуу программаларын иштеп чыгуу",
        purpose="Окутуучулардын квалификациясын өркүндөтүү.",
        resources="Квалификацияны жогорулатуу борбору.",
    )
    factories.owner(process, world.staff_a.person, "Квалификацияны жогорулатуу борборунун директору")
    factories.input_from(process, "Окутуучулардын суроо-талаптары", supplier, "Кафедралар")
    factories.output_to(process, "Сертификаттар", None, "Угуучулар")
    client.force_login(world.staff_a)
    response = client.get(reverse("process_passport_pdf", args=[process.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "process-2-10-passport.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "2.10",
        "Персоналдын квалификациясын жогорулатуу программаларын иштеп чыгуу",
        "Квалификацияны жогорулатуу борборунун директору",
        world.staff_a.person.full_name,
        "Окутуучулардын суроо-талаптары",
        "Сертификаттар",
        "Угуучулар",
        "Окутуучулардын квалификациясын өркүндөтүү.",
    ):
        assert expected in text, expected
