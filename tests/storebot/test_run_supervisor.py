"""`make run` / `bin/run` stop cleanly on Ctrl+C and SIGTERM.

Each test starts the real web app and worker on a free port against a
migrated SQLite file, waits for /readyz, signals the whole process group (as a
terminal's Ctrl+C, `timeout` or systemd do) and checks the stop: exit status,
no traceback or crash in the output, no process left, the port free.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CHECKOUT_VENV = Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
START_TIMEOUT = 90.0  # two busy cores: daphne and qcluster each take seconds to import
STOP_TIMEOUT = 30.0


@pytest.fixture(scope="module")
def run_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a development run against a fresh, migrated SQLite file."""
    database = tmp_path_factory.mktemp("run") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "storebot.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "LLM_PROVIDER": "offline",
        "DEBUG": "true",
        "Q_SYNC": "false",
    }
    for command in (["migrate", "--noinput"], ["setup_schedules"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    return env


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Run:
    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.marker = uuid.uuid4().hex
        self.port = port
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "PORT": str(port), "HOST": "127.0.0.1", "STOREBOT_RUN_TEST": self.marker},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As from a terminal: a runner started in the background (`cmd &`) ignores Ctrl+C's SIGINT.
            preexec_fn=_default_sigint,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        pytest.fail(f"not ready within {START_TIMEOUT} s:\n{self.output()}")

    def stop_with(self, signum: int) -> int:
        os.killpg(self.process.pid, signum)
        return self.process.wait(timeout=STOP_TIMEOUT)

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def leftover_pids(self) -> list[int]:
        pids = []
        for environ in Path("/proc").glob("[0-9]*/environ"):
            try:
                if f"STOREBOT_RUN_TEST={self.marker}".encode() in environ.read_bytes():
                    pids.append(int(environ.parent.name))
            except OSError:
                continue
        return pids

    def cleanup(self) -> None:
        for pid in self.leftover_pids():
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        self._log_file.close()


@pytest.fixture
def start(run_env: dict[str, str], free_port: int, tmp_path: Path) -> Iterator[object]:
    runs: list[Run] = []

    def _start(command: list[str]) -> Run:
        run = Run(command, run_env, free_port, tmp_path / "run.log")
        runs.append(run)
        return run

    yield _start
    for run in runs:
        run.cleanup()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _port_is_free(port: int) -> bool:
    """Whether a new server can listen on the port (as daphne does, with SO_REUSEADDR)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def _assert_stopped_cleanly(run: Run) -> None:
    output = run.output()
    assert "Traceback" not in output, output
    assert "Segmentation fault" not in output, output
    assert "Stopping (" in output, output
    deadline = time.monotonic() + 5
    while not _port_is_free(run.port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _port_is_free(run.port), f"port {run.port} still busy 5 s after the stop"
    assert run.leftover_pids() == [], output


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_bin_run_stops_web_and_worker_and_exits_zero(start, signum: int) -> None:
    run = start([sys.executable, "bin/run"])
    run.wait_ready()

    assert run.stop_with(signum) == 0, run.output()
    _assert_stopped_cleanly(run)


@pytest.mark.skipif(not IN_CHECKOUT_VENV, reason="make run uses the checkout's .venv")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_make_run_stops_web_and_worker(start, signum: int) -> None:
    run = start(["make", "--no-print-directory", "run"])
    run.wait_ready()

    # bin/run stops both and exits 0; make then ends itself by the signal it got,
    # as GNU make always does (a shell reports 130 or 143, systemd a clean stop).
    assert run.stop_with(signum) == -signum, run.output()
    _assert_stopped_cleanly(run)
    assert "make: ***" not in run.output()


def test_a_busy_port_is_refused_with_a_hint(run_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "bin/run", "--port", str(port)],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert completed.returncode == 1
    assert f"Port {port} on 127.0.0.1 is busy" in completed.stdout
    assert "PORT=8001 make run" in completed.stdout
