"""The design system renders every component, keeps focus visible and fits a 360 px phone."""

from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

KITCHEN_SINK = (Path(__file__).parent / "pages" / "kitchen_sink.html").read_text()
SMALL_PHONE = {"width": 360, "height": 740}


def _open_kitchen_sink(page: Page, live_url: str, user) -> None:
    # Rendered here with base.html, served at a URL of the live server so /static/ comes from daphne.
    request = RequestFactory().get("/")
    request.user = user
    html = engines["django"].from_string(KITCHEN_SINK).render({}, request)
    url = f"{live_url}/__design-system__/"
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(url)


def test_every_component_renders_on_desktop(page: Page, live_url, user, screenshot):
    _open_kitchen_sink(page, live_url, user)

    expect(page.get_by_role("link", name="Directory")).to_be_visible()
    assert (
        page.locator(".btn-primary").first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(15, 110, 102)"
    )
    screenshot(page, "design-system")


def test_keyboard_focus_is_always_visible(page: Page, live_url, user):
    _open_kitchen_sink(page, live_url, user)

    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")

    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_a_360_pixel_phone_never_scrolls_sideways(new_context, live_url, screenshot):
    phone = new_context(viewport=SMALL_PHONE).new_page()
    _open_kitchen_sink(phone, live_url, AnonymousUser())

    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    # Stacked table rows show their column names as labels.
    assert phone.locator(".table thead").evaluate("e => getComputedStyle(e).display") == "none"
    screenshot(phone, "design-system-phone")


def test_dismiss_button_removes_a_message(page: Page, live_url, user):
    _open_kitchen_sink(page, live_url, user)

    page.get_by_role("button", name="Dismiss").click()

    expect(page.get_by_text("Saved ACME Hardware.")).to_have_count(0)


def test_the_buttons_of_a_page_header_action_row_line_up(page: Page, live_url, user):
    _open_kitchen_sink(page, live_url, user)

    tops = page.locator(".page-header .row > .btn").evaluate_all("els => els.map(e => e.getBoundingClientRect().top)")
    title_gap = page.locator(".page-header .muted").first.evaluate("e => getComputedStyle(e).marginTop")

    assert len(tops) == 2
    assert tops[0] == tops[1]
    assert title_gap == "4px"  # the title block's lines are still spaced (--space-1)
