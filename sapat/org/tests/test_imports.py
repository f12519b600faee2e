import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from sapat.core.models import AuditEntry
from sapat.org.imports import IMPORTERS
from sapat.org.models import AcademicYear, ContingentFigure, Person, Unit
from sapat.org.tests import factories


def csv_file(text: str, name="data.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def run(kind, actor, institution, upload):
    return IMPORTERS[kind](actor, institution).run(upload)


def test_units_import_creates_tree_in_file_order(world):
    upload = csv_file(
        "code,parent_code,unit_type,name_ky,name_ru\n"
        "FA-IT,FA,department,Маалыматтык технологиялар кафедрасы,Кафедра ИТ\n"
        "FA-IT-LAB,FA-IT,centre,Лаборатория,Лаборатория\n"
    )
    result = run("units", world.quality, world.inst, upload)
    assert result.ok, result.problems
    assert result.created == 2
    lab = Unit.objects.get(institution=world.inst, code="FA-IT-LAB")
    assert lab.path.startswith(world.fac_a.path)
    assert AuditEntry.objects.filter(object_repr__startswith="FA-IT", action="create").count() == 2


def test_one_bad_row_rejects_the_whole_file_and_writes_nothing(world):
    units_before, log_before = Unit.objects.count(), AuditEntry.objects.count()
    upload = csv_file(
        "code,parent_code,unit_type,name_ky\n"
        "NEW1,FA,department,Биринчи кафедра\n"
        "NEW2,NOPE,department,Экинчи кафедра\n"
        "NEW3,FA,spaceship,Үчүнчү\n"
    )
    with translation.override("en"):
        result = run("units", world.quality, world.inst, upload)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(3, "Parent unit code"), (4, "Type")]
    assert "NOPE" in result.problems[0].message
    assert Unit.objects.count() == units_before
    assert AuditEntry.objects.count() == log_before


def test_headers_and_values_in_russian_are_understood(world):
    year = AcademicYear.objects.create(
        institution=world.inst, start_year=2025, start_date="2025-09-01", end_date="2026-06-30"
    )
    prog = factories.programme(world.dep_a, code="550100")
    with translation.override("ru"):
        from sapat.org.imports import ContingentRow

        headers = [str(f.label) for f in ContingentRow.base_fields.values()]
    upload = csv_file(";".join(headers) + "\n550100;Очная;2025-2026;50;210;45;6;38\n")
    result = run("contingent", world.quality, world.inst, upload)
    assert result.ok, result.problems
    figure = ContingentFigure.objects.get(programme=prog, academic_year=year)
    assert (figure.admitted, figure.employed) == (50, 38)


def test_contingent_rule_violation_is_reported_per_row(world):
    AcademicYear.objects.create(institution=world.inst, start_year=2025, start_date="2025-09-01", end_date="2026-06-30")
    factories.programme(world.dep_a, code="550100")
    upload = csv_file(
        "programme_code,study_form,academic_year,admitted,enrolled,graduated,expelled,employed\n"
        "550100,full_time,2025,50,210,45,6,60\n"
        "550100,full_time,2031,50,210,45,6,10\n"
    )
    with translation.override("en"):
        result = run("contingent", world.quality, world.inst, upload)
    assert [(p.row, p.column) for p in result.problems] == [(2, "Employed graduates"), (3, "Academic year")]
    assert not ContingentFigure.objects.exists()


def test_people_import_records_position(world):
    upload = csv_file(
        "last_name,first_name,unit_code,staff_category,post,position_start,email\n"
        "Эргешали кызы,Айчүрөк,FA,management,quality_head,2020-09-01,a@example.kg\n"
    )
    result = run("people", world.quality, world.inst, upload)
    assert result.ok, result.problems
    person = Person.objects.get(last_name="Эргешали кызы")
    assert person.positions.get().post == "quality_head"
    # Importing the same row again updates, it does not add a second person.
    result = run(
        "people",
        world.quality,
        world.inst,
        csv_file(
            "last_name,first_name,unit_code,staff_category,post,position_start,email\n"
            "Эргешали кызы,Айчүрөк,FA,management,quality_head,2020-09-01,new@example.kg\n"
        ),
    )
    assert (result.created, result.updated) == (0, 1)
    assert Person.objects.filter(last_name="Эргешали кызы").count() == 1


def test_rows_outside_the_users_scope_are_refused(world):
    upload = csv_file("code,parent_code,unit_type,name_ky\nX1,FA,department,Бир\nX2,FB,department,Эки\n")
    result = run("units", world.head_a, world.inst, upload)
    assert [p.row for p in result.problems] == [3]
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"%PDF-1.7 not a table", "neither XLSX nor CSV"),
        (b"PK\x03\x04broken zip", "not a readable XLSX"),
        (b"", "empty"),
        (b"code,parent_code,unit_type,name_ky\n", "no data rows"),
        (b"colour,size\nred,1\n", "Unknown column"),
    ],
)
def test_unreadable_files_get_a_clear_message(world, content, needle):
    with translation.override("en"):
        result = run("units", world.quality, world.inst, SimpleUploadedFile("x.xlsx", content))
    assert not result.ok
    assert any(needle in p.message for p in result.problems), result.problems


def test_template_round_trip_through_the_page(client, world):
    client.force_login(world.quality)
    response = client.get(reverse("import_template", args=["units"]))
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["FA-NEW", "FA", "department", "Жаңы кафедра", "", "", None])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("units.xlsx", out.getvalue())
    response = client.post(reverse("import_upload", args=["units"]), {"file": upload})
    assert response.status_code == 200
    assert Unit.objects.filter(institution=world.inst, code="FA-NEW").exists()


def test_bad_file_through_the_page_shows_problems(client, world):
    client.force_login(world.quality)
    upload = csv_file("code,parent_code,unit_type,name_ky\nN1,FA,department,Бир\nN2,ZZZ,department,Эки\n")
    response = client.post(reverse("import_upload", args=["units"]), {"file": upload})
    assert response.status_code == 400
    assert b'data-testid="import-problems"' in response.content
    assert not Unit.objects.filter(code="N1").exists()


def test_staff_cannot_import(client, world):
    client.force_login(world.staff_a)
    assert client.get(reverse("import_index")).status_code == 403
    assert client.get(reverse("import_template", args=["units"])).status_code == 403


def test_contingent_names_the_language_when_a_code_is_taught_in_several(world):
    AcademicYear.objects.create(institution=world.inst, start_year=2025, start_date="2025-09-01", end_date="2026-06-30")
    factories.programme(world.dep_a, code="560001", language="ru")
    english = factories.programme(world.dep_a, code="560001", language="en")
    header = "programme_code,study_form,academic_year,admitted,enrolled,graduated,expelled,employed,language\n"
    with translation.override("en"):
        result = run("contingent", world.quality, world.inst, csv_file(header + "560001,full_time,2025,5,20,4,1,3,\n"))
    assert [(p.row, p.column) for p in result.problems] == [(2, "Language of instruction")]
    result = run("contingent", world.quality, world.inst, csv_file(header + "560001,full_time,2025,5,20,4,1,3,en\n"))
    assert result.ok, result.problems
    assert ContingentFigure.objects.get().programme == english
