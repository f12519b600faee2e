import pytest
from playwright.sync_api import expect

from sapat.core.models import AuditEntry
from sapat.e2e.helpers import sign_in, tr
from sapat.org.models import Unit

pytestmark = pytest.mark.e2e


def test_a_file_with_one_bad_row_is_refused_whole(page, live_server, e2e_world, tmp_path):
    w = e2e_world
    units_before, log_before = Unit.objects.count(), AuditEntry.objects.count()
    bad = tmp_path / "units.csv"
    bad.write_text(
        "code,parent_code,unit_type,name_ky\n"
        "FA-NEW,FA,department,Жаңы кафедра\n"
        "FB-NEW,NOWHERE,department,Дагы бир кафедра\n",
        encoding="utf-8",
    )
    sign_in(page, live_server, w.quality)
    page.goto("/import/")
    with page.expect_navigation():
        page.locator("a[href='/import/units/']").click()
    page.locator("input[type=file][name=file]").set_input_files(str(bad))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator("[data-testid=import-failed]")).to_be_visible()
    rows = page.locator("[data-testid=import-problems] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(0)).to_have_text("3")
    expect(rows.first.locator("td").nth(1)).to_have_text(tr("ky", "Parent unit code"))
    expect(rows.first.locator("td").nth(2)).to_contain_text("NOWHERE")
    assert Unit.objects.count() == units_before
    assert AuditEntry.objects.count() == log_before

    # The same file corrected goes in whole.
    bad.write_text(bad.read_text(encoding="utf-8").replace("NOWHERE", "FB"), encoding="utf-8")
    page.locator("input[type=file][name=file]").set_input_files(str(bad))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("[data-testid=import-ok]")).to_be_visible()
    assert set(Unit.objects.filter(code__endswith="-NEW").values_list("code", flat=True)) == {"FA-NEW", "FB-NEW"}
