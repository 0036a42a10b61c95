"""Langfuse/OpenTelemetry: every model call of a turn is a span carrying the
conversation id, a hashed user id, the request id, model, tokens and cost,
and no raw phone number leaves in traced text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from langfuse.types import MaskOtelSpansParams, OtelSpanData, OtelSpanIdentifier
from opentelemetry.sdk.trace import ReadableSpan
from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from conversations.models import Message
from conversations.services import conversation_start, turn_run
from ops.request_context import reset_request_scope, set_request_id
from ops.tracing import mask_spans, tracing_flush, tracing_init, turn_trace, user_trace_id

RAW_PHONE = "415-555-0198"
SAVE_TEXT = f"Save ACME Hardware, {RAW_PHONE}"
REQUEST_ID = "req-trace-000123"


def _replying(text: str, model_name: str) -> FunctionModel:
    def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return ModelResponse(parts=[TextPart(text)])

    return FunctionModel(reply, model_name=model_name)


def _one_turn(*, conversation_id: int, user_id: int) -> None:
    classifier = Agent(_replying("save", "classifier"), name="classifier")
    agent = Agent(_replying(f"Saved ACME Hardware, {RAW_PHONE}.", "agent"), name="agent")
    token = set_request_id(REQUEST_ID)
    try:
        with turn_trace(conversation_id=conversation_id, user_id=user_id):
            classifier.run_sync(f"Save ACME Hardware, {RAW_PHONE}")
            agent.run_sync(f"Save ACME Hardware, {RAW_PHONE}")
    finally:
        reset_request_scope(token)
    tracing_flush()


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def _model_calls(spans: tuple[ReadableSpan, ...]) -> list[dict[str, Any]]:
    """The attributes of each model-call span."""
    return [_attributes(span) for span in spans if _attributes(span).get("gen_ai.operation.name") == "chat"]


def test_each_model_call_of_a_turn_is_a_span_with_the_turn_attributes(exported_spans):
    _one_turn(conversation_id=41, user_id=7)

    spans = exported_spans.get_finished_spans()
    calls = _model_calls(spans)
    assert sorted(attributes["gen_ai.request.model"] for attributes in calls) == ["agent", "classifier"]
    for attributes in calls:
        assert attributes["session.id"] == "41"
        assert attributes["user.id"] == user_trace_id(7)
        assert json.loads(attributes["langfuse.trace.metadata.request_id"]) == REQUEST_ID
        assert attributes["gen_ai.usage.input_tokens"] > 0
        assert attributes["gen_ai.usage.output_tokens"] > 0
        assert attributes["storebot.cost_usd"] == 0.0  # the offline model is free
    [turn] = [span for span in spans if span.name == "chat turn"]
    assert _attributes(turn)["storebot.conversation_id"] == 41
    assert _attributes(turn)["storebot.request_id"] == REQUEST_ID
    assert {span.get_span_context().trace_id for span in spans} == {turn.get_span_context().trace_id}


def test_no_raw_phone_number_leaves_in_any_span(exported_spans):
    _one_turn(conversation_id=41, user_id=7)

    spans = exported_spans.get_finished_spans()
    exported = [str(value) for span in spans for value in _attributes(span).values()]
    assert exported
    assert not [value for value in exported if RAW_PHONE in value or "4155550198" in value]
    assert any("[phone]" in value for value in exported)


def test_the_user_id_is_hashed_not_sent_in_clear(exported_spans):
    _one_turn(conversation_id=41, user_id=7)

    hashed = user_trace_id(7)
    assert hashed != "7"
    assert len(hashed) == 20
    assert user_trace_id(8) != hashed


@pytest.mark.django_db
def test_a_chat_turn_traces_each_model_call_without_the_raw_phone(exported_spans, user):
    conversation = conversation_start(user=user)

    async def turn() -> list[object]:
        with turn_trace(conversation_id=conversation.pk, user_id=user.pk):
            return [event async for event in turn_run(user=user, conversation_id=conversation.pk, text=SAVE_TEXT)]

    token = set_request_id(REQUEST_ID)
    try:
        async_to_sync(turn)()
    finally:
        reset_request_scope(token)
    tracing_flush()

    spans = exported_spans.get_finished_spans()
    calls = _model_calls(spans)
    reply = Message.objects.get(conversation=conversation, role="assistant")
    assert len(calls) == reply.model_requests == 2  # the classifier, then the agent
    for attributes in calls:
        assert attributes["session.id"] == str(conversation.pk)
        assert attributes["user.id"] == user_trace_id(user.pk)
        assert json.loads(attributes["langfuse.trace.metadata.request_id"]) == REQUEST_ID
        assert attributes["gen_ai.request.model"]
        assert attributes["gen_ai.usage.input_tokens"] > 0
        assert "storebot.cost_usd" in attributes
    exported = " ".join(str(value) for span in spans for value in _attributes(span).values())
    assert "555-0198" not in exported  # as typed, and as the reply formats it: (415) 555-0198
    assert "4155550198" not in exported


def test_a_hosted_model_call_is_priced_from_our_price_table():
    identifier = OtelSpanIdentifier(trace_id="0" * 32, span_id="1" * 16)
    span = OtelSpanData(
        trace_id="0" * 32,
        span_id="1" * 16,
        parent_span_id=None,
        name="chat claude-haiku-4-5",
        instrumentation_scope_name="pydantic-ai",
        instrumentation_scope_version=None,
        attributes={
            "gen_ai.provider.name": "anthropic",
            "gen_ai.response.model": "claude-haiku-4-5-20251001",
            "gen_ai.usage.input_tokens": 1000,
            "gen_ai.usage.output_tokens": 500,
        },
        resource_attributes={},
    )

    result = mask_spans(params=MaskOtelSpansParams(spans={identifier: span}))

    assert result is not None
    patch = result.span_patches[identifier]
    assert patch is not None
    priced: dict[str, Any] = dict(patch.set_attributes)
    # $1 per million in, $5 per million out
    assert priced["storebot.cost_usd"] == pytest.approx(0.0035)
    assert json.loads(priced["langfuse.observation.cost_details"]) == {"total": pytest.approx(0.0035)}


def test_without_keys_tracing_stays_off(settings):
    settings.LANGFUSE_PUBLIC_KEY = ""

    assert tracing_init() is False
    with turn_trace(conversation_id=1, user_id=1):
        pass  # a no-op context: the engine can always wrap its turns
