"""The staff dashboard in a real browser: metrics with charts, editing and
activating a prompt, and inspecting a conversation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conversations.models import PASSPHRASE_REDACTION, ConversationSummary, Message, PromptVersion
from conversations.prompts import prompt_activate, prompt_active_body, prompt_create_version
from tests.adminpanel.factories import ConversationFactory, MessageFactory, TokenUsageFactory
from tests.e2e.conftest import PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

SAVE = {"name": "save_store", "args": {"store_name": "ACME Hardware", "phone": "+14155550198"}, "ok": True}
LOOKUP = {"name": "lookup_by_name", "args": {"query": "acme"}, "ok": True, "result": {"matches": ["ACME Hardware"]}}


def build_usage(days: int = 30) -> None:
    """A month of believable usage by a handful of people."""
    people = [UserFactory(email=f"shopper{n}@example.com") for n in range(6)]
    now = timezone.now()
    for day in range(days):
        moment = now - timedelta(days=day, hours=2)
        for n, person in enumerate(people[: 2 + (day * 7) % 5]):
            conversation = ConversationFactory.create(user=person, started_at=moment, title="Save ACME Hardware")
            MessageFactory.create(
                conversation=conversation,
                role=Message.Role.USER,
                created_at=moment,
                intent=["save", "retrieve_by_name", "clarification", "save", "off_scope"][(day + n) % 5],
            )
            MessageFactory.create(
                conversation=conversation,
                role=Message.Role.ASSISTANT,
                created_at=moment + timedelta(seconds=2),
                tool_calls=[SAVE] if (day + n) % 5 in {0, 3} else [],
                latency_ms=700 + (day * 37 + n * 91) % 900,
                tokens_in=900,
                tokens_out=60,
                cost_usd=Decimal("0.0036"),
                model="claude-sonnet-4-5",
                fallback_used=(day + n) % 11 == 0,
                is_error=(day + n) % 13 == 0,
            )
            TokenUsageFactory.create(
                user=person,
                date=timezone.localdate(moment),
                requests=2,
                tokens_in=900,
                tokens_out=60,
                cost_usd=Decimal("0.0036"),
            )


def build_investigated_conversation():
    person = UserFactory(email="dana@example.com")
    start = timezone.now() - timedelta(minutes=20)
    conversation = ConversationFactory.create(user=person, started_at=start, title="What's the number for ACME?")
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("user", "What's the number for ACME?", {"intent": "retrieve_by_name", "state_before": "IDLE"}),
        (
            "assistant",
            "Sure — first, your passphrase please.",
            {
                "state_before": "IDLE",
                "state_after": "AWAITING_PASSPHRASE_FOR_RETRIEVE",
                "latency_ms": 812,
                "tokens_in": 1040,
                "tokens_out": 22,
                "cost_usd": Decimal("0.00345"),
                "model": "claude-sonnet-4-5",
                "model_requests": 2,
            },
        ),
        ("user", "hunter2", {"redacted": True, "passphrase_outcome": "right"}),
        (
            "assistant",
            "ACME Hardware: (415) 555-0198.",
            {
                "state_before": "AWAITING_PASSPHRASE_FOR_RETRIEVE",
                "state_after": "IDLE",
                "tool_calls": [LOOKUP],
                "latency_ms": 655,
                "tokens_in": 1210,
                "tokens_out": 18,
                "cost_usd": Decimal("0.00390"),
                "model": "gpt-4o-mini",
                "model_requests": 1,
                "fallback_used": True,
            },
        ),
    ]
    for index, (role, text, extra) in enumerate(steps):
        content = PASSPHRASE_REDACTION if extra.get("redacted") else text
        MessageFactory.create(
            conversation=conversation,
            role=role,
            content=content,
            created_at=start + timedelta(seconds=20 * index),
            **extra,
        )
    ConversationSummary.objects.create(
        conversation=conversation,
        summary="Dana looked up ACME Hardware after giving the passphrase.",
        operations_count=1,
    )
    return conversation


@pytest.fixture
def staff(db):
    return UserFactory(email="ops@example.com", is_staff=True)


def test_staff_reads_the_metrics_with_charts(page: Page, login, staff, screenshot):
    build_usage()
    login(page, staff)

    page.goto("/staff/")

    expect(page.get_by_role("heading", name="Metrics", exact=True)).to_be_visible()
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(8)
    assert page.locator("svg.chart rect.bar").count() > 30
    assert page.locator("svg.chart path.line").count() >= 4
    expect(page.locator(".figure", has_text="Conversations")).to_contain_text("1")
    expect(page.locator(".intent-bars li").first).to_contain_text("Save")
    screenshot(page, "dashboard-metrics")

    page.get_by_role("link", name="7 days").click()
    expect(page.locator("#report")).to_contain_text("7 days")
    assert page.locator("svg.chart").first.locator("rect.bar").count() <= 7


def test_staff_edits_compares_tries_activates_and_rolls_back_a_prompt(page: Page, login, staff, screenshot):
    first = prompt_create_version(role="agent", body=prompt_active_body("agent"), note="Launch prompt", user=staff)
    prompt_activate(version_id=first.pk, user=staff)
    login(page, staff)
    page.goto("/staff/prompts/agent/")
    editor = page.get_by_label("Prompt", exact=True)
    original = editor.input_value()
    assert original.strip()

    editor.fill(original + "\nAlways end with a cheerful sign-off.")
    page.get_by_role("button", name="Compare with active").click()
    expect(page.locator(".diff-add", has_text="Always end with a cheerful sign-off.")).to_have_count(1)
    page.get_by_placeholder("e.g. Save ACME Hardware").fill("Save ACME Hardware, 415-555-0198")
    page.get_by_role("button", name="Try it").click()
    expect(page.locator(".try-result")).to_be_visible()
    expect(page.locator("#diff-output .diff")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "dashboard-prompt-editor")

    page.get_by_label("What changed").fill("Friendlier sign-off")
    page.get_by_label("Make it active now").check()
    page.get_by_role("button", name="Save version").click()

    expect(page.locator(".flash-success")).to_contain_text("saved and active")
    active = PromptVersion.objects.get(role="agent", is_active=True)
    assert active.body.endswith("Always end with a cheerful sign-off.")
    expect(page.locator(".version.is-active")).to_contain_text("Friendlier sign-off")
    page.get_by_role("button", name=f"Roll back to v{first.version}").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Rolled back to agent prompt v{first.version}")
    expect(page.locator(".version.is-active")).to_contain_text("Launch prompt")
    assert PromptVersion.objects.get(role="agent", is_active=True) == first


def test_staff_finds_and_inspects_a_conversation(page: Page, login, staff, screenshot):
    build_usage(days=3)
    conversation = build_investigated_conversation()
    login(page, staff)

    page.goto("/staff/conversations/")
    page.get_by_label("Used the fallback model").check()
    page.get_by_label("User email").fill("dana@")
    row = page.locator("#results tbody tr", has_text="dana@example.com")
    expect(row).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    screenshot(page, "dashboard-inspector-list")
    row.get_by_role("link", name=f"#{conversation.pk}").click()

    expect(page.get_by_role("heading", name=f"Conversation #{conversation.pk}")).to_be_visible()
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text(PASSPHRASE_REDACTION)
    expect(transcript).not_to_contain_text("hunter2")
    expect(transcript).to_contain_text("AWAITING_PASSPHRASE_FOR_RETRIEVE")
    transcript.locator("summary", has_text="lookup_by_name").click()
    expect(transcript.locator(".tool-call pre").first).to_contain_text('"query": "acme"')
    expect(page.locator(".inspector-side")).to_contain_text("Dana looked up ACME Hardware")
    screenshot(page, "dashboard-inspector-detail")


def test_the_metrics_page_fits_a_phone(new_context, login, staff, screenshot):
    build_usage(days=7)
    page = new_context(viewport=PHONE).new_page()
    login(page, staff)

    page.goto("/staff/")

    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboard-metrics-phone")


def test_staff_manages_a_user_and_finds_it_in_the_audit_log(page: Page, login, staff, user, screenshot):
    build_usage(days=5)
    login(page, staff)

    page.goto("/staff/users/")
    page.get_by_label("Search by email").fill("alice")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    screenshot(page, "dashboard-users")
    page.get_by_role("link", name="alice@example.com").click()
    page.get_by_label("USD per day").fill("2.50")
    page.get_by_role("button", name="Save budget").click()
    expect(page.locator(".flash-success")).to_contain_text("$2.50 a day")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset passphrase").click()
    expect(page.locator(".flash-success")).to_contain_text("passphrase is cleared")
    user.refresh_from_db()
    assert (user.daily_budget_usd, user.has_passphrase) == (Decimal("2.5"), False)
    screenshot(page, "dashboard-user-detail")

    page.goto("/staff/audit/")
    page.get_by_label("User email").fill("alice")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("#results")).to_contain_text("passphrase_reset")
    screenshot(page, "dashboard-audit")


def test_staff_changes_the_configuration(page: Page, login, staff, screenshot):
    login(page, staff)
    page.goto("/staff/config/")
    page.get_by_label("Off-topic limit").fill("0")
    page.get_by_role("button", name="Save configuration").click()
    expect(page.locator(".flash-error")).to_contain_text("Nothing was saved")
    page.get_by_label("Off-topic limit").fill("5")
    page.get_by_role("button", name="Save configuration").click()

    expect(page.locator(".flash-success")).to_contain_text("Off-topic limit")
    expect(page.get_by_label("Off-topic limit")).to_have_value("5")
    screenshot(page, "dashboard-config")
