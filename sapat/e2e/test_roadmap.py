"""The quality department opens the QMS roadmap, marks a task done and sees the progress move;
then turns a SWOT weakness into a quality objective."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in, tr
from sapat.processes import services_risks, services_roadmap
from sapat.processes.models import QualityObjective, SwotAnalysis, SwotItem
from sapat.processes.models_roadmap import Roadmap, RoadmapKind, RoadmapTask, TaskStatus

pytestmark = pytest.mark.e2e


def done_of(done, total, language="ky"):
    return tr(language, "%(done)s of %(total)s done") % {"done": done, "total": total}


def test_quality_department_marks_a_roadmap_task_done(page, live_server, e2e_world):
    w = e2e_world
    roadmap = services_roadmap.roadmap_start(
        actor=None,
        roadmap=Roadmap(
            institution=w.inst,
            kind=RoadmapKind.RENEWING,
            title="СМСти жаңылоо",
            start_date=timezone.localdate() - datetime.timedelta(days=90),
        ),
    )
    task = RoadmapTask.objects.filter(stage__roadmap=roadmap, stage__number=1).order_by("id").first()
    total = RoadmapTask.objects.filter(stage__roadmap=roadmap).count()

    sign_in(page, live_server, w.quality)
    page.goto("/processes/roadmap/")
    with page.expect_navigation():
        page.get_by_role("link", name="СМСти жаңылоо").click()
    stage = page.locator("[data-testid=stage-1]")
    expect(stage).to_contain_text("Даярдоо этабы")
    expect(stage.locator("[data-testid=stage-progress-count]")).to_have_text(done_of(0, 4))
    expect(page.locator(f"[data-testid=task-{task.pk}]")).to_have_class(re.compile("list-group-item-danger"))

    row = page.locator(f"[data-testid=task-{task.pk}]")
    row.locator("select[name=status]").select_option(TaskStatus.DONE)
    with page.expect_navigation():
        row.locator("form button[type=submit]").first.click()

    expect(stage.locator("[data-testid=stage-progress-count]")).to_have_text(done_of(1, 4))
    expect(page.locator("[data-testid=roadmap-progress-count]")).to_have_text(done_of(1, total))
    with translation.override("ky"):
        done_label = str(TaskStatus.DONE.label)
    expect(page.locator(f"[data-testid=task-{task.pk}] [data-testid=task-status]")).to_have_text(done_label)
    assert RoadmapTask.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_a_swot_weakness_becomes_a_quality_objective(page, live_server, e2e_world):
    w = e2e_world
    analysis = services_risks.swot_save(
        actor=None, analysis=SwotAnalysis(institution=w.inst, date=timezone.localdate(), title="SWOT 2026")
    )
    item = services_risks.swot_item_add(
        actor=None, item=SwotItem(analysis=analysis, quadrant="W", text="Окутуучулардын англис тилин билүүсү төмөн")
    )
    sign_in(page, live_server, w.quality)
    page.goto(f"/processes/swot/{analysis.pk}/")
    with page.expect_navigation():
        page.locator(f"a[href='/processes/swot/items/{item.pk}/objective/']").click()
    expect(page.locator("main textarea[name=title_ky], main input[name=title_ky]")).to_have_value(item.text)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    objective = QualityObjective.objects.get(source_swot_item=item)
    expect(page.locator("main")).to_contain_text(item.text)
    page.goto(f"/processes/swot/{analysis.pk}/")
    expect(page.locator("main")).to_contain_text(objective.code)
