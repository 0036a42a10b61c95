"""A chat turn is one trace: its classifier and agent calls are spans under the turn, tagged with the conversation."""

from __future__ import annotations

from ops.tracing import tracing_flush, user_trace_id


def test_a_turn_traces_both_model_calls_under_the_conversation(chat, user, exported_spans):
    chat.say("Save ACME Hardware, 415-555-0198")
    tracing_flush()
    spans = exported_spans.get_finished_spans()
    calls = [
        dict(span.attributes or {}) for span in spans if (span.attributes or {}).get("gen_ai.operation.name") == "chat"
    ]
    assert sorted(attributes["gen_ai.request.model"] for attributes in calls) == ["agent", "classifier"]
    for attributes in calls:
        assert attributes["session.id"] == str(chat.conversation.pk)
        assert attributes["user.id"] == user_trace_id(user.pk)
    turn_spans = [span for span in spans if span.name == "chat turn"]
    assert len(turn_spans) == 1
    assert {span.context.trace_id for span in spans} == {turn_spans[0].context.trace_id}
