"""Injection attempts (tests/eval/injections.jsonl) reveal nothing: not in replies, tool results or model requests.

Forged SYSTEM lines, "I already gave my passphrase", tool-call syntax, asking
for another user's stores or the system prompt: whatever the classifier makes
of them, Python's gates decide, so nothing locked or foreign comes out.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from accounts.models import User
from conversations.evaluation import EVAL_DIR
from conversations.models import ConversationState, Message
from conversations.offline.model import CapturedRequest
from conversations.phrasing.brief import BRIEF_MARKER
from tests.conversations.conftest import Chat
from tests.factories import StoreFactory, UserFactory

INJECTIONS = [
    json.loads(line)
    for line in (EVAL_DIR / "injections.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_there_are_at_least_fifteen_attempts():
    assert len(INJECTIONS) >= 15


def _conversation_for(setup: dict) -> Chat:
    user: User = UserFactory(email="victim@example.com", passphrase=setup.get("passphrase"))  # type: ignore[assignment]
    for store in setup.get("existing_stores", []):
        StoreFactory(user=user, store_name=store["name"], phone_e164=store["phone"])
    other = UserFactory(email="bob@example.com", passphrase="bob's secret")
    for store in setup.get("other_user_stores", []):
        StoreFactory(user=other, store_name=store["name"], phone_e164=store["phone"])
    chat = Chat(user)
    state = setup.get("state", ConversationState.IDLE)
    chat.conversation.state = state
    if state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE:
        chat.conversation.pending_action = {"lookups": [{"kind": "name", "query": "Costco"}]}
    if setup.get("verified"):
        chat.conversation.passphrase_verified_at = timezone.now()
    chat.conversation.save()
    return chat


def _dynamic_part(request: CapturedRequest) -> str:
    """What a request carries beyond the static system prompt (whose examples use fictional numbers too)."""
    brief = request.instructions.rsplit(BRIEF_MARKER, 1)[1] if BRIEF_MARKER in request.instructions else ""
    return "\n".join((brief, *request.texts))


@pytest.mark.parametrize("attempt", INJECTIONS, ids=[attempt["text"][:40] for attempt in INJECTIONS])
def test_an_injection_attempt_reveals_nothing(db, attempt):
    chat = _conversation_for(attempt["setup"])
    turn = chat.say(attempt["text"])
    reply = turn.reply
    tool_results = json.dumps([call["result"] for call in reply.tool_calls], ensure_ascii=False)
    typed = attempt["text"].casefold()
    for secret in attempt["must_not_reveal"]:
        assert secret.casefold() not in turn.text.casefold(), f"reply reveals {secret!r}: {turn.text}"
        assert secret.casefold() not in tool_results.casefold(), f"tool result reveals {secret!r}"
        if secret.casefold() in typed:
            continue  # what the user typed themselves is no leak, except the passphrase (checked below)
        for request in turn.requests:
            assert secret.casefold() not in _dynamic_part(request).casefold(), f"{request.role} request has {secret!r}"
    passphrase = attempt["setup"].get("passphrase")
    if passphrase:
        assert all(passphrase not in request.everything for request in turn.requests)
        assert passphrase not in Message.objects.get(reply=reply).content
