"""A classifier-shaped agent gets a parsed Classification from each hosted API."""

from conversations.llm import build_model, model_outcome
from conversations.models import Intent
from conversations.schema import Classification, StoreMention
from tests.conversations.llm.agents import CLASSIFIER_INSTRUCTIONS, classify

SAVE_ACME = {"intent": "save", "stores": [{"name": "ACME Hardware", "phone": "415-555-0198"}]}


def test_anthropic_tool_call_becomes_a_classification(hosted_llm):
    hosted_llm.primary.reply_tool_call(SAVE_ACME)

    result = classify(build_model("classifier"), "Save ACME Hardware, 415-555-0198")

    assert result.output == Classification(
        intent=Intent.SAVE, stores=[StoreMention(name="ACME Hardware", phone="415-555-0198")]
    )
    assert model_outcome(result.messages).model == "anthropic:claude-haiku-4-5"
    assert hosted_llm.fallback.requests == []


def test_the_request_carries_the_instructions_the_output_tool_and_the_message(hosted_llm):
    hosted_llm.primary.reply_tool_call(SAVE_ACME)

    classify(build_model("classifier"), "Save ACME Hardware, 415-555-0198")

    (request,) = hosted_llm.primary.requests
    assert request.json["model"] == "claude-haiku-4-5"
    assert request.system_text == CLASSIFIER_INSTRUCTIONS
    assert request.tool_names == ["final_result"]
    assert "Save ACME Hardware, 415-555-0198" in request.sent_text
    assert request.headers["authorization"] == "Bearer test-anthropic-key"


def test_openai_responses_api_model_returns_the_classification(hosted_llm, settings):
    settings.LLM_CLASSIFIER_MODEL = "openai:gpt-4o-mini"
    hosted_llm.fallback.reply_tool_call({"intent": "retrieve_by_name", "lookup_query": "costco"})

    result = classify(build_model("classifier"), "What's the number for costco?")

    assert result.output.intent == Intent.RETRIEVE_BY_NAME
    assert result.output.lookup_query == "costco"
    assert hosted_llm.fallback.requests[0].path == "/v1/responses"


def test_openai_chat_model_returns_the_classification(hosted_llm, settings):
    settings.LLM_CLASSIFIER_MODEL = "openai-chat:llama3"
    hosted_llm.fallback.reply_tool_call({"intent": "retrieve_by_phone", "phone_digits": "0198"})

    result = classify(build_model("classifier"), "which store has a number ending in 0198")

    assert result.output.phone_digits == "0198"
    (request,) = hosted_llm.fallback.requests
    assert request.path == "/v1/chat/completions"
    assert request.json["model"] == "llama3"
    assert request.system_text == CLASSIFIER_INSTRUCTIONS
