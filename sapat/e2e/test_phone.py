import re

import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in

pytestmark = pytest.mark.e2e


def test_phone_menu_collapses_and_opens(phone_page, live_server, e2e_world):
    page = phone_page
    sign_in(page, live_server, e2e_world.rector)
    expect(page.locator("main h1")).to_have_text(e2e_world.inst.name_ky)

    toggler = page.locator("nav.navbar .navbar-toggler")
    menu = page.locator("#mainnav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    expect(page.locator("[data-testid=user-menu]")).to_be_hidden()

    toggler.click()
    expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # set once the slide-down has ended
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-testid=user-menu]")).to_be_visible()
    # The page is laid out for the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
