"""Browser tests: a real daphne serving the test database, driven by headless Chromium.

How to write one (see test_accounts_e2e.py):

    pytestmark = pytest.mark.e2e

    def test_something(page, login, user, screenshot):
        login(page, user)                       # session cookie, no login form
        page.goto("/directory/")                # relative to live_url
        expect(page.get_by_role("heading", name="Directory")).to_be_visible()
        screenshot(page, "directory")           # tests/e2e/artifacts/directory.png

Fixtures
    live_url        base URL of a daphne (ASGI, streams SSE) started once per session on a free port,
                    serving the test database pytest-django created.
    page            pytest-playwright's page: a fresh browser context per test, 1280x800, base_url = live_url.
    new_context     pytest-playwright's factory for more contexts, e.g. new_context(viewport=PHONE).
    login           login(page, user): logs the user in by session cookie; returns the page.
    logged_in_page  `page` with the `user` fixture (alice@example.com) logged in.
    screenshot      screenshot(page, name) -> Path of a full-page PNG in tests/e2e/artifacts/.

Every test in this directory runs with `transactional_db` (autouse): what it
writes is committed, so daphne sees it. Test process and daphne share one file
cache, so cache.clear(), config changes (forget_config) and rate limits mean
the same in both.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import BrowserContext, Page
from pytest_django import Settings

from accounts.models import User
from tests.daphne import ARTIFACTS, daphne_server

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# would otherwise refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


# ---- The server --------------------------------------------------------------


@pytest.fixture(scope="session")
def shared_cache_dir() -> Iterator[str]:
    path = tempfile.mkdtemp(prefix="storebot-e2e-cache-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def live_url(django_db_setup: None, shared_cache_dir: str) -> Iterator[str]:
    """Start daphne on the test database; yield its base URL; stop it."""
    with daphne_server(
        app_path="storebot.asgi:application",
        extra_env={"STOREBOT_TEST_CACHE_DIR": shared_cache_dir},
        log_name="daphne",
    ) as url:
        yield url


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db: None) -> None:
    """Data must be committed for daphne to see it."""


@pytest.fixture(autouse=True)
def _e2e_shared_cache(settings: Settings, shared_cache_dir: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": shared_cache_dir}
    }
    cache.clear()


# ---- The browser (pytest-playwright fixtures, configured) ---------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        # Fail, never skip: CI must run these. `make browser` installs it.
        pytest.fail(
            f"Browser tests need Debian's chromium at {CHROMIUM}. Install it: apt-get install -y chromium",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_url: str) -> str:
    """pytest-playwright gives every context this base URL: page.goto("/accounts/login/")."""
    return live_url


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    # Here rather than in browser_context_args, so new_context(viewport=PHONE) can still override it.
    return new_context(viewport=DESKTOP)


# ---- Helpers -----------------------------------------------------------------


@pytest.fixture
def login(live_url: str) -> Callable[[Page, User], Page]:
    """login(page, user): sign the user in through a session cookie (no form, no rate limit)."""

    def _login(page: Page, user: User) -> Page:
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie.value, "url": live_url, "httpOnly": True}]
        )
        return page

    return _login


@pytest.fixture
def logged_in_page(page: Page, login: Callable[[Page, User], Page], user: User) -> Page:
    return login(page, user)


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """screenshot(page, name): a full-page PNG at tests/e2e/artifacts/<name>.png."""

    def _screenshot(page: Page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _screenshot


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `make test` runs browser tests in a pytest process of their own, selected
    # by this mark; a test here without it would start Playwright among the rest.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
