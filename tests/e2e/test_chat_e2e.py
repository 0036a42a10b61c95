"""Chat in a real browser: save a store, look it up through the masked passphrase prompt, end the
conversation; watch a paced reply grow word by word; screenshots of the chat on desktop and phone."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import ConsoleMessage, Page, Response, expect

from accounts.models import User
from conversations.models import Message
from ops.config import forget_config, get_config
from tests.conversations.views.paced_server import paced_daphne
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

PASSPHRASE = "open sesame"  # the `user` fixture's
REPLY_TIMEOUT_MS = 15_000
NARROW_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors of the page (a Content-Security-Policy violation is one)."""
    errors: list[str] = []
    page.on("console", lambda message: _keep_error(message, errors))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _keep_error(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type == "error":
        errors.append(message.text)


def _composer(page: Page):
    return page.locator("#composer-input")


def _last_reply(page: Page):
    return page.locator(".msg-assistant").last


def _send(page: Page, text: str) -> None:
    """Type and press Enter once the box takes messages; return once the message's bubble is in the transcript."""
    expect(page.locator("[data-composer].is-busy")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    sent = page.locator(".msg-user").count()
    _composer(page).fill(text)
    _composer(page).press("Enter")
    expect(page.locator(".msg-user")).to_have_count(sent + 1)


def _reply_finished(page: Page) -> None:
    """The reply is complete and the message box takes the next message."""
    expect(page.locator(".msg-assistant.is-streaming")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)
    expect(page.locator("[data-composer].is-busy")).to_have_count(0)


def _settled(page: Page) -> Page:
    """Wait until new bubbles have finished fading in (the typing dots loop forever and do not count)."""
    page.wait_for_function(
        "() => document.getAnimations().every("
        "a => a.playState !== 'running' || a.effect.getTiming().iterations === Infinity)"
    )
    return page


def test_save_a_store_then_look_it_up_with_the_masked_passphrase(
    logged_in_page: Page, user, console_errors, screenshot
):
    page = logged_in_page
    streams: list[Response] = []
    page.on("response", lambda response: streams.append(response) if "/stream/" in response.url else None)

    page.goto("/")
    expect(page.get_by_role("heading", name="What can I do for you?")).to_be_visible()
    expect(_composer(page)).to_be_focused()
    screenshot(page, "chat-empty")

    # An example fills the box; Enter sends.
    page.get_by_role("button", name="Save ACME Hardware, 415-555-0198").click()
    expect(_composer(page)).to_have_value("Save ACME Hardware, 415-555-0198")
    _composer(page).press("Enter")
    expect(page.locator(".msg-user").last).to_have_text("Save ACME Hardware, 415-555-0198")
    expect(_last_reply(page)).to_contain_text("(415) 555-0198", timeout=REPLY_TIMEOUT_MS)
    expect(_last_reply(page).locator(".tool-chip")).to_have_text("Saved ACME Hardware")
    _reply_finished(page)
    page.wait_for_url(re.compile(r"/c/\d+/$"))
    assert streams
    assert streams[0].headers["content-type"] == "text/event-stream"
    assert user.stores.get().phone_e164 == "+14155550198"

    # Shift+Enter is a new line, not a send.
    _composer(page).press_sequentially("first line")
    _composer(page).press("Shift+Enter")
    _composer(page).press_sequentially("second line")
    expect(_composer(page)).to_have_value("first line\nsecond line")
    expect(page.locator(".msg-user")).to_have_count(1)

    # A lookup asks for the passphrase in a masked field.
    _send(page, "What's the number for ACME?")
    expect(page.locator("#chat-state")).to_have_text("Waiting for your passphrase", timeout=REPLY_TIMEOUT_MS)
    expect(_composer(page)).to_have_attribute("type", "password", timeout=REPLY_TIMEOUT_MS)
    expect(_composer(page)).to_have_attribute("autocomplete", "off")
    expect(_composer(page)).to_be_focused()
    expect(page.locator(".conversation-item[aria-current=page] .state-badge")).to_have_text(
        "Waiting for your passphrase"
    )

    _send(page, PASSPHRASE)
    expect(page.locator(".msg-user").last).to_contain_text("Passphrase sent")
    expect(_last_reply(page)).to_contain_text("Here it is: ACME Hardware, (415) 555-0198", timeout=REPLY_TIMEOUT_MS)
    expect(_last_reply(page).locator(".tool-chip")).to_have_text("Found 1 match")
    expect(_composer(page)).to_have_attribute("placeholder", re.compile("Save a store"))
    expect(page.locator("#chat-state")).to_have_text("Ready")
    _reply_finished(page)
    assert PASSPHRASE not in page.content()
    assert not Message.objects.filter(content__icontains=PASSPHRASE).exists()
    assert console_errors == []
    screenshot(_settled(page), "chat")


def test_the_chat_on_a_phone(new_context, login, user, screenshot):
    phone = new_context(viewport=PHONE).new_page()
    login(phone, user)
    phone.goto("/")
    # The list folds into a bar above the chat, so the transcript gets the screen.
    expect(phone.locator(".chat-sidebar-toggle")).to_be_visible()
    expect(phone.locator("#conversation-list")).to_be_hidden()
    screenshot(phone, "chat-empty-phone")

    _send(phone, "Save ACME Hardware, 415-555-0198")
    expect(_last_reply(phone)).to_contain_text("is saved", timeout=REPLY_TIMEOUT_MS)
    _reply_finished(phone)
    _send(phone, "What's the number for ACME?")
    expect(_composer(phone)).to_have_attribute("type", "password", timeout=REPLY_TIMEOUT_MS)
    phone.set_viewport_size(NARROW_PHONE)
    assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW_PHONE["width"]
    expect(phone.locator(".composer-send")).to_be_in_viewport()
    screenshot(_settled(phone), "chat-passphrase-phone-360")
    phone.set_viewport_size(PHONE)
    _send(phone, PASSPHRASE)
    expect(_last_reply(phone)).to_contain_text("(415) 555-0198", timeout=REPLY_TIMEOUT_MS)
    _reply_finished(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(_settled(phone), "chat-phone")

    phone.locator(".chat-sidebar-toggle").click()
    expect(phone.locator(".conversation-item")).to_have_count(1)


def test_saying_bye_ends_the_conversation_and_disables_the_box(logged_in_page: Page, user, screenshot):
    page = logged_in_page
    page.goto("/")
    _send(page, "Save ACME Hardware, 415-555-0198")
    _reply_finished(page)

    _send(page, "bye")

    closed = page.locator("#composer")
    expect(closed).to_contain_text("This conversation has ended.", timeout=REPLY_TIMEOUT_MS)
    expect(closed.locator("textarea, input[name=text]")).to_have_count(0)
    expect(page.locator("#chat-state")).to_have_text("Ended")
    expect(closed.get_by_role("button", name="New conversation")).to_be_focused()
    screenshot(_settled(page), "chat-ended")

    closed.get_by_role("button", name="New conversation").click()
    page.wait_for_url(re.compile(r"/c/\d+/$"))
    expect(page.get_by_role("heading", name="What can I do for you?")).to_be_visible()
    expect(_composer(page)).to_be_enabled()
    expect(page.locator(".conversation-item")).to_have_count(2)


def test_a_reached_budget_and_the_rate_limit_are_told_in_the_transcript(logged_in_page: Page, user, screenshot):
    page = logged_in_page
    user.daily_budget_usd = Decimal("0")
    user.save()
    config = get_config()
    config.chat_rate_limit_per_minute = 1
    config.save()
    forget_config()
    _not_at_the_end_of_a_minute()
    page.goto("/")

    _send(page, "Save ACME Hardware, 415-555-0198")
    expect(page.locator(".msg-error")).to_contain_text("You've reached today's assistant limit")
    _reply_finished(page)

    _composer(page).fill("What's the number for ACME?")
    _composer(page).press("Enter")
    notice = page.locator(".msg-notice")
    expect(notice).to_contain_text("the limit is 1 a minute")
    expect(_composer(page)).to_have_value("What's the number for ACME?")
    expect(page.locator("[data-composer].is-busy")).to_have_count(0)
    expect(page.locator("#flashes .flash")).to_have_count(0)
    screenshot(_settled(page), "chat-errors")


def _not_at_the_end_of_a_minute() -> None:
    """The rate limit counts in one-minute windows: start a test of it well inside one."""
    into_minute = time.time() % 60
    if into_minute > 55:
        time.sleep(60 - into_minute + 0.1)


def test_without_javascript_the_form_posts_and_the_page_shows_the_reply(new_context, login, user):
    page = new_context(java_script_enabled=False).new_page()
    login(page, user)
    page.goto("/")

    _composer(page).fill("Save ACME Hardware, 415-555-0198")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/c/\d+/$"))
    expect(_last_reply(page)).to_contain_text("(415) 555-0198, is saved")

    _composer(page).fill("What's the number for ACME?")
    page.get_by_role("button", name="Send").click()
    expect(_composer(page)).to_have_attribute("type", "password")
    _composer(page).fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(_last_reply(page)).to_contain_text("Here it is: ACME Hardware, (415) 555-0198")
    assert PASSPHRASE not in page.content()


# ---- A reply you can watch arrive (the paced model) ------------------------------


@pytest.fixture(scope="module")
def paced_url(django_db_setup: None) -> Iterator[str]:
    with paced_daphne() as url:
        yield url


def test_a_reply_is_seen_growing_word_by_word(page: Page, paced_url: str, user: User, screenshot):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": paced_url}])
    page.goto(f"{paced_url}/")

    _send(page, "Save ACME Hardware, 415-555-0198")

    # The typing dots first, then words while the reply is still streaming.
    expect(page.locator(".is-streaming .typing")).to_be_visible()
    page.wait_for_function(
        "() => { const text = document.querySelector('.is-streaming .bubble-text');"
        " return text && text.textContent.length > 0; }",
        timeout=REPLY_TIMEOUT_MS,
    )
    partial = page.locator(".is-streaming .bubble-text").text_content() or ""
    screenshot(page, "chat-streaming")
    _reply_finished(page)
    final = _last_reply(page).locator(".bubble-text").text_content() or ""
    assert partial
    assert len(partial) < len(final)
    assert final.startswith(partial)
    assert final == Message.objects.get(role=Message.Role.ASSISTANT).content
