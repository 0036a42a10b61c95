"""docker-compose.yml is checked: it parses, uses only keys Compose knows, and says what the README says.

`docker compose config` cannot be installed from the package registries here
(Debian ships only docker-compose 1.29, which predates keys this file uses),
so this reads the file with PyYAML and checks the keys we use against the
Compose specification's names, plus the wiring that matters in production.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
README = (ROOT / "README.md").read_text()

# From the Compose specification (service, top-level, healthcheck and depends_on keys).
TOP_LEVEL_KEYS = {"name", "services", "volumes", "networks", "configs", "secrets", "include", "version"}
SERVICE_KEYS = {
    "build", "image", "command", "entrypoint", "environment", "env_file", "ports", "expose", "depends_on",
    "healthcheck", "restart", "volumes", "profiles", "deploy", "networks", "labels", "logging", "user",
    "working_dir", "stop_signal", "stop_grace_period", "init", "secrets", "configs", "container_name",
    "extra_hosts", "hostname", "read_only", "tmpfs", "ulimits", "cap_drop", "cap_add", "security_opt",
}  # fmt: skip
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
DEPENDS_ON_KEYS = {"condition", "required", "restart"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<value>[^}]*))?\}")


def _services() -> dict[str, dict[str, Any]]:
    return COMPOSE["services"]


def _with_defaults(text: str) -> str:
    """Interpolate as Compose does with an empty environment: `${X:-d}` is d, `${X}` is empty."""
    return _VARIABLE.sub(lambda match: match["value"] if match["op"] in {"-", ":-"} else "", text)


def test_the_file_uses_only_keys_compose_knows() -> None:
    assert {key for key in COMPOSE if not key.startswith("x-")} <= TOP_LEVEL_KEYS
    for name, service in _services().items():
        assert set(service) <= SERVICE_KEYS, name
        assert set(service.get("healthcheck", {})) <= HEALTHCHECK_KEYS, name
        for dependency in service.get("depends_on", {}).values():
            assert set(dependency) <= DEPENDS_ON_KEYS, name
            assert dependency["condition"] in CONDITIONS, name


def test_dependencies_exist_and_waited_for_health_is_checked() -> None:
    services = _services()
    for name, service in services.items():
        for target, dependency in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on a missing service {target}"
            if dependency["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target}'s health, which is never checked"


def test_named_volumes_are_declared() -> None:
    declared = set(COMPOSE.get("volumes") or {})
    for service in _services().values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared


def test_the_web_port_is_published_on_loopback_for_a_proxy() -> None:
    [port] = _services()["web"]["ports"]

    host, published, container = _with_defaults(port).split(":")
    assert (host, published, container) == ("127.0.0.1", "8000", "8000")


@pytest.mark.parametrize("service", ["web", "worker"])
def test_redis_users_wait_for_it_when_it_runs(service: str) -> None:
    assert _services()[service]["depends_on"]["redis"] == {"condition": "service_healthy", "required": False}


def test_redis_keeps_its_data_on_a_volume_and_is_health_checked() -> None:
    redis = _services()["redis"]

    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "--appendonly" in redis["command"]
    assert redis["healthcheck"]["test"]


def test_every_variable_the_file_reads_is_in_the_readme() -> None:
    variables = {match["name"] for match in _VARIABLE.finditer((ROOT / "docker-compose.yml").read_text())}

    assert variables >= {"SECRET_KEY", "POSTGRES_PASSWORD", "WEB_PORT", "WEB_BIND"}
    assert [name for name in sorted(variables) if f"`{name}`" not in README] == []
