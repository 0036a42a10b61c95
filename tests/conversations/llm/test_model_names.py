"""The names a model and a run's answering model go by: what Message.model and cost_usd take."""

import asyncio

from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage, ModelResponse, TextPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from conversations.llm import build_model, model_name_of, model_outcome


def echo(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    return ModelResponse(parts=[TextPart("hi")])


def test_a_built_model_is_named_after_its_primary(hosted_llm):
    assert model_name_of(build_model("agent")) == "anthropic:claude-sonnet-4-6"


def test_a_local_function_model_is_offline():
    assert model_name_of(FunctionModel(echo, model_name="rules")) == "offline:rules"


def test_a_local_function_models_answer_is_offline():
    result = asyncio.run(Agent().run("hello", model=FunctionModel(echo, model_name="rules")))

    outcome = model_outcome(result.new_messages())
    assert outcome.model == "offline:rules"
    assert outcome.requests == 1
    assert not outcome.fallback_used


def test_a_run_without_responses_names_no_model():
    outcome = model_outcome([])

    assert (outcome.model, outcome.requests, outcome.fallback_used) == ("", 0, False)
