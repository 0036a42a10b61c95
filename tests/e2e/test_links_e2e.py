"""Numbers and Settings as links (issue 15): a number in a streamed reply, in a stored reply and in the
directory is a tel: link in E.164 that never wraps, with a copy button; a reply or the welcome that
names Settings links to it. At desktop and phone widths."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import User
from conversations.models import Message
from tests.adminpanel.factories import ConversationFactory, MessageFactory
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.e2e

REPLY_TIMEOUT_MS = 15_000
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, new_context: Callable[..., BrowserContext], live_url: str) -> Page:
    context = new_context(viewport=SIZES[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    page = context.new_page()
    return page


def _size(page: Page) -> str:
    return "phone" if page.viewport_size and page.viewport_size["width"] == PHONE["width"] else "desktop"


def _send(page: Page, text: str) -> None:
    expect(page.locator("[data-composer].is-busy")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    page.locator("#composer-input").fill(text)
    page.locator("#composer-input").press("Enter")
    expect(page.locator(".msg-assistant.is-streaming")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    expect(page.locator("[data-composer].is-busy")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)


def _assert_one_line(page: Page, selector: str) -> None:
    link = page.locator(selector).first
    assert link.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    assert link.evaluate("el => el.getClientRects().length") == 1


def test_a_number_in_a_streamed_reply_is_a_tel_link_with_copy(sized_page: Page, login, user: User, screenshot):
    page = login(sized_page, user)
    page.goto("/")
    _send(page, "Save ACME Hardware, 415-555-0198")

    reply = page.locator(".msg-assistant").last
    link = reply.locator("a.phone-link")
    expect(link).to_have_text("(415) 555-0198")
    expect(link).to_have_attribute("href", "tel:+14155550198")
    _assert_one_line(page, ".msg-assistant a.phone-link")
    copy = reply.locator("button.copy-btn")
    expect(copy).to_have_attribute("data-copy", "+14155550198")
    expect(copy).to_have_accessible_name("Copy (415) 555-0198")
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == "+14155550198"
    expect(copy).to_have_attribute("data-copied", "Copied")
    screenshot(page, f"links-streamed-reply-{_size(page)}")

    # The stored reply, after a reload, reads the same.
    page.reload()
    stored = page.locator(".msg-assistant").last.locator("a.phone-link")
    expect(stored).to_have_attribute("href", "tel:+14155550198")
    expect(page.locator(".msg-assistant").last.locator("button.copy-btn")).to_have_count(1)


def test_a_lookup_without_a_passphrase_links_to_settings(sized_page: Page, login, screenshot):
    newcomer = UserFactory(email="new@example.com")
    page = login(sized_page, newcomer)
    page.goto("/")
    welcome = page.locator("[data-chat-empty]")
    expect(welcome.get_by_role("link", name="Settings")).to_have_attribute("href", "/accounts/settings/")

    _send(page, "What's the number for ACME?")
    reply = page.locator(".msg-assistant").last
    expect(reply).to_contain_text("Set it in Settings, then ask again.")
    expect(reply).not_to_contain_text("(/accounts/settings/)")
    screenshot(page, f"links-settings-reply-{_size(page)}")
    reply.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/accounts/settings/")
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()

    # The stored reply links too, and the welcome's link goes to the same page.
    page.go_back()
    expect(page.locator(".msg-assistant").last.get_by_role("link", name="Settings")).to_have_attribute(
        "href", "/accounts/settings/"
    )


def test_directory_numbers_are_tel_links_with_copy_and_extension(sized_page: Page, login, user: User, screenshot):
    StoreFactory(user=user, store_name="ACME Hardware", phone_e164="+14155550198", phone_original="415-555-0198")
    StoreFactory(user=user, store_name="Head Office", phone_e164="+14155550123", phone_original="415-555-0123 ext. 42")
    page = login(sized_page, user)
    page.goto("/directory/")

    acme = page.locator("tr", has_text="ACME Hardware")
    expect(acme.locator("a.phone-link")).to_have_attribute("href", "tel:+14155550198")
    expect(acme.get_by_role("button", name="Copy ACME Hardware's number")).to_have_attribute(
        "data-copy", "+14155550198"
    )
    office = page.locator("tr", has_text="Head Office")
    expect(office.locator("a.phone-link")).to_have_text("(415) 555-0123 ext. 42")
    expect(office.locator("a.phone-link")).to_have_attribute("href", "tel:+14155550123;ext=42")
    _assert_one_line(page, "a.phone-link")

    office.get_by_role("button", name="Copy Head Office's number").click()
    assert page.evaluate("navigator.clipboard.readText()") == "+14155550123 ext. 42"
    screenshot(page, f"links-directory-{_size(page)}")


def test_a_stored_reply_links_only_the_numbers_replies_print(logged_in_page: Page, user: User):
    conversation = ConversationFactory.create(user=user, title="Numbers")
    asked = MessageFactory.create(conversation=conversation, content="My numbers?")
    MessageFactory.create(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        in_reply_to=asked,
        content=(
            "Pret, +44 20 7946 0958; Head Office, (415) 555-0123 ext. 42. Not numbers: 555-0198, "
            "order 2026-12-05, code 1234567. Your passphrase is on the Settings page (/accounts/settings/)."
        ),
    )
    page = logged_in_page
    page.goto(f"/c/{conversation.pk}/")

    reply = page.locator(".msg-assistant").last
    links = reply.locator("a.phone-link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_attribute("href", "tel:+442079460958")
    expect(links.nth(1)).to_have_text("(415) 555-0123 ext. 42")
    expect(links.nth(1)).to_have_attribute("href", "tel:+14155550123;ext=42")
    expect(reply.locator("button.copy-btn").nth(1)).to_have_attribute("data-copy", "+14155550123 ext. 42")
    expect(reply).to_contain_text("Not numbers: 555-0198, order 2026-12-05, code 1234567.")
    expect(reply).to_contain_text("on the Settings page.")
    expect(reply.get_by_role("link", name="Settings")).to_have_attribute("href", "/accounts/settings/")
    # The user's own words stay as typed.
    expect(page.locator(".msg-user a")).to_have_count(0)
