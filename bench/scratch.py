"""Scratch databases for a benchmark run: created, migrated once, copied per case, dropped at the end.

PostgreSQL: a template database is migrated once, and each case gets
`CREATE DATABASE ... TEMPLATE` (a file copy, far faster than migrating again).
SQLite: a migrated file is copied. Nothing outside the scratch names is touched.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.environment import REPO, child_environment

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
MIGRATE_TIMEOUT_SECONDS = 300


class Scratch:
    """`with Scratch() as scratch: url = scratch.fresh("postgresql", "search")`; all dropped on exit."""

    def __init__(self, *, admin_url: str = DEFAULT_ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.prefix = f"storebot_bench_{os.getpid()}"
        self.directory = Path(tempfile.mkdtemp(prefix="storebot-bench-"))
        self._databases: list[str] = []
        self._templates: dict[str, str] = {}

    def __enter__(self) -> Scratch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def fresh(self, vendor: str, label: str) -> str:
        """The DATABASE_URL of a new, migrated, empty database for one case."""
        if vendor == "postgresql":
            template = self._template("postgresql")
            name = f"{self.prefix}_{label}"
            self._admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            self._admin(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
            self._databases.append(name)
            return self._url_for(name)
        if vendor == "sqlite":
            path = self.directory / f"{label}.sqlite3"
            shutil.copyfile(self._template("sqlite"), path)
            return f"sqlite:///{path}"
        raise ValueError(f"Unknown database {vendor!r}.")

    def discard(self, url: str) -> None:
        """Drop one case's database now (a million rows need not wait for the end of the run)."""
        if url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
            return
        name = urlsplit(url).path.lstrip("/")
        if name in self._databases:
            self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            self._databases.remove(name)

    def close(self) -> None:
        for name in [*self._databases, *(t for v, t in self._templates.items() if v == "postgresql")]:
            self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        self._databases.clear()
        self._templates.clear()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _template(self, vendor: str) -> str:
        if vendor in self._templates:
            return self._templates[vendor]
        if vendor == "postgresql":
            name = f"{self.prefix}_template"
            self._admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self._templates[vendor] = name
            _migrate(self._url_for(name))
        else:
            path = self.directory / "template.sqlite3"
            _migrate(f"sqlite:///{path}")
            with sqlite3.connect(path) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._templates[vendor] = str(path)
        return self._templates[vendor]

    def _url_for(self, name: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
            connection.execute(statement)


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env=child_environment(url),
        check=True,
        timeout=MIGRATE_TIMEOUT_SECONDS,
    )
