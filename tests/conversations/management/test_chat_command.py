"""manage.py chat: a conversation over stdin/stdout through the same orchestrator."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.core.management import CommandError, call_command

from conversations.models import Conversation, ConversationState, Message
from tests.factories import StoreFactory


def _chat(email: str, lines: list[str]) -> str:
    out = io.StringIO()
    call_command("chat", user=email, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return out.getvalue()


def test_a_conversation_over_stdin_saves_and_ends_at_bye(user):
    output = _chat("alice@example.com", ["Save ACME Hardware, 415-555-0198", "thanks, bye", "never read"])
    assert "storebot> " in output
    assert "ACME Hardware" in output
    assert "(415) 555-0198" in output
    assert user.stores.get().phone_e164 == "+14155550198"
    conversation = Conversation.objects.get(user=user)
    assert conversation.state == ConversationState.TERMINATED
    assert conversation.end_reason == "user"
    assert not Message.objects.filter(content="never read").exists()


def test_the_passphrase_line_unlocks_and_is_never_stored(user):
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    output = _chat("ALICE@example.com", ["what's the number for costco?", "open sesame"])
    assert "passphrase" in output
    assert "(650) 555-0101" in output
    assert "open sesame" not in output
    assert not Message.objects.filter(content__contains="open sesame").exists()


def test_end_of_input_ends_the_conversation(user):
    _chat("alice@example.com", ["save Costco"])
    conversation = Conversation.objects.get(user=user)
    assert conversation.state == ConversationState.TERMINATED
    assert conversation.end_reason == "closed"


def test_each_reply_ends_its_line(user):
    output = _chat("alice@example.com", ["write me a poem", "what's the weather", "tell me a joke"])
    replies = [line for line in output.splitlines() if line.startswith("storebot> ")]
    assert len(replies) == 3
    assert "ending this conversation" in replies[-1]


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No user with the email"):
        _chat("nobody@example.com", ["hello"])


def test_log_lines_go_to_stderr_so_stdout_is_only_the_conversation(user):
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stdout)
    root.addHandler(handler)
    try:
        _chat("alice@example.com", ["thanks, bye"])
        assert handler.stream is sys.stderr
    finally:
        root.removeHandler(handler)
