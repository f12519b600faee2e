"""The quality department enters an indicator's value in the browser, sees the dashboard's
latest value and status change, drills down to the unit and downloads the dashboard PDF."""

import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sapat.e2e.helpers import sign_in, tr
from sapat.org.models import AcademicYear
from sapat.processes import services_indicators as services
from sapat.processes.models_indicators import Indicator, IndicatorLevel, IndicatorTarget, IndicatorValue

pytestmark = pytest.mark.e2e


def test_enter_a_value_and_see_the_dashboard_change(page, live_server, e2e_world):
    w = e2e_world
    language = w.quality.language or "ky"
    for start in (2023, 2024):
        AcademicYear.objects.create(
            institution=w.inst,
            start_year=start,
            start_date=datetime.date(start, 9, 1),
            end_date=datetime.date(start + 1, 6, 30),
        )
    ind = services.indicator_save(
        actor=None,
        indicator=Indicator(
            institution=w.inst,
            code="ИШК",
            name_ky="Бүтүрүүчүлөрдүн ишке орношуусу",
            unit_of_measure="%",
            level=IndicatorLevel.UNIT,
            min_value=0,
            max_value=100,
        ),
    )
    services.target_save(actor=None, target=IndicatorTarget(indicator=ind, year=2024, target=70, warning=60))
    services.value_enter(actor=None, indicator=ind, year=2024, unit=w.fac_a, value="55")

    sign_in(page, live_server, w.quality)
    page.goto(f"/processes/indicators/?unit={w.fac_a.pk}")
    expect(page.get_by_test_id("latest-ИШК")).to_contain_text("55")
    expect(page.get_by_test_id("status-ИШК")).to_have_text(tr(language, "Off target"))
    expect(page.locator("[data-testid=dashboard-table] svg circle")).to_have_count(1)

    page.get_by_test_id("dashboard-table").get_by_role("link", name="ИШК").click()
    page.locator(f"main a[href$='/indicators/{ind.pk}/values/new/']").click()
    form = page.locator("main form[method=post]")
    form.locator("select[name=year]").select_option("2024")
    form.locator("select[name=unit]").select_option(str(w.fac_a.pk))
    form.locator("input[name=value]").fill("87,5")
    form.locator("textarea[name=comment]").fill("Бүтүрүүчүлөр боюнча сурамжылоо")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert IndicatorValue.objects.get(superseded_by__isnull=True).entered_by == w.quality

    page.goto("/processes/indicators/")
    page.get_by_test_id("dashboard-units").get_by_role("link", name=w.fac_a.name).click()
    expect(page.get_by_test_id("latest-ИШК")).to_contain_text("87.5")
    expect(page.get_by_test_id("status-ИШК")).to_have_text(tr(language, "On target"))
    expect(page.locator("[data-testid=dashboard-table] svg circle")).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_test_id("dashboard-pdf").click()
    data = Path(download.value.path()).read_bytes()
    assert data[:5] == b"%PDF-"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "ИШК" in text and "87.5" in text and tr(language, "On target") in text
