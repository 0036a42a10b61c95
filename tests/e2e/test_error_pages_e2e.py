"""The 403, 404 and 500 pages in a browser, served as production serves them (DEBUG=false): styled like
the rest of the site, no wider than a phone, and their way back leads somewhere real."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

from accounts.models import User
from tests.daphne import daphne_server
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def production_url(django_db_setup: None, shared_cache_dir: str) -> Iterator[str]:
    """A daphne on the test database with DEBUG off, so Django renders templates/403.html and 404.html (plain
    HTTP, as the tests have no TLS)."""
    with daphne_server(
        app_path="storebot.asgi:application",
        extra_env={
            "STOREBOT_TEST_CACHE_DIR": shared_cache_dir,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
        },
        log_name="daphne-debug-off",
    ) as url:
        yield url


@pytest.fixture(params=sorted(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def production_page(browser: Browser, production_url: str, size: str) -> Iterator[Page]:
    # Not new_context: the session's base_url (the DEBUG-on server) would clash with this one.
    viewport = ViewportSize(width=SIZES[size]["width"], height=SIZES[size]["height"])
    context = browser.new_context(viewport=viewport, base_url=production_url)
    yield context.new_page()
    context.close()


def _login(page: Page, user: User, url: str) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": url}])


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_unknown_page_is_the_styled_404_and_leads_back_to_the_chat(
    production_page: Page, production_url: str, user: User, size: str, screenshot
):
    page = production_page
    _login(page, user, production_url)

    response = page.goto("/no-such-page/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="This page doesn't exist")).to_be_visible()
    expect(page.locator(".topbar")).to_be_visible()
    _fits(page, SIZES[size]["width"])
    screenshot(page, f"error-404-{size}")
    page.get_by_role("link", name="Back to the chat").click()
    expect(page.get_by_role("heading", name="What can I do for you?")).to_be_visible()


def test_the_staff_pages_refuse_a_user_with_the_styled_403(
    production_page: Page, production_url: str, user: User, size: str, screenshot
):
    page = production_page
    _login(page, user, production_url)

    response = page.goto("/staff/")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="You can't open this page")).to_be_visible()
    _fits(page, SIZES[size]["width"])
    screenshot(page, f"error-403-{size}")
    page.get_by_role("link", name="Your directory").click()
    expect(page.get_by_role("heading", name="Directory", exact=True)).to_be_visible()


def test_the_500_page_is_styled_and_leads_back(production_page: Page, production_url: str, size: str, screenshot):
    # No page of the app fails on purpose: the browser receives the rendered 500.html as a failing
    # response from the server's origin, so its stylesheet and links are the real ones.
    page = production_page
    html = render_to_string("500.html")
    page.route("**/broken/", lambda route: _fail(route, html))

    response = page.goto("/broken/")

    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    assert page.locator(".error-page").evaluate("el => getComputedStyle(el).textAlign") == "center"
    _fits(page, SIZES[size]["width"])
    screenshot(page, f"error-500-{size}")
    page.get_by_role("link", name="Back to the chat").click()
    page.wait_for_url("**/accounts/login/**")


def _fail(route: Route, html: str) -> None:
    route.fulfill(status=500, content_type="text/html; charset=utf-8", body=html)
