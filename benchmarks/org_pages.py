"""Server time and query count of the organisation's list pages at "large" scale.

    .venv/bin/python benchmarks/org_pages.py                 # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapat_bench .venv/bin/python benchmarks/org_pages.py

Builds one institution with 60 faculties × 10 departments, 6,000 people with positions,
600 programmes with 10 years of contingent figures, then requests each page 15 times as
the quality department and prints the median and worst server time and the query count.
Budget (ARCHITECTURE.md): ≤ 100 ms, query count independent of the data size."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sapat.test_settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from sapat.org.choices import Role  # noqa: E402
from sapat.org.models import AcademicYear, ContingentFigure, Person, Position, Programme, Unit  # noqa: E402
from sapat.org.tests import factories  # noqa: E402

FACULTIES, DEPARTMENTS, PEOPLE_PER_DEPARTMENT, PROGRAMMES_PER_FACULTY, YEARS = 60, 10, 10, 10, 10
BUDGET_MS = 100


def build():
    inst = factories.institution("bench")
    root = factories.root_of(inst)
    faculties = [factories.unit(root, f"F{i:02d}") for i in range(FACULTIES)]
    departments = []
    for f in faculties:
        for d in range(DEPARTMENTS):
            departments.append(factories.unit(f, f"{f.code}-D{d}", unit_type="department"))
    people = Person.objects.bulk_create(
        Person(institution=inst, unit=d, last_name=f"Асанов{d.pk}x{n}", first_name="Бакыт", staff_category="teaching")
        for d in departments
        for n in range(PEOPLE_PER_DEPARTMENT)
    )
    Position.objects.bulk_create(Position(person=p, unit=p.unit, post="teacher") for p in people)
    years = [
        AcademicYear.objects.create(
            institution=inst, start_year=2016 + y, start_date=f"{2016 + y}-09-01", end_date=f"{2017 + y}-06-30"
        )
        for y in range(YEARS)
    ]
    programmes = Programme.objects.bulk_create(
        Programme(
            institution=inst,
            unit=departments[i * DEPARTMENTS // PROGRAMMES_PER_FACULTY + j],
            code=f"5{i:02d}{j:03d}",
            name_ky=f"Программа {i}-{j}",
            level="bachelor",
            study_form="full_time",
            language="ky",
        )
        for i in range(FACULTIES)
        for j in range(PROGRAMMES_PER_FACULTY)
    )
    ContingentFigure.objects.bulk_create(
        ContingentFigure(programme=p, academic_year=y, admitted=50, enrolled=200, graduated=40, expelled=5, employed=30)
        for p in programmes
        for y in years
    )
    return inst, root, faculties


def measure(client, url, runs=15):
    client.get(url)  # warm caches (sessions, content types, templates)
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
    return statistics.median(times), max(times), queries


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    inst, root, faculties = build()
    user = factories.user_with_role(Role.QUALITY_DEPARTMENT, root)
    client = Client()
    client.force_login(user)
    pages = {
        "home": reverse("home"),
        "unit tree (600+ units)": reverse("unit_tree"),
        "unit tree search": reverse("unit_tree") + "?q=F05-D3",
        "unit detail": reverse("unit_detail", args=[faculties[0].pk]),
        "people list": reverse("person_list"),
        "people search": reverse("person_list") + "?q=асанов",
        "programme list": reverse("programme_list"),
        "programme detail": reverse("programme_detail", args=[Programme.objects.first().pk]),
        "audit log": reverse("audit_log"),
    }
    print(
        f"database: {connection.vendor}; units {Unit.objects.count()}, people {Person.objects.count()}, "
        f"programmes {Programme.objects.count()}, contingent rows {ContingentFigure.objects.count()}"
    )
    print(f"{'page':28} {'median ms':>10} {'worst ms':>9} {'queries':>8}  budget {BUDGET_MS} ms")
    over = 0
    for name, url in pages.items():
        median, worst, queries = measure(client, url)
        over += median > BUDGET_MS
        print(f"{name:28} {median:10.1f} {worst:9.1f} {queries:8d}  {'ok' if median <= BUDGET_MS else 'OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
