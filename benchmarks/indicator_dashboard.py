"""Server time and query count of the indicator dashboard at the "large" scale.

    .venv/bin/python benchmarks/indicator_dashboard.py                 # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapat_bench .venv/bin/python benchmarks/indicator_dashboard.py

Builds one institution with 60 units, 100 indicators and 10 years of values for every unit
(60,000 current values plus targets), then requests the dashboard for the institution and for
single units, and the units under the institution with their status summaries (the
dashboard's second, htmx request), 15 times each as the quality department and prints the
median and worst server time and the query count, next to a small data set's query counts
(they must not grow).
Budget (ARCHITECTURE.md): ≤ 100 ms at the large scale."""

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
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
from sapat.org.models import AcademicYear  # noqa: E402
from sapat.org.tests import factories  # noqa: E402
from sapat.processes.models import Indicator, IndicatorTarget, IndicatorValue  # noqa: E402

UNITS, INDICATORS, YEARS, FIRST_YEAR = 60, 100, 10, 2016
BUDGET_MS = 100


def build(code, units, indicators):
    inst = factories.institution(code)
    root = factories.root_of(inst)
    all_units = [root] + [factories.unit(root, f"{code.upper()}-F{i:02d}") for i in range(units - 1)]
    for y in range(YEARS):
        AcademicYear.objects.create(
            institution=inst,
            start_year=FIRST_YEAR + y,
            start_date=f"{FIRST_YEAR + y}-09-01",
            end_date=f"{FIRST_YEAR + y + 1}-06-30",
        )
    defs = Indicator.objects.bulk_create(
        Indicator(
            institution=inst,
            code=f"I-{n:03d}",
            name_ky=f"Көрсөткүч {n}",
            unit_of_measure="%",
            direction="higher" if n % 3 else "lower",
            level="unit",
        )
        for n in range(indicators)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=i, year=FIRST_YEAR + y, target=Decimal(60), warning=Decimal(45))
        for i in defs
        for y in range(YEARS)
    )
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(indicator=i, year=FIRST_YEAR + y, unit=u, value=Decimal((i.pk * 7 + y * 3 + u.pk) % 100))
            for i in defs
            for u in all_units
            for y in range(YEARS)
        ),
        batch_size=5000,
    )
    return inst, root, all_units


def measure(client, url, runs=15):
    client.get(url)  # warm caches
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
    small_inst, small_root, _ = build("small", 3, 3)
    inst, root, units = build("large", UNITS, INDICATORS)
    url = reverse("indicator_list")
    small_user = factories.user_with_role(Role.QUALITY_DEPARTMENT, small_root)
    user = factories.user_with_role(Role.QUALITY_DEPARTMENT, root)
    small, large = Client(), Client()
    small.force_login(small_user)
    large.force_login(user)
    print(
        f"database: {connection.vendor}; {IndicatorValue.objects.filter(indicator__institution=inst).count()} "
        f"values, {INDICATORS} indicators, {UNITS} units, {YEARS} years"
    )
    print(f"{'page':34} {'median ms':>10} {'worst ms':>9} {'queries':>8}  budget {BUDGET_MS} ms")
    over = 0
    _m, _w, small_queries = measure(small, url, runs=3)
    _m, _w, small_scope_queries = measure(small, reverse("indicator_dashboard_scopes"), runs=3)
    scopes = reverse("indicator_dashboard_scopes")
    for name, client, page in (
        ("dashboard, institution", large, url),
        ("dashboard, one unit", large, f"{url}?unit={units[17].pk}"),
        # the drill-down's second request: the 59 units under the institution with their
        # status summaries (the latest value of 100 indicators in each, over five years)
        ("units under the institution", large, scopes),
    ):
        median, worst, queries = measure(client, page)
        over += median > BUDGET_MS
        print(f"{name:34} {median:10.1f} {worst:9.1f} {queries:8d}  {'ok' if median <= BUDGET_MS else 'OVER'}")
    print(
        f"queries with 3 indicators × 3 units: {small_queries}, units under it: {small_scope_queries} "
        "(must equal the large counts)"
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
