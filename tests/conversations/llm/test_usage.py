"""Token counts the providers report reach `result.usage`, and price through cost_usd."""

from decimal import Decimal

from conversations.llm import build_model, model_outcome
from ops.pricing import cost_usd
from tests.conversations.llm.agents import classify, stream_reply


def test_anthropic_structured_call_reports_its_tokens(hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "terminate"}, input_tokens=812, output_tokens=31)

    result = classify(build_model("classifier"), "thanks, bye")

    assert (result.usage.input_tokens, result.usage.output_tokens, result.usage.requests) == (812, 31, 1)
    model = model_outcome(result.messages).model
    # claude-haiku-4-5: $1 in, $5 out per million tokens.
    assert cost_usd(model, result.usage.input_tokens, result.usage.output_tokens) == Decimal("0.000967")


def test_anthropic_stream_reports_its_tokens(hosted_llm):
    hosted_llm.primary.reply_text("Goodbye, and thanks for stopping by.", input_tokens=1500, output_tokens=12)

    streamed = stream_reply(build_model("agent"), "thanks, bye")

    assert (streamed.usage.input_tokens, streamed.usage.output_tokens) == (1500, 12)


def test_fallback_stream_reports_the_fallbacks_tokens(hosted_llm):
    hosted_llm.primary.fail(500)
    hosted_llm.fallback.reply_text("Goodbye!", input_tokens=2000, output_tokens=400)

    streamed = stream_reply(build_model("agent"), "thanks, bye")

    assert (streamed.usage.input_tokens, streamed.usage.output_tokens) == (2000, 400)
    model = model_outcome(streamed.messages).model
    # gpt-4o-mini: $0.15 in, $0.60 out per million tokens.
    assert cost_usd(model, streamed.usage.input_tokens, streamed.usage.output_tokens) == Decimal("0.000540")


def test_openai_structured_call_reports_its_tokens(hosted_llm):
    hosted_llm.primary.fail(429, retry_after=5)
    hosted_llm.fallback.reply_tool_call({"intent": "off_scope"}, input_tokens=640, output_tokens=18)

    result = classify(build_model("classifier"), "what's the weather?")

    assert (result.usage.input_tokens, result.usage.output_tokens) == (640, 18)
