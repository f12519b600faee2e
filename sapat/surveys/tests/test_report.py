"""The results as PDF with charts (small groups missing as on the page), and improvement
actions raised on results below the campaign's thresholds."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sapat.improvement.models import Action, Origin
from sapat.surveys import report, selectors

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")
LOW = {**f.TEACHING_ANSWERS, "goals": "2", "improve": "Жогорку топтун сыры"}


@pytest.fixture
def ev(world):
    ev = f.teaching(world)
    f.answer(ev.s1, 6)  # teacher A: shown
    f.answer(ev.s2, 3, LOW)  # teacher B: below the minimum of 5, with a text of their own
    return ev


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_pdf_has_figures_and_the_charts_of_the_page(client, world, ev):
    client.force_login(world.quality)
    url = reverse("campaign_results_pdf", args=[ev.campaign.pk])
    text = _pdf_text(client.get(url + "?by=teacher"))
    assert "Respondents: 6" in text and "Respondents: 9" not in text
    assert ev.s1.teacher.full_name in text and "Көбүрөөк практика керек" in text
    # Teacher B's line says only that it is hidden; their words appear nowhere.
    assert "fewer than 5: not shown" in text and "Жогорку топтун сыры" not in text
    page = client.get(reverse("campaign_results", args=[ev.campaign.pk])).content.decode()
    goals = next(s for s in selectors.results(ev.campaign).overall.stats if s.question.code == "goals")
    assert report.distribution_chart(goals) in page  # the same SVG on the page…
    assert "<svg" in report.distribution_chart(goals)


def test_the_pdf_of_a_small_scope_shows_nothing_of_it(client, world, ev):
    client.force_login(world.quality)
    url = reverse("campaign_results_pdf", args=[ev.campaign.pk]) + f"?teacher={ev.s2.teacher_id}"
    text = _pdf_text(client.get(url))
    assert ev.s2.teacher.full_name in text  # the scope is named…
    assert "the results are not shown" in text and "Mean" not in text and "Жогорку топтун сыры" not in text
    client.force_login(world.head_b)  # faculty B holds only the small group
    text = _pdf_text(client.get(reverse("campaign_results_pdf", args=[ev.campaign.pk])))
    assert "the results are not shown" in text and "Жогорку" not in text and "Көбүрөөк" not in text


def test_the_pdf_follows_the_readers_scope(client, world, ev):
    client.force_login(world.analyst)
    assert client.get(reverse("campaign_results_pdf", args=[ev.campaign.pk])).status_code == 404
    client.force_login(world.staff_a)  # teacher A reads their own results
    assert "Respondents: 6" in _pdf_text(client.get(reverse("campaign_results_pdf", args=[ev.campaign.pk])))


def test_results_below_the_thresholds_are_marked(world, ev):
    ev.campaign.action_positive_below = 60
    results = selectors.results(ev.campaign, by="teacher")
    report.decorate(ev.campaign, results)
    flagged = {s.question.code for s in results.overall.stats if s.below}
    assert flagged == {"practice"}  # 3 of 5: positive 0 %, mean 3 < 3.5
    (shown,) = [g for g in results.groups if not g.hidden]
    assert not shown.below


def test_the_quality_department_raises_an_action_on_a_low_result(client, world, ev):
    url = reverse("campaign_raise_action", args=[ev.campaign.pk])
    query = f"?teacher={ev.s1.teacher_id}&question=practice&item=0"
    client.force_login(world.quality)
    page = client.get(reverse("campaign_results", args=[ev.campaign.pk]) + f"?teacher={ev.s1.teacher_id}")
    assert 'data-testid="raise-action"' in page.content.decode()
    form = client.get(url + query)
    assert form.status_code == 200 and "Question practice" in form.content.decode()
    data = {"kind": "corrective", "description": "Практикалык сабактарды көбөйтүү", "deadline": "2099-01-31"}
    data["owner"] = world.head_a.person.pk
    response = client.post(url + query, data)
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.origin == Origin.SURVEY and action.survey_campaign == ev.campaign
    assert action.survey_scope == f"teacher={ev.s1.teacher_id}&question=practice"
    assert action.unit == ev.s1.teacher.unit  # the teacher's department
    detail = client.get(action.get_absolute_url()).content.decode()
    assert 'data-testid="survey-link"' in detail and action.survey_url.replace("&", "&amp;") in detail


def test_no_action_on_a_good_or_hidden_result_nor_by_others(client, world, ev):
    url = reverse("campaign_raise_action", args=[ev.campaign.pk])
    client.force_login(world.quality)
    assert client.get(url + "?question=goals&item=0").status_code == 404  # mean 4: fine
    assert client.get(url + f"?teacher={ev.s2.teacher_id}&question=goals&item=0").status_code == 404  # hidden
    assert client.get(url + f"?teacher={ev.s2.teacher_id}").status_code == 404
    assert client.get(url + "?question=nosuch").status_code == 404
    for user in (world.head_a, world.staff_a, world.rector):
        client.force_login(user)
        assert client.get(url + "?question=practice&item=0").status_code == 403
        page = client.get(reverse("campaign_results", args=[ev.campaign.pk])).content.decode()
        assert 'data-testid="raise-action"' not in page
    assert not Action.objects.exists()
