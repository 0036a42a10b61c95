"""Logs: one JSON object per line with the fields operators filter on (text in development), on stderr, once."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from storebot.logging import logging_config

pytestmark = pytest.mark.django_db


def test_the_request_line_has_every_field(client, user, json_logs):
    client.force_login(user)

    client.get("/healthz")
    client.get("/accounts/login/")

    request_line = next(line for line in json_logs() if line["logger"] == "storebot.request")
    assert set(request_line) >= {
        "timestamp",
        "level",
        "logger",
        "message",
        "request_id",
        "user_id",
        "path",
        "method",
        "status",
        "duration_ms",
    }
    assert request_line["level"] == "INFO"
    assert request_line["path"] == "/accounts/login/"
    assert request_line["user_id"] == user.pk
    assert isinstance(request_line["duration_ms"], float)


def test_health_probes_are_not_logged_at_info(client, json_logs):
    client.get("/healthz")

    assert not [line for line in json_logs() if line["logger"] == "storebot.request"]


def test_a_line_outside_any_request_has_empty_request_fields(json_logs):
    logging.getLogger("tests.storebot").warning("background thing %s", 42)

    [line] = [line for line in json_logs() if line["logger"] == "tests.storebot"]
    assert line["message"] == "background thing 42"
    assert line["level"] == "WARNING"
    assert line["request_id"] == ""
    assert line["user_id"] is None


_PROCESS_SCRIPT = """
import django, logging
django.setup()
from django.core.management import call_command
from django.test import Client
# As a deployment is: migrated, static files collected (the styled 404 page reads both).
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
print("command output")
Client().get("/no-such-page/")
logging.getLogger("storebot.check").info("hello")
logging.getLogger("storebot.check").error("second line")
"""


def _run_configured_process(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "DJANGO_SETTINGS_MODULE": "storebot.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "INFO",
        "PATH": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", _PROCESS_SCRIPT], capture_output=True, text=True, env=environment, timeout=60
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-key-for-this-test-only-7f3c9e1b5d2a4f6e8c0b",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
}


def test_production_writes_one_json_object_per_line_to_stderr(tmp_path):
    result = _run_configured_process(tmp_path, **PRODUCTION)

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("storebot.request", "GET /no-such-page/ 404"),
        ("django.request", "Not Found: /no-such-page/"),
        ("storebot.check", "hello"),
        ("storebot.check", "second line"),
    ]
    assert result.stdout == "command output\n"


def test_development_writes_text_for_people_each_record_once(tmp_path):
    result = _run_configured_process(tmp_path, DEBUG="true")

    assert result.stderr.count("Not Found: /no-such-page/") == 1
    assert re.search(r"^\d\d:\d\d:\d\d WARNING django\.request Not Found: /no-such-page/$", result.stderr, re.M)
    assert re.search(
        r"^\d\d:\d\d:\d\d INFO    storebot\.request \[\w+\] GET /no-such-page/ 404 \(", result.stderr, re.M
    )
    assert "{" not in result.stderr
    assert result.stdout == "command output\n"


def test_log_format_overrides_the_default(tmp_path):
    result = _run_configured_process(tmp_path, DEBUG="true", LOG_FORMAT="json")

    assert [json.loads(line)["message"] for line in result.stderr.splitlines()][-2:] == ["hello", "second line"]


def test_console_format_is_for_humans():
    config = logging_config(level="DEBUG", log_format="console")

    assert config["handlers"]["stderr"]["formatter"] == "console"


def test_an_unknown_log_format_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(level="INFO", log_format="xml")
