"""Logs are one JSON object per line with the fields operators filter on."""

from __future__ import annotations

import json
import logging
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


def test_the_configured_process_writes_one_json_object_per_line_to_stdout():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('storebot.check').info('hello'); "
        "logging.getLogger('storebot.check').error('second line')"
    )
    env = {"DJANGO_SETTINGS_MODULE": "storebot.settings", "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "PATH": ""}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["level"], line["message"]) for line in lines] == [("INFO", "hello"), ("ERROR", "second line")]


def test_console_format_is_for_humans():
    config = logging_config(level="DEBUG", log_format="console")

    assert config["handlers"]["stdout"]["formatter"] == "console"


def test_an_unknown_log_format_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        logging_config(level="INFO", log_format="xml")
