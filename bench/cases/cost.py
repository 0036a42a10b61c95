"""cost: model requests and tokens per turn, counted by a wrapper around every model the engine builds.

Four turns a user makes every day, each in a fresh conversation: a one-store
save, a lookup that asks for the passphrase and then answers (two turns), a
two-store save and an off-scope message. `conversations.llm.build_model` is
wrapped so each model it returns counts its requests and the tokens of its
responses, whatever the engine does with them. The offline model estimates
tokens from what a hosted model would be sent (instructions, messages, tool
definitions; four characters a token), so these counts predict a hosted
model's bill; the USD column prices them with the configured hosted models
(settings.LLM_PRICES). Deterministic: the same figures every run.
Target: at most two model requests for a one-store save.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from unittest import mock

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings
from pydantic_ai.tools import RunContext
from pydantic_ai.usage import RequestUsage

from bench.results import Result
from bench.seeding import users_create
from conversations import llm
from conversations.events import TextDelta, TurnDone, TurnEvent
from conversations.models import Message
from conversations.services import conversation_start, turn_run
from directory.services import store_save
from ops.pricing import cost_usd

PASSPHRASE = "open sesame"  # noqa: S105  (a benchmark user's, not a secret)
MAX_REQUESTS_FOR_A_SAVE = 2
HOSTED_MODELS = {"classifier": "LLM_CLASSIFIER_MODEL", "agent": "LLM_AGENT_MODEL", "summarizer": "LLM_SUMMARY_MODEL"}

LOOKUP = "What's the number for ACME Hardware?"
# (what is counted, messages sent before, messages counted); each in a new conversation of a user
# whose directory already holds ACME Hardware.
SCENARIOS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("save one store", (), ("Save Joe's Pizza, 415-555-0134",)),
    ("lookup, turn 1: asks for the passphrase", (), (LOOKUP,)),
    ("lookup, turn 2: passphrase, then the answer", (LOOKUP,), (PASSPHRASE,)),
    ("lookup with passphrase, both turns", (), (LOOKUP, PASSPHRASE)),
    ("lookup once unlocked", (LOOKUP, PASSPHRASE), ("And the number for ACME Hardware again?",)),
    ("save two stores", (), ("Save Costco 650-555-0101 and Target 651-555-0188",)),
    ("off-scope message", (), ("What's the weather like today?",)),
)


@dataclass
class Counts:
    requests: Counter[str] = field(default_factory=Counter)
    tokens_in: Counter[str] = field(default_factory=Counter)
    tokens_out: Counter[str] = field(default_factory=Counter)

    def add(self, role: str, usage: RequestUsage) -> None:
        self.requests[role] += 1
        self.tokens_in[role] += usage.input_tokens
        self.tokens_out[role] += usage.output_tokens


class CountingModel(WrapperModel):
    """Passes every request to the wrapped model and counts it, with the tokens its response used."""

    def __init__(self, wrapped: Any, role: str, counts: Counts) -> None:
        super().__init__(wrapped)
        self.role = role
        self.counts = counts

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        response = await super().request(messages, model_settings, model_request_parameters)
        self.counts.add(self.role, response.usage)
        return response

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncIterator[StreamedResponse]:
        async with super().request_stream(messages, model_settings, model_request_parameters, run_context) as stream:
            try:
                yield stream
            finally:
                self.counts.add(self.role, stream.usage)


@contextmanager
def counted_models(counts: Counts) -> Iterator[None]:
    """Every model the engine builds inside the block is a CountingModel."""
    build = llm.build_model

    def counting_build(role: llm.Role, **kwargs: Any) -> CountingModel:
        return CountingModel(build(role, **kwargs), role, counts)

    with mock.patch.object(llm, "build_model", counting_build):
        yield


def run(*, quick: bool) -> list[Result]:
    # Token counts do not depend on sizes: the quick run is the full run.
    results: list[Result] = []
    for label, before, counted in SCENARIOS:
        [user] = users_create(1, label=f"cost-{len(results)}-", passphrase=PASSPHRASE)
        store_save(user=user, store_name="ACME Hardware", phone="415-555-0198")
        conversation_id = conversation_start(user=user).pk
        for text in before:
            _turn(user, conversation_id, text)
        counts = Counts()
        with counted_models(counts):
            replies = [_turn(user, conversation_id, text) for text in counted]
        results.append(_result(label, counted, counts, replies))
    return results


def _turn(user: Any, conversation_id: int, text: str) -> list[TurnEvent]:
    async def collect() -> list[TurnEvent]:
        return [event async for event in turn_run(user=user, conversation_id=conversation_id, text=text)]

    events = async_to_sync(collect)()
    if not isinstance(events[-1], TurnDone):
        raise AssertionError(f"The turn {text!r} did not finish: {events}")
    return events


def _result(label: str, messages: tuple[str, ...], counts: Counts, replies: list[list[TurnEvent]]) -> Result:
    recorded = Message.objects.filter(pk__in=[_done(events).message_id for events in replies])
    usd = sum(
        (
            cost_usd(getattr(settings, HOSTED_MODELS[role]), counts.tokens_in[role], counts.tokens_out[role])
            for role in counts.requests
        ),
        Decimal(0),
    )
    total_requests = sum(counts.requests.values())
    is_save = label == "save one store"
    figures = {
        "requests": total_requests,
        "requests_by_role": dict(counts.requests),
        "tokens_in": sum(counts.tokens_in.values()),
        "tokens_out": sum(counts.tokens_out.values()),
        "tokens_by_role": {role: [counts.tokens_in[role], counts.tokens_out[role]] for role in counts.requests},
        "usd_hosted": str(usd),
        "hosted_models": {role: getattr(settings, HOSTED_MODELS[role]) for role in counts.requests},
        # What the engine itself recorded on the replies, to compare with the wrapper's count.
        "recorded": {
            "requests": sum(reply.model_requests for reply in recorded),
            "tokens_in": sum(reply.tokens_in for reply in recorded),
            "tokens_out": sum(reply.tokens_out for reply in recorded),
        },
        "messages": list(messages),
        "replies": ["".join(event.text for event in events if isinstance(event, TextDelta)) for events in replies],
    }
    return Result(
        case="cost",
        name=label,
        database=connection.vendor,
        size=f"{len(messages)} turn{'s' if len(messages) > 1 else ''}",
        parameters={"model": "offline (token estimates: 4 characters a token)"},
        target=f"≤ {MAX_REQUESTS_FOR_A_SAVE} model requests" if is_save else "",
        met=total_requests <= MAX_REQUESTS_FOR_A_SAVE if is_save else None,
        figures=figures,
    )


def _done(events: list[TurnEvent]) -> TurnDone:
    done = events[-1]
    assert isinstance(done, TurnDone)
    return done
