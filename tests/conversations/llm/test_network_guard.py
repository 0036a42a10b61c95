"""Tests cannot reach a real provider: no keys, base URLs at the fakes, and the network guard."""

import socket

import pytest

from conversations.llm import PROVIDER_ERRORS, build_model, describe_provider_error
from tests.conversations.llm.agents import classify
from tests.fakes.fixtures import ExternalNetworkBlocked


def test_connecting_beyond_loopback_is_refused():
    with pytest.raises(ExternalNetworkBlocked), socket.create_connection(("203.0.113.7", 443), timeout=1):
        pass


def test_resolving_a_public_host_is_refused():
    with pytest.raises(ExternalNetworkBlocked):
        socket.getaddrinfo("api.anthropic.com", 443)


def test_loopback_stays_reachable(fake_anthropic):
    host, port = fake_anthropic.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=1) as connection:
        assert connection.getpeername()[0] == "127.0.0.1"


def test_a_model_left_pointing_at_the_real_api_fails_without_leaving_the_machine(hosted_llm, settings):
    settings.ANTHROPIC_BASE_URL = ""
    settings.LLM_FALLBACK_MODEL = ""

    with pytest.raises(PROVIDER_ERRORS) as caught:
        classify(build_model("classifier"), "hello")

    assert "ModelConnectionError" in describe_provider_error(caught.value)
    assert hosted_llm.primary.requests == []
