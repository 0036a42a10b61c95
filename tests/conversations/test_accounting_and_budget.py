"""Token and cost accounting per message and per day, and the daily budget gate."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from accounts.models import User
from conversations.accounting import CallUsage, usages_record
from conversations.models import ConversationState, Message, TokenUsage
from ops.config import forget_config
from ops.models import AuditLog, SystemConfig


@pytest.fixture
def priced_offline_model(settings):
    # The offline model is free; give it a price so costs are visible.
    settings.LLM_PRICES = {**settings.LLM_PRICES, "offline": (Decimal("1.00"), Decimal("2.00"))}


def _spend(user, usd: str) -> None:
    row, _ = TokenUsage.objects.get_or_create(user=user, date=timezone.localdate())
    row.cost_usd += Decimal(usd)
    row.save()


def test_each_reply_records_its_tokens_and_cost(chat, priced_offline_model):
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    reply = turn.reply
    _classifier, agent = turn.requests
    assert reply.tokens_in > len(agent.instructions) // 4
    assert reply.tokens_out > 0
    expected = (Decimal(reply.tokens_in) * 1 + Decimal(reply.tokens_out) * 2) / Decimal(1_000_000)
    assert abs(reply.cost_usd - expected) <= Decimal("0.000002")
    assert reply.cost_usd > 0


def test_the_daily_row_adds_up_every_model_call(chat, user, priced_offline_model):
    chat.say("Save ACME Hardware, 415-555-0198")
    chat.say("save Costco")
    replies = Message.objects.filter(role=Message.Role.ASSISTANT)
    usage = TokenUsage.objects.get(user=user, date=timezone.localdate())
    assert usage.requests == 4
    assert usage.tokens_in == sum(reply.tokens_in for reply in replies)
    assert usage.tokens_out == sum(reply.tokens_out for reply in replies)
    assert usage.cost_usd == sum(reply.cost_usd for reply in replies)


def test_usage_of_one_user_never_lands_on_another(chat, user, other_user):
    chat.say("Save ACME Hardware, 415-555-0198")
    assert TokenUsage.objects.filter(user=other_user).count() == 0
    assert TokenUsage.objects.filter(user=user).count() == 1


def _usage(tokens: int = 10) -> CallUsage:
    return CallUsage(
        role="agent", model="offline:agent", requests=1, tokens_in=tokens, tokens_out=1, cost_usd=Decimal("0.01")
    )


def test_usages_record_adds_to_an_existing_row(user):
    usages_record(user=user, usages=[_usage(10)])
    usages_record(user=user, usages=[_usage(5)])
    row = TokenUsage.objects.get(user=user)
    assert (row.requests, row.tokens_in, row.tokens_out, row.cost_usd) == (2, 15, 2, Decimal("0.02"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_on_the_first_call_of_the_day_all_count():
    user = User.objects.create_user("racer@example.com")
    start = threading.Barrier(6)

    def record() -> None:
        start.wait()
        try:
            usages_record(user=user, usages=[_usage(10)])
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    row = TokenUsage.objects.get(user=user)
    assert row.requests == 6
    assert row.tokens_in == 60
    assert row.cost_usd == Decimal("0.06")


def test_over_the_user_cap_the_turn_is_refused_without_a_model_call(chat, user):
    user.daily_budget_usd = Decimal("0.50")
    user.save()
    _spend(user, "0.50")
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert turn.requests == []
    assert user.stores.count() == 0
    assert [error.code for error in turn.errors] == ["budget_exceeded"]
    assert "limit" in turn.errors[0].message
    reply = turn.reply
    assert reply.is_error
    assert reply.error_code == "budget_exceeded"
    assert reply.model_requests == 0
    assert chat.state == ConversationState.IDLE
    event = AuditLog.objects.get(event_type="budget_exceeded")
    assert event.user == user
    assert event.details["scope"] == "user"


def test_the_configured_per_user_cap_applies_without_a_personal_one(chat, user):
    SystemConfig.objects.update_or_create(pk=1, defaults={"per_user_daily_budget_usd": Decimal("0.10")})
    forget_config()
    _spend(user, "0.10")
    turn = chat.say("hello")
    assert [error.code for error in turn.errors] == ["budget_exceeded"]


def test_the_global_cap_refuses_everyone(chat, user, other_user):
    SystemConfig.objects.update_or_create(pk=1, defaults={"global_daily_budget_usd": Decimal("1.00")})
    forget_config()
    _spend(other_user, "1.00")
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert turn.requests == []
    assert "for everyone" in turn.errors[0].message
    assert AuditLog.objects.get(event_type="budget_exceeded").details["scope"] == "global"


def test_one_alert_per_user_per_day_however_many_refusals(chat, user, django_capture_on_commit_callbacks):
    user.daily_budget_usd = Decimal("0")
    user.save()
    with django_capture_on_commit_callbacks() as callbacks:
        chat.say("hello")
        chat.say("hello again")
    assert AuditLog.objects.filter(event_type="budget_exceeded").count() == 2
    assert len(callbacks) == 1  # the alert task, queued once


def test_spend_is_read_through_a_cache(chat, user):
    user.daily_budget_usd = Decimal("0.50")
    user.save()
    chat.say("Save ACME Hardware, 415-555-0198")
    _spend(user, "0.50")
    within_the_minute = chat.say("save Costco")
    assert within_the_minute.errors == []
    cache.clear()  # the 60 seconds have passed
    later = chat.say("650-555-0101")
    assert [error.code for error in later.errors] == ["budget_exceeded"]


def test_a_spend_recorded_elsewhere_counts_at_once_though_the_figure_is_cached(chat, user):
    user.daily_budget_usd = Decimal("0.50")
    user.save()
    chat.say("Save ACME Hardware, 415-555-0198")  # the day's spend is now cached
    # Another web process records a spend through the same path; it shares this cache (Redis in production).
    usages_record(user=user, usages=[CallUsage("agent", "offline:agent", 1, 10, 10, Decimal("0.50"))])

    refused = chat.say("save Costco")

    assert [error.code for error in refused.errors] == ["budget_exceeded"]


def test_a_spend_recorded_elsewhere_counts_for_the_global_cap_too(chat, user, other_user):
    SystemConfig.objects.update_or_create(pk=1, defaults={"global_daily_budget_usd": Decimal("1.00")})
    forget_config()
    chat.say("Save ACME Hardware, 415-555-0198")
    usages_record(user=other_user, usages=[CallUsage("agent", "offline:agent", 1, 10, 10, Decimal("1"))])

    refused = chat.say("save Costco")

    assert [error.code for error in refused.errors] == ["budget_exceeded"]


def test_a_passphrase_attempt_over_budget_is_neither_checked_nor_counted(chat, user):
    chat.say("what's the number for costco")
    user.daily_budget_usd = Decimal("0")
    user.save()
    turn = chat.say("wrong guess")
    assert [error.code for error in turn.errors] == ["budget_exceeded"]
    assert chat.conversation.wrong_passphrase_count == 0
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert turn.reply.in_reply_to.redacted
