"""Wrong passphrases are counted per user, across conversations, web and CLI, within a window; each lockout in a
row lasts longer; every lockout is audited and the operators are alerted once."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta
from unittest import mock

import django.contrib.auth.hashers
import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import LOCKOUT_MAX, PASSPHRASE_FAILURE_WINDOW, User
from conversations.models import ConversationState
from conversations.services import conversation_start, turn_stream, turn_submit
from ops.models import AuditLog
from tests.factories import StoreFactory, UserFactory

PASSPHRASE = "open sesame"
ASK = "What's the number for costco?"


@pytest.fixture
def stores(user):
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")


def _wrong_in_a_new_conversation(new_chat, user, times: int):
    chat = new_chat(user)
    chat.say(ASK)
    turns = [chat.say(f"wrong guess {n}") for n in range(times) if chat.state != ConversationState.TERMINATED]
    return chat, turns


def _lockout_expires(user) -> None:
    User.objects.filter(pk=user.pk).update(lookup_locked_until=timezone.now() - timedelta(seconds=1))


def test_two_wrong_in_each_of_several_conversations_locks_at_the_third_overall(new_chat, user, stores):
    first, _ = _wrong_in_a_new_conversation(new_chat, user, 2)
    assert first.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE

    second, turns = _wrong_in_a_new_conversation(new_chat, user, 2)
    assert len(turns) == 1
    assert second.state == ConversationState.TERMINATED
    assert "locked" in turns[0].text

    for _ in range(2):
        chat, turns = _wrong_in_a_new_conversation(new_chat, user, 2)
        assert chat.state == ConversationState.IDLE  # refused at once: lookups are locked
    fifth = new_chat(user)
    fifth.say(ASK)
    turn = fifth.say(PASSPHRASE)
    assert "555-0101" not in turn.text
    assert fifth.conversation.passphrase_verified_at is None
    assert AuditLog.objects.filter(event_type="passphrase_lockout").count() == 1


def test_the_attempts_left_are_counted_across_conversations(new_chat, user, stores):
    _, [turn] = _wrong_in_a_new_conversation(new_chat, user, 1)
    assert "2 attempts left" in turn.text
    _, [turn] = _wrong_in_a_new_conversation(new_chat, user, 1)
    assert "1 attempt left" in turn.text
    user.refresh_from_db()
    assert user.passphrase_failures == 2
    assert [
        event.details["attempt"] for event in AuditLog.objects.filter(event_type="passphrase_wrong").order_by("id")
    ] == [1, 2]


def test_the_web_and_the_cli_count_together(new_chat, user, stores):
    _wrong_in_a_new_conversation(new_chat, user, 1)
    conversation = conversation_start(user=user)
    turn_submit(user=user, conversation_id=conversation.pk, text=ASK)
    out = io.StringIO()
    call_command("chat", user=user.email, stdin=io.StringIO(f"{ASK}\nnot it\n"), stdout=out)
    assert "1 attempt left" in out.getvalue()
    call_command("chat", user=user.email, stdin=io.StringIO(f"{ASK}\nnot it either\n"), stdout=out)
    user.refresh_from_db()
    assert user.is_lookup_locked()


def test_a_count_written_by_another_process_is_read_before_the_attempt(chat, user, stores):
    chat.say(ASK)
    # Another web process counted two wrong passphrases a moment ago; this process's user object is stale.
    User.objects.filter(pk=user.pk).update(passphrase_failures=2, passphrase_failures_since=timezone.now())
    turn = chat.say("wrong")
    assert chat.state == ConversationState.TERMINATED
    assert "locked" in turn.text


def test_wrong_passphrases_older_than_the_window_are_forgotten(chat, user, stores):
    long_ago = timezone.now() - PASSPHRASE_FAILURE_WINDOW - timedelta(minutes=1)
    User.objects.filter(pk=user.pk).update(passphrase_failures=2, passphrase_failures_since=long_ago)
    chat.say(ASK)
    turn = chat.say("wrong")
    assert "2 attempts left" in turn.text
    user.refresh_from_db()
    assert user.passphrase_failures == 1


def test_the_right_passphrase_forgives_the_wrong_ones_before_it(new_chat, user, stores):
    _wrong_in_a_new_conversation(new_chat, user, 2)
    chat = new_chat(user)
    chat.say(ASK)
    chat.say(PASSPHRASE)
    _, [turn] = _wrong_in_a_new_conversation(new_chat, user, 1)
    assert "2 attempts left" in turn.text


def test_each_lockout_in_a_row_lasts_twice_as_long(new_chat, user, stores):
    minutes = []
    for _ in range(3):
        _wrong_in_a_new_conversation(new_chat, user, 3)
        event = AuditLog.objects.filter(event_type="passphrase_lockout").latest("id")
        minutes.append(event.details["minutes"])
        _lockout_expires(user)
    assert minutes == [15, 30, 60]
    user.refresh_from_db()
    assert user.passphrase_lockouts == 3


def test_the_cool_down_stops_growing_at_a_day(new_chat, user, stores):
    User.objects.filter(pk=user.pk).update(passphrase_lockouts=20, lookup_locked_until=timezone.now())
    _wrong_in_a_new_conversation(new_chat, user, 3)
    user.refresh_from_db()
    assert user.lookup_locked_until <= timezone.now() + LOCKOUT_MAX
    assert user.lookup_locked_until > timezone.now() + LOCKOUT_MAX - timedelta(minutes=1)


def test_a_quiet_window_after_a_lockout_starts_the_cool_down_again(new_chat, user, stores):
    ended = timezone.now() - PASSPHRASE_FAILURE_WINDOW - timedelta(minutes=1)
    User.objects.filter(pk=user.pk).update(passphrase_lockouts=4, lookup_locked_until=ended)
    _wrong_in_a_new_conversation(new_chat, user, 3)
    assert AuditLog.objects.get(event_type="passphrase_lockout").details["minutes"] == 15


def test_lockouts_are_audited_each_time_and_alerted_once(
    new_chat, user, stores, fake_telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _wrong_in_a_new_conversation(new_chat, user, 3)
        _lockout_expires(user)
        _wrong_in_a_new_conversation(new_chat, user, 3)

    events = AuditLog.objects.filter(event_type="passphrase_lockout").order_by("id")
    assert [event.details["lockouts_in_a_row"] for event in events] == [1, 2]
    assert all(event.severity == AuditLog.Severity.WARNING for event in events)
    [alert] = fake_telegram.delivered
    assert alert["text"].startswith("[passphrase_lockout] alice@example.com: lookups locked for 15 minutes")
    assert "wrong guess" not in str([event.details for event in events])


def test_a_right_passphrase_typed_unasked_while_locked_unlocks_nothing(chat, user, stores):
    User.objects.filter(pk=user.pk).update(lookup_locked_until=timezone.now() + timedelta(minutes=10))
    turn = chat.say(f"my passphrase is {PASSPHRASE}, what's the number for costco")
    assert "555-0101" not in turn.text
    assert chat.conversation.passphrase_verified_at is None
    assert PASSPHRASE not in turn.reply.in_reply_to.content


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_attempts_in_two_conversations_are_all_counted():
    user: User = UserFactory(email="erin@example.com", passphrase=PASSPHRASE)  # type: ignore[assignment]
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    conversations = [conversation_start(user=user) for _ in range(3)]
    for conversation in conversations:
        turn_submit(user=user, conversation_id=conversation.pk, text=ASK)
        _read_reply(user, conversation)
    check = django.contrib.auth.hashers.check_password

    def slow_check(*args, **kwargs):
        time.sleep(0.2)  # a real hash takes this long: time for another process to read the same count
        return check(*args, **kwargs)

    def attempt(conversation) -> None:
        try:
            turn_submit(user=User.objects.get(pk=user.pk), conversation_id=conversation.pk, text="wrong")
        finally:
            connection.close()

    with mock.patch("accounts.models.check_password", slow_check):
        threads = [threading.Thread(target=attempt, args=(conversation,)) for conversation in conversations]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    user.refresh_from_db()
    assert user.is_lookup_locked()
    assert AuditLog.objects.filter(event_type="passphrase_wrong").count() == 2
    assert AuditLog.objects.filter(event_type="passphrase_lockout").count() == 1


def _read_reply(user, conversation) -> None:
    message = conversation.messages.filter(role="user").latest("id")

    async def drain() -> None:
        async for _event in turn_stream(user=user, message_id=message.pk):
            pass

    async_to_sync(drain)()
