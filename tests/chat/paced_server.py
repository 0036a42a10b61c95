"""Start daphne on the test database with the paced offline model (tests/chat/paced_asgi.py).

Same approach as the browser-test harness (tests/e2e/conftest.py, whose helpers
this reuses): a real ASGI server in a subprocess, on a free 127.0.0.1 port,
reading the file-based test database. Tests using it need committed data
(`transaction=True`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tests.e2e.conftest import ARTIFACTS, REPO, _database_url, _free_port, _wait_until_listening

PACE_SECONDS = 0.12


@contextmanager
def paced_daphne(*, pace_seconds: float = PACE_SECONDS) -> Iterator[str]:
    """Yield the base URL of a daphne whose agent model waits `pace_seconds` after each word."""
    from django.db import connections

    port = _free_port()
    cache_dir = tempfile.mkdtemp(prefix="storebot-paced-cache-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "storebot.settings_test",
        "DATABASE_URL": _database_url(connections["default"].settings_dict),
        "STOREBOT_TEST_CACHE_DIR": cache_dir,
        "STOREBOT_TEST_PACE_SECONDS": str(pace_seconds),
        "PYTHONUNBUFFERED": "1",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"daphne-paced-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "tests.chat.paced_asgi:application"],
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
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            shutil.rmtree(cache_dir, ignore_errors=True)
