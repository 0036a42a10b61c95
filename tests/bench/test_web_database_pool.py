"""DATABASE_POOL_MAX_SIZE bounds a web process's PostgreSQL connections (found by the concurrency benchmark:
200 streams at once opened 100 connections and the rest failed with "too many clients")."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PG_URL = "postgres://bench@127.0.0.1:5432/anything"


def database_settings(**env: str) -> dict:
    code = "import json, storebot.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    unset = {"CONN_MAX_AGE", "DATABASE_POOL_MAX_SIZE"}
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment |= {"DATABASE_URL": PG_URL, **env}
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_no_pool_unless_asked():
    assert "pool" not in database_settings().get("OPTIONS", {})
    assert "pool" not in database_settings(DATABASE_POOL_MAX_SIZE="0").get("OPTIONS", {})


def test_a_pool_of_the_given_size_when_asked():
    assert database_settings(DATABASE_POOL_MAX_SIZE="20")["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 20,
        "timeout": 60,
    }


def test_no_pool_with_persistent_connections_which_django_cannot_pool():
    assert "pool" not in database_settings(DATABASE_POOL_MAX_SIZE="20", CONN_MAX_AGE="60").get("OPTIONS", {})
