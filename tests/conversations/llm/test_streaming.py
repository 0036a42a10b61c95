"""A replying agent streams text token by token from each hosted API."""

from conversations.llm import build_model, model_outcome
from tests.conversations.llm.agents import stream_reply

REPLY = "Saved ACME Hardware with 415-555-0198."


def test_anthropic_reply_arrives_as_several_deltas(hosted_llm):
    hosted_llm.primary.reply_text(REPLY)

    streamed = stream_reply(build_model("agent"), "Save ACME Hardware, 415-555-0198")

    assert len(streamed.deltas) >= 4
    assert streamed.text == REPLY
    assert hosted_llm.primary.requests[0].json["stream"] is True
    assert model_outcome(streamed.messages).model == "anthropic:claude-sonnet-4-6"


def test_openai_chat_reply_arrives_as_several_deltas(hosted_llm, settings):
    settings.LLM_AGENT_MODEL = "openai-chat:gpt-4o"
    hosted_llm.fallback.reply_text(REPLY)

    streamed = stream_reply(build_model("agent"), "Save ACME Hardware, 415-555-0198")

    assert len(streamed.deltas) >= 4
    assert streamed.text == REPLY


def test_openai_responses_reply_arrives_as_several_deltas(hosted_llm, settings):
    settings.LLM_AGENT_MODEL = "openai:gpt-4o"
    hosted_llm.fallback.reply_text(REPLY)

    streamed = stream_reply(build_model("agent"), "Save ACME Hardware, 415-555-0198")

    assert len(streamed.deltas) >= 4
    assert streamed.text == REPLY
    assert hosted_llm.fallback.requests[0].path == "/v1/responses"
