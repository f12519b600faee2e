"""The QMS implementation roadmap: starting one from the reference pack, tasks kept by the
quality department and reported on by their owners, progress and overdue tasks, the pages in
every language, permissions role by role, and a fixed number of queries for the page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.core.models import AuditEntry
from sapat.org.tests import factories as org_factories
from sapat.processes import selectors_roadmap as sel
from sapat.processes import services_roadmap as svc
from sapat.processes.models_roadmap import Roadmap, RoadmapKind, RoadmapStage, RoadmapTask, TaskStatus

from .test_risks import login

pytestmark = pytest.mark.usefixtures("english")

TODAY = timezone.localdate


def start(world, actor=None, start_date=None, **kwargs):
    kwargs.setdefault("kind", RoadmapKind.RENEWING)
    roadmap = Roadmap(institution=world.inst, title="СМСти жаңылоо 2026", start_date=start_date or TODAY(), **kwargs)
    return svc.roadmap_start(actor=actor, roadmap=roadmap)


def tasks_of(roadmap, number):
    return list(RoadmapTask.objects.filter(stage__roadmap=roadmap, stage__number=number).order_by("id"))


# --- the reference pack and starting a roadmap -----------------------------------------------------


def test_the_pack_has_the_eight_stages_in_three_languages():
    pack = svc.reference_pack()
    assert [s["number"] for s in pack["stages"]] == list(range(1, 9))
    for stage in pack["stages"]:
        assert set(stage["name"]) == set(stage["description"]) == {"ky", "ru", "en"}
        assert stage["tasks"] and all(set(t) == {"ky", "ru", "en"} and all(t.values()) for t in stage["tasks"])
    assert pack["stages"][0]["name"]["ky"] == "Даярдоо этабы"


def test_starting_copies_the_stages_and_tasks_with_deadlines(world):
    roadmap = start(world, actor=world.quality, start_date=datetime.date(2026, 1, 31))
    stages = list(roadmap.stages.order_by("number"))
    assert len(stages) == 8 and stages[1].name_ky == "Сапат саясатын иштеп чыгуу"
    assert roadmap.pack_version == svc.reference_pack()["version"]
    assert RoadmapTask.objects.filter(stage__roadmap=roadmap).count() == sum(
        len(s["tasks"]) for s in svc.reference_pack()["stages"]
    )
    # stage 1 is due 2 months after the start, clipped to the month's end
    assert {t.deadline for t in tasks_of(roadmap, 1)} == {datetime.date(2026, 3, 31)}
    assert {t.deadline for t in tasks_of(roadmap, 8)} == {datetime.date(2028, 1, 31)}
    assert all(t.status == TaskStatus.NOT_STARTED for t in tasks_of(roadmap, 3))
    entries = AuditEntry.objects.filter(actor=world.quality)
    assert entries.filter(content_type__model="roadmap", action="create").count() == 1
    assert entries.filter(content_type__model="roadmaptask").count() == RoadmapTask.objects.count()
    with pytest.raises(ValidationError):
        svc.roadmap_start(actor=world.quality, roadmap=roadmap)


def test_stage_and_task_text_follows_the_language(world):
    from django.utils import translation

    roadmap = start(world)
    stage = roadmap.stages.get(number=7)
    with translation.override("ru"):
        assert stage.name == "Оценка результативности СМК"
    with translation.override("ky"):
        assert stage.name == "СМСтин натыйжалуулугун баалоо"


@pytest.mark.parametrize("who,allowed", [("quality", True), ("admin", True), ("head_a", False), ("rector", False)])
def test_only_the_quality_department_starts_and_edits(world, who, allowed):
    user = getattr(world, who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            start(world, actor=user)
        assert not Roadmap.objects.exists()
        return
    roadmap = start(world, actor=user)
    roadmap.title = "Жаңы аталыш"
    svc.roadmap_save(actor=user, roadmap=roadmap)
    assert Roadmap.objects.get(pk=roadmap.pk).title == "Жаңы аталыш"


# --- tasks -------------------------------------------------------------------------------------------


def test_quality_department_adds_edits_and_removes_tasks_audited(world):
    roadmap = start(world)
    stage = roadmap.stages.get(number=2)
    task = svc.task_save(
        actor=world.quality,
        task=RoadmapTask(stage=stage, title_ky="Сапат саясатын сайтка жарыялоо", owner=world.staff_a.person),
    )
    task.deadline = TODAY() + datetime.timedelta(days=10)
    task.status = TaskStatus.IN_PROGRESS
    svc.task_save(actor=world.quality, task=task)
    assert RoadmapTask.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS
    pk = task.pk
    svc.task_delete(actor=world.quality, task=task)
    assert not RoadmapTask.objects.filter(pk=pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(pk), content_type__model="roadmaptask").values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "delete", "update"]


def test_task_needs_kyrgyz_text_and_an_owner_of_the_institution(world):
    roadmap = start(world)
    stage = roadmap.stages.get(number=1)
    with pytest.raises(ValidationError) as exc:
        svc.task_save(actor=world.quality, task=RoadmapTask(stage=stage, title_ky=" "))
    assert "title_ky" in exc.value.error_dict
    stranger = org_factories.person(world.other_root)
    with pytest.raises(ValidationError, match="another institution"):
        svc.task_save(actor=world.quality, task=RoadmapTask(stage=stage, title_ky="x", owner=stranger))
    other = tasks_of(roadmap, 2)[0]
    other.stage = stage
    with pytest.raises(ValidationError, match="stays"):
        svc.task_save(actor=world.quality, task=other)


def test_others_may_not_keep_tasks(world):
    roadmap = start(world)
    task = tasks_of(roadmap, 1)[0]
    for who in ("head_a", "staff_a", "rector", "analyst"):
        user = getattr(world, who)
        with pytest.raises(PermissionDenied):
            svc.task_save(actor=user, task=task)
        with pytest.raises(PermissionDenied):
            svc.task_delete(actor=user, task=task)


def test_the_owner_reports_their_own_task_only(world):
    roadmap = start(world)
    mine, other = tasks_of(roadmap, 1)[:2]
    mine.owner = world.staff_a.person
    svc.task_save(actor=None, task=mine)
    mine.title_ky = "changed by the owner"  # ignored: the report changes status and notes only
    svc.task_report(actor=world.staff_a, task=mine, status=TaskStatus.DONE, notes="Протокол №3")
    mine = RoadmapTask.objects.get(pk=mine.pk)
    assert (mine.status, mine.notes) == (TaskStatus.DONE, "Протокол №3") and mine.title_ky != "changed by the owner"
    with pytest.raises(PermissionDenied):
        svc.task_report(actor=world.staff_a, task=other, status=TaskStatus.DONE)
    with pytest.raises(PermissionDenied):
        svc.task_report(actor=world.head_a, task=mine, status=TaskStatus.IN_PROGRESS)
    with pytest.raises(ValidationError):
        svc.task_report(actor=world.quality, task=mine, status="finished")
    assert AuditEntry.objects.filter(actor=world.staff_a, object_id=str(mine.pk)).exists()


# --- progress ---------------------------------------------------------------------------------------


def test_progress_counts_done_of_needed_and_overdue(world):
    roadmap = start(world, start_date=TODAY() - datetime.timedelta(days=400))
    stage1 = tasks_of(roadmap, 1)  # 4 tasks, due long ago
    svc.task_report(actor=None, task=stage1[0], status=TaskStatus.DONE)
    svc.task_report(actor=None, task=stage1[1], status=TaskStatus.NOT_NEEDED)
    svc.task_report(actor=None, task=stage1[2], status=TaskStatus.IN_PROGRESS)
    view = sel.roadmap_view(sel.roadmap_detail(world.quality, roadmap.pk), world.quality)
    first = view.stages[0].progress
    assert (first.done, first.total, first.overdue, first.percent) == (1, 3, 2, 33)
    assert [s.stage.number for s in view.stages] == list(range(1, 9))
    assert view.progress.done == 1 and view.progress.total == RoadmapTask.objects.count() - 1
    # due by now (400 days in): stages 1 to 5 (2, 4, 8, 10 and 12 months); stage 1 has 2 still open
    due = RoadmapTask.objects.filter(stage__roadmap=roadmap, stage__number__in=[2, 3, 4, 5]).count()
    assert view.progress.overdue == 2 + due
    listed = sel.roadmaps_for(world.quality).get(pk=roadmap.pk)
    progress = view.progress
    assert (listed.done_count, listed.task_count, listed.overdue_count) == (1, progress.total, progress.overdue)


def test_my_tasks_lists_the_viewers_open_tasks_overdue_first(world):
    roadmap = start(world, start_date=TODAY() - datetime.timedelta(days=70))
    late, later, done = tasks_of(roadmap, 1)[0], tasks_of(roadmap, 4)[0], tasks_of(roadmap, 2)[0]
    for task in (late, later, done):
        task.owner = world.staff_a.person
        svc.task_save(actor=None, task=task)
    svc.task_report(actor=None, task=done, status=TaskStatus.DONE)
    view = sel.roadmap_view(sel.roadmap_detail(world.staff_a, roadmap.pk), world.staff_a, only_mine=True)
    assert [t.pk for t in view.mine] == [late.pk, later.pk] and late.is_overdue
    assert sum(len(s.tasks) for s in view.stages) == 3


# --- pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_pages_render_in_every_language(client, world, language):
    roadmap = start(world)
    task = tasks_of(roadmap, 1)[0]
    login(client, world.quality, language)
    for url in (
        reverse("roadmap_list"),
        reverse("roadmap_add"),
        reverse("roadmap_detail", args=[roadmap.pk]),
        reverse("roadmap_detail", args=[roadmap.pk]) + "?mine=1",
        reverse("roadmap_edit", args=[roadmap.pk]),
        reverse("roadmap_task_add", args=[task.stage_id]),
        reverse("roadmap_task_edit", args=[task.pk]),
        reverse("roadmap_task_report", args=[task.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    page = client.get(reverse("roadmap_detail", args=[roadmap.pk])).content.decode()
    name = {"ky": "Даярдоо этабы", "ru": "Подготовительный этап", "en": "Preparation"}[language]
    assert name in page


def test_pages_write_through_the_services(client, world):
    login(client, world.quality)
    response = client.post(
        reverse("roadmap_add"), {"kind": "renewing", "title": "СМС 2026", "start_date": TODAY().isoformat()}
    )
    assert response.status_code == 302
    roadmap = Roadmap.objects.get(title="СМС 2026")
    assert RoadmapStage.objects.filter(roadmap=roadmap).count() == 8
    stage = roadmap.stages.get(number=3)
    response = client.post(
        reverse("roadmap_task_add", args=[stage.pk]),
        {"title_ky": "Ички аудиторлорду даярдоо", "owner": world.staff_a.person.pk, "status": "not_started"},
    )
    assert response.status_code == 302
    task = RoadmapTask.objects.get(title_ky="Ички аудиторлорду даярдоо")
    assert client.post(reverse("roadmap_task_add", args=[stage.pk]), {"status": "done"}).status_code == 400
    response = client.post(reverse("roadmap_task_report", args=[task.pk]), {"status": "done", "notes": ""})
    assert response.status_code == 302 and RoadmapTask.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert client.post(reverse("roadmap_task_report", args=[task.pk]), {"status": "bogus"}).status_code == 400
    pk = task.pk
    assert client.post(reverse("roadmap_task_delete", args=[pk])).status_code == 302
    assert not RoadmapTask.objects.filter(pk=pk).exists()
    response = client.post(reverse("roadmap_add"), {"kind": "renewing", "title": "", "start_date": "x"})
    assert response.status_code == 400


def test_owner_reports_on_the_page_others_get_403(client, world):
    roadmap = start(world)
    task = tasks_of(roadmap, 1)[0]
    task.owner = world.staff_a.person
    svc.task_save(actor=None, task=task)
    login(client, world.staff_a)
    page = client.get(reverse("roadmap_detail", args=[roadmap.pk])).content.decode()
    assert 'data-testid="my-roadmap-tasks"' in page
    assert client.post(reverse("roadmap_task_report", args=[task.pk]), {"status": "in_progress"}).status_code == 302
    assert RoadmapTask.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS
    other = tasks_of(roadmap, 1)[1]
    for url in (
        reverse("roadmap_add"),
        reverse("roadmap_edit", args=[roadmap.pk]),
        reverse("roadmap_task_add", args=[task.stage_id]),
        reverse("roadmap_task_edit", args=[task.pk]),
        reverse("roadmap_task_report", args=[other.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("roadmap_task_delete", args=[task.pk])).status_code == 403
    assert RoadmapTask.objects.filter(pk=task.pk).exists()


def test_other_institution_gets_404(client, world):
    roadmap = start(world)
    task = tasks_of(roadmap, 1)[0]
    user = org_factories.user_with_role("quality_department", world.other_root, username="osh_quality")
    login(client, user)
    assert client.get(reverse("roadmap_detail", args=[roadmap.pk])).status_code == 404
    assert client.get(reverse("roadmap_task_edit", args=[task.pk])).status_code == 404
    assert client.post(reverse("roadmap_task_delete", args=[task.pk])).status_code == 404
    assert roadmap.title not in client.get(reverse("roadmap_list")).content.decode()


def test_overdue_tasks_are_highlighted(client, world):
    roadmap = start(world, start_date=TODAY() - datetime.timedelta(days=130))  # stages 1 and 2 are due
    login(client, world.quality)
    page = client.get(reverse("roadmap_detail", args=[roadmap.pk])).content.decode()
    assert page.count("list-group-item-danger") == len(tasks_of(roadmap, 1)) + len(tasks_of(roadmap, 2))


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["roadmap_detail", "roadmap_list"])
def test_pages_cost_the_same_for_few_or_many_tasks(client, world, name):
    roadmap = start(world)
    login(client, world.quality)
    url = reverse(name, args=[roadmap.pk]) if name == "roadmap_detail" else reverse(name)
    small = _count(client, url)
    stage = roadmap.stages.get(number=5)
    for i in range(30):
        svc.task_save(actor=None, task=RoadmapTask(stage=stage, title_ky=f"Тапшырма {i}", owner=world.staff_a.person))
    start(world)
    assert _count(client, url) == small
