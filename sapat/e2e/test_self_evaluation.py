import pytest
from playwright.sync_api import expect

from sapat.accreditation.models_projects import AssessmentState
from sapat.accreditation.tests.projects_setup import running_project
from sapat.e2e.helpers import sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_member_rates_a_criterion_with_evidence_compiler_accepts_and_downloads(page, live_server, e2e_world):
    """A commission member ticks the elements of a criterion, rates it, lists evidence and
    submits it; the report compiler accepts it and downloads the report."""
    w = e2e_world
    project, member, compiler = running_project(w)
    assessment = project.reports.get().assessments.first()

    sign_in(page, live_server, w.staff_a)
    page.goto(f"/accreditation/self-evaluation/criteria/{assessment.pk}/")
    for element in assessment.criterion.elements.all():
        page.locator(f"input[name=element_{element.pk}][value=met]").check()
    page.locator("textarea[name=narrative]").fill("Миссия Уставда бекитилген, стратегиялык план бар.")
    page.locator("select[name=level]").select_option("complies")
    with page.expect_navigation():
        page.locator("[data-testid=save-criterion]").click()
    expect(page.locator("[data-testid=proposal]")).not_to_have_text("")
    page.locator("#evidence select[name=kind]").select_option("web")
    page.locator("#evidence input[name=url]").fill("https://example.kg/mission")
    page.locator("#evidence input[name=title]").fill("Уюмдун сайты: миссия")
    page.locator("#evidence input[name=page]").fill("1")
    with page.expect_navigation():
        page.locator("[data-testid=add-evidence]").click()
    expect(page.locator("#evidence")).to_contain_text("Уюмдун сайты: миссия")
    with page.expect_navigation():
        page.locator("[data-testid=submit-criterion]").click()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    sign_out(page)

    sign_in(page, live_server, w.head_a)
    page.goto(f"/accreditation/self-evaluation/criteria/{assessment.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=accept-criterion]").click()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.ACCEPTED
    page.goto(f"/accreditation/self-evaluation/reports/{assessment.report_id}/")
    with page.expect_download() as info:
        page.locator("[data-testid=report-docx]").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert download.path().stat().st_size > 5000
