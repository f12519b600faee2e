"""Results: figures, who sees which, small groups hidden on the page, in exports and the API."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sapat.surveys import selectors
from sapat.surveys.models import Token

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def ev(world):
    ev = f.teaching(world)
    f.answer(ev.s1, 6)  # teacher A (dep_a, faculty A): shown
    f.answer(ev.s2, 3)  # teacher B (faculty B): below the minimum of 5
    return ev


def test_figures_per_question(ev):
    results = selectors.results(ev.campaign, by="teacher")
    # Teacher B's 3 answers count nowhere: not in their line, not in the total.
    assert results.overall.respondents == 6
    goals = next(s for s in results.overall.stats if s.question.code == "goals")
    assert goals.counts == {4: 6} and goals.mean == 4 and goals.median == 4 and goals.positive_share == 100
    practice = next(s for s in results.overall.stats if s.question.code == "practice")
    assert practice.positive_share == 0 and practice.distribution()[2][1:] == (6, 100)
    (shown,) = [g for g in results.groups if not g.hidden]
    (hidden,) = [g for g in results.groups if g.hidden]
    assert shown.key == ev.s1.teacher_id and shown.respondents == 6
    assert hidden.key == ev.s2.teacher_id and hidden.stats == []
    assert [t for q, texts in results.texts for t in texts] == ["Көбүрөөк практика керек"] * 6


def test_a_small_group_cannot_be_recovered_by_subtraction(ev):
    """The total minus the shown lines gives nothing about the hidden one."""
    results = selectors.results(ev.campaign, by="teacher")
    shown = [g for g in results.groups if not g.hidden]
    assert results.overall.respondents == sum(g.respondents for g in shown)
    for overall_stat, *lines in zip(results.overall.stats, *[g.stats for g in shown], strict=True):
        summed = {}
        for stat in lines:
            for value, n in stat.counts.items():
                summed[value] = summed.get(value, 0) + n
        assert overall_stat.counts == summed


def test_comparison_with_the_institution_and_the_previous_campaign(world, ev):
    results = selectors.results(ev.campaign, selectors.Q(teacher=ev.s1.teacher))
    goals = next(s for s in results.overall.stats if s.question.code == "goals")
    assert goals.compare["institution"] == 4.0
    assert "previous" not in goals.compare


def test_a_teacher_sees_only_their_own_results(client, world, ev):
    client.force_login(world.staff_a)  # teacher A, no results permission
    page = client.get(reverse("campaign_results", args=[ev.campaign.pk]) + "?by=teacher")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Respondents: 6" in body and ev.s2.teacher.full_name not in body
    client.force_login(ev.teacher_b)  # teacher B: 3 answers, hidden even from them
    page = client.get(reverse("campaign_results", args=[ev.campaign.pk]))
    assert page.status_code == 200 and 'data-testid="hidden-overall"' in page.content.decode()


def test_a_head_sees_their_departments_teachers(client, world, ev):
    client.force_login(world.head_a)
    body = client.get(reverse("campaign_results", args=[ev.campaign.pk]) + "?by=teacher").content.decode()
    assert "Respondents: 6" in body and ev.s2.teacher.full_name not in body
    client.force_login(world.head_b)  # faculty B has only teacher B's 3 answers: hidden
    body = client.get(reverse("campaign_results", args=[ev.campaign.pk]) + "?by=teacher").content.decode()
    assert 'data-testid="hidden-overall"' in body and "fewer than 5: not shown" in body
    assert "Көбүрөөк практика" not in body  # free text of a hidden group is hidden too


def test_quality_sees_everything_but_small_groups(client, world, ev):
    client.force_login(world.quality)
    body = client.get(reverse("campaign_results", args=[ev.campaign.pk]) + "?by=teacher").content.decode()
    assert "Respondents: 6" in body and "fewer than 5: not shown" in body
    # Drilling down into the small group shows nothing.
    body = client.get(
        reverse("campaign_results", args=[ev.campaign.pk]) + f"?teacher={ev.s2.teacher_id}"
    ).content.decode()
    assert 'data-testid="hidden-overall"' in body


def test_readers_of_results_cannot_manage_the_campaign(client, world, ev):
    client.force_login(world.quality_a)  # faculty A quality: sees faculty A's slots
    assert client.get(reverse("campaign_results", args=[ev.campaign.pk])).status_code == 200
    assert client.get(reverse("campaign_detail", args=[ev.campaign.pk])).status_code == 200
    # …but may not manage it.
    assert client.post(reverse("campaign_tokens", args=[ev.campaign.pk])).status_code == 403
    assert client.get(reverse("campaign_slips", args=[ev.campaign.pk])).status_code == 403
    assert client.get(reverse("campaign_raw", args=[ev.campaign.pk])).status_code == 403


def test_someone_with_no_part_in_it_cannot_open_it(client, world, ev):
    client.force_login(world.rector)  # management reads results, but of no unit here? the root: all
    assert client.get(reverse("campaign_results", args=[ev.campaign.pk])).status_code == 200
    client.force_login(world.analyst)  # read-only role without survey results
    assert client.get(reverse("campaign_results", args=[ev.campaign.pk])).status_code == 404
    assert client.get(f"/api/survey-campaigns/{ev.campaign.pk}/results/").status_code == 404


def test_exports_hide_small_groups(client, world, ev):
    client.force_login(world.quality)
    csv_text = client.get(reverse("campaign_export", args=[ev.campaign.pk, "csv"]) + "?by=teacher").content.decode()
    assert ev.s1.teacher.full_name in csv_text
    teacher_b_rows = [line for line in csv_text.splitlines() if ev.s2.teacher.full_name in line]
    assert teacher_b_rows == [f"{ev.s2.teacher.full_name},fewer than 5,,,,,,"]
    xlsx = client.get(reverse("campaign_export", args=[ev.campaign.pk, "xlsx"]) + "?by=teacher")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    b_rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == ev.s2.teacher.full_name]
    assert len(b_rows) == 1 and not any(b_rows[0][2:])
    raw = client.get(reverse("campaign_raw", args=[ev.campaign.pk])).content.decode()
    assert "Психология" not in raw and raw.count("\nПедагогика") == 0
    assert raw.count(",Педагогика,") == 6 * len(f.TEACHING_ANSWERS)
    assert str(Token.objects.filter(used=True).first().code) not in raw


def test_api_gives_aggregates_only_and_hides_small_groups(client, world, ev):
    client.force_login(world.quality)
    data = client.get(f"/api/survey-campaigns/{ev.campaign.pk}/results/?by=teacher").json()
    assert data["overall"]["respondents"] == 6 and data["min_group_size"] == 5
    hidden = [g for g in data["groups"] if g["hidden"]]
    assert len(hidden) == 1 and hidden[0]["respondents"] is None and hidden[0]["stats"] == []
    assert "text" not in str(data["overall"]["stats"][0])
    client.force_login(world.head_b)
    data = client.get(f"/api/survey-campaigns/{ev.campaign.pk}/results/").json()
    assert data["overall"]["hidden"] and data["overall"]["stats"] == []


def test_api_questionnaires_and_tokens(client, world, ev):
    client.force_login(world.quality)
    listing = client.get("/api/questionnaires/").json()
    assert any(q["key"] == "teaching-evaluation" for q in listing["results"] if isinstance(listing, dict)) or any(
        q["key"] == "teaching-evaluation" for q in listing
    )
    response = client.post(
        f"/api/survey-campaigns/{ev.campaign.pk}/tokens/", {"count": 3}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["issued"] == 6 and len(response.json()["codes"]) == 6  # 3 for each of 2 pairs
    client.force_login(world.head_a)
    assert client.post(f"/api/survey-campaigns/{ev.campaign.pk}/tokens/", {}).status_code == 403
    assert client.get("/api/questionnaires/").status_code == 403


def test_progress_counts_answers_per_group(client, world, ev):
    rows = {r["label"]: r for r in selectors.progress(ev.campaign, "group")}
    assert rows["ПЕД-1-23"]["responses"] == 6 and rows["ПЕД-1-23"]["expected"] == 25
    assert rows["ПЕД-1-23"]["rate"] == 24 and rows["ПЕД-2-23"]["used"] == 3
    client.force_login(world.quality)
    page = client.get(reverse("campaign_detail", args=[ev.campaign.pk]))
    assert page.status_code == 200 and "24%" in page.content.decode()
    slips = client.get(reverse("campaign_slips", args=[ev.campaign.pk]) + f"?group={ev.g1.pk}")
    assert slips.content.decode().count('class="slip"') == 19 and "<svg" in slips.content.decode()


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("suffix", ["results/?by=teacher", "", "results/?by=faculty"])
def test_pages_cost_the_same_whatever_the_answers(client, world, ev, suffix):
    client.force_login(world.quality)
    url = reverse("campaign_detail", args=[ev.campaign.pk]) + suffix
    small = _count(client, url)
    f.answer(ev.s2, 10)
    f.answer(ev.s1, 10)
    assert _count(client, url) == small


def test_comparison_with_the_previous_campaign(world, ev):
    from sapat.surveys import services
    from sapat.surveys.choices import CampaignStatus
    from sapat.surveys.models import Campaign

    later = Campaign.objects.get(pk=ev.campaign.pk)
    later.pk, later.id, later._state.adding = None, None, True
    later.open_key, later.previous, later.status = "later", ev.campaign, CampaignStatus.DRAFT
    later.save()
    slot, _ = services.slot_add_teaching(
        actor=world.quality, campaign=later, group=ev.g1, discipline="Педагогика", teacher=ev.s1.teacher
    )
    services.tokens_generate(actor=world.quality, campaign=later)
    services.campaign_open(actor=world.quality, campaign=later)
    f.answer(slot, 5, {**f.TEACHING_ANSWERS, "goals": "2"})
    results = selectors.results(later, selectors.Q(teacher=ev.s1.teacher))
    goals = next(s for s in results.overall.stats if s.question.code == "goals")
    assert goals.mean == 2 and goals.compare == {"institution": 2.0, "previous": 4.0}
