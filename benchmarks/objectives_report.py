"""Server time of the annual report on the quality objectives, as DOCX and as PDF.

    .venv/bin/python benchmarks/objectives_report.py            # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sapat_bench .venv/bin/python benchmarks/objectives_report.py

Loads the demo (both institutions) and downloads each institution's report for the last
year with values, as its quality department, 3 times per format and language (ky, ru),
printing the median and worst time, the size and the query count. Then a "large" case: the
bigger demo institution with 30 more unit objectives of 4 indicators each (150 objectives
and trend charts in all) shows how the time grows with the content.
Budget (ARCHITECTURE.md, issue 4): DOCX ≤ 5 s, PDF ≤ 15 s for the biggest demo institution."""

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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from sapat.core.models import User  # noqa: E402
from sapat.org.choices import UnitType  # noqa: E402
from sapat.org.models import Institution, Unit  # noqa: E402
from sapat.processes.models import Indicator, IndicatorTarget, IndicatorValue, QualityObjective  # noqa: E402

BUDGET_S = {"docx": 5.0, "pdf": 15.0}
RUNS = 3
YEAR = 2025
EXTRA_OBJECTIVES, INDICATORS_EACH = 30, 4


def measure(client, params):
    times, size, queries = [], 0, 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(reverse("objectives_report"), params)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (params, response.status_code)
        size, queries = len(response.content), len(ctx.captured_queries)
    return statistics.median(times), max(times), size, queries


def enlarge(institution):
    """30 more objectives under the institution's first objective, in its faculties and
    departments, each with 4 indicators valued for five years (a few off target)."""
    top = QualityObjective.objects.filter(institution=institution, parent__isnull=True).order_by("sort_key").first()
    units = list(
        Unit.objects.filter(institution=institution, parent__isnull=False)
        .exclude(unit_type=UnitType.COUNCIL)
        .order_by("path")[:EXTRA_OBJECTIVES]
    )
    for n, unit in enumerate(units):
        objective = QualityObjective.objects.create(
            institution=institution,
            unit=unit,
            parent=top,
            code=f"{top.code}.{90 + n}",
            title_ky=f"Бөлүмдүн сапат максаты {n}",
            title_ru=f"Цель подразделения {n}",
            title_en=f"Unit objective {n}",
            start_year=2024,
            end_year=2028,
        )
        for k in range(INDICATORS_EACH):
            indicator = Indicator.objects.create(
                institution=institution,
                code=f"B-{n:02d}-{k}",
                name_ky=f"Көрсөткүч {n}.{k}",
                name_ru=f"Показатель {n}.{k}",
                name_en=f"Indicator {n}.{k}",
                unit_of_measure="%",
                level="unit",
                objective=objective,
            )
            for year in range(YEAR - 4, YEAR + 1):
                IndicatorTarget.objects.create(indicator=indicator, year=year, target=Decimal(60), warning=Decimal(50))
                IndicatorValue.objects.create(
                    indicator=indicator, year=year, unit=unit, value=Decimal(40 + (n * 7 + k * 5 + year) % 35)
                )


def report_line(name, client, params, over, *, budgeted=True):
    median, worst, size, queries = measure(client, params)
    budget = BUDGET_S[params["format"]]
    ok = median <= budget or not budgeted
    verdict = f"{'ok' if ok else 'OVER'} ({budget:g} s)" if budgeted else "(for scale)"
    print(f"{name:38} {median:8.2f} {worst:8.2f} {size / 1024:8.0f} {queries:8d}  {verdict}")
    return over + (not ok)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    over = 0
    print(f"database: {connection.vendor}; year {YEAR}–{YEAR + 1}; {RUNS} runs each")
    print(f"{'report':38} {'median s':>8} {'worst s':>8} {'KiB':>8} {'queries':>8}  budget")
    sizes = Institution.objects.annotate(n=Count("units")).order_by("-n")
    for institution in sizes:
        root = Unit.objects.get(institution=institution, parent__isnull=True)
        client = Client()
        client.force_login(User.objects.get(username=f"{institution.code}.quality"))
        objectives = QualityObjective.objects.filter(institution=institution).count()
        indicators = Indicator.objects.filter(institution=institution, objective__isnull=False).count()
        units = institution.units.count()
        print(f"{institution.code}: {units} units, {objectives} objectives, {indicators} indicators")
        for language in ("ky", "ru"):
            for fmt in ("docx", "pdf"):
                params = {"unit": root.pk, "year": YEAR, "language": language, "format": fmt}
                over = report_line(f"  {institution.code}, institution, {language}, {fmt}", client, params, over)
    biggest = sizes.first()
    enlarge(biggest)
    client = Client()
    client.force_login(User.objects.get(username=f"{biggest.code}.quality"))
    root = Unit.objects.get(institution=biggest, parent__isnull=True)
    indicators = Indicator.objects.filter(institution=biggest, objective__isnull=False).count()
    print(f"large: {biggest.code} with {EXTRA_OBJECTIVES} more objectives, {indicators} indicators (not budgeted)")
    for fmt in ("docx", "pdf"):
        params = {"unit": root.pk, "year": YEAR, "language": "ky", "format": fmt}
        report_line(f"  large, institution, ky, {fmt}", client, params, 0, budgeted=False)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
