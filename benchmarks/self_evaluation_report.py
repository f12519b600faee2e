"""Self-evaluation report time for the full 32 criteria of the Ministry's framework.

    .venv/bin/python benchmarks/self_evaluation_report.py       # a temporary SQLite file

Builds one institution and a started project on the shipped `kr-okb-institutional`
framework (32 criteria in 5 groups); every criterion has a narrative of about 400 words,
strengths, weaknesses and recommendations, its elements ticked, two indicators with
five years of values (a table and a chart each: 64 tables, 64 charts) and four other
evidence items. Then renders the report in Kyrgyz as DOCX and PDF (the functions the
download uses) and prints the median of three runs against the budget.
Budget (issue 7): PDF ≤ 15 s, DOCX ≤ 5 s."""

import datetime
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
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from sapat.accreditation import report as report_data  # noqa: E402
from sapat.accreditation import services_projects as svc  # noqa: E402
from sapat.accreditation.models_frameworks import Framework  # noqa: E402
from sapat.accreditation.models_projects import ElementStatus, EvidenceKind, Level, MemberCategory  # noqa: E402
from sapat.accreditation.report_docx import render_docx  # noqa: E402
from sapat.org.tests import factories  # noqa: E402
from sapat.processes.models_indicators import Indicator, IndicatorValue  # noqa: E402

BUDGET_S = {"docx": 5.0, "pdf": 15.0}
RUNS = 3
WORDS = [
    "сапат",
    "миссия",
    "стратегиялык",
    "план",
    "көрсөткүч",
    "мониторинг",
    "талдоо",
    "окуучулар",
    "бүтүрүүчүлөр",
    "иш",
    "берүүчүлөр",
]


def build():
    inst = factories.institution("bench")
    root = factories.root_of(inst)
    person = factories.person(root, "Асанова")
    today = timezone.localdate()
    framework = Framework.objects.get(code="kr-okb-institutional", institution__isnull=True)
    project = svc.project_create(
        actor=None,
        institution=inst,
        institutional_framework=framework,
        title="Өзүн-өзү баалоо",
        year=today.year,
        start_date=today,
        end_date=today + datetime.timedelta(days=60),
        council_report_date=today + datetime.timedelta(days=70),
        period_from=today.year - 4,
        period_to=today.year,
        order_number="45",
        order_date=today,
    )
    member = svc.member_add(
        actor=None, project=project, category=MemberCategory.CHAIR, position="Директор", person=person
    )
    svc.compiler_set(actor=None, project=project, member=member)
    svc.project_start(actor=None, project=project)
    report = project.reports.get()
    narrative = "\n".join(" ".join(WORDS[(i + j) % len(WORDS)] for j in range(80)) for i in range(5))
    for n, assessment in enumerate(report.assessments.select_related("criterion")):
        checks = {e.pk: ElementStatus.MET for e in assessment.criterion.elements.all()}
        svc.assessment_save(
            actor=None,
            assessment=assessment,
            checks=checks,
            narrative=narrative,
            strengths="Күчтүү жактары.",
            weaknesses="Алсыз жактары.",
            recommendations="Сунуштар.",
            level=svc.proposal_for(assessment) or Level.COMPLIES,
            justification="—",
        )
        for k in range(2):
            indicator = Indicator.objects.create(
                institution=inst, code=f"K{n}-{k}", name_ky=f"Көрсөткүч {n}.{k}", unit_of_measure="%"
            )
            for year in project.years:
                IndicatorValue.objects.create(
                    indicator=indicator, year=year, unit=root, value=Decimal(50 + (n + year + k) % 40)
                )
            svc.evidence_add(
                actor=None, assessment=assessment, kind=EvidenceKind.INDICATOR, indicator=indicator, page="3"
            )
        for k in range(4):
            svc.evidence_add(
                actor=None, assessment=assessment, kind=EvidenceKind.OTHER, title=f"Жобо {n}.{k}", page=str(k + 1)
            )
    svc.report_write(
        actor=None, report=report, introduction=narrative, findings=narrative, recommendation="Арыз берүү."
    )
    return report


def measure(fn):
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        data = fn()
        times.append(time.perf_counter() - start)
        size = len(data)
    return statistics.median(times), max(times), size


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    report = build()
    print(f"criteria: {report.assessments.count()}; {RUNS} runs each")
    print(f"{'format':10} {'median s':>8} {'worst s':>8} {'KiB':>8}  budget")
    over = 0
    for fmt, fn in (
        ("docx", lambda: render_docx(report, "ky")),
        ("pdf", lambda: report_data.render_pdf_bytes(report, "ky")),
    ):
        median, worst, size = measure(fn)
        ok = median <= BUDGET_S[fmt]
        over += not ok
        print(f"{fmt:10} {median:8.2f} {worst:8.2f} {size / 1024:8.0f}  {'ok' if ok else 'OVER'} ({BUDGET_S[fmt]:g} s)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
