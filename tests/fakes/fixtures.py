"""Pytest fixtures for the fake provider servers; registered for every test directory by tests/conftest.py.

`hosted_llm` is the one most tests want: settings pointing every hosted model at
the fakes (Anthropic primary, OpenAI Chat fallback), no real keys, a short
timeout, and any connection beyond 127.0.0.1 refused.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fakes.anthropic import FakeAnthropic
from tests.fakes.openai import FakeOpenAI

PROVIDER_ENVIRONMENT = ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class ExternalNetworkBlocked(OSError):
    """A test tried to reach something other than this machine."""


@dataclass(frozen=True)
class HostedLLM:
    primary: FakeAnthropic
    fallback: FakeOpenAI


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic()
    yield server
    server.stop()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.stop()


@pytest.fixture
def no_external_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse DNS lookups and connections to anything but loopback and Unix sockets."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def local_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_local(host):
            raise ExternalNetworkBlocked(f"tests may not resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def local_connect(sock: socket.socket, address: Any) -> None:
        if sock.family in {socket.AF_INET, socket.AF_INET6} and not _is_local(address[0]):
            raise ExternalNetworkBlocked(f"tests may not connect to {address[0]!r}")
        real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", local_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", local_connect)


@pytest.fixture
def hosted_llm(
    db: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    no_external_network: None,
    fake_anthropic: FakeAnthropic,
    fake_openai: FakeOpenAI,
) -> HostedLLM:
    """Hosted models served by the fakes: `anthropic:` roles, `openai-chat:gpt-4o-mini` fallback.

    Needs the database because build_model reads the system config.
    """
    for name in PROVIDER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    settings.LLM_PROVIDER = "anthropic"
    settings.ANTHROPIC_API_KEY = "test-anthropic-key"
    settings.ANTHROPIC_BASE_URL = fake_anthropic.url
    settings.OPENAI_API_KEY = "test-openai-key"
    settings.OPENAI_BASE_URL = f"{fake_openai.url}/v1"
    settings.LLM_CLASSIFIER_MODEL = "anthropic:claude-haiku-4-5"
    settings.LLM_AGENT_MODEL = "anthropic:claude-sonnet-4-6"
    settings.LLM_SUMMARY_MODEL = "anthropic:claude-haiku-4-5"
    settings.LLM_FALLBACK_MODEL = "openai-chat:gpt-4o-mini"
    settings.LLM_TIMEOUT_SECONDS = 0.5
    return HostedLLM(primary=fake_anthropic, fallback=fake_openai)


def _is_local(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if str(host) in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False
