"""A student answers the teaching evaluation on a phone, in Kyrgyz, with a token link, and
cannot answer twice; partial answers survive a reload. A department head sees results with
a small group hidden."""

import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in
from sapat.org.tests import factories as org
from sapat.surveys import services
from sapat.surveys.choices import CampaignStatus
from sapat.surveys.models import Answer, Response, Token
from sapat.surveys.tests import factories as f

pytestmark = pytest.mark.e2e

LIKERT = ["goals", "clarity", "preparedness", "practice", "fairness", "punctuality", "respect", "overall"]


def test_a_student_answers_once_on_a_phone_in_kyrgyz(phone_page, live_server, e2e_world):
    ev = f.teaching(e2e_world)
    token = Token.objects.filter(slot=ev.s1).first()
    page = phone_page
    page.goto(f"/s/{token.code}/?lang=ky")
    expect(page.locator("h1")).to_have_text("Окутуунун сапатын студенттер тарабынан баалоо")
    expect(page.locator("[data-testid=survey-about]")).to_contain_text("Педагогика")

    page.locator("#q-goals label").nth(3).click()
    page.locator("#q-clarity label").nth(4).click()
    page.reload()  # the connection dropped: what was ticked is still there
    expect(page.locator("#q-goals input[value='4']")).to_be_checked()
    expect(page.locator("#q-clarity input[value='5']")).to_be_checked()

    # Sending with required questions left out: told which, nothing stored.
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=survey-errors]")).to_be_visible()
    expect(page.locator("#q-preparedness .msg")).to_be_visible()
    assert Response.objects.count() == 0

    for code in LIKERT:
        page.locator(f"#q-{code} label").nth(3).click()
    page.locator("#i-improve").fill("Практикалык сабактар көбүрөөк болсун")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=survey-message]")).to_be_visible()
    assert Response.objects.get().language == "ky"
    assert Answer.objects.filter(question__code="improve").get().text == "Практикалык сабактар көбүрөөк болсун"
    assert page.evaluate(f"localStorage.getItem('sapat-{token.code}')") is None

    page.goto(f"/s/{token.code}/?lang=ky")  # the same link again
    expect(page.locator("[data-testid=survey-message]")).to_be_visible()
    expect(page.locator("form")).to_have_count(0)
    assert Response.objects.count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_a_head_sees_results_with_a_small_group_hidden(page, live_server, e2e_world):
    w = e2e_world
    ev = f.teaching(w, status=CampaignStatus.DRAFT)
    other = org.person(w.dep_a, "Токтогулова")
    small, _ = services.slot_add_teaching(
        actor=w.quality, campaign=ev.campaign, group=ev.g2, discipline="Логика", teacher=other
    )
    services.tokens_generate(actor=w.quality, campaign=ev.campaign)
    services.campaign_open(actor=w.quality, campaign=ev.campaign)
    f.answer(ev.s1, 6)
    f.answer(small, 2)
    f.answer(ev.s2, 7)  # faculty B: not the head's
    sign_in(page, live_server, w.head_a)
    page.goto(f"/surveys/campaigns/{ev.campaign.pk}/results/?by=teacher")
    # Only teacher A's 6 count: the 2 answers of the small group are in no figure at all.
    expect(page.locator("main p strong").first).to_contain_text("6")
    groups = page.locator("[data-testid=groups]")
    expect(groups.locator("tr", has_text=ev.s1.teacher.full_name)).to_contain_text("6")
    expect(groups.locator("tr", has_text=other.full_name).locator("td").nth(1)).not_to_have_text("2")
    expect(groups).not_to_contain_text(ev.s2.teacher.full_name)


def test_a_limesurvey_file_becomes_a_questionnaire_with_its_report(page, live_server, e2e_world):
    """The quality department uploads a LimeSurvey structure; a bad file first changes nothing."""
    from pathlib import Path

    from sapat.e2e.helpers import tr
    from sapat.surveys.models import Questionnaire

    lss = Path(f.__file__).parent / "data" / "student-services.lss"
    sign_in(page, live_server, e2e_world.quality)
    page.goto("/surveys/questionnaires/")
    with page.expect_navigation():
        page.locator("a[href='/surveys/questionnaires/import/']").click()
    form = page.locator("main form[enctype]")
    form.locator("input[name=file]").set_input_files(
        files=[{"name": "survey.lss", "mimeType": "text/xml", "buffer": b"<html><body>not a survey</body></html>"}]
    )
    form.locator("select[name=stakeholder]").select_option("students")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(tr("ky", "This is not a LimeSurvey survey structure file (.lss)."))
    assert not Questionnaire.objects.exists()

    form.locator("input[name=file]").set_input_files(str(lss))
    form.locator("select[name=stakeholder]").select_option("students")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Студенттердин университеттин кызматтарына канааттануусу")
    expect(page.locator("[data-testid=section]")).to_have_count(2)
    report = page.locator("[data-testid=import-report]")
    expect(report.locator("tbody tr")).to_have_count(5)
    expect(report.locator("tr", has_text="priorities")).to_contain_text(tr("ky", "Sapat has no question of this kind."))
    assert Questionnaire.objects.get().questions.count() == 11
