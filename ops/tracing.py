"""Langfuse tracing over OpenTelemetry, on when the Langfuse keys are set.

`tracing_init()` (called once per process from OpsConfig.ready) starts
the Langfuse client and instruments every pydantic-ai agent, so each model
call (classifier, agent, summarizer, fallback) becomes a span with its model
and token counts. The engine wraps a turn in `turn_trace(...)`: its span and
every model call under it carry the conversation id (Langfuse session), a
hashed user id, and the request id. On export, phone numbers in span text
are masked and each model call gets its USD cost from our price table.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from opentelemetry import trace
from pydantic_ai import Agent
from pydantic_ai.models.instrumented import InstrumentationSettings

from ops.pricing import cost_usd
from ops.redaction import mask_phones
from ops.request_context import get_request_id

if TYPE_CHECKING:
    # The Langfuse client takes a tenth of a second of CPU to import: loaded only when tracing starts.
    from langfuse import Langfuse
    from langfuse.types import MaskOtelSpansParams, MaskOtelSpansResult, OtelSpanData
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

logger = logging.getLogger(__name__)

# Span attributes of our own, readable in Langfuse and any OpenTelemetry backend.
CONVERSATION_ATTRIBUTE = "storebot.conversation_id"
USER_ATTRIBUTE = "storebot.user_hash"
REQUEST_ATTRIBUTE = "storebot.request_id"
COST_ATTRIBUTE = "storebot.cost_usd"
LANGFUSE_COST_ATTRIBUTE = "langfuse.observation.cost_details"

LOCAL_PROVIDERS = frozenset({"function", "test"})

_client: Langfuse | None = None


def tracing_init(*, tracer_provider: TracerProvider | None = None, span_exporter: SpanExporter | None = None) -> bool:
    """Start Langfuse and instrument pydantic-ai when the keys are set; True when on.

    Without a `tracer_provider` Langfuse registers the global one. Tests pass
    their own provider and an in-memory `span_exporter`.
    """
    global _client
    if not (settings.LANGFUSE_PUBLIC_KEY and settings.LANGFUSE_SECRET_KEY):
        return False
    from langfuse import Langfuse

    _client = Langfuse(
        public_key=settings.LANGFUSE_PUBLIC_KEY,
        secret_key=settings.LANGFUSE_SECRET_KEY,
        base_url=settings.LANGFUSE_HOST or None,
        environment=settings.SENTRY_ENVIRONMENT.lower(),
        release=settings.RELEASE,
        mask=_mask_payload,
        mask_otel_spans=mask_spans,
        tracer_provider=tracer_provider,
        span_exporter=span_exporter,
    )
    Agent.instrument_all(InstrumentationSettings(tracer_provider=tracer_provider))
    logger.info("Langfuse tracing on", extra={"langfuse_host": settings.LANGFUSE_HOST or "cloud"})
    return True


def tracing_flush() -> None:
    """Send buffered spans now (end of a management command, tests)."""
    if _client is not None:
        _client.flush()


def tracing_shutdown() -> None:
    """Flush and stop tracing; agents are no longer instrumented."""
    global _client
    if _client is not None:
        _client.shutdown()
        _client = None
        Agent.instrument_all(False)


def user_trace_id(user_id: int) -> str:
    """The user id as traces show it: a keyed hash, stable per deployment.

    An operator finds a user's traces with
    `manage.py shell -c "from ops.tracing import user_trace_id; print(user_trace_id(42))"`.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), f"user:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


@contextmanager
def turn_trace(*, conversation_id: int, user_id: int, name: str = "chat turn") -> Iterator[None]:
    """Group the model calls of one turn (or one summary) under a span.

    A no-op when tracing is off. Use around the whole turn, including the
    streaming of the reply: `with turn_trace(conversation_id=c.id, user_id=u.id): ...`.
    """
    if _client is None:
        yield
        return
    from langfuse import propagate_attributes

    request_id = get_request_id()
    user_hash = user_trace_id(user_id)
    with (
        _client.start_as_current_observation(name=name, as_type="span"),
        propagate_attributes(
            user_id=user_hash,
            session_id=str(conversation_id),
            trace_name=name,
            metadata={"request_id": request_id, "conversation_id": str(conversation_id)},
        ),
    ):
        trace.get_current_span().set_attributes(
            {CONVERSATION_ATTRIBUTE: conversation_id, USER_ATTRIBUTE: user_hash, REQUEST_ATTRIBUTE: request_id}
        )
        yield


def mask_spans(*, params: MaskOtelSpansParams) -> MaskOtelSpansResult | None:
    """Export-stage patch: phone numbers masked in every text attribute; model calls priced."""
    from langfuse.types import MaskOtelSpansResult, OtelSpanPatch

    patches = {}
    for identifier, span in params.spans.items():
        changes: dict[str, Any] = {}
        for key, value in span.attributes.items():
            if isinstance(value, str):
                masked = mask_phones(value)
                if masked != value:
                    changes[key] = masked
        changes.update(_cost_attributes(span))
        if changes:
            patches[identifier] = OtelSpanPatch(set_attributes=changes)
    return MaskOtelSpansResult(span_patches=patches)


def _cost_attributes(span: OtelSpanData) -> dict[str, Any]:
    attributes = span.attributes
    tokens_in = attributes.get("gen_ai.usage.input_tokens")
    tokens_out = attributes.get("gen_ai.usage.output_tokens")
    model = attributes.get("gen_ai.response.model") or attributes.get("gen_ai.request.model")
    if not isinstance(tokens_in, int) or not isinstance(tokens_out, int) or not isinstance(model, str):
        return {}
    provider = attributes.get("gen_ai.provider.name") or attributes.get("gen_ai.system")
    # Function and test models are the offline model (as the model factory labels them).
    label = f"offline:{model}" if provider in LOCAL_PROVIDERS else f"{provider}:{model}" if provider else model
    cost = float(cost_usd(label, tokens_in, tokens_out))
    return {COST_ATTRIBUTE: cost, LANGFUSE_COST_ATTRIBUTE: json.dumps({"total": cost})}


def _mask_payload(*, data: Any, **kwargs: Any) -> Any:
    if isinstance(data, str):
        return mask_phones(data)
    if isinstance(data, dict):
        return {key: _mask_payload(data=value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_mask_payload(data=item) for item in data]
    return data
