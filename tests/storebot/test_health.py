"""/healthz answers while the process lives; /readyz only while the database answers."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_liveness_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_checks_the_database(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok"}


def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "error"}


def test_health_endpoints_only_answer_get(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)


@pytest.fixture
def signed_in_client(client, user):
    # A session cookie on the probe: without care, the session and user middleware read the database.
    client.force_login(user)
    return client


def test_probes_answer_with_a_session_cookie_while_the_database_is_down(signed_in_client, database_down):
    assert signed_in_client.get("/healthz").status_code == 200
    ready = signed_in_client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "error"}


def test_probes_answer_with_a_session_cookie_while_the_database_is_down_under_asgi(
    signed_in_client, database_down, async_client
):
    async_client.cookies = signed_in_client.cookies

    async def probe() -> tuple[int, int]:
        return (await async_client.get("/healthz")).status_code, (await async_client.get("/readyz")).status_code

    assert async_to_sync(probe)() == (200, 503)


def test_probes_set_no_session_cookie(signed_in_client):
    response = signed_in_client.get("/readyz")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")
