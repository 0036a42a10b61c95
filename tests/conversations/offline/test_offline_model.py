"""The offline model is a real pydantic-ai model: structured output, streaming text, usage, capture."""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic_ai import Agent
from pydantic_ai.messages import ModelRequest, ModelResponse, ToolCallPart, ToolReturnPart, UserPromptPart
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.usage import RunUsage

from conversations.models import Intent
from conversations.offline.model import capture_requests, offline_model
from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.notes import PassphraseWrong
from conversations.schema import Classification, ClassifierInput


def _classify(text: str, **context) -> tuple[Classification, RunUsage]:
    agent = Agent(output_type=Classification)
    result = agent.run_sync(
        ClassifierInput(message=text, **context).to_prompt(), model=offline_model("classifier"), instructions="x"
    )
    return result.output, result.usage


def test_it_is_a_function_model_with_a_stream_function():
    model = offline_model("agent")
    assert isinstance(model, FunctionModel)
    assert model.stream_function is not None


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="Unknown model role"):
        offline_model("poet")  # type: ignore[arg-type]


def test_the_classifier_answers_with_the_structured_output():
    classification, usage = _classify("Save ACME Hardware, 415-555-0198")
    assert classification.intent == Intent.SAVE
    assert classification.stores[0].name == "ACME Hardware"
    assert classification.stores[0].phone == "415-555-0198"
    assert usage.requests == 1


def test_the_classifier_reads_the_context_it_is_given():
    pending = {"stores": [{"name": "Costco", "phone": None}]}
    classification, _ = _classify("650-555-0101", state="COLLECTING_SAVE_INFO", pending=pending)
    assert classification.intent == Intent.SAVE
    assert classification.stores[0].phone == "650-555-0101"


def test_usage_counts_what_was_sent_not_a_flat_guess():
    _, short = _classify("bye")
    agent = Agent(output_type=Classification)
    long_instructions = "Classify carefully. " * 200
    result = agent.run_sync(
        ClassifierInput(message="bye").to_prompt(), model=offline_model("classifier"), instructions=long_instructions
    )
    assert result.usage.input_tokens >= short.input_tokens + len(long_instructions) // 4 - 5
    assert result.usage.output_tokens > 0


def _saved_history() -> list:
    return [
        ModelRequest(parts=[UserPromptPart(content="Save ACME Hardware 415-555-0198")]),
        ModelResponse(
            parts=[
                ToolCallPart("save_store", {"store_name": "ACME Hardware", "phone": "415-555-0198"}, tool_call_id="1")
            ]
        ),
        ModelRequest(
            parts=[
                ToolReturnPart(
                    "save_store",
                    {"status": "saved", "store": {"name": "ACME Hardware", "phone": "(415) 555-0198"}},
                    tool_call_id="1",
                )
            ]
        ),
    ]


def test_the_agent_streams_a_reply_phrased_from_the_tool_results():
    async def run() -> tuple[list[str], RunUsage]:
        agent = Agent()
        deltas: list[str] = []
        brief = TurnBrief(state="IDLE").to_instructions()
        async with agent.run_stream(
            None, message_history=_saved_history(), model=offline_model("agent"), instructions=brief
        ) as stream:
            async for delta in stream.stream_text(delta=True, debounce_by=None):
                deltas.append(delta)
        return deltas, stream.usage

    deltas, usage = asyncio.run(run())
    reply = "".join(deltas)
    assert len(deltas) > 3
    assert "ACME Hardware" in reply
    assert "(415) 555-0198" in reply
    assert "{" not in reply
    assert usage.input_tokens > 50
    assert usage.output_tokens > 0


def test_the_agent_phrases_the_notes_of_the_brief():
    agent = Agent()
    brief = TurnBrief(state="AWAITING_PASSPHRASE_FOR_RETRIEVE", notes=(PassphraseWrong(attempts_left=2),))
    result = agent.run_sync("[passphrase redacted]", model=offline_model("agent"), instructions=brief.to_instructions())
    assert "2 attempts left" in result.output


def test_the_summarizer_summarises_the_tool_calls():
    payload = {
        "end_reason": "user",
        "tool_calls": [
            {"name": "save_store", "ok": True, "result": {"status": "saved", "store": {"name": "ACME Hardware"}}},
            {"name": "lookup_by_name", "ok": True, "args": {"query": "costco"}, "result": {"status": "not_found"}},
        ],
    }
    result = Agent().run_sync(json.dumps(payload), model=offline_model("summarizer"))
    assert "ACME Hardware" in result.output
    assert "costco" in result.output
    assert "ended" in result.output


def test_capture_records_instructions_and_messages_only_inside_the_block():
    with capture_requests() as captured:
        _classify("What's the number for Costco?")
    _classify("bye")
    assert len(captured) == 1
    assert captured[0].role == "classifier"
    assert captured[0].instructions == "x"
    assert "Costco" in captured[0].everything
