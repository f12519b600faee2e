import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in, sign_out, tr
from sapat.improvement.models import Action, ActionStatus, NcState, Nonconformity

pytestmark = pytest.mark.e2e


def _click(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_a_nonconformity_from_registration_to_closing(page, live_server, e2e_world):
    """A teacher registers a nonconformity; the faculty's quality responsible analyses it and
    plans an action for the teacher; the dean and the quality department approve the plan; the
    teacher does it; the dean (not the action's owner) finds it effective; the quality
    department closes it."""
    w = e2e_world
    from sapat.improvement import services

    nc_type = services.types_for(w.inst.pk).get(code="environment")

    sign_in(page, live_server, w.staff_a)
    page.goto("/improvement/nonconformities/new/")
    form = page.locator("main form")
    form.locator("input[name=title]").fill("Аудиторияда жарык жетишсиз")
    form.locator("select[name=nc_type]").select_option(str(nc_type.pk))
    form.locator("select[name=source]").select_option("daily_work")
    form.locator("select[name=unit]").select_option(str(w.fac_a.pk))
    form.locator("textarea[name=description]").fill("305-аудиторияда 6 лампанын 4ү күйбөйт.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    nc = Nonconformity.objects.get()
    expect(page.locator("h1")).to_contain_text(nc.code)
    expect(page.locator("[data-testid=start]")).to_have_count(0)  # not the registrar's step
    sign_out(page)

    sign_in(page, live_server, w.quality_a)
    page.goto(f"/improvement/nonconformities/{nc.pk}/")
    _click(page, "[data-testid=start]")
    _click(page, "[data-testid=analyse]")
    page.locator("input[name=why_1]").fill("Эмне үчүн лампалар күйбөйт?")
    page.locator("input[name=because_1]").fill("Алмаштыруу графиги жок.")
    page.locator("textarea[name=root_cause]").fill("Жарыктандырууну текшерүү тартиби жок.")
    _click(page, "main form button[type=submit]")
    assert Nonconformity.objects.get().state == NcState.ACTION_PLAN
    _click(page, "[data-testid=add-action]")
    form = page.locator("main form")
    form.locator("select[name=kind]").select_option("corrective")
    form.locator("textarea[name=description]").fill("Лампаларды алмаштыруу жана текшерүү графигин бекитүү")
    form.locator("select[name=owner]").select_option(str(w.staff_a.person.pk))
    form.locator("input[name=deadline]").fill("2099-01-31")
    _click(page, "main form button[type=submit]")
    expect(page.locator("[data-testid=actions]")).to_contain_text("Лампаларды алмаштыруу")
    expect(page.locator("[data-testid=approve-unit]")).to_have_count(0)  # the dean approves, not her
    sign_out(page)

    sign_in(page, live_server, w.head_a)
    page.goto(f"/improvement/nonconformities/{nc.pk}/")
    _click(page, "[data-testid=approve-unit]")
    sign_out(page)

    sign_in(page, live_server, w.quality)
    page.goto(f"/improvement/nonconformities/{nc.pk}/")
    _click(page, "[data-testid=approve-quality]")
    assert Nonconformity.objects.get().state == NcState.IN_PROGRESS
    sign_out(page)

    sign_in(page, live_server, w.staff_a)
    page.goto("/improvement/actions/")
    page.get_by_role("link", name="Лампаларды алмаштыруу").click()
    page.locator("[data-testid=done-form] textarea[name=result]").fill("Лампалар алмаштырылды, график бекитилди.")
    _click(page, "[data-testid=done-form] button")
    assert Action.objects.get().status == ActionStatus.DONE
    assert Nonconformity.objects.get().state == NcState.CHECK
    sign_out(page)

    # The wait before the check is over.
    Nonconformity.objects.filter(pk=nc.pk).update(check_due_on=Nonconformity.objects.get().detected_on)
    sign_in(page, live_server, w.head_a)
    page.goto(f"/improvement/nonconformities/{nc.pk}/")
    check = page.locator("[data-testid=check-form]")
    check.locator("input[value=effective]").check()
    check.locator("textarea[name=note]").fill("Бир айдан кийин текшерилди: бардык лампалар күйөт.")
    _click(page, "[data-testid=check-form] button[type=submit]")
    sign_out(page)

    sign_in(page, live_server, w.quality)
    page.goto(f"/improvement/nonconformities/{nc.pk}/")
    expect(page.locator("[data-testid=close]")).to_have_text(tr("ky", "Close the nonconformity"))
    _click(page, "[data-testid=close]")
    nc.refresh_from_db()
    assert nc.state == NcState.CLOSED and nc.verdict == "effective" and nc.checked_by == w.head_a
