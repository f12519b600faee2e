"""The demo's annual process analyses of the last academic year (one demo load)."""

import pytest

from sapat.core.models import AuditEntry
from sapat.demo import loader
from sapat.processes.models import AnalysisState, Process, ProcessAnalysis


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_most_processes_have_an_analysis_of_the_last_year_a_few_do_not(demo, code):
    assert demo[f"{code} analyses"] == "created"
    processes = Process.objects.filter(institution__code=code, is_active=True).count()
    analyses = ProcessAnalysis.objects.filter(process__institution__code=code)
    assert len({a.academic_year_id for a in analyses}) == 1
    assert processes - 4 <= analyses.count() < processes
    states = set(analyses.values_list("state", flat=True))
    assert {AnalysisState.DRAFT, AnalysisState.SUBMITTED, AnalysisState.ACCEPTED} <= states
    submitted = analyses.filter(state__in=(AnalysisState.SUBMITTED, AnalysisState.ACCEPTED))
    assert all(a.improvements and a.measures_done_percent is not None for a in submitted)
    # The processes with indicators carry their figures, at the head of the text too.
    with_figures = submitted.exclude(figures=[])
    assert with_figures.filter(process__code="2.3").exists()
    for a in with_figures:
        assert a.figures[0]["code"] in a.objectives_comment


def test_one_returned_with_a_comment_and_a_second_run_changes_nothing(demo):
    (returned,) = ProcessAnalysis.objects.filter(state=AnalysisState.RETURNED)
    assert returned.process.code == "3.2" and "себептерин" in returned.return_comment
    before = (ProcessAnalysis.objects.count(), AuditEntry.objects.count())
    outcome = loader.load(write=lambda line: None)
    assert outcome["batsu analyses"] == outcome["oshsu analyses"] == "skipped"
    assert (ProcessAnalysis.objects.count(), AuditEntry.objects.count()) == before
