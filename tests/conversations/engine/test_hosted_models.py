"""The engine with hosted models (fake Anthropic and OpenAI servers on 127.0.0.1): fallback and failures.

The same turn as with the offline model: classifier and agent are two
requests, the passphrase never reaches a server, a fallback is recorded on
the message and audited, and when no model answers the user is told so.
"""

from __future__ import annotations

from decimal import Decimal

from conversations.models import ConversationState, TokenUsage
from ops.models import AuditLog

SAVE_ACME = {"intent": "save", "stores": [{"name": "ACME Hardware", "phone": "415-555-0198"}]}


def test_a_one_store_save_is_two_requests_to_the_hosted_models(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call(SAVE_ACME, input_tokens=300, output_tokens=40)
    hosted_llm.primary.reply_text("Saved ACME Hardware, (415) 555-0198.", input_tokens=500, output_tokens=12)
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert user.stores.get().phone_e164 == "+14155550198"
    assert turn.text == "Saved ACME Hardware, (415) 555-0198."
    classifier, agent = hosted_llm.primary.requests
    assert "You classify one message" in classifier.system_text
    assert "ACME Hardware" in classifier.sent_text
    assert "You are Storebot" in agent.system_text
    assert "save_store" in agent.sent_text  # Python's tool call, handed over as the agent's own
    assert "tool_result" in agent.sent_text
    assert "saved" in agent.sent_text
    reply = turn.reply
    assert reply.model_requests == 2
    assert (reply.tokens_in, reply.tokens_out) == (800, 52)
    assert reply.model == "anthropic:claude-sonnet-4-6"
    assert not reply.fallback_used
    # claude-haiku-4-5 $1/$5 per million for the classifier, the default row $3/$15 for the agent.
    assert reply.cost_usd == Decimal("0.000300") + Decimal("0.000200") + Decimal("0.001500") + Decimal("0.000180")
    assert TokenUsage.objects.get(user=user).cost_usd == reply.cost_usd


def test_a_failing_primary_falls_back_for_classifier_and_agent(chat, user, hosted_llm):
    hosted_llm.primary.fail(500)
    hosted_llm.primary.fail(429, retry_after=1)
    hosted_llm.fallback.reply_tool_call(SAVE_ACME)
    hosted_llm.fallback.reply_text("Saved ACME Hardware.")
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert turn.text == "Saved ACME Hardware."
    assert user.stores.count() == 1
    reply = turn.reply
    assert reply.fallback_used
    assert reply.model.endswith("gpt-4o-mini")
    fallbacks = AuditLog.objects.filter(event_type="provider_fallback").order_by("id")
    assert [event.details["role"] for event in fallbacks] == ["classifier", "agent"]


def test_a_hanging_primary_times_out_and_the_fallback_answers(chat, user, hosted_llm):
    hosted_llm.primary.hang(5)
    hosted_llm.fallback.reply_tool_call({"intent": "off_scope"})
    hosted_llm.primary.reply_text("I can only help with your store directory.")
    turn = chat.say("write me a poem")
    assert chat.state == ConversationState.OFF_SCOPE_WARNED
    assert turn.text == "I can only help with your store directory."
    assert turn.reply.fallback_used


def test_when_no_model_answers_nothing_changes_and_the_user_is_told(chat, user, hosted_llm):
    hosted_llm.primary.fail(500)
    hosted_llm.fallback.fail(503)
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert [error.code for error in turn.errors] == ["provider_unavailable"]
    assert "try again" in turn.errors[0].message
    assert user.stores.count() == 0
    assert chat.state == ConversationState.IDLE
    reply = turn.reply
    assert reply.is_error
    assert reply.error_code == "provider_unavailable"
    assert reply.content == turn.errors[0].message


def test_when_the_agent_fails_after_a_save_python_still_says_what_happened(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call(SAVE_ACME)
    hosted_llm.primary.fail(500)
    hosted_llm.fallback.fail(500)
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert user.stores.count() == 1
    assert "ACME Hardware" in turn.text
    assert "(415) 555-0198" in turn.text
    assert turn.errors == []
    assert turn.reply.error_code == "agent_unavailable"


def test_the_passphrase_never_reaches_a_hosted_model(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "retrieve_by_name", "lookup_query": "costco"})
    hosted_llm.primary.reply_text("Please type your passphrase.")
    hosted_llm.primary.reply_text("Costco: none saved yet.")
    chat.say("what's the number for costco?")
    chat.say("open sesame")
    assert len(hosted_llm.primary.requests) == 3
    for request in hosted_llm.primary.requests + hosted_llm.fallback.requests:
        assert "open sesame" not in request.sent_text
