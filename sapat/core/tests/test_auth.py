"""Signing in (throttled), resetting a password by e-mail, the interface language kept on
the account, and no page without signing in."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import URLPattern, reverse
from django.utils import translation

from sapat.core.forms import ThrottledAuthenticationForm
from sapat.core.models import User

PASSWORD = "pass-Word-42"  # what the factories set


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


def throttled_message():
    with translation.override("en"):
        return str(ThrottledAuthenticationForm.error_messages["throttled"])


# --- sign-in ---------------------------------------------------------------------------------


def test_sign_in_works(client, world):
    response = sign_in(client, "head_a", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in(client)


def test_wrong_password_is_refused(english, world):
    response = sign_in(english, "head_a", "wrong")
    assert response.status_code == 200
    assert not signed_in(english)
    assert response.context["form"].errors


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(english, world):
    assert settings.LOGIN_MAX_FAILURES == 5
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = sign_in(english, "head_a", "wrong")
        assert response.status_code == 200
        assert throttled_message() not in response.content.decode()
    response = sign_in(english, "head_a", PASSWORD)
    assert response.status_code == 200
    assert not signed_in(english)
    assert throttled_message() in response.content.decode()
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["throttled"]


def test_throttling_counts_the_user_name_in_any_case(english, world):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(english, "HEAD_A", "wrong")
    response = sign_in(english, "head_a", PASSWORD)
    assert not signed_in(english)
    assert throttled_message() in response.content.decode()


def test_throttling_is_per_user_name(english, world):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(english, "head_a", "wrong")
    assert sign_in(english, "head_b", PASSWORD).status_code == 302
    assert signed_in(english)


def test_success_before_the_limit_resets_the_count(client, world):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(client, "head_a", "wrong")
    assert sign_in(client, "head_a", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(client, "head_a", "wrong")
    assert sign_in(client, "head_a", PASSWORD).status_code == 302


def test_lockout_ends_when_the_cache_forgets(english, world):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(english, "head_a", "wrong")
    cache.clear()  # what the lockout's expiry does
    assert sign_in(english, "head_a", PASSWORD).status_code == 302


def test_switched_off_account_cannot_sign_in(client, world):
    User.objects.filter(pk=world.staff_a.pk).update(is_active=False)
    assert sign_in(client, "staff_a", PASSWORD).status_code == 200
    assert not signed_in(client)


# --- password reset --------------------------------------------------------------------------


def test_password_reset_sends_a_link_that_works(client, world):
    User.objects.filter(pk=world.staff_a.pk).update(email="staff.a@example.org")
    response = client.post(reverse("password_reset"), {"email": "staff.a@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff.a@example.org"]
    match = re.search(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body

    # The link leads to the form for a new password, which then works for signing in.
    response = client.get(match.group(1))
    assert response.status_code == 302
    response = client.post(response.url, {"new_password1": "Jangy-Syr-2025", "new_password2": "Jangy-Syr-2025"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert User.objects.get(pk=world.staff_a.pk).check_password("Jangy-Syr-2025")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_nothing(client, world):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_pages_render(client, world):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"])).status_code == 200


# --- language --------------------------------------------------------------------------------


def test_language_choice_is_kept_on_the_account(client, world):
    client.force_login(world.head_a)
    assert '<html lang="ky">' in client.get(reverse("home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("unit_tree")})
    assert response.status_code == 302
    assert response.url == reverse("unit_tree")
    assert User.objects.get(pk=world.head_a.pk).language == "ru"
    assert '<html lang="ru">' in client.get(reverse("home")).content.decode()

    # On another device, without the cookie, the account's choice still wins.
    client.cookies.clear()
    client.force_login(User.objects.get(pk=world.head_a.pk))
    assert '<html lang="ru">' in client.get(reverse("unit_tree")).content.decode()


def test_account_language_wins_over_the_browser(client, world):
    User.objects.filter(pk=world.head_a.pk).update(language="en")
    client.force_login(User.objects.get(pk=world.head_a.pk))
    response = client.get(reverse("home"), headers={"accept-language": "ru"})
    assert '<html lang="en">' in response.content.decode()


def test_unknown_language_falls_back_to_kyrgyz(client, world):
    User.objects.filter(pk=world.head_a.pk).update(language="ru")
    client.force_login(User.objects.get(pk=world.head_a.pk))
    client.post(reverse("set_language"), {"language": "xx"})
    assert User.objects.get(pk=world.head_a.pk).language == "ky"


def test_anonymous_language_choice_uses_a_cookie(client, world):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


def test_language_switch_does_not_redirect_elsewhere(client, world):
    client.force_login(world.head_a)
    response = client.post(reverse("set_language"), {"language": "ru", "next": "https://evil.example.org/"})
    assert response.url == "/"


# --- no page without signing in ---------------------------------------------------------------

PUBLIC = {
    "login",
    "logout",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _page_urls():
    from sapat.core import urls as core_urls
    from sapat.org import urls as org_urls

    for pattern in [*core_urls.urlpatterns, *org_urls.urlpatterns]:
        assert isinstance(pattern, URLPattern)
        if pattern.name in PUBLIC:
            continue
        kwargs = {
            name: 1 if conv.__class__.__name__ == "IntConverter" else "x"
            for name, conv in pattern.pattern.converters.items()
        }
        if pattern.name == "record_history":
            kwargs = {"app_label": "org", "model": "unit", "object_id": "1"}
        yield pattern.name, reverse(pattern.name, kwargs=kwargs)


PAGES = list(_page_urls())


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[name for name, _ in PAGES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, db, name, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302, (name, response.status_code)
    assert response.url.startswith(reverse("login") + "?next="), (name, response.url)


def test_page_list_is_complete():
    names = {name for name, _ in PAGES}
    assert {"home", "audit_log", "record_history", "permission_matrix", "password_change"} <= names
    assert {"unit_tree", "unit_edit", "person_list", "role_end", "academic_year_edit"} <= names


def test_behind_a_proxy_the_forwarded_address_is_throttled_not_the_proxy(settings, rf):
    from sapat.core.forms import client_address

    settings.PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == "10.0.0.7"  # the address nginx saw; the left one is client-made
    settings.PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
