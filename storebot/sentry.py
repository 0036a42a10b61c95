"""Sentry error reporting, on when SENTRY_DSN is set, with personal data scrubbed.

`data_collection` turns off what the SDK would gather on its own (user
identity, cookies, request bodies, query strings, frame locals, model
inputs); the scrubber then walks every event and breadcrumb and removes phone
numbers, email addresses, passphrases, message text, cookies and auth
headers that reach it another way (exception messages, log lines, extras).
IP addresses are kept. Every event is tagged with the request id.

Called from settings: never import models here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

from ops.redaction import FILTERED_MARK, scrub_text
from ops.request_context import get_request_scope

if TYPE_CHECKING:
    from sentry_sdk._types import Breadcrumb, BreadcrumbHint, DataCollectionUserOptions, Event, Hint

# Whole values are replaced under keys containing these (secrets, contact data) ...
SENSITIVE_KEY_PARTS = (
    "passphrase",
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "csrf",
    "session",
    "api_key",
    "apikey",
    "phone",
    "email",
)
# ... and under these exact keys (what people wrote to the bot).
USER_TEXT_KEYS = frozenset({"content", "text", "body", "message_text", "prompt", "reply", "pending_action"})
# Removed wherever they appear: frame locals, request bodies and cookie jars.
DROPPED_KEYS = frozenset({"vars", "data", "cookies"})
# Machine-made values (times, ids, versions) that must stay exactly as they are.
UNTOUCHED_KEYS = frozenset(
    {
        "event_id",
        "timestamp",
        "start_timestamp",
        "trace_id",
        "span_id",
        "parent_span_id",
        "release",
        "environment",
        "sdk",
        "modules",
        "platform",
        "level",
        "contexts",
    }
)

DATA_COLLECTION: DataCollectionUserOptions = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "denylist", "terms": ["cookie", "authorization", "forwarded", "x-real-ip"]}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
    "frame_context_lines": 5,
}


def _is_sensitive(key: str) -> bool:
    lowered = key.lower()
    return lowered in USER_TEXT_KEYS or any(part in lowered for part in SENSITIVE_KEY_PARTS)


def scrub(value: Any, *, key: str = "") -> Any:
    """A copy of `value` with personal data removed (see the module docstring)."""
    if isinstance(value, dict):
        cleaned: dict[str, Any] = {}
        for child_key, child in value.items():
            name = str(child_key)
            if name in DROPPED_KEYS:
                continue
            if name in UNTOUCHED_KEYS:
                cleaned[child_key] = child
            elif _is_sensitive(name):
                cleaned[child_key] = FILTERED_MARK
            else:
                cleaned[child_key] = scrub(child, key=name)
        return cleaned
    if isinstance(value, list | tuple):
        return [scrub(item, key=key) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_event(event: Event, hint: Hint) -> Event:
    """before_send: scrub, then tag with the request (or task) id and user id."""
    cleaned: Event = scrub(event)
    scope = get_request_scope()
    if scope is not None:
        tags = cleaned.setdefault("tags", {})
        tags["request_id"] = scope.request_id
        if scope.user_id is not None:
            tags["user_id"] = str(scope.user_id)
    return cleaned


def scrub_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint) -> Breadcrumb:
    cleaned: Breadcrumb = scrub(crumb)
    return cleaned


def sentry_init(
    *,
    dsn: str,
    environment: str,
    release: str,
    traces_sample_rate: float,
    transport: Transport | None = None,
) -> None:
    """Start the Sentry client; `transport` lets tests capture envelopes in memory."""
    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration()],
        # Only what we ask for: the AI-library integrations would record model inputs.
        auto_enabling_integrations=False,
        data_collection=DATA_COLLECTION,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
