"""Small agents shaped like the engine's: a structured classifier and a streaming replier."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models import Model
from pydantic_ai.usage import RunUsage

from conversations.schema import Classification

CLASSIFIER_INSTRUCTIONS = "Classify the user's message for a personal store directory."
AGENT_INSTRUCTIONS = "Reply to the user in one short, friendly sentence."


@dataclass(frozen=True)
class Classified:
    output: Classification
    messages: list[ModelMessage]
    usage: RunUsage


@dataclass(frozen=True)
class Streamed:
    deltas: list[str]
    messages: list[ModelMessage]
    usage: RunUsage

    @property
    def text(self) -> str:
        return "".join(self.deltas)


def classify(model: Model, text: str) -> Classified:
    agent = Agent(output_type=Classification, instructions=CLASSIFIER_INSTRUCTIONS)

    async def run() -> Classified:
        async with model:  # closes the model's HTTP clients when the call is done
            result = await agent.run(text, model=model)
        return Classified(result.output, result.new_messages(), result.usage)

    return asyncio.run(run())


def stream_reply(model: Model, text: str) -> Streamed:
    agent = Agent(instructions=AGENT_INSTRUCTIONS)

    async def run() -> Streamed:
        async with model, agent.run_stream(text, model=model) as result:
            deltas = [delta async for delta in result.stream_text(delta=True, debounce_by=None)]
        return Streamed(deltas, result.new_messages(), result.usage)

    return asyncio.run(run())
