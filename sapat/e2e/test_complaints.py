"""The trust box in the browser: from an anonymous complaint to its answer, and on a phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sapat.complaints.choices import Status
from sapat.complaints.models import Complaint
from sapat.e2e.helpers import sign_in, sign_out, tr

pytestmark = pytest.mark.e2e


def track(page, code):
    page.goto("/trust/track/")
    page.locator("[data-testid=track-form] input[name=code]").fill(code.lower())
    with page.expect_navigation():
        page.locator("[data-testid=track-form] button[type=submit]").click()
    return page.locator("[data-testid=complaint-status]")


def test_a_student_sends_an_anonymous_complaint_and_follows_it_to_the_answer(page, live_server, e2e_world, settings):
    """A student, without an account, sends an anonymous complaint and keeps the code; the
    quality department routes it to faculty A; the faculty's head answers; the student sees
    the answer with the code."""
    settings.COMPLAINT_MIN_FILL_SECONDS = 0
    w = e2e_world
    page.goto(f"{live_server.url}/trust/{w.inst.code}/")
    form = page.locator("[data-testid=complaint-form]")
    form.locator("input[name=kind][value=complaint]").check()
    form.locator("select[name=submitter_type]").select_option("student")
    form.locator("select[name=category]").select_option("teaching")
    form.locator("select[name=concerns_unit]").select_option(str(w.fac_a.pk))
    form.locator("input[name=subject]").fill("Сабак өтпөй калды")
    form.locator("textarea[name=text]").fill("Эки жумадан бери мугалим сабакка келбей жатат.")
    expect(form.locator("[data-testid=anonymous]")).to_be_checked()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.anonymous and complaint.submitted_by is None

    status = track(page, code)
    expect(status).to_contain_text(tr("ky", "Received"))
    status.locator("textarea[name=text]").fill("Бүгүн дагы сабак болгон жок.")
    with page.expect_navigation():
        status.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=complaint-status]")).to_contain_text(tr("ky", "Your message has been added."))

    sign_in(page, live_server, w.quality)
    page.goto("/complaints/")
    with page.expect_navigation():
        page.locator("[data-testid=complaint-list] a", has_text="Сабак өтпөй калды").click()
    route = page.locator("[data-testid=route-form]")
    expect(route.locator("select[name=unit]")).to_have_value(str(w.fac_a.pk))  # the unit the student named
    with page.expect_navigation():
        route.locator("button[type=submit]").click()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ROUTED
    sign_out(page)

    sign_in(page, live_server, w.head_a)
    page.goto(f"/complaints/{complaint.pk}/")
    expect(page.locator("main")).to_contain_text("Бүгүн дагы сабак болгон жок.")
    answer = page.locator("[data-testid=answer-form]")
    answer.locator("textarea[name=answer]").fill("Мугалим алмаштырылды, өтпөй калган сабактар ишемби күнү өтүлөт.")
    answer.locator("textarea[name=note]").fill("Кафедра башчысы менен сүйлөшүлдү.")
    with page.expect_navigation():
        answer.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=answer]")).to_be_visible()
    sign_out(page)

    status = track(page, code)
    expect(status.locator("[data-testid=public-answer]")).to_contain_text("Мугалим алмаштырылды")
    expect(status).not_to_contain_text("Кафедра башчысы менен сүйлөшүлдү.")  # the internal note
    expect(status.locator("[data-testid=follow-up-form]")).to_have_count(0)


def test_the_quality_department_turns_a_complaint_into_an_improvement_action(page, live_server, e2e_world):
    """An anonymous suggestion becomes an improvement action for faculty A; the action names
    nobody and shows its origin, and the complaint shows the action."""
    from sapat.complaints.tests import factories as cf
    from sapat.improvement.models import Action, Origin

    w = e2e_world
    complaint = cf.routed(w, subject="Китепкана эрте жабылат", text="Китепкана саат 16да жабылат, окууга убакыт жок.")
    sign_in(page, live_server, w.quality)
    page.goto(f"/complaints/{complaint.pk}/")
    with page.expect_navigation():
        page.locator("[data-testid=led-to] [data-testid=raise-action]").click()
    form = page.locator("main form[method=post]")
    expect(form.locator("textarea[name=description]")).to_have_value("Китепкана саат 16да жабылат, окууга убакыт жок.")
    form.locator("select[name=owner]").select_option(str(w.head_a.person.pk))
    form.locator("input[name=deadline]").fill((timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    action = Action.objects.get(complaint=complaint)
    assert action.origin == Origin.COMPLAINT and action.unit == w.fac_a and action.owner == w.head_a.person
    expect(page.locator("main")).to_contain_text(tr("ky", "Complaint or suggestion"))
    page.goto(f"/complaints/{complaint.pk}/")
    expect(page.locator("[data-testid=led-to] [data-testid=raised-action]")).to_be_visible()
    expect(page.locator("[data-testid=led-to] [data-testid=raise-nc]")).to_have_count(0)


def test_the_trust_box_on_a_phone(phone_page, live_server, e2e_world):
    page = phone_page
    page.goto(f"{live_server.url}/trust/{e2e_world.inst.code}/")
    form = page.locator("[data-testid=complaint-form]")
    expect(form).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone's screen
    # The honeypot is out of sight, and the send button is in reach.
    assert form.locator("input[name=website]").bounding_box()["x"] < 0
    expect(form.locator("button[type=submit]")).to_be_visible()
