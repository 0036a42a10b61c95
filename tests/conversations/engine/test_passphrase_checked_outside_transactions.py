"""The passphrase's slow hash is checked with no transaction open (issue 14, D4).

A check inside the submit's write transaction held SQLite's database lock (other
requests failed with "database is locked") and the conversation and user rows
on PostgreSQL for its whole duration. The submit now asks for the checks a
message needs, runs them outside, and stores the message in a transaction that
reads the rows again: when the conversation moved on or the passphrase changed
meanwhile, the message is treated as the rows say then.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import hashers
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_passphrase
from conversations.engine import turn
from conversations.models import PASSPHRASE_REDACTION, Conversation, ConversationState
from conversations.services import conversation_start, turn_stream, turn_submit
from ops.models import AuditLog
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hash_checks(monkeypatch) -> list[bool]:
    """Whether a transaction was open at each hash check, in order."""
    seen: list[bool] = []
    real = hashers.check_password

    def recording(password, encoded, setter=None, preferred="default"):
        seen.append(connection.in_atomic_block)
        return real(password, encoded, setter, preferred)

    monkeypatch.setattr("accounts.models.check_password", recording)
    return seen


def _read_reply(user, message) -> None:
    async def consume() -> None:
        async for _event in turn_stream(user=user, message_id=message.pk):
            pass

    async_to_sync(consume)()


@pytest.fixture
def awaiting(user) -> Conversation:
    """A conversation waiting for the passphrase to look Costco up."""
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    conversation = conversation_start(user=user)
    _read_reply(user, turn_submit(user=user, conversation_id=conversation.pk, text="What's the number for costco?"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    return conversation


def test_a_right_passphrase_is_checked_with_no_transaction_open(user, awaiting, hash_checks):
    message = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")

    assert message.passphrase_outcome == "right"
    assert message.content == PASSPHRASE_REDACTION
    assert hash_checks
    assert not any(hash_checks)


def test_a_wrong_passphrase_is_checked_with_no_transaction_open_and_still_counted(user, awaiting, hash_checks):
    message = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesam")

    assert message.passphrase_outcome == "wrong"
    assert hash_checks
    assert not any(hash_checks)
    user.refresh_from_db()
    assert user.passphrase_failures == 1
    assert AuditLog.objects.filter(event_type="passphrase_wrong", user=user).count() == 1


def test_a_passphrase_typed_unasked_is_checked_with_no_transaction_open(user, hash_checks):
    conversation = conversation_start(user=user)

    message = turn_submit(user=user, conversation_id=conversation.pk, text="my passphrase is open sesame, thanks")

    assert "open sesame" not in message.content
    assert hash_checks
    assert not any(hash_checks)
    conversation.refresh_from_db()
    assert conversation.passphrase_verified_at is not None  # typed exactly, it unlocked the conversation


def test_an_ordinary_message_costs_no_hash_check(user, hash_checks):
    conversation = conversation_start(user=user)

    turn_submit(user=user, conversation_id=conversation.pk, text="Save Costco, 650-555-0101")

    assert hash_checks == []


def test_a_locked_user_s_attempt_costs_no_hash_check(user, awaiting, hash_checks):
    user.lookup_locked_until = timezone.now() + timedelta(minutes=5)
    user.save(update_fields=["lookup_locked_until"])

    message = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")

    assert message.passphrase_outcome == "locked"
    assert hash_checks == []


def test_an_attempt_whose_conversation_moved_on_during_the_check_is_read_as_an_ordinary_message(
    user, awaiting, monkeypatch
):
    real = turn.passphrase_check

    def check_while_the_lookup_is_called_off(**kwargs):
        result = real(**kwargs)
        Conversation.objects.filter(pk=awaiting.pk).update(state=ConversationState.IDLE, pending_action={})
        return result

    monkeypatch.setattr(turn, "passphrase_check", check_while_the_lookup_is_called_off)

    message = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")

    assert message.passphrase_outcome == ""  # no attempt any more: neither right nor counted
    assert message.content == PASSPHRASE_REDACTION  # still hidden
    user.refresh_from_db()
    assert user.passphrase_failures == 0


def test_an_attempt_checked_against_a_passphrase_changed_meanwhile_is_checked_again(user, awaiting, monkeypatch):
    real = turn.passphrase_check
    calls: list[bool] = []

    def check_while_the_passphrase_changes(**kwargs):
        result = real(**kwargs)
        if not calls:
            user_set_passphrase(user=User.objects.get(pk=user.pk), passphrase="quiet harbour lamp")
        calls.append(True)
        return result

    monkeypatch.setattr(turn, "passphrase_check", check_while_the_passphrase_changes)

    message = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")

    assert len(calls) == 2
    assert message.passphrase_outcome == "wrong"  # the old passphrase no longer unlocks
    awaiting.refresh_from_db()
    assert awaiting.passphrase_verified_at is None
