"""The demo roadmaps: both institutions renew their QMS, partly done with some tasks overdue,
and loading again changes nothing."""

import pytest

from sapat.demo.roadmap_loader import load_roadmaps
from sapat.processes.models_roadmap import Roadmap, RoadmapKind, RoadmapTask, TaskStatus


@pytest.mark.parametrize("code", ["batsu", "oshsu"])
def test_each_institution_renews_its_qms_partly_done(loaded_once, db, code):
    assert loaded_once[f"{code} roadmap"] == "created"
    roadmap = Roadmap.objects.get(institution__code=code)
    assert roadmap.kind == RoadmapKind.RENEWING and roadmap.stages.count() == 8
    tasks = list(RoadmapTask.objects.filter(stage__roadmap=roadmap).select_related("stage"))
    statuses = {t.status for t in tasks}
    assert statuses == set(TaskStatus.values)
    assert all(t.status == TaskStatus.DONE for t in tasks if t.stage.number <= 2)
    assert 2 <= sum(t.is_overdue for t in tasks) <= 8
    quality = roadmap.institution.units.get(parent__isnull=True).quality_responsible
    assert any(t.owner_id == quality.pk and t.is_open for t in tasks)


def test_loading_again_changes_nothing(loaded_once, db):
    before = RoadmapTask.objects.count()
    assert load_roadmaps(write=lambda line: None) == {"batsu": "skipped", "oshsu": "skipped"}
    assert RoadmapTask.objects.count() == before
