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


def test_check_deploy_flags_a_weak_secret_key():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, SECRET_KEY="short")

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = _manage("check", **PRODUCTION_ENV)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
