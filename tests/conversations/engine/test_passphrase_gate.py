"""Lookups and the passphrase gate: checked in Python, never sent to a model, never stored."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from conversations.models import PASSPHRASE_REDACTION, ConversationState, Message
from ops.config import forget_config
from ops.models import AuditLog, SystemConfig
from tests.factories import StoreFactory, UserFactory

PASSPHRASE = "open sesame"


@pytest.fixture
def stores(user):
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    StoreFactory(user=user, store_name="ACME Hardware", phone_e164="+14155550198")


def test_a_lookup_before_the_passphrase_reveals_nothing_and_asks_for_it(chat, stores):
    turn = chat.say("What's the number for costco?")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "passphrase" in turn.text
    assert "555-0101" not in turn.text
    assert turn.states == [ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE]
    assert chat.conversation.pending_action["lookups"] == [{"kind": "name", "query": "costco"}]
    assert all("555" not in request.everything for request in turn.requests if request.role == "agent")


def test_the_right_passphrase_runs_the_held_lookup(chat, stores):
    chat.say("What's the number for costco?")
    turn = chat.say(PASSPHRASE)
    assert "Costco Wholesale" in turn.text
    assert "(650) 555-0101" in turn.text
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.passphrase_verified_at is not None
    # Nothing is held any more; the store found is the one "delete it" or "change its number" would mean.
    assert chat.conversation.pending_action["in_hand"]["name"] == "Costco Wholesale"
    assert set(chat.conversation.pending_action) == {"in_hand"}


def test_a_right_passphrase_turn_makes_one_model_request_and_no_classifier_call(chat, stores):
    chat.say("What's the number for costco?")
    turn = chat.say(PASSPHRASE)
    assert [request.role for request in turn.requests] == ["agent"]
    assert turn.reply.model_requests == 1


def test_once_unlocked_later_lookups_run_at_once(chat, stores):
    chat.say("What's the number for costco?")
    chat.say(PASSPHRASE)
    turn = chat.say("whose number is 415-555-0198?")
    assert chat.state == ConversationState.IDLE
    assert "ACME Hardware" in turn.text


def test_a_reverse_lookup_waits_in_its_own_state(chat, stores):
    chat.say("which store has a number ending in 0198")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_REVERSE
    turn = chat.say(PASSPHRASE)
    assert "ACME Hardware" in turn.text
    assert "(415) 555-0198" in turn.text


def test_the_unlock_never_carries_to_another_conversation(chat, new_chat, user, stores):
    chat.say("What's the number for costco?")
    chat.say(PASSPHRASE)
    second = new_chat(user)
    turn = second.say("What's the number for costco?")
    assert second.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "555-0101" not in turn.text


def test_the_unlock_expires_after_the_idle_time(chat, stores):
    chat.say("What's the number for costco?")
    chat.say(PASSPHRASE)
    idle = SystemConfig.objects.get(pk=1).passphrase_idle_minutes
    chat.conversation.last_activity_at = timezone.now() - timedelta(minutes=idle + 1)
    chat.conversation.save()
    turn = chat.say("What's the number for acme?")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "555-0198" not in turn.text


def test_changing_the_passphrase_revokes_an_unlock(chat, user, stores):
    chat.say("What's the number for costco?")
    chat.say(PASSPHRASE)
    user.set_passphrase("a brand new secret")
    user.save()

    turn = chat.say("What's the number for acme?")

    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "555-0198" not in turn.text


def test_a_staff_passphrase_reset_revokes_an_unlock(chat, user, stores):
    chat.say("What's the number for costco?")
    chat.say(PASSPHRASE)
    user.clear_passphrase()
    user.save()

    turn = chat.say("What's the number for acme?")

    assert "555-0198" not in turn.text
    assert "Settings" in turn.text


def test_a_wrong_passphrase_is_counted_audited_and_keeps_waiting(chat, user, stores):
    chat.say("What's the number for costco?")
    turn = chat.say("open sesam")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert chat.conversation.wrong_passphrase_count == 1
    assert "2 attempts left" in turn.text
    assert "555-0101" not in turn.text
    event = AuditLog.objects.get(event_type="passphrase_wrong")
    assert event.user == user
    assert event.severity == AuditLog.Severity.WARNING


def test_three_wrong_passphrases_terminate_lock_lookups_and_audit(chat, user, stores):
    chat.say("What's the number for costco?")
    chat.say("wrong one")
    chat.say("wrong two")
    turn = chat.say("wrong three")
    assert chat.state == ConversationState.TERMINATED
    assert chat.conversation.end_reason == "passphrase_lockout"
    user.refresh_from_db()
    assert user.lookup_locked_until is not None
    assert user.lookup_locked_until > timezone.now() + timedelta(minutes=14)
    assert "555-0101" not in turn.text
    assert "locked" in turn.text
    lockout = AuditLog.objects.get(event_type="passphrase_lockout")
    assert lockout.severity == AuditLog.Severity.WARNING
    assert lockout.details["conversation_id"] == chat.conversation.pk


def test_the_number_of_attempts_follows_the_configuration(chat, user, stores):
    SystemConfig.objects.update_or_create(pk=1, defaults={"passphrase_max_attempts": 1, "lockout_minutes": 5})
    forget_config()
    chat.say("What's the number for costco?")
    chat.say("nope")
    assert chat.state == ConversationState.TERMINATED
    user.refresh_from_db()
    assert user.lookup_locked_until < timezone.now() + timedelta(minutes=6)


def test_a_locked_user_is_refused_lookups_with_a_clear_message(new_chat, user, stores):
    user.lookup_locked_until = timezone.now() + timedelta(minutes=10)
    user.save()
    chat = new_chat(user)
    turn = chat.say("What's the number for costco?")
    assert chat.state == ConversationState.IDLE
    assert "locked" in turn.text
    assert "10 more minutes" in turn.text
    assert "555-0101" not in turn.text


def test_a_locked_user_can_still_save(new_chat, user):
    user.lookup_locked_until = timezone.now() + timedelta(minutes=10)
    user.save()
    chat = new_chat(user)
    chat.say("Save ACME Hardware, 415-555-0198")
    assert user.stores.count() == 1


def test_the_right_passphrase_while_locked_elsewhere_is_not_accepted(chat, user, stores):
    chat.say("What's the number for costco?")
    user.lookup_locked_until = timezone.now() + timedelta(minutes=10)
    user.save()
    turn = chat.say(PASSPHRASE)
    assert "555-0101" not in turn.text
    assert "locked" in turn.text
    assert chat.conversation.passphrase_verified_at is None


def test_a_user_without_a_passphrase_is_told_to_set_one(new_chat, db):
    user = UserFactory(email="nopass@example.com")
    StoreFactory(user=user, store_name="Costco", phone_e164="+16505550101")
    chat = new_chat(user)
    turn = chat.say("What's the number for costco?")
    assert chat.state == ConversationState.IDLE
    assert "/accounts/settings/" in turn.text
    assert "Settings" in turn.text
    assert "555-0101" not in turn.text


def test_never_mind_instead_of_the_passphrase_cancels_without_counting(chat, stores):
    chat.say("What's the number for costco?")
    turn = chat.say("never mind")
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.wrong_passphrase_count == 0
    assert chat.conversation.pending_action == {}
    assert "won't look that up" in turn.text


def test_the_passphrase_text_is_never_stored_logged_or_sent_to_a_model(chat, stores, caplog):
    caplog.set_level(logging.DEBUG)
    chat.say("What's the number for costco?")
    wrong = chat.say("sesame open")
    right = chat.say(PASSPHRASE)
    attempts = Message.objects.filter(redacted=True).order_by("id")
    assert [(m.content, m.passphrase_outcome) for m in attempts] == [
        (PASSPHRASE_REDACTION, "wrong"),
        (PASSPHRASE_REDACTION, "right"),
    ]
    for message in Message.objects.all():
        assert PASSPHRASE not in message.content
        assert "sesame open" not in message.content
        assert PASSPHRASE not in str(message.tool_calls)
    for request in [*wrong.requests, *right.requests]:
        assert PASSPHRASE not in request.everything
        assert "sesame open" not in request.everything
    assert PASSPHRASE not in caplog.text
    assert "sesame open" not in caplog.text
    assert not AuditLog.objects.filter(details__icontains="sesame").exists()


def test_a_passphrase_typed_into_a_normal_message_is_redacted_before_any_model(chat, stores):
    turn = chat.say(f"is my passphrase '{PASSPHRASE}'? just say yes or no")
    stored = turn.reply.in_reply_to
    assert PASSPHRASE not in stored.content
    assert stored.redacted
    assert all(PASSPHRASE not in request.everything for request in turn.requests)
    assert "passphrase" in turn.text
