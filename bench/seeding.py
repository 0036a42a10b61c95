"""Loading benchmark data fast: users in bulk, stores with COPY on PostgreSQL (bulk inserts on SQLite).

A million stores with their indexes in place would take many minutes; on
PostgreSQL the table's secondary indexes are dropped during a big load and
rebuilt from their own definitions afterwards, then statistics refreshed.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import DEFAULT_REGION, User
from directory.models import Store

BENCH_DOMAIN = "bench.storebot.test"
BATCH = 5_000
# Below this many rows a load keeps the indexes (and the smoke tests never touch them).
REBUILD_INDEXES_FROM = 100_000

StoreRow = tuple[int, str, str]  # (user id, store name, E.164 phone)


def users_create(count: int, *, label: str, passphrase: str = "") -> list[User]:
    """`count` users `{label}{n}@bench.storebot.test`; with a passphrase when given (hashing it once)."""
    password = make_password(None)
    template = User(email="template@" + BENCH_DOMAIN)
    if passphrase:
        template.set_passphrase(passphrase)
    created: list[User] = []
    for offset in range(0, count, BATCH):
        batch = [
            User(
                email=f"{label}{n}@{BENCH_DOMAIN}",
                password=password,
                passphrase_hash=template.passphrase_hash,
                passphrase_set_at=template.passphrase_set_at,
                default_region=DEFAULT_REGION,
            )
            for n in range(offset, min(offset + BATCH, count))
        ]
        created.extend(User.objects.bulk_create(batch))
    return created


# The columns a load fills, in the order `stores_load` completes its rows.
STORE_COLUMNS = ("user_id", "store_name", "normalized_name", "phone_e164", "phone_original", "created_at", "updated_at")
CompleteStoreRow = tuple[int, str, str, str, str, datetime, datetime]


def stores_load(rows: Iterable[StoreRow]) -> int:
    """Insert live stores; returns how many. Names are set as the product sets them (Store.set_name)."""
    now = timezone.now()
    # Names repeat across users: each distinct one is named (and folded) once.
    named: dict[str, Store] = {}

    def complete(row: StoreRow) -> CompleteStoreRow:
        user_id, name, phone = row
        if name not in named:
            named[name] = Store()
            named[name].set_name(name)
        store = named[name]
        return user_id, store.store_name, store.normalized_name, phone, phone, now, now

    if connection.vendor == "postgresql":
        return _copy_stores(complete(row) for row in rows)
    count = 0
    batch: list[Store] = []
    for row in rows:
        batch.append(Store(**dict(zip(STORE_COLUMNS, complete(row), strict=True))))
        if len(batch) == BATCH:
            count += len(Store.objects.bulk_create(batch))
            batch.clear()
    return count + len(Store.objects.bulk_create(batch))


def _copy_stores(rows: Iterator[CompleteStoreRow]) -> int:
    columns = ", ".join(STORE_COLUMNS)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows reference users created just before: skip the per-row foreign key trigger (superuser only).
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        with cursor.cursor.copy(f"COPY {Store._meta.db_table} ({columns}) FROM STDIN") as copy:
            for store in rows:
                copy.write_row(store)
                count += 1
    return count


@contextmanager
def indexes_rebuilt_after(table: str, *, rows: int) -> Iterator[dict[str, float]]:
    """On PostgreSQL, for a big load: drop `table`'s secondary indexes, load, recreate them, ANALYZE.

    Yields a dict that receives the seconds spent rebuilding ("index_seconds").
    """
    timings: dict[str, float] = {}
    if connection.vendor != "postgresql" or rows < REBUILD_INDEXES_FROM:
        yield timings
        _analyze(table)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p')",
            [table, table],
        )
        definitions = cursor.fetchall()
        for name, _ in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield timings
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _, definition in definitions:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
        timings["index_seconds"] = round(time.perf_counter() - started, 1)
        _analyze(table)


def _analyze(table: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
