#!/usr/bin/env python
import importlib.util
import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["test"]:
        run_pytest(sys.argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storebot.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


def run_pytest(args: list[str]) -> None:
    """`manage.py test` runs the pytest suite: Django's own runner finds none of its tests ("Ran 0 tests ... OK")."""
    if importlib.util.find_spec("pytest") is None:
        sys.exit("Storebot's tests run with pytest, which is not installed here: run `make test`.")
    print("manage.py test runs pytest (`make test` also runs the linters and type checks).", file=sys.stderr)
    os.execv(sys.executable, [sys.executable, "-m", "pytest", *args])  # noqa: S606


if __name__ == "__main__":
    main()
