"""The e2e harness: a live Django server (pytest-django's `live_server`), one headless Chromium
per test session (Debian's, not Playwright's own download) and a fresh browser context per test.

Fixtures: `browser`, `new_page` (factory), `page` (desktop), `phone_page` (390x844),
`e2e_db` (transactional database shared with the server) and `e2e_world` (the root
conftest's `world`, visible to the server). Helpers to import: `sapat.e2e.helpers`.
The final state of every page a test opened is saved to test-artifacts/screenshots/."""

import contextlib
import os
import re
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("SAPAT_E2E_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run e2e tests after all others (stable order otherwise), so one browser serves them all."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """While Playwright runs, its sync API keeps an asyncio loop running in this thread and
    Django refuses ORM calls made there. The e2e tests are synchronous, so the refusal is
    spurious: lift it for them, and only them (subprocesses of other tests must not inherit it)."""
    if item.get_closest_marker("e2e") is None:
        return (yield)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the e2e tests in a run (they run last). Package scope, not session:
    Playwright's event loop must stop when the last e2e test is done."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see Makefile, system-deps)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _empty_append_only_tables():
    """Let the flush after a transactional test succeed on SQLite: tables guarded by BEFORE
    DELETE triggers (the audit log) are emptied here with their triggers briefly lifted.
    (PostgreSQL flushes with TRUNCATE, which row triggers do not see.)"""
    from django.db import connection, transaction

    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        guards = [row for row in cursor.fetchall() if re.search(r"\bBEFORE\s+DELETE\b", row[2], re.I)]
        for name, _table, _sql in guards:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in sorted({table for _name, table, _sql in guards}):
            cursor.execute(f'DELETE FROM "{table}"')
        for _name, _table, sql in guards:
            cursor.execute(sql)


@pytest.fixture
def e2e_db(transactional_db, live_server):
    """Database access shared with the live server (committed, flushed after the test)."""
    yield
    _empty_append_only_tables()


@pytest.fixture
def e2e_world(e2e_db, world):
    """The root conftest's `world`; under `e2e_db` it is committed, so the server sees it."""
    return world


@pytest.fixture
def new_page(browser, live_server, e2e_db, request):
    """Factory: `new_page(**context_options)` opens a page in a fresh browser context (own
    cookies) with `base_url` set to the live server. Each page's final state is saved as a
    screenshot; an uncaught JavaScript error in any page fails the test."""
    opened = []

    def factory(**options):
        options = {**DESKTOP, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        opened.append((page, errors))
        return page

    yield factory

    shots = request.config.rootpath / "test-artifacts" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.name)
    all_errors = []
    for number, (page, page_errors) in enumerate(opened, start=1):
        suffix = "" if number == 1 else f"-{number}"
        with contextlib.suppress(Exception):  # let parts loaded by htmx arrive, if any
            page.wait_for_load_state("networkidle", timeout=3_000)
        try:
            page.screenshot(path=shots / f"{stem}{suffix}.png", full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own result
            print(f"screenshot of {stem}{suffix} failed: {exc}")
        all_errors += page_errors
        page.context.close()
    assert not all_errors, f"JavaScript errors in the page: {all_errors}"


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280x800) in a fresh browser context."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (390x844, touch) in a fresh browser context."""
    return new_page(**PHONE)
