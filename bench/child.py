"""One case on one database, in a process of its own: `python -m bench.child --case search --out FILE`.

The parent (`python -m bench`) sets DATABASE_URL to a scratch database and
DJANGO_SETTINGS_MODULE to bench.settings; the results go to FILE as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--quick", action="store_true", help="Small sizes: proves the case runs, measures nothing.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from bench.cases import CASES

    results = CASES[args.case].runner()(quick=args.quick)
    args.out.write_text(json.dumps([result.to_json() for result in results], indent=2))


if __name__ == "__main__":
    main()
