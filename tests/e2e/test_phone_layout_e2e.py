"""The phone layout (issue 15): in the directory, search comes before the "Add a store" card on a
phone (and the card sits beside the list on a desk); no page a user or a staff member can reach is
wider than a 390 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import PHONE
from tests.e2e.test_dashboard_e2e import build_investigated_conversation, build_usage
from tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.e2e

REPLY_TIMEOUT_MS = 15_000

USER_PAGES = [
    "/",
    "/directory/",
    "/directory/deleted/",
    "/directory/import/",
    "/accounts/settings/",
    "/accounts/password/",
]
STAFF_PAGES = [
    "/staff/",
    "/staff/conversations/",
    "/staff/users/",
    "/staff/prompts/",
    "/staff/prompts/agent/",
    "/staff/config/",
    "/staff/audit/",
]
SIGNED_OUT_PAGES = ["/accounts/login/", "/accounts/signup/"]


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["y"]


def _overflow(page: Page, path: str) -> str | None:
    """The page's width beyond the screen, as a message, or None when it fits."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return None
    culprits = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
             .filter(el => el.getBoundingClientRect().right > limit + 1)
             .slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))""",
        PHONE["width"],
    )
    return f"{path} is {width}px wide: {culprits}"


def _shot_name(path: str) -> str:
    slug = path.strip("/").replace("/", "-")
    return f"phone-fit-{slug or 'chat'}"


def test_on_a_phone_search_comes_before_the_add_card(new_context, login, user: User, screenshot):
    for number in range(3):
        StoreFactory(user=user, store_name=f"Store {number}")
    phone = login(new_context(viewport=PHONE).new_page(), user)
    phone.goto("/directory/")

    assert _top(phone, "#store-search") < _top(phone, "#add-title")
    expect(phone.locator("#store-results tbody tr").first).to_be_in_viewport()
    # Keyboard order follows what the eye sees: the search box before the add form's first field.
    assert phone.evaluate(
        "document.getElementById('store-search').compareDocumentPosition("
        "document.querySelector('#add-store input[name=store_name]')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    screenshot(phone, "phone-directory-search-first")


def test_on_a_desk_the_add_card_sits_beside_the_list(logged_in_page: Page, user: User, screenshot):
    StoreFactory(user=user, store_name="ACME Hardware")
    page = logged_in_page
    page.goto("/directory/")

    search = page.locator("#store-search").bounding_box()
    card = page.locator(".directory-add").bounding_box()
    assert search is not None
    assert card is not None
    assert card["x"] > search["x"] + search["width"]
    assert abs(card["y"] - search["y"]) < 40
    page.get_by_label("Store name").fill("Blue Bottle")
    page.get_by_label("Phone number").fill("510-555-0143")
    page.get_by_role("button", name="Add store").click()
    expect(page.locator("#store-results")).to_contain_text("Blue Bottle")
    screenshot(page, "desktop-directory-add-beside")


def test_no_page_is_wider_than_a_phone(new_context, login, screenshot):
    build_usage()
    investigated = build_investigated_conversation()
    staff = UserFactory(email="ops@example.com", is_staff=True, passphrase="open sesame")
    StoreFactory(user=staff, store_name="A very long store name that goes on: Hardware and Garden Supplies")
    StoreFactory(user=staff, store_name="Gone", phone_e164="+442079460958", deleted_at="2026-01-01T00:00:00Z")

    signed_out = new_context(viewport=PHONE).new_page()
    problems = [_overflow(signed_out, path) for path in SIGNED_OUT_PAGES]

    phone = login(new_context(viewport=PHONE).new_page(), staff)
    phone.goto("/")
    phone.locator("#composer-input").fill("Save ACME Hardware, 415-555-0198")
    phone.locator("#composer-input").press("Enter")
    expect(phone.locator(".msg-assistant.is-streaming")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    phone.wait_for_url("**/c/*/")
    pages = [
        *USER_PAGES,
        phone.url.removeprefix(phone.url.split("/c/")[0]),
        *STAFF_PAGES,
        f"/staff/users/{investigated.user_id}/",
        f"/staff/conversations/{investigated.pk}/",
    ]
    for path in pages:
        problems.append(_overflow(phone, path))
        screenshot(phone, _shot_name(path))

    assert [problem for problem in problems if problem] == []
