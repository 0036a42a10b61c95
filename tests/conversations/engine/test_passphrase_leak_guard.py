"""The passphrase never leaves Python, wherever it is typed: alone, inline, unasked, in any case or quotes.

Found by its keyed fingerprint in every message, it is blanked out before the
message is stored or read by a model: not in any row, model request or reply.
Typed exactly, unasked, it unlocks the conversation as a right attempt would;
a wrong one typed unasked is not found and not counted.
"""

from __future__ import annotations

import io
import logging
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings

from conversations.models import PASSPHRASE_REDACTION, Conversation, ConversationState, Message
from ops.models import AuditLog
from tests.factories import StoreFactory, UserFactory

PASSPHRASE = "open sesame"


@pytest.fixture
def stores(user):
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")


def _nowhere_in_rows(secret: str) -> None:
    """Not in a full database dump (messages, titles, pending actions, tool calls, stores, audit), any case."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    assert secret.casefold() not in out.getvalue().casefold()
    assert Message.objects.count() > 0


def _nowhere_in(turn, secret: str = PASSPHRASE) -> None:
    assert secret.casefold() not in turn.text.casefold()
    for request in turn.requests:
        assert secret.casefold() not in request.everything.casefold()
    for tool in turn.tools:
        assert secret.casefold() not in tool.summary.casefold()


def test_typed_alone_with_nothing_pending_it_is_hidden_and_unlocks_the_conversation(chat, user, stores):
    turn = chat.say(PASSPHRASE)

    stored = turn.reply.in_reply_to
    assert stored.content == PASSPHRASE_REDACTION
    assert stored.redacted
    assert stored.passphrase_outcome == ""
    assert "hidden your passphrase" in turn.text
    _nowhere_in(turn)
    event = AuditLog.objects.get(event_type="passphrase_in_message")
    assert event.user == user
    assert event.details == {"conversation_id": chat.conversation.pk, "unlocked": True}

    lookup = chat.say("What's the number for costco?")
    assert "(650) 555-0101" in lookup.text
    _nowhere_in_rows(PASSPHRASE)


def test_inline_with_a_lookup_it_is_hidden_and_the_lookup_answers_without_asking(chat, stores):
    turn = chat.say(f"my passphrase is {PASSPHRASE}, what's the number for Costco")

    assert turn.reply.in_reply_to.content == f"{PASSPHRASE_REDACTION}, what's the number for Costco"
    assert "(650) 555-0101" in turn.text
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.passphrase_verified_at is not None
    _nowhere_in(turn)
    _nowhere_in_rows(PASSPHRASE)


def test_in_the_middle_of_a_save_it_is_hidden_and_the_save_goes_on(chat, user):
    turn = chat.say(f"Save ACME Hardware, my passphrase is {PASSPHRASE}, 415-555-0198")

    assert user.stores.get().phone_e164 == "+14155550198"
    assert PASSPHRASE not in turn.reply.in_reply_to.content
    _nowhere_in(turn)
    _nowhere_in_rows(PASSPHRASE)


def test_a_passphrase_given_while_a_save_is_collected_never_reaches_the_pending_action(chat, user):
    chat.say("Save ACME Hardware")
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    turn = chat.say(f"415-555-0198 and btw {PASSPHRASE}")
    _nowhere_in(turn)
    _nowhere_in_rows(PASSPHRASE)
    assert user.stores.get().phone_e164 == "+14155550198"


@pytest.mark.parametrize(
    "typed",
    [
        "OPEN SESAME",
        "Open Sesame!",
        "open-sesame",
        "'Open   sesame'",
        "Open\u00a0Sesame",
    ],
)
def test_in_another_case_or_with_quotes_it_is_hidden_but_unlocks_nothing(chat, stores, typed):
    turn = chat.say(f"what's the number for costco? {typed}")

    assert PASSPHRASE_REDACTION in turn.reply.in_reply_to.content
    assert "sesame" not in turn.reply.in_reply_to.content.casefold()
    _nowhere_in(turn)
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "555-0101" not in turn.text
    assert AuditLog.objects.get(event_type="passphrase_in_message").details["unlocked"] is False


@pytest.mark.parametrize(
    "typed",
    [
        f"'{PASSPHRASE}'",
        f'"{PASSPHRASE}".',
        f"\u201c{PASSPHRASE}\u201d",
        f"passphrase: {PASSPHRASE}",
        f"({PASSPHRASE})",
        f"{PASSPHRASE}!",
    ],
)
def test_exactly_as_set_in_quotes_or_after_a_label_it_unlocks(chat, stores, typed):
    turn = chat.say(f"{typed} what's the number for costco?")

    assert "(650) 555-0101" in turn.text
    _nowhere_in(turn)


def test_a_wrong_passphrase_typed_unasked_is_not_found_nor_counted(chat, user, stores):
    turn = chat.say("my passphrase is open sesam, what's the number for costco")

    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "555-0101" not in turn.text
    assert chat.conversation.wrong_passphrase_count == 0
    assert not AuditLog.objects.filter(event_type__in=["passphrase_wrong", "passphrase_in_message"]).exists()


def test_a_passphrase_typed_twice_is_hidden_twice(chat, stores):
    turn = chat.say(f"{PASSPHRASE} is it {PASSPHRASE}?")
    assert turn.reply.in_reply_to.content == f"{PASSPHRASE_REDACTION} is it {PASSPHRASE_REDACTION}?"


def test_words_around_the_passphrase_are_not_hidden(chat, stores):
    turn = chat.say("open the sesame store page")
    assert turn.reply.in_reply_to.content == "open the sesame store page"
    assert not turn.reply.in_reply_to.redacted


def test_a_sentence_wrapped_around_the_awaited_passphrase_is_a_right_attempt(chat, stores):
    chat.say("What's the number for costco?")
    turn = chat.say(f"sure, it's '{PASSPHRASE}'")

    assert turn.reply.in_reply_to.passphrase_outcome == "right"
    assert "(650) 555-0101" in turn.text


def test_the_awaited_passphrase_in_another_case_is_a_wrong_attempt(chat, stores):
    chat.say("What's the number for costco?")
    turn = chat.say("OPEN SESAME")

    assert turn.reply.in_reply_to.passphrase_outcome == "wrong"
    _nowhere_in(turn)


def test_typed_ten_ways_it_appears_in_no_row_request_reply_or_log(chat, user, stores, caplog):
    caplog.set_level(logging.DEBUG)
    ways = [
        PASSPHRASE,
        f"my passphrase is {PASSPHRASE}, what's the number for Costco",
        f"Save Joe's Pizza {PASSPHRASE} 415-555-0123",
        f"{PASSPHRASE.upper()} please",
        f"'{PASSPHRASE}'",
        f"passphrase={PASSPHRASE}",
        f"is it {PASSPHRASE.title()}?",
        f"call me later, {PASSPHRASE}",
        f"whose number is 650-555-0101? {PASSPHRASE}.",
        f"thanks — {PASSPHRASE} — bye",
    ]
    turns = [chat.say(text) for text in ways if chat.state != ConversationState.TERMINATED]
    for turn in turns:
        _nowhere_in(turn)
    _nowhere_in_rows(PASSPHRASE)
    assert PASSPHRASE not in caplog.text.casefold()
    titles = Conversation.objects.values_list("title", flat=True)
    assert all(PASSPHRASE not in title.casefold() for title in titles)


def test_the_cli_chat_hides_it_too(user, stores):
    out = io.StringIO()
    lines = f"my passphrase is {PASSPHRASE}, what's the number for costco?\n"
    call_command("chat", user=user.email, stdin=io.StringIO(lines), stdout=out)
    assert "(650) 555-0101" in out.getvalue()
    assert PASSPHRASE not in out.getvalue()
    _nowhere_in_rows(PASSPHRASE)


def test_another_users_passphrase_is_not_hidden(chat, stores):
    UserFactory(email="carol@example.com", passphrase="purple walrus")
    turn = chat.say("save purple walrus 415-555-0111")
    assert "purple walrus" in turn.reply.in_reply_to.content


def test_a_user_whose_fingerprint_is_unknown_gets_it_written_by_a_cue_then_everywhere(chat, user, stores):
    user.passphrase_fingerprint = ""
    user.save()

    chat.say(f"my passphrase is '{PASSPHRASE}'")
    user.refresh_from_db()
    assert user.passphrase_fingerprint

    turn = chat.say(f"hello {PASSPHRASE} again")
    assert turn.reply.in_reply_to.content == f"hello {PASSPHRASE_REDACTION} again"


def test_after_the_secret_key_changes_the_old_fingerprint_is_not_trusted(chat, user, stores):
    with override_settings(SECRET_KEY="another key for this test only, long enough to be a key"):
        assert user.passphrase_digest is None
        chat.say("What's the number for costco?")
        chat.say(PASSPHRASE)  # a right attempt writes the fingerprint again, under the new key
        user.refresh_from_db()
        assert user.passphrase_digest is not None
        turn = chat.say(f"so {PASSPHRASE.upper()} works")
        assert PASSPHRASE_REDACTION in turn.reply.in_reply_to.content


def test_a_passphrase_ending_in_punctuation_is_hidden_whole_and_unlocks(new_chat, db):
    user = UserFactory(email="dee@example.com", passphrase="tiger-lily 42!")
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    chat = new_chat(user)
    turn = chat.say("my secret is tiger-lily 42! what's the number for costco?")
    assert turn.reply.in_reply_to.content == f"{PASSPHRASE_REDACTION} what's the number for costco?"
    assert "(650) 555-0101" in turn.text


def test_an_ordinary_long_message_costs_no_hash_check(chat, stores):
    text = ("Save the pizza place on Main Street, it's 415-555-0123 and the bakery " * 30)[:2000]
    with mock.patch("accounts.models.check_password") as check:
        chat.say(text)
    check.assert_not_called()
