import re

import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in, tr

pytestmark = pytest.mark.e2e


def test_browse_search_and_open_a_unit(page, live_server, e2e_world):
    w = e2e_world
    sign_in(page, live_server, w.admin)
    page.goto("/units/")
    tree = page.locator("[data-testid=unit-tree]")
    expect(tree).to_be_visible()
    codes = tree.locator(".code")
    expect(codes.filter(has_text=re.compile(r"^FA$"))).to_be_visible()
    expect(codes.filter(has_text=re.compile(r"^FB$"))).to_be_visible()

    # Typing filters in place (htmx swaps the tree; the page does not reload).
    def tree_search(response):
        return "/units/?" in response.url and "q=FB" in response.url and response.request.headers.get("hx-request")

    with page.expect_response(tree_search):
        page.locator("main input[type=search][name=q]").fill("FB")
    expect(codes).to_have_text([w.root.code, "FB"])
    expect(page).to_have_url(re.compile(r"/units/$"))

    with page.expect_navigation():
        tree.locator(f"a[href='/units/{w.fac_b.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/units/{w.fac_b.pk}/$"))
    expect(page.locator("main h1")).to_have_text(w.fac_b.name_ky)


def test_unit_head_may_edit_only_own_faculty(page, live_server, e2e_world):
    w = e2e_world
    sign_in(page, live_server, w.head_a)

    # Faculty B can be seen (the structure is not secret) but offers no edit link.
    response = page.goto(f"/units/{w.fac_b.pk}/")
    assert response.status == 200
    expect(page.locator("main h1")).to_have_text(w.fac_b.name_ky)
    expect(page.locator(f"main a[href='/units/{w.fac_b.pk}/edit/']")).to_have_count(0)

    response = page.goto(f"/units/{w.fac_a.pk}/edit/")
    assert response.status == 200
    form = page.locator("main form[method=post]")
    expect(form.locator("input[name=code]")).to_have_value("FA")
    expect(form.locator("button[type=submit]")).to_be_visible()

    response = page.goto(f"/units/{w.fac_b.pk}/edit/")
    assert response.status == 403
    expect(page.locator("main h1")).to_have_text(tr("ky", "No access"))
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main a[href='/']")).to_be_visible()
