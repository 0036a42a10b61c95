"""A failing primary hands over to the fallback, for structured and streamed calls alike."""

import pytest
from pydantic_ai.exceptions import FallbackExceptionGroup, ModelAPIError

from conversations.llm import PROVIDER_ERRORS, build_model, describe_provider_error, fallback_used, model_outcome
from tests.conversations.llm.agents import classify, stream_reply

LOOKUP = {"intent": "retrieve_by_name", "lookup_query": "costco"}
REPLY = "Here is what I found for Costco."


def break_primary(fake, failure):
    if failure == "server error":
        fake.fail(500)
    elif failure == "rate limited":
        fake.fail(429, retry_after=1)
    else:
        fake.hang()


FAILURES = [
    pytest.param("server error", "ModelServerError", id="5xx"),
    pytest.param("rate limited", "ModelRateLimitError", id="429"),
    pytest.param("timeout", "ModelTimeoutError", id="timeout"),
]


@pytest.mark.parametrize(("failure", "error_name"), FAILURES)
def test_classifier_falls_back_to_openai(hosted_llm, failure, error_name):
    break_primary(hosted_llm.primary, failure)
    hosted_llm.fallback.reply_tool_call(LOOKUP)

    result = classify(build_model("classifier"), "What's the number for costco?")

    assert result.output.lookup_query == "costco"
    outcome = model_outcome(result.messages)
    assert outcome.model == "openai:gpt-4o-mini"
    assert outcome.fallback_used
    (attempt,) = outcome.failed_attempts
    assert attempt.model == "anthropic:claude-haiku-4-5"
    assert attempt.error.startswith(error_name)
    assert fallback_used(role="classifier", response_model_name=outcome.model)
    assert len(hosted_llm.primary.requests) == 1  # no SDK retries before handing over


@pytest.mark.parametrize(("failure", "error_name"), FAILURES)
def test_streaming_agent_falls_back_to_openai(hosted_llm, failure, error_name):
    break_primary(hosted_llm.primary, failure)
    hosted_llm.fallback.reply_text(REPLY)

    streamed = stream_reply(build_model("agent"), "What's the number for costco?")

    assert streamed.text == REPLY
    assert len(streamed.deltas) >= 4
    outcome = model_outcome(streamed.messages)
    assert outcome.model == "openai:gpt-4o-mini"
    assert outcome.failed_attempts[0].model == "anthropic:claude-sonnet-4-6"
    assert outcome.failed_attempts[0].error.startswith(error_name)
    assert len(hosted_llm.primary.requests) == 1


def test_a_healthy_primary_is_not_a_fallback(hosted_llm):
    hosted_llm.primary.reply_text(REPLY)

    outcome = model_outcome(stream_reply(build_model("agent"), "hello").messages)

    assert not outcome.fallback_used
    assert outcome.failed_attempts == ()
    assert not fallback_used(role="agent", response_model_name=outcome.model)
    assert hosted_llm.fallback.requests == []


def test_both_providers_failing_raises_a_provider_error(hosted_llm):
    hosted_llm.primary.fail(503)
    hosted_llm.fallback.fail(500)

    with pytest.raises(PROVIDER_ERRORS) as caught:
        classify(build_model("classifier"), "What's the number for costco?")

    assert isinstance(caught.value, FallbackExceptionGroup)
    description = describe_provider_error(caught.value)
    assert "anthropic:claude-haiku-4-5: ModelUnavailableError: status_code: 503" in description
    assert "openai:gpt-4o-mini: ModelServerError: status_code: 500" in description


def test_both_providers_failing_a_stream_raises_a_provider_error(hosted_llm):
    hosted_llm.primary.hang()
    hosted_llm.fallback.fail(429, retry_after=2)

    with pytest.raises(PROVIDER_ERRORS) as caught:
        stream_reply(build_model("agent"), "hello")

    assert "ModelTimeoutError" in describe_provider_error(caught.value)
    assert "ModelRateLimitError" in describe_provider_error(caught.value)


def test_a_stream_cut_off_after_it_started_is_an_error_not_a_fallback(hosted_llm):
    hosted_llm.primary.drop_mid_stream("Here is what I found", after=2)
    hosted_llm.fallback.reply_text(REPLY)

    with pytest.raises(PROVIDER_ERRORS) as caught:
        stream_reply(build_model("agent"), "What's the number for costco?")

    assert isinstance(caught.value, ModelAPIError)
    assert "incomplete chunked read" in describe_provider_error(caught.value)
    assert hosted_llm.fallback.requests == []


def test_without_a_fallback_a_failure_still_arrives_as_a_provider_error(hosted_llm, settings):
    settings.LLM_FALLBACK_MODEL = ""
    hosted_llm.primary.fail(500)

    with pytest.raises(PROVIDER_ERRORS) as caught:
        classify(build_model("classifier"), "hello")

    assert isinstance(caught.value, FallbackExceptionGroup)


@pytest.mark.parametrize(
    ("response_model_name", "is_fallback"),
    [
        ("anthropic:claude-haiku-4-5", False),
        ("claude-haiku-4-5-20251001", False),
        ("anthropic:claude-haiku-4-5-20251001", False),
        ("openai:gpt-4o-mini", True),
        ("gpt-4o-mini-2024-07-18", True),
        ("anthropic:claude-sonnet-4-6", True),
    ],
)
def test_fallback_used_compares_with_the_roles_primary(hosted_llm, response_model_name, is_fallback):
    assert fallback_used(role="classifier", response_model_name=response_model_name) is is_fallback


def test_offline_never_falls_back(db, settings):
    settings.LLM_PROVIDER = "offline"

    assert not fallback_used(role="agent", response_model_name="offline:rules")
