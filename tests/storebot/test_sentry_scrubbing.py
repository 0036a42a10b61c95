"""Sentry events leave without phone numbers, email addresses, passphrases,
message text, cookies or auth headers; IP addresses and the request id stay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from ops.request_context import RequestScope, bind_request_scope, reset_request_scope
from storebot.sentry import scrub_event, sentry_init

PHONE = "415-555-0198"
EMAIL = "alice@example.com"
PASSPHRASE = "open sesame"
MESSAGE_TEXT = "Save ACME Hardware please"
IP_ADDRESS = "203.0.113.77"


class InMemoryTransport(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[Any]:
        return [item.payload.json for envelope in self.envelopes for item in envelope.items if item.type == "event"]


@pytest.fixture
def sentry_events() -> Iterator[InMemoryTransport]:
    transport = InMemoryTransport()
    sentry_init(
        dsn="https://public@sentry.example.invalid/1",
        environment="test",
        release="test",
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport
    sentry_sdk.get_client().close(timeout=0)
    sentry_sdk.init(auto_enabling_integrations=False)  # back to a disabled client


def _fail_with_personal_data() -> None:
    phone = PHONE  # noqa: F841 - a local Sentry would otherwise capture
    email = EMAIL  # noqa: F841
    passphrase = PASSPHRASE  # noqa: F841
    content = MESSAGE_TEXT  # noqa: F841
    raise ValueError(f"could not save {PHONE} for {EMAIL} from {IP_ADDRESS}: passphrase {PASSPHRASE}")


def test_an_exception_event_carries_no_personal_data_but_keeps_the_ip(sentry_events):
    scope = RequestScope(request_id="req-sentry-0001", path="/chat/", user_id=7)
    token = bind_request_scope(scope)
    try:
        _fail_with_personal_data()
    except ValueError:
        sentry_sdk.capture_exception()
    finally:
        reset_request_scope(token)
    sentry_sdk.flush()

    [event] = sentry_events.events()
    sent = json.dumps(event)
    for secret in (PHONE, "4155550198", EMAIL, PASSPHRASE, MESSAGE_TEXT):
        assert secret not in sent
    assert IP_ADDRESS in sent
    assert event["tags"]["request_id"] == "req-sentry-0001"
    assert event["tags"]["user_id"] == "7"
    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)


def test_log_breadcrumbs_are_scrubbed_too(sentry_events):
    import logging

    logging.getLogger("tests.storebot").info("user %s called %s", EMAIL, PHONE)
    try:
        _fail_with_personal_data()
    except ValueError:
        sentry_sdk.capture_exception()
    sentry_sdk.flush()

    [event] = sentry_events.events()
    crumbs = json.dumps(event.get("breadcrumbs"))
    assert "tests.storebot" in crumbs
    assert EMAIL not in crumbs
    assert PHONE not in crumbs


def test_request_data_cookies_and_auth_headers_are_removed():
    event: Any = {
        "request": {
            "url": "https://example.com/chat/1/send",
            "method": "POST",
            "data": {"content": MESSAGE_TEXT, "passphrase": PASSPHRASE},
            "cookies": {"sessionid": "abc123"},
            "headers": {
                "Cookie": "sessionid=abc123",
                "Authorization": "Bearer s3cr3t",
                "X-Csrftoken": "tok",
                "User-Agent": "Mozilla/5.0",
                "X-Request-Id": "req-abc-12345",
            },
            "env": {"REMOTE_ADDR": IP_ADDRESS},
        },
        "extra": {"pending_action": {"store_name": "ACME", "phone": PHONE}, "note": f"mail {EMAIL}"},
        "exception": {"values": [{"type": "ValueError", "value": f"call {PHONE}"}]},
    }

    cleaned: Any = scrub_event(event, {})

    request = cleaned["request"]
    assert "data" not in request
    assert "cookies" not in request
    assert request["headers"]["Cookie"] == "[Filtered]"
    assert request["headers"]["Authorization"] == "[Filtered]"
    assert request["headers"]["X-Csrftoken"] == "[Filtered]"
    assert request["headers"]["User-Agent"] == "Mozilla/5.0"
    assert request["headers"]["X-Request-Id"] == "req-abc-12345"
    assert request["env"]["REMOTE_ADDR"] == IP_ADDRESS
    assert cleaned["extra"] == {"pending_action": "[Filtered]", "note": "mail [email]"}
    assert cleaned["exception"]["values"][0]["value"] == "call [phone]"


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.probe_urls")
def test_an_error_in_a_request_reaches_sentry_tagged_with_its_request_id(sentry_events, client, user):
    client.force_login(user)
    client.raise_request_exception = False

    response = client.get("/boom", HTTP_X_REQUEST_ID="req-sentry-0002", HTTP_AUTHORIZATION="Bearer s3cr3t")
    sentry_sdk.flush()

    assert response.status_code == 500
    [event] = sentry_events.events()
    assert event["tags"]["request_id"] == "req-sentry-0002"
    assert event["tags"]["user_id"] == str(user.pk)
    sent = json.dumps(event)
    assert "sessionid" not in sent
    assert "s3cr3t" not in sent
    assert EMAIL not in sent
