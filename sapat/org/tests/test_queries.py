"""Every list page costs the same number of queries for 3 rows or 40: related rows are
fetched up front, never one query per row."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.org import services
from sapat.org.choices import Post, StaffCategory, UnitType
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

SMALL, LARGE = 3, 40


class Stage:
    """A faculty, a person and a programme whose lists grow."""

    def __init__(self, world):
        self.world = world
        self.size = 0
        admin = world.admin
        self.faculty = services.unit_create(
            actor=admin,
            unit=Unit(parent=world.fac_a, unit_type=UnitType.INSTITUTE, code="QI", name_ky="Сурамжылоо институту"),
        )
        self.person = self._person(self.faculty, "Негизги")
        self.programme = self._programme("599999", self.faculty, self.person)

    def _person(self, unit, last_name):
        return services.person_save(
            actor=self.world.admin,
            person=Person(
                institution=unit.institution,
                unit=unit,
                last_name=last_name,
                first_name="Айбек",
                staff_category=StaffCategory.TEACHING,
                degree="candidate",
            ),
        )

    def _programme(self, code, unit, leader):
        return services.programme_save(
            actor=self.world.admin,
            programme=Programme(
                unit=unit,
                code=code,
                name_ky=f"Программа {code}",
                level="bachelor",
                study_form="full_time",
                language="ky",
                leader=leader,
            ),
        )

    def grow_to(self, size):
        admin, inst = self.world.admin, self.world.inst
        for i in range(self.size, size):
            unit = services.unit_create(
                actor=admin,
                unit=Unit(parent=self.faculty, unit_type=UnitType.DEPARTMENT, code=f"QI-{i}", name_ky=f"Кафедра {i}"),
            )
            person = self._person(unit, f"Кызматкер{i:03d}")
            person.user = services.account_create(actor=admin, person=person, username=f"user{i}")[0]
            unit.head = unit.quality_responsible = person
            services.unit_update(actor=admin, unit=unit)
            for where in (unit, self.faculty):
                services.position_save(
                    actor=admin,
                    position=Position(
                        person=person, unit=where, post=Post.TEACHER, start_date=datetime.date(2020, 9, 1)
                    ),
                )
            services.position_save(
                actor=admin, position=Position(person=self.person, unit=unit, post=Post.SPECIALIST, title=f"Пост {i}")
            )
            services.role_grant(actor=admin, assignment=RoleAssignment(user=person.user, role="staff", unit=unit))
            self._programme(f"5{i:05d}", unit, person)
            year = services.academic_year_save(
                actor=admin,
                year=AcademicYear(
                    institution=inst,
                    start_year=1990 + i,
                    start_date=datetime.date(1990 + i, 9, 1),
                    end_date=datetime.date(1991 + i, 6, 30),
                ),
            )
            for kind, start, end in (("autumn", (9, 1), (1, 20)), ("spring", (2, 1), (6, 15))):
                y = 1990 + i if kind == "autumn" else 1991 + i
                services.semester_save(
                    actor=admin,
                    semester=Semester(
                        academic_year=year,
                        kind=kind,
                        start_date=datetime.date(y, *start),
                        end_date=datetime.date(1991 + i, *end),
                    ),
                )
            services.group_save(
                actor=admin,
                group=StudentGroup(programme=self.programme, name=f"Г-{i}", admission_year=2020, student_count=20),
            )
            services.contingent_save(
                actor=admin,
                figure=ContingentFigure(
                    programme=self.programme,
                    academic_year=year,
                    admitted=10,
                    enrolled=40,
                    graduated=9,
                    expelled=1,
                    employed=5,
                ),
            )
        self.size = size


def shape(sql):
    """A query with its values blanked out, to tell which one repeats."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def queries(client, url):
    client.get(url)  # warm-up: session, content types, translations
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def pages(world, stage):
    return {
        "home": reverse("home"),
        "unit_tree": reverse("unit_tree"),
        "unit_tree_search": reverse("unit_tree") + "?q=%D0%BA%D0%B0%D1%84%D0%B5%D0%B4%D1%80%D0%B0",
        "person_list": reverse("person_list"),
        "person_search": reverse("person_list") + "?q=%D0%BA%D1%8B%D0%B7%D0%BC%D0%B0%D1%82",
        "programme_list": reverse("programme_list"),
        "academic_year_list": reverse("academic_year_list"),
        "audit_log": reverse("audit_log"),
        "unit_detail": reverse("unit_detail", args=[stage.faculty.pk]),
        "person_detail": reverse("person_detail", args=[stage.person.pk]),
        "programme_detail": reverse("programme_detail", args=[stage.programme.pk]),
        "unit_history": reverse("record_history", args=["org", "unit", stage.faculty.pk]),
        "programme_edit": reverse("programme_edit", args=[stage.programme.pk]),
        "unit_edit": reverse("unit_edit", args=[stage.faculty.pk]),
    }


@pytest.mark.parametrize("reader", ["admin", "head_a", "analyst"])
def test_query_count_does_not_grow_with_the_data(client, world, reader):
    stage = Stage(world)
    client.force_login(getattr(world, reader))
    if reader == "analyst":
        client.post(reverse("switch_institution"), {"institution": world.inst.pk})
    urls = pages(world, stage)
    if reader == "analyst":  # reads, never writes, no audit log
        for name in ("audit_log", "unit_history", "programme_edit", "unit_edit"):
            urls.pop(name)

    stage.grow_to(SMALL)
    small = {name: queries(client, url) for name, url in urls.items()}
    stage.grow_to(LARGE)
    large = {name: queries(client, url) for name, url in urls.items()}

    for name in urls:
        (n_small, sql_small), (n_large, sql_large) = small[name], large[name]
        grown = Counter(map(shape, sql_large)) - Counter(map(shape, sql_small))
        extra = [sql[:300] for sql in grown][:2]
        assert n_small == n_large, f"{name}: {n_small} queries with {SMALL} rows, {n_large} with {LARGE}; e.g. {extra}"


def test_lists_really_show_the_large_data(client, world):
    """The pages measured above list every row (no empty page measured twice)."""
    stage = Stage(world)
    stage.grow_to(LARGE)
    client.force_login(world.admin)
    content = client.get(reverse("person_list")).content.decode()
    assert all(f"Кызматкер{i:03d}" in content for i in range(LARGE))
    assert client.get(reverse("programme_list")).context["page"].paginator.count == LARGE + 1
    assert len(client.get(reverse("programme_detail", args=[stage.programme.pk])).context["contingent"]) == LARGE
    content = client.get(reverse("unit_tree")).content.decode()
    assert "QI-39" in content
