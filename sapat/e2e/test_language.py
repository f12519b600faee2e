import re

import pytest
from playwright.sync_api import expect

from sapat.core.models import User
from sapat.e2e.helpers import sign_in, sign_out, tr

pytestmark = pytest.mark.e2e


def _expect_language(page, code):
    expect(page.locator("html")).to_have_attribute("lang", code)
    switch = page.locator("[data-testid=language-switch]")
    expect(switch.locator(f"button[value={code}]")).to_have_class(re.compile(r"(^|\s)btn-secondary(\s|$)"))
    # The navbar speaks the language too (its text is the message itself while untranslated).
    expect(page.locator("nav.navbar a[href='/permissions/']")).to_have_text(tr(code, "Permissions"))


def switch_language(page, code):
    with page.expect_navigation():
        page.locator(f"[data-testid=language-switch] button[value={code}]").click()


def test_language_switch_is_kept_on_the_account(page, new_page, live_server, e2e_world):
    user = e2e_world.rector
    sign_in(page, live_server, user)
    _expect_language(page, "ky")  # the default, whatever the browser asks for

    page.goto("/units/")
    navbar_in_kyrgyz = page.locator("nav.navbar").inner_text()
    switch_language(page, "ru")
    expect(page).to_have_url(re.compile(r"/units/$"))  # back on the page it was switched on
    _expect_language(page, "ru")
    if tr("ru", "Permissions") != tr("ky", "Permissions"):
        assert page.locator("nav.navbar").inner_text() != navbar_in_kyrgyz
    assert User.objects.get(pk=user.pk).language == "ru"
    sign_out(page)

    # Another browser (no cookie from the first one): the choice comes from the account.
    other = new_page()
    sign_in(other, live_server, user)
    _expect_language(other, "ru")

    switch_language(other, "ky")
    _expect_language(other, "ky")
    assert User.objects.get(pk=user.pk).language == "ky"
