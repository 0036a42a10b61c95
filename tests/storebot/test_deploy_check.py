"""`manage.py check --deploy` is clean with production settings from the environment,
and a bad production value fails loudly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "example.com",
    "CSRF_TRUSTED_ORIGINS": "https://example.com",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing from the test run's settings leaks in.
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(60)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start():
    result = _manage("check", **PRODUCTION_ENV, SECRET_KEY="short-but-set")

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for DEBUG=false" in result.stderr


def test_production_with_the_development_or_django_insecure_key_refuses_to_start():
    for weak in ("dev-only-insecure-key-do-not-use-in-production", "django-insecure-" + secrets.token_urlsafe(50)):
        result = _manage("check", **PRODUCTION_ENV, SECRET_KEY=weak)

        assert result.returncode != 0
        assert "SECRET_KEY is too weak" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "ALLOWED_HOSTS"}

    for allowed_hosts in ({}, {"ALLOWED_HOSTS": ""}):
        result = _manage("check", **env, **allowed_hosts, SECRET_KEY=secrets.token_urlsafe(60))

        assert result.returncode != 0
        assert "ImproperlyConfigured: ALLOWED_HOSTS must be set when DEBUG is false" in result.stderr


def test_development_needs_neither():
    result = _manage("check", DEBUG="true")

    assert result.returncode == 0, result.stderr
