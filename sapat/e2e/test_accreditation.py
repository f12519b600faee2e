"""The accreditation register and the framework import in Chromium: the quality department
records a programme's accreditation and its suspension, sees them on the board and the
timeline; a framework file with problems is refused with the list, a good one is loaded."""

import json

import pytest
from playwright.sync_api import expect

from sapat.accreditation.models import Accreditation, AccreditationState, Framework
from sapat.accreditation.tests.factories import pack
from sapat.e2e.helpers import sign_in
from sapat.org.tests import factories as org

pytestmark = pytest.mark.e2e


def test_record_an_accreditation_and_its_suspension(page, live_server, e2e_world):
    w = e2e_world
    programme = org.programme(w.fac_a, code="050720", name_ky="Дене тарбия")
    sign_in(page, live_server, w.quality)
    page.goto("/accreditation/register/new/")
    form = page.locator("main form[method=post]")
    form.locator("select[name=kind]").select_option("programme")
    form.locator("select[name=programme]").select_option(str(programme.pk))
    form.locator("input[name=agency]").fill("ААОПО")
    form.locator("input[name=decision_date]").fill("2024-04-10")
    form.locator("input[name=decision_number]").fill("17")
    form.locator("select[name=result]").select_option("conditional")
    form.locator("input[name=certificate_number]").fill("АК-2024-0017")
    form.locator("input[name=valid_from]").fill("2024-04-10")
    form.locator("input[name=valid_until]").fill("2026-04-10")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    acc = Accreditation.objects.get()
    assert acc.programme == programme

    events = page.locator("main form[action$='/events/']")
    events.locator("select[name=kind]").select_option("suspension")
    events.locator("input[name=date]").fill("2025-01-15")
    events.locator("input[name=order_number]").fill("3-к")
    with page.expect_navigation():
        events.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("15.04.2025")  # suspended for 3 months
    acc.refresh_from_db()
    assert acc.state == AccreditationState.SUSPENDED

    page.goto("/accreditation/register/")
    board = page.locator("[data-testid=accreditation-board]")
    expect(board.locator("tr", has_text="050720")).to_contain_text("2024")
    expect(page.locator("[data-testid=accreditation-timeline] svg rect").first).to_be_attached()


def test_import_a_framework_file(page, live_server, e2e_world, tmp_path):
    w = e2e_world
    bad = pack()
    del bad["groups"][0]["criteria"][0]["levels"]["part"]
    bad_file, good_file = tmp_path / "bad.json", tmp_path / "good.json"
    bad_file.write_text(json.dumps(bad), encoding="utf-8")
    good_file.write_text(json.dumps(pack()), encoding="utf-8")

    sign_in(page, live_server, w.quality)
    page.goto("/accreditation/frameworks/import/")
    page.locator("main input[type=file]").set_input_files(str(bad_file))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-testid=import-problems]")).to_contain_text("A.1")
    assert not Framework.objects.filter(institution=w.inst).exists()

    page.locator("main input[type=file]").set_input_files(str(good_file))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text("Agency standards ky")
    expect(page.locator("#c-A\\.2")).to_contain_text("y2 ky")
