"""Importing indicator values: a valid file stores values and a later file corrects them with
history; any bad row stores nothing and is reported by row and column; the template; the
headers in Russian; the link on the dashboard."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sapat.org.imports import IMPORTERS
from sapat.org.models import AcademicYear
from sapat.processes import services_indicators as services
from sapat.processes.imports_indicators import IndicatorValueImporter, IndicatorValueRow
from sapat.processes.models_indicators import Indicator, IndicatorValue

pytestmark = pytest.mark.usefixtures("english")

HEADER = "indicator_code,year,unit_code,programme_code,value,comment\n"


def csv_file(text, name="values.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def run(actor, inst, text):
    return IndicatorValueImporter(actor, inst).run(csv_file(text))


@pytest.fixture
def setup(world):
    for start in (2023, 2024):
        AcademicYear.objects.create(
            institution=world.inst,
            start_year=start,
            start_date=datetime.date(start, 9, 1),
            end_date=datetime.date(start + 1, 6, 30),
        )
    services.indicator_save(
        actor=None,
        indicator=Indicator(institution=world.inst, code="EMP", name_ky="Иш", min_value=0, max_value=100),
    )
    services.indicator_save(actor=None, indicator=Indicator(institution=world.inst, code="PUB", name_ky="Басылма"))
    return world


def test_registered_on_the_import_pages():
    assert IMPORTERS["indicator_values"] is IndicatorValueImporter


def test_valid_file_stores_values_and_a_second_file_corrects_with_history(setup):
    w = setup
    result = run(w.quality, w.inst, HEADER + "EMP,2023,,,70.5,first\nEMP,2023-2024,FA,,60,\nPUB,2024,FB,,12,\n")
    assert result.ok, result.problems
    assert (result.created, result.updated) == (3, 0)
    root_value = IndicatorValue.objects.get(indicator__code="EMP", unit=w.root, superseded_by=None)
    assert root_value.value == Decimal("70.5") and root_value.comment == "first"
    assert root_value.entered_by == w.quality

    result = run(w.quality, w.inst, HEADER + "EMP,2023,,,72,corrected\n")
    assert result.ok and (result.created, result.updated) == (0, 1)
    values = IndicatorValue.objects.filter(indicator__code="EMP", unit=w.root, year=2023)
    current = values.get(superseded_by=None)
    old = values.exclude(pk=current.pk).get()
    assert current.value == 72 and old.value == Decimal("70.5") and old.superseded_by == current


@pytest.mark.parametrize(
    "bad_row, column, needle",
    [
        ("NOPE,2023,FA,,5,", "Indicator code", "No indicator with code NOPE"),
        ("EMP,2023,FA,,150,", "Value", "between 0 and 100"),
        ("EMP,2019,FA,,50,", "Year", "no academic year 2019"),
        ("EMP,2023,,,50,", "Indicator code", "earlier row of this file"),
        ("EMP,2024,FA,,many,", "Value", "Enter a number"),
        ("EMP,2024,ZZ,,5,", "Unit code", "No unit with code ZZ"),
    ],
)
def test_one_bad_row_stores_nothing_and_is_reported(setup, bad_row, column, needle):
    w = setup
    result = run(w.quality, w.inst, HEADER + "EMP,2023,,,50,\nPUB,2024,FB,,3,\n" + bad_row + "\n")
    assert not result.ok
    assert (result.created, result.updated) == (0, 0)
    assert not IndicatorValue.objects.exists()
    [problem] = result.problems
    assert problem.row == 4 and problem.column == column and needle in problem.message


def test_unit_head_may_import_for_own_unit_only(setup):
    w = setup
    assert run(w.head_a, w.inst, HEADER + "EMP,2023,FA,,40,\nEMP,2023,FA-D1,,41,\n").ok
    result = run(w.head_a, w.inst, HEADER + "EMP,2024,FA,,40,\nEMP,2024,FB,,41,\n")
    [problem] = result.problems
    assert problem.row == 3 and problem.column == "Unit code" and "responsible person" in problem.message
    assert not IndicatorValue.objects.filter(year=2024).exists()


def test_russian_headers_are_understood(setup):
    w = setup
    with translation.override("ru"):
        headers = [str(f.label) for f in IndicatorValueRow.base_fields.values()]
    result = run(w.quality, w.inst, ";".join(headers) + "\nEMP;2023;FA;;55,5;\n")
    assert result.ok, result.problems
    assert IndicatorValue.objects.get(unit=w.fac_a).value == Decimal("55.5")


def test_template_download_and_upload_through_the_pages(client, setup):
    w = setup
    client.force_login(w.quality)
    response = client.get(reverse("import_template", args=["indicator_values"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "Indicator code *",
        "Year *",
        "Unit code",
        "Programme code",
        "Value *",
        "Comment",
        "Period",
    ]
    sheet.delete_rows(2, sheet.max_row)
    sheet.append(["EMP", 2024, "FB", None, 33, None])
    out = io.BytesIO()
    sheet.parent.save(out)
    upload = SimpleUploadedFile("values.xlsx", out.getvalue())
    response = client.post(reverse("import_upload", args=["indicator_values"]), {"file": upload})
    assert response.status_code == 200
    assert IndicatorValue.objects.get(unit=w.fac_b, year=2024).value == 33
    assert b"Indicator values" in client.get(reverse("import_index")).content


def test_dashboard_links_to_the_import_for_importers_only(client, setup):
    w = setup
    url = reverse("import_upload", args=["indicator_values"]).encode()
    client.force_login(w.quality)
    assert url in client.get(reverse("indicator_list")).content
    client.force_login(w.head_a)
    assert url not in client.get(reverse("indicator_list")).content
