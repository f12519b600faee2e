import re

import pytest
from playwright.sync_api import expect

from sapat.e2e.helpers import sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_admin_signs_in_sees_institution_and_signs_out(page, live_server, e2e_world):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    sign_in(page, live_server, e2e_world.admin)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_have_text(e2e_world.inst.name_ky)
    expect(page.locator("[data-testid=user-menu]")).to_be_visible()

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("[data-testid=user-menu]")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_keeps_the_user_out(page, live_server, e2e_world):
    sign_in(page, live_server, e2e_world.admin, "not-the-password", expect_success=False)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("main form .alert, main form .invalid-feedback, main form .errorlist").first).to_be_visible()
    expect(page.locator("[data-testid=user-menu]")).to_have_count(0)
