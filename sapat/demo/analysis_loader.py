"""Loads the demo's annual process analyses (`data_analysis`) of the demo's last academic year
(the one before `CURRENT_YEAR`), for both demo institutions: most processes submitted (some
accepted), a few not started, a draft, and one returned for rework.

Called at the end of `loader.load()`, after the indicators: a submission stores the year's
indicator figures. Everything goes through the services with no actor (the system), so the
workflow, the snapshot and the audit entries are the same as on the pages. An institution
that already has an analysis is left alone: loading twice changes nothing."""

from django.db import transaction
from django.utils import translation

from sapat.org.models import Institution
from sapat.processes import selectors_analysis as sel
from sapat.processes import services_analysis as svc
from sapat.processes.models import Process, ProcessAnalysis

from .data_analysis import PLAN, TEXTS, plain_text
from .data_common import CURRENT_YEAR


def load_analyses(write=print) -> dict[str, str]:
    outcome = {}
    for code in sorted(PLAN):
        institution = Institution.objects.filter(code=code).first()
        if institution is None or not institution.processes.exists():
            continue
        year = sel.year_of(institution, CURRENT_YEAR - 1)
        if year is None:
            continue
        if ProcessAnalysis.objects.filter(process__institution=institution).exists():
            outcome[code] = "skipped"
            continue
        with transaction.atomic(), translation.override("ky"):
            count = _load(institution, year, PLAN[code])
        outcome[code] = "created"
        write(f"{code}: process analyses {year} — {count}.")
    return outcome


def _load(institution, year, plan) -> int:
    count = 0
    for n, process in enumerate(Process.objects.filter(institution=institution, is_active=True).order_by("sort_key")):
        if process.code in plan["not_started"]:
            continue
        text = TEXTS.get(process.code) or plain_text(process.name_ky, 80 + (n * 7) % 20)
        figures = sel.figures_summary(sel.live_figures(process, year.start_year))
        objectives = text.objectives.format(inst=institution.short_name_ky or institution.code.upper())
        analysis = svc.analysis_save(
            actor=None,
            analysis=ProcessAnalysis(
                process=process,
                academic_year=year,
                objectives_verdict=text.verdict,
                objectives_comment=f"{figures}\n\n{objectives}" if figures else objectives,
                measures_done_percent=text.done,
                measures_comment=text.measures,
                satisfaction=text.satisfaction,
                nonconformities=text.nonconformities,
                risks=text.risks,
                effectiveness=text.effectiveness,
                improvements=text.improvements,
            ),
        )
        count += 1
        if process.code in plan["draft"]:
            continue
        svc.analysis_submit(actor=None, analysis=analysis)
        if process.code in plan["returned"]:
            svc.analysis_return(actor=None, analysis=analysis, comment=plan["returned"][process.code])
        elif process.code in plan["accepted"]:
            svc.analysis_accept(actor=None, analysis=analysis)
    return count
