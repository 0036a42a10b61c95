"""Models are built fresh per call and closed by the caller: safe across event loops and threads."""

import asyncio

from asgiref.sync import async_to_sync
from pydantic_ai import Agent
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.fallback import FallbackModel
from pydantic_ai.models.openai import OpenAIChatModel

from conversations.llm import abuild_model, build_model
from ops.config import get_config
from tests.conversations.llm.agents import stream_reply


def test_a_model_entered_with_async_with_closes_its_http_clients(hosted_llm):
    hosted_llm.primary.reply_text("Hello there.")
    model = build_model("agent")

    stream_reply(model, "hi")

    assert isinstance(model, FallbackModel)
    primary, fallback = model.models
    assert isinstance(primary, AnthropicModel)
    assert isinstance(fallback, OpenAIChatModel)
    assert primary.client.is_closed()
    assert fallback.client.is_closed()


def test_fresh_models_answer_on_separate_event_loops(hosted_llm):
    hosted_llm.primary.reply_text("First loop.")
    hosted_llm.primary.reply_text("Second loop.")

    async def answer() -> str:
        async with build_model("agent", config=config) as model:
            return (await Agent().run("hi", model=model)).output

    # What a management command or a worker task does: a new event loop per call.
    config = get_config()
    assert [asyncio.run(answer()), asyncio.run(answer())] == ["First loop.", "Second loop."]


def test_async_code_builds_models_without_touching_the_database_on_the_loop(hosted_llm):
    async def names() -> list[str]:
        model = await abuild_model("classifier")
        assert isinstance(model, FallbackModel)
        return [inner.model_name for inner in model.models]

    # async_to_sync runs the config read back on this thread, inside the test's transaction.
    assert async_to_sync(names)() == ["claude-haiku-4-5", "gpt-4o-mini"]
