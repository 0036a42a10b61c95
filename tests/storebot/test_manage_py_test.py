"""`manage.py test` runs the pytest suite instead of Django's runner, which found no tests and said OK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage_test(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "test", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_test_runs_pytest_on_the_given_tests() -> None:
    completed = _manage_test("--collect-only", "-q", "tests/storebot/test_health.py")

    assert completed.returncode == 0, completed.stderr
    assert "tests/storebot/test_health.py::" in completed.stdout
    assert "manage.py test runs pytest" in completed.stderr


def test_manage_py_test_reports_no_tests_as_a_failure_not_ok() -> None:
    completed = _manage_test("-q", "tests/storebot/test_health.py", "-k", "no_test_has_this_name")

    assert completed.returncode == 5  # pytest: no tests collected
    assert "Ran 0 tests" not in completed.stdout + completed.stderr
