"""One request id per request: taken from a well-formed X-Request-ID or made
fresh, answered in the response header, and carried into its log lines, its
audit events, its streamed body and the tasks it enqueues."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django_q.brokers import get_broker
from django_q.tasks import _sync

from conversations.models import Message
from conversations.services import conversation_start
from ops.models import AuditLog
from ops.request_context import REQUEST_ID_PATTERN, get_request_id

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.probe_urls")]

INCOMING_ID = "edge-proxy-4f1c2a9b"


def test_a_well_formed_incoming_id_is_kept_and_answered(client):
    response = client.get("/probe", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert response.status_code == 200
    assert response["X-Request-ID"] == INCOMING_ID


@pytest.mark.parametrize(
    "incoming",
    ["short", "has spaces in it", "semi;colon-injection", "x" * 65, "<script>alert(1)</script>", "ünïcödé-request"],
)
def test_a_malformed_incoming_id_is_replaced_with_a_fresh_one(client, incoming):
    response = client.get("/probe", HTTP_X_REQUEST_ID=incoming)

    answered = response["X-Request-ID"]
    assert answered != incoming
    assert REQUEST_ID_PATTERN.fullmatch(answered)


def test_without_an_incoming_id_each_request_gets_its_own(client):
    first = client.get("/probe")["X-Request-ID"]
    second = client.get("/probe")["X-Request-ID"]

    assert REQUEST_ID_PATTERN.fullmatch(first)
    assert first != second


def test_log_lines_of_the_request_carry_its_id(client, user, json_logs):
    client.force_login(user)

    client.get("/probe", HTTP_X_REQUEST_ID=INCOMING_ID)

    lines = json_logs()
    view_line = next(line for line in lines if line["message"] == "probe view ran")
    request_line = next(line for line in lines if line["logger"] == "storebot.request")
    assert view_line["request_id"] == INCOMING_ID
    assert view_line["user_id"] == user.pk
    assert view_line["path"] == "/probe"
    assert request_line["request_id"] == INCOMING_ID
    assert request_line["user_id"] == user.pk
    assert request_line["status"] == 200


def test_audit_events_written_during_the_request_carry_its_id(client):
    client.get("/probe", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert AuditLog.objects.get(event_type="probe_view").request_id == INCOMING_ID


def test_the_id_is_not_left_behind_after_the_request(client):
    client.get("/probe", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert get_request_id() == ""


def test_a_task_enqueued_by_the_request_runs_under_its_id(client):
    client.get("/probe", HTTP_X_REQUEST_ID=INCOMING_ID)
    assert get_request_id() == ""  # the test itself is outside any request now

    # Run the queued package the way the worker does, outside the request.
    broker = get_broker()
    [(ack_id, package)] = broker.dequeue()
    _sync(package)
    broker.acknowledge(ack_id)

    task_event = AuditLog.objects.get(event_type="probe_task")
    assert task_event.request_id == INCOMING_ID
    assert get_request_id() == ""


def test_a_task_with_no_request_behind_it_gets_a_task_id():
    from django_q.tasks import async_task

    async_task("tests.ops.probe_urls.probe_task")

    assert AuditLog.objects.get(event_type="probe_task").request_id.startswith("task-")


def test_a_sync_streamed_body_runs_under_the_request_id(client):
    response = client.get("/stream-sync", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert b"".join(response.streaming_content) == b"first second"
    assert AuditLog.objects.get(event_type="probe_stream").request_id == INCOMING_ID
    assert get_request_id() == ""


def test_an_async_streamed_body_runs_under_the_request_id(async_client):
    async def fetch() -> tuple[bytes, str]:
        response = await async_client.get("/stream-async", headers={"X-Request-ID": INCOMING_ID})
        chunks = [chunk async for chunk in response.streaming_content]
        return b"".join(chunks), response["X-Request-ID"]

    body, answered = async_to_sync(fetch)()

    assert body == b"first second"
    assert answered == INCOMING_ID
    assert AuditLog.objects.get(event_type="probe_stream").request_id == INCOMING_ID


def test_both_message_rows_of_a_chat_turn_carry_the_request_id(async_client, user):
    conversation = conversation_start(user=user)

    async def chat() -> bytes:
        await async_client.aforce_login(user)
        response = await async_client.get(
            f"/chat/{conversation.pk}",
            {"text": "Save ACME Hardware, 415-555-0198"},
            headers={"X-Request-ID": INCOMING_ID},
        )
        return b"".join([chunk async for chunk in response.streaming_content])

    body = async_to_sync(chat)()

    assert b"TurnDone" in body
    rows = list(Message.objects.filter(conversation=conversation).values_list("role", "request_id"))
    assert rows == [(Message.Role.USER, INCOMING_ID), (Message.Role.ASSISTANT, INCOMING_ID)]


def test_an_unhandled_error_is_audited_with_the_request_id(client):
    client.raise_request_exception = False

    response = client.get("/boom", HTTP_X_REQUEST_ID=INCOMING_ID)

    assert response.status_code == 500
    assert response["X-Request-ID"] == INCOMING_ID
    event = AuditLog.objects.get(event_type="request_error")
    assert event.request_id == INCOMING_ID
    assert event.severity == AuditLog.Severity.ERROR
    assert event.details == {"path": "/boom", "method": "GET", "exception": "RuntimeError"}
