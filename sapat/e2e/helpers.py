"""What e2e tests share besides fixtures: signing in and out, and the text a page shows for
a message in a given language (so assertions hold with or without translations)."""

from django.utils import translation

PASSWORD = "pass-Word-42"  # every account made by sapat.org.tests.factories.user_with_role


def tr(language: str, message: str) -> str:
    """`message` as the interface shows it in `language` (the message itself while untranslated)."""
    with translation.override(language):
        return str(translation.gettext(message))


def sign_in(page, live_server, username, password=PASSWORD, *, expect_success=True):
    """Fill the sign-in form at /accounts/login/ and submit it. `username` may be a User."""
    username = getattr(username, "username", username)
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if expect_success:
        # The account menu is only drawn for a signed-in user.
        page.locator("[data-testid=user-menu]").wait_for(state="attached")
    return page


def sign_out(page):
    """Sign out through the account menu (the POST form in it); ends on the sign-in page."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        page.locator(".navbar-collapse.show").wait_for()
    page.locator("[data-testid=user-menu]").click()
    with page.expect_navigation():
        page.locator("nav form[action$='/accounts/logout/'] button[type=submit]").click()
    return page
