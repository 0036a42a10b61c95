"""Every language-model call of the product, in one place.

Three pydantic-ai agents: the classifier (structured `Classification`), the
reply agent (streams text; may call the four tools, each gated in Python) and
the summarizer. Models come fresh from `conversations.llm.build_model` for
each call, so a provider's HTTP client never crosses event loops (NOTES).

Each call reports a `CallUsage` (model that answered, requests, tokens, cost,
whether a fallback answered); the caller records it. Provider failures
surface as `llm.PROVIDER_ERRORS`, caught by the orchestrator at one place.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from pydantic_ai import Agent, RunContext
from pydantic_ai.exceptions import UserError
from pydantic_ai.messages import ModelMessage, PartDeltaEvent, PartStartEvent, TextPart, TextPartDelta
from pydantic_ai.tools import ToolDefinition
from pydantic_ai.usage import RunUsage

from conversations import llm
from conversations.accounting import CallUsage
from conversations.engine import tools
from conversations.engine.fsm import LookupGate
from conversations.engine.tools import TurnDeps
from conversations.schema import Classification, ClassifierInput
from ops.models import SystemConfig
from ops.pricing import cost_usd

classifier_agent: Agent[None, Classification] = Agent(output_type=Classification, name="classifier")
summarizer_agent: Agent[None, str] = Agent(name="summarizer")


reply_agent: Agent[TurnDeps, str] = Agent(deps_type=TurnDeps, name="agent")


# Offered only in the states that allow them; the tools check their gates again when called.
async def _while_open(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return None if ctx.deps.conversation.is_terminated else definition


async def _when_unlocked(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return definition if ctx.deps.lookup_gate == LookupGate.OPEN else None


async def _when_ending(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return definition if ctx.deps.may_end else None


# --- The reply agent's tools: thin async wrappers over the gated tool functions ---------------
@reply_agent.tool(prepare=_while_open)
async def save_store(ctx: RunContext[TurnDeps], store_name: str, phone: str) -> dict[str, Any]:
    """Save a store in the user's directory. `phone` is the number as the user wrote it."""
    record = await sync_to_async(tools.save_store)(ctx.deps, store_name=store_name, phone=phone, caller="model")
    return record.result


@reply_agent.tool(prepare=_when_unlocked)
async def lookup_by_name(ctx: RunContext[TurnDeps], query: str) -> dict[str, Any]:
    """Find the user's stores whose name is like `query`, best match first."""
    record = await sync_to_async(tools.lookup_by_name)(ctx.deps, query=query, caller="model")
    return record.result


@reply_agent.tool(prepare=_when_unlocked)
async def lookup_by_phone(ctx: RunContext[TurnDeps], phone: str) -> dict[str, Any]:
    """Find the user's stores with this number, or whose number contains these digits (at least 4)."""
    record = await sync_to_async(tools.lookup_by_phone)(ctx.deps, phone=phone, caller="model")
    return record.result


@reply_agent.tool(prepare=_when_ending)
async def terminate_conversation(ctx: RunContext[TurnDeps], reason: str) -> dict[str, Any]:
    """End the conversation, only when the user said they are done."""
    record = await sync_to_async(tools.terminate_conversation)(ctx.deps, reason=reason, caller="model")
    return record.result


async def classify(*, payload: ClassifierInput, prompt: str, config: SystemConfig) -> tuple[Classification, CallUsage]:
    model = llm.build_model("classifier", config=config)
    async with model:
        result = await classifier_agent.run(payload.to_prompt(), model=model, instructions=prompt)
    return result.output, call_usage("classifier", result.usage, result.new_messages(), config=config)


async def reply_stream(
    *,
    deps: TurnDeps,
    history: list[ModelMessage],
    instructions: str,
    config: SystemConfig,
    usages: list[CallUsage],
) -> AsyncIterator[str]:
    """Stream the reply text; its usage is appended to `usages` when the run ends, however it ends."""
    model = llm.build_model("agent", config=config)
    async with (
        model,
        reply_agent.run_stream_events(
            None, message_history=history, model=model, deps=deps, instructions=instructions
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


async def try_prompt(*, role: str, body: str, sample: str, user: Any) -> str:
    """The prompt editor's "try it": run a sample with a draft prompt; only the spend is recorded."""
    from conversations.accounting import usage_record
    from ops.config import get_config

    config = await sync_to_async(get_config)()
    model = llm.build_model(role, config=config)  # type: ignore[arg-type]
    async with model:
        if role == "classifier":
            result: Any = await classifier_agent.run(
                ClassifierInput(message=sample).to_prompt(), model=model, instructions=body
            )
            text = result.output.model_dump_json(indent=2, exclude_defaults=True)
        else:
            agent = summarizer_agent if role == "summarizer" else Agent(name="agent-preview")
            result = await agent.run(sample, model=model, instructions=body)
            text = str(result.output)
    await sync_to_async(usage_record)(
        user=user, usage=call_usage(role, result.usage, result.new_messages(), config=config)
    )
    return text


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
