"""Every language-model call of the product, in one place.

Three pydantic-ai agents: the classifier (structured `Classification`), the
reply agent (streams text; may call the tools the engine hands it, each gated
in Python) and the summarizer. Models come fresh from
`conversations.llm.build_model` for each call, so a provider's HTTP client
never crosses event loops.

Each call reports a `CallUsage` (model that answered, requests, tokens, cost,
whether a fallback answered); the caller records it. Provider failures
surface as `llm.PROVIDER_ERRORS`, caught by their callers.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, TypeVar

from pydantic_ai import Agent
from pydantic_ai.exceptions import UserError
from pydantic_ai.messages import ModelMessage, PartDeltaEvent, PartStartEvent, TextPart, TextPartDelta
from pydantic_ai.toolsets import AbstractToolset
from pydantic_ai.usage import RunUsage

from conversations import llm
from conversations.accounting import CallUsage
from conversations.schema import Classification, ClassifierInput, Role
from ops.models import SystemConfig
from ops.pricing import cost_usd

DepsT = TypeVar("DepsT")

classifier_agent: Agent[None, Classification] = Agent(output_type=Classification, name="classifier")
summarizer_agent: Agent[None, str] = Agent(name="summarizer")


# Its tools come with each run (`toolset`): the engine's, gated in Python, acting on that turn's deps.
reply_agent: Agent[Any, str] = Agent(name="agent")


async def classify(*, payload: ClassifierInput, prompt: str, config: SystemConfig) -> tuple[Classification, CallUsage]:
    model = llm.build_model("classifier", config=config)
    async with model:
        result = await classifier_agent.run(payload.to_prompt(), model=model, instructions=prompt)
    return result.output, call_usage("classifier", result.usage, result.new_messages(), config=config)


async def reply_stream(
    *,
    deps: DepsT,
    toolset: AbstractToolset[DepsT],
    history: list[ModelMessage],
    instructions: str,
    config: SystemConfig,
    usages: list[CallUsage],
) -> AsyncIterator[str]:
    """Stream the reply text, the agent offered `toolset` on `deps`; its usage is appended to `usages` when the
    run ends, however it ends."""
    model = llm.build_model("agent", config=config)
    async with (
        model,
        reply_agent.run_stream_events(
            None, message_history=history, model=model, deps=deps, toolsets=[toolset], instructions=instructions
        ) as events,
    ):
        try:
            async for event in events:
                if isinstance(event, PartStartEvent) and isinstance(event.part, TextPart) and event.part.content:
                    yield event.part.content
                elif (
                    isinstance(event, PartDeltaEvent)
                    and isinstance(event.delta, TextPartDelta)
                    and event.delta.content_delta
                ):
                    yield event.delta.content_delta
        finally:
            # Interrupted or not, what was generated so far was paid for.
            usages.append(_usage_so_far(events, config=config))


def summarize(*, payload: dict[str, Any], prompt: str, config: SystemConfig) -> tuple[str, CallUsage]:
    """Synchronous: runs in the worker."""
    result = summarizer_agent.run_sync(
        json.dumps(payload, ensure_ascii=False), model=llm.build_model("summarizer", config=config), instructions=prompt
    )
    return result.output.strip(), call_usage("summarizer", result.usage, result.new_messages(), config=config)


async def answer_sample(*, role: Role, instructions: str, sample: str, config: SystemConfig) -> tuple[str, CallUsage]:
    """A role's model answers one sample message with draft instructions (the prompt editor's "try it").

    The classifier answers with its classification as JSON; the agent runs without tools or a turn brief.
    """
    model = llm.build_model(role, config=config)
    async with model:
        if role == "classifier":
            result: Any = await classifier_agent.run(
                ClassifierInput(message=sample).to_prompt(), model=model, instructions=instructions
            )
            text = result.output.model_dump_json(indent=2, exclude_defaults=True)
        else:
            agent = summarizer_agent if role == "summarizer" else Agent(name="agent-preview")
            result = await agent.run(sample, model=model, instructions=instructions)
            text = str(result.output)
    return text, call_usage(role, result.usage, result.new_messages(), config=config)


def _usage_so_far(events: Any, *, config: SystemConfig) -> CallUsage:
    try:
        return call_usage("agent", events.usage, events.new_messages(), config=config)
    except UserError:
        # The run never started (the model failed before answering): nothing was generated.
        return call_usage("agent", RunUsage(), [], config=config)


def call_usage(role: str, usage: RunUsage, messages: list[ModelMessage], *, config: SystemConfig) -> CallUsage:
    outcome = llm.model_outcome(messages)
    failed = outcome.failed_attempts
    return CallUsage(
        role=role,
        model=outcome.model,
        requests=usage.requests,
        tokens_in=usage.input_tokens,
        tokens_out=usage.output_tokens,
        cost_usd=cost_usd(outcome.model or "default", usage.input_tokens, usage.output_tokens),
        fallback_used=outcome.fallback_used,
        primary_model=failed[0].model if failed else "",
        primary_error=failed[0].error if failed else "",
    )
