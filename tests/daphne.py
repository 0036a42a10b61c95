"""A real daphne in a subprocess, serving the test database, for tests that need a real ASGI server.

Used by the browser tests (tests/e2e/conftest.py, the app as it ships) and by
the streaming tests (tests/conversations/views/paced_server.py, the app with a paced model).
The server listens on a free 127.0.0.1 port and reads the file-based test
database pytest-django created, so tests using it need committed data
(`transaction=True` or `transactional_db`). Its output goes to
tests/e2e/artifacts/<log_name>-<worker>.log.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "tests" / "e2e" / "artifacts"
SERVER_START_SECONDS = 30
SERVER_STOP_SECONDS = 10


@contextmanager
def daphne_server(*, app_path: str, extra_env: Mapping[str, str], log_name: str) -> Iterator[str]:
    """Start daphne serving `app_path` ("module:attribute") with `extra_env`; yield its base URL; stop it."""
    from django.db import connections

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "storebot.settings_test",
        "DATABASE_URL": _database_url(connections["default"].settings_dict),
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app_path],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_listening(port, server, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=SERVER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _database_url(db: dict[str, Any]) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.fail("A daphne under test needs a file-based SQLite test database (see storebot/settings_test.py).")
        return f"sqlite:///{Path(name).resolve()}"
    user, password = quote(db.get("USER") or "", safe=""), quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _wait_until_listening(port: int, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"daphne exited with code {server.returncode}:\n{_tail(log_path)}", pytrace=False)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(
        f"daphne did not listen on port {port} within {SERVER_START_SECONDS}s:\n{_tail(log_path)}", pytrace=False
    )


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
