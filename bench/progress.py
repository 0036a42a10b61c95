"""Progress lines on stderr while a case runs (seeding a million rows takes a while)."""

from __future__ import annotations

import sys
import time

_started = time.monotonic()


def say(text: str) -> None:
    print(f"  [{time.monotonic() - _started:6.1f}s] {text}", file=sys.stderr, flush=True)
