"""The web server (daphne) and the django-q2 worker as real processes, on 127.0.0.1 only.

Both serve Django's current default database (a scratch one under `make
bench`, the test database in the smoke tests). Each is started in its own
process group and stopped by its process id, then that group's id; never by name.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx
from django.conf import settings
from django.db import connection

from bench.environment import REPO, child_environment

HOST = "127.0.0.1"
# As the README advises for production web processes: a bounded pool of database connections.
WEB_DATABASE_POOL_SIZE = 20
# A cold start imports the provider SDKs (seconds of CPU); on two busy cores it took over 30 s once.
START_SECONDS = 60
STOP_SECONDS = 10


class ServerProcess:
    """A subprocess with its output in a log file; `with` stops it."""

    def __init__(self, name: str, command: list[str], *, extra_env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log_path = Path(tempfile.mkstemp(prefix=f"storebot-bench-{name}-", suffix=".log")[1])
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=child_environment(current_database_url(), secret_key=settings.SECRET_KEY) | (extra_env or {}),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    def peak_rss_mib(self) -> float:
        """The process's peak resident memory so far (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        raise RuntimeError(f"No VmHWM for {self.name} (pid {self.pid}).")

    def log_tail(self, lines: int = 30) -> str:
        if not self._log.closed:
            self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the process group; the log goes with it (its tail is in any error raised before)."""
        if self.process.poll() is None:
            # The main process first: qcluster then stops its own children in a second or two,
            # where a signal to the whole group has it respawning them until it is killed.
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything of ours left in the group
        self._log.close()
        self.log_path.unlink(missing_ok=True)


def web_server() -> tuple[ServerProcess, str]:
    """Daphne serving the ASGI app on a free loopback port; (process, base URL) once it answers /healthz.

    Configured as the README advises for web processes: on PostgreSQL, a pool of
    at most WEB_DATABASE_POOL_SIZE connections.
    """
    port = free_port()
    server = ServerProcess(
        "daphne",
        [sys.executable, "-m", "daphne", "-b", HOST, "-p", str(port), "storebot.asgi:application"],
        extra_env={"DATABASE_POOL_MAX_SIZE": str(WEB_DATABASE_POOL_SIZE)},
    )
    base_url = f"http://{HOST}:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        server.check_running()
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return server, base_url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    tail = server.log_tail()
    server.stop()
    raise RuntimeError(f"daphne did not answer within {START_SECONDS} s:\n{tail}")


def worker() -> ServerProcess:
    """`manage.py qcluster`: the django-q2 worker, polling the ORM broker."""
    return ServerProcess("worker", [sys.executable, "manage.py", "qcluster"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def current_database_url() -> str:
    """DATABASE_URL of the database this process uses, for the servers it starts."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or HOST
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"
