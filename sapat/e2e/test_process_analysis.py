"""The annual process analysis in the browser: the owner of a process fills its analysis of the
last academic year and submits it; the quality department sees it submitted in the year's
overview, and another process as not submitted."""

import datetime

import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in, sign_out, tr
from sapat.org.models import AcademicYear
from sapat.processes.models import AnalysisState, ProcessAnalysis
from sapat.processes.tests import factories

pytestmark = pytest.mark.e2e


def test_owner_submits_and_quality_sees_who_has_not(page, live_server, e2e_world):
    w = e2e_world
    start = datetime.date.today().year - 2
    for y in (start - 1, start):
        AcademicYear.objects.create(
            institution=w.inst, start_year=y, start_date=datetime.date(y, 9, 1), end_date=datetime.date(y + 1, 6, 30)
        )
    process = factories.process(w.inst, "2.3")
    factories.owner(process, w.staff_a.person, "Окуу иштери боюнча проректор")
    other = factories.process(w.inst, "3.5", name_ky="Библиотекалык кызмат көрсөтүү")
    factories.owner(other, w.head_b.person, "Борборлоштурулган китепкананын башчысы")
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, w.staff_a)
    page.goto(f"{live_server.url}/processes/{process.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=analysis-years] a", has_text=f"{start}–{start + 1}").click()
    with page.expect_navigation():
        page.locator("[data-testid=analysis-write]").click()
    form = page.locator("[data-testid=analysis-form]")
    form.locator("select[name=objectives_verdict]").select_option("partly")
    form.locator("textarea[name=objectives_comment]").fill("Кабыл алуу планы 96 %га аткарылды.")
    form.locator("input[name=measures_done_percent]").fill("85")
    form.locator("textarea[name=measures_comment]").fill("Иш пландагы 20 иш-чаранын 17си аткарылды.")
    form.locator("select[name=effectiveness]").select_option("effective")
    form.locator("textarea[name=improvements]").fill("Кураторлордун ишин күчөтүү.")
    with page.expect_navigation():
        form.locator("[data-testid=save-and-submit]").click()
    expect(page.locator("[data-testid=analysis-status]")).to_have_text(tr("ky", "Submitted"))
    expect(page.locator("[data-testid=objectives-comment]")).to_contain_text("96 %га аткарылды")
    assert ProcessAnalysis.objects.get(process=process).state == AnalysisState.SUBMITTED
    sign_out(page)

    sign_in(page, live_server, w.quality)
    page.goto(f"{live_server.url}/processes/analysis/?year={start}")
    expect(page.locator("tr[data-process='2.3']")).to_contain_text(tr("ky", "Submitted"))
    expect(page.locator("tr[data-process='3.5']")).to_contain_text(tr("ky", "Not started"))
    page.locator("#f-missing").check()
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    expect(page.locator("tr[data-process='2.3']")).to_have_count(0)
    expect(page.locator("tr[data-process='3.5']")).to_be_visible()
