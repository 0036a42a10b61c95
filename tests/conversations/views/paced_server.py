"""Start daphne on the test database with the paced offline model (tests/conversations/views/paced_asgi.py).

The same harness as the browser tests (tests/daphne.py): a real ASGI server in
a subprocess, on a free 127.0.0.1 port, reading the file-based test database.
Tests using it need committed data (`transaction=True`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tests.daphne import daphne_server

PACE_SECONDS = 0.12


@contextmanager
def paced_daphne(*, pace_seconds: float = PACE_SECONDS) -> Iterator[str]:
    """Yield the base URL of a daphne whose agent model waits `pace_seconds` after each word."""
    cache_dir = tempfile.mkdtemp(prefix="storebot-paced-cache-")
    try:
        with daphne_server(
            app_path="tests.conversations.views.paced_asgi:application",
            extra_env={"STOREBOT_TEST_CACHE_DIR": cache_dir, "STOREBOT_TEST_PACE_SECONDS": str(pace_seconds)},
            log_name="daphne-paced",
        ) as url:
            yield url
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
