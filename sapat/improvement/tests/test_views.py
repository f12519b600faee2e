"""The pages: the register with its filters and a fixed number of queries, the detail with only
the buttons the user may use, the forms (bad input shown, nothing changed), my actions, the
overdue list, the analysis, the settings; and the reminder command."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sapat.complaints.tests import factories as complaint_f
from sapat.improvement import services as svc
from sapat.improvement.management.commands.improvement_daily import reminder_due
from sapat.improvement.models import Action, ActionStatus, NcSource, NcState, Nonconformity

from . import factories as f

pytestmark = pytest.mark.usefixtures("english")
TODAY = timezone.localdate()


def count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(world, n):
    for i in range(n):
        item = f.nc(world, unit=world.fac_a if i % 2 else world.dep_a, title=f"Туура келбөөчүлүк {i}")
        svc.nonconformity_start_analysis(actor=None, nonconformity=item)
        f.action(item, world.staff_a.person)
        Action.objects.filter(nonconformity=item).update(deadline=TODAY - datetime.timedelta(days=3))


@pytest.mark.parametrize("name", ["nc_list", "my_actions", "overdue_actions", "improvement_analysis"])
def test_lists_cost_the_same_for_3_or_30(client, world, name):
    user = world.staff_a if name == "my_actions" else world.quality
    client.force_login(user)
    grow(world, 3)
    small = count(client, reverse(name))
    grow(world, 27)
    assert count(client, reverse(name)) == small


def test_register_filters(client, world):
    a = f.nc(world, source=NcSource.COMPLAINT)
    b = f.nc(world, unit=world.fac_b, source=NcSource.ACCREDITATION)
    svc.nonconformity_start_analysis(actor=None, nonconformity=b)
    f.action(b, world.staff_a.person)
    Action.objects.update(deadline=TODAY - datetime.timedelta(days=1))
    client.force_login(world.quality)
    url = reverse("nc_list")

    def codes(query):
        response = client.get(url + query)
        return {nc.code for nc in response.context["page"].object_list}

    assert codes("") == {a.code, b.code}
    assert codes("?source=complaint") == {a.code}
    assert codes(f"?unit={world.fac_b.pk}") == {b.code}
    assert codes("?state=analysis") == {b.code}
    assert codes("?state=open") == {a.code, b.code}
    assert codes("?overdue=1") == {b.code}
    assert codes(f"?type={a.nc_type_id}&state=bogus") == {a.code, b.code}


def test_detail_shows_only_the_steps_of_this_user(client, world):
    item = f.nc(world)
    url = item.get_absolute_url()
    client.force_login(world.staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["can"]["edit"] and not response.context["can"]["start"]
    assert b'data-testid="start"' not in response.content
    client.force_login(world.quality_a)
    assert b'data-testid="start"' in client.get(url).content
    client.force_login(world.head_b)
    assert client.get(url).status_code == 404


def test_the_workflow_through_the_pages(client, world):
    item = f.nc(world)
    client.force_login(world.quality_a)
    client.post(reverse("nc_start", args=[item.pk]))
    response = client.post(reverse("nc_analyse", args=[item.pk]), {"root_cause": "", "why_1": "a"})
    assert response.status_code == 400
    response = client.post(
        reverse("nc_analyse", args=[item.pk]),
        {"root_cause": "Мөөнөт жок", "why_1": "Эмне үчүн?", "because_1": "Себеби…"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == NcState.ACTION_PLAN and item.whys[0]["because"] == "Себеби…"
    response = client.post(
        reverse("nc_action_add", args=[item.pk]),
        {"kind": "corrective", "description": "Жаңылоо", "owner": world.staff_a.person.pk, "deadline": "2000-01-01"},
    )
    assert response.status_code == 400 and Action.objects.count() == 0
    client.post(
        reverse("nc_action_add", args=[item.pk]),
        {
            "kind": "corrective",
            "description": "Жаңылоо",
            "owner": world.staff_a.person.pk,
            "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
        },
    )
    act = Action.objects.get()
    response = client.post(reverse("nc_approve", args=[item.pk, "unit"]))
    assert response.status_code == 403  # a quality responsible is not the unit's head
    client.force_login(world.head_a)
    client.post(reverse("nc_approve", args=[item.pk, "unit"]))
    client.force_login(world.quality)
    client.post(reverse("nc_approve", args=[item.pk, "quality"]))
    item.refresh_from_db()
    assert item.state == NcState.IN_PROGRESS
    client.force_login(world.staff_a)
    client.post(reverse("action_note", args=[act.pk]), {"text": "Жарымы даяр"})
    response = client.post(reverse("action_done", args=[act.pk]), {"result": ""}, follow=True)
    assert b"This field is required" in response.content
    client.post(reverse("action_done", args=[act.pk]), {"result": "Даяр"})
    item.refresh_from_db()
    assert item.state == NcState.CHECK
    Nonconformity.objects.filter(pk=item.pk).update(check_due_on=TODAY)
    client.force_login(world.head_a)
    client.post(reverse("nc_check", args=[item.pk]), {"verdict": "effective", "note": "Кайталанган жок"})
    client.force_login(world.quality)
    response = client.post(reverse("nc_close", args=[item.pk]))
    item.refresh_from_db()
    assert item.state == NcState.CLOSED


def test_a_refused_step_is_a_message_and_changes_nothing(client, world):
    item = f.nc(world)
    client.force_login(world.quality)
    response = client.post(reverse("nc_close", args=[item.pk]), follow=True)
    assert b"This cannot be done while the nonconformity is" in response.content
    item.refresh_from_db()
    assert item.state == NcState.REGISTERED


def test_register_form(client, world):
    client.force_login(world.staff_a)
    assert client.get(reverse("nc_add")).status_code == 200
    nc_type = svc.types_for(world.inst.pk).first()
    data = {
        "title": "Аудитория жылытылбайт",
        "nc_type": nc_type.pk,
        "source": "daily_work",
        "unit": world.fac_a.pk,
        "description": "Кышында 12 °C",
        "severity": "major",
        "detected_on": TODAY.isoformat(),
    }
    bad = {**data, "detected_on": (TODAY + datetime.timedelta(days=3)).isoformat()}
    assert client.post(reverse("nc_add"), bad).status_code == 400
    response = client.post(reverse("nc_add"), data)
    item = Nonconformity.objects.get()
    assert response.url == item.get_absolute_url() and item.severity == "major"


def test_pages_for_roles(client, world):
    client.force_login(world.staff_a)
    assert client.get(reverse("overdue_actions")).status_code == 403
    assert client.get(reverse("improvement_config")).status_code == 403
    assert client.get(reverse("my_actions")).status_code == 200
    client.force_login(world.rector)
    assert client.get(reverse("overdue_actions")).status_code == 200
    assert client.get(reverse("improvement_analysis")).status_code == 200
    client.force_login(world.quality)
    assert client.get(reverse("improvement_config")).status_code == 200
    response = client.post(reverse("improvement_config"), {"check_after_days": 14})
    assert response.status_code == 302 and svc.settings_for(world.inst.pk).check_after_days == 14
    response = client.post(reverse("nc_type_add"), {"code": "programmes", "name_ky": "Кайталанган", "sort": 9})
    assert response.status_code == 400


def test_action_on_its_own_and_from_a_risk(client, world):
    from sapat.processes.tests.test_risks import make_risk

    risk = make_risk(world, unit=world.fac_a)
    client.force_login(world.head_a)
    deadline = (TODAY + datetime.timedelta(days=5)).isoformat()
    client.post(
        reverse("action_add") + f"?risk={risk.pk}",
        {"kind": "preventive", "description": "Алдын алуу", "owner": world.staff_a.person.pk, "deadline": deadline},
    )
    client.post(
        reverse("action_add"),
        {
            "kind": "improvement",
            "description": "Жакшыртуу",
            "owner": world.staff_a.person.pk,
            "deadline": deadline,
            "unit": world.dep_a.pk,
            "origin": "own",
        },
    )
    assert set(Action.objects.values_list("origin", flat=True)) == {"risk", "own"}
    client.force_login(world.head_b)
    response = client.post(
        reverse("action_add"),
        {
            "kind": "improvement",
            "description": "x",
            "owner": world.staff_a.person.pk,
            "deadline": deadline,
            "unit": world.dep_a.pk,
            "origin": "own",
        },
    )
    assert response.status_code == 403


def test_analysis_counts(client, world):
    f.nc(world, source=NcSource.COMPLAINT)
    f.nc(world, source=NcSource.COMPLAINT)
    f.nc(world, source=NcSource.INSPECTION, unit=world.fac_b)
    client.force_login(world.quality)
    a = client.get(reverse("improvement_analysis")).context["a"]
    by_source = {label: total for label, _counts, total in a.tables[1].rows}
    assert a.total == 3 and by_source[str(NcSource.COMPLAINT.label)] == 2
    assert a.years == [TODAY.year]


# --- reminders ---------------------------------------------------------------------------------


def test_reminder_days():
    assert reminder_due(7, {7, 1}, 1, 7) and reminder_due(1, {7, 1}, 1, 7)
    assert not reminder_due(3, {7, 1}, 1, 7) and not reminder_due(0, {7, 1}, 1, 7)
    assert reminder_due(-1, {7, 1}, 1, 7) and reminder_due(-8, {7, 1}, 1, 7)
    assert not reminder_due(-2, {7, 1}, 1, 7)


def test_the_daily_command_reminds_owners_in_their_language(world, django_capture_on_commit_callbacks):
    owner = world.staff_a.person
    owner.email = "staff@example.org"
    owner.save()
    world.staff_a.language = "ru"
    world.staff_a.save()
    item = f.nc(world)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    due = f.action(item, owner, days=7)
    f.action(item, owner, days=3)  # listed with the others, but sends nothing on its own
    with django_capture_on_commit_callbacks(execute=True):
        call_command("improvement_daily", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.org"]
    assert "Sapat" in mail.outbox[0].subject and len(mail.outbox[0].body.split("\n- ")) == 3
    Action.objects.filter(pk=due.pk).update(status=ActionStatus.DONE, done_on=TODAY)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("improvement_daily", stdout=io.StringIO())
    assert mail.outbox == []


def test_edit_before_the_plan_only(client, world):
    item = f.nc(world)
    client.force_login(world.staff_a)
    url = reverse("nc_edit", args=[item.pk])
    data = {
        "title": "Жаңы аталыш",
        "nc_type": item.nc_type_id,
        "source": "inspection",
        "unit": world.fac_a.pk,
        "description": "Тактоо",
        "severity": "major",
        "detected_on": TODAY.isoformat(),
    }
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.severity, item.registered_by) == ("Жаңы аталыш", "major", world.staff_a)
    assert client.post(url, {**data, "unit": world.fac_b.pk}).status_code == 403  # moving it is the unit's call
    client.force_login(world.head_b)
    assert client.get(url).status_code == 404
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    svc.nonconformity_analyse(actor=None, nonconformity=item, root_cause="c")
    client.force_login(world.staff_a)
    assert client.get(url).status_code == 403


def test_computed_indicators(world):
    from sapat.processes import computations

    f.nc(world)
    item, act = f.in_progress(world)
    svc.action_done(actor=world.staff_a, action=act, result="ok")
    scope = computations.Scope(world.root)
    assert computations.compute("open_nonconformities", TODAY.year, scope) == 2
    assert computations.compute("actions_on_time_share", TODAY.year + 5, scope) is None
    due_year = act.deadline.year
    assert computations.compute("actions_on_time_share", due_year, scope) == 100


def test_pages_of_steps_taken_by_the_system(client, world):
    """The demo loader and the daily command act with no account: the pages show "—"."""
    item = f.nc(world, actor=None)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    svc.nonconformity_analyse(actor=None, nonconformity=item, root_cause="c")
    act = f.action(item, world.staff_a.person)
    svc.nonconformity_approve_plan(actor=None, nonconformity=item, side="unit")
    svc.nonconformity_approve_plan(actor=None, nonconformity=item, side="quality")
    svc.action_note_add(actor=None, action=act, text="Системадан")
    svc.action_done(actor=None, action=act, result="ok")
    Nonconformity.objects.filter(pk=item.pk).update(check_due_on=TODAY)
    svc.nonconformity_check(actor=None, nonconformity=item, verdict="effective", note="ok")
    client.force_login(world.quality)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(act.get_absolute_url()).status_code == 200


POST_ONLY = {"nc_start", "nc_approve", "nc_check", "nc_close", "action_note", "action_done", "action_cancel"}


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_every_page_renders_for_the_quality_department(client, world, language):
    from django.urls import URLPattern

    from sapat.improvement import urls

    item = f.nc(world)
    svc.nonconformity_start_analysis(actor=None, nonconformity=item)
    act = f.action(item, world.staff_a.person)
    nc_type = svc.types_for(world.inst.pk).first()
    args = {
        "nc_detail": [item.pk],
        "nc_edit": [item.pk],
        "nc_analyse": [item.pk],
        "nc_action_add": [item.pk],
        "action_detail": [act.pk],
        "nc_type_edit": [nc_type.pk],
        # the raising pages, from a complaint (those from a finding: test_raising.py)
        "raise_nonconformity": ["complaint", complaint_f.complaint(world.inst).pk],
        "raise_action": ["complaint", complaint_f.complaint(world.inst).pk],
    }
    type(world.quality).objects.filter(pk=world.quality.pk).update(language=language)
    client.force_login(type(world.quality).objects.get(pk=world.quality.pk))
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in POST_ONLY:
            assert (
                client.get(reverse(pattern.name, args=[item.pk, "unit"][: len(pattern.pattern.converters)])).status_code
                == 405
            )
            continue
        assert pattern.name in args or not pattern.pattern.converters, f"add a record for {pattern.name!r}"
        response = client.get(reverse(pattern.name, args=args.get(pattern.name, [])))
        assert response.status_code == 200, (pattern.name, response.status_code)
        assert f'<html lang="{language}">' in response.content.decode()
