"""Fuzzy name search on SQLite: a trigram table kept by triggers, the index pg_trgm gives PostgreSQL.

SQLite has no trigram index, so search used to compute pg_trgm's similarity
in Python for every store of the user: 0.55 s a search over 10,000 stores.
`directory_store_trigram` holds, for every live store, each trigram of its
normalized name exactly as pg_trgm (and `directory.trigrams`) computes them:
every word padded with two blanks before and one after, cut in 3-character
windows. A search reads only the rows of the query's trigrams, counts what
each store shares, and scores the few promising stores exactly in Python
(`directory.selectors`).

Triggers keep the table right whatever writes the stores (services, bulk
inserts of the importer, the admin, queryset updates): a store gets its
trigrams when inserted live, loses them when soft-deleted or erased, and gets
them back when restored or renamed. Pure SQL (no Python function), so any
connection may write stores. SQLite allows no WITH clause in a trigger, so
the character positions come from `json_each` over a constant array.

PostgreSQL has pg_trgm and its GIN index (0002): the operations do nothing there.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "directory_store_trigram"
# Normalized names hold at most 200 characters (directory.services).
POSITIONS = "[" + ",".join(str(n) for n in range(1, 201)) + "]"


def trigrams_select(*, user_id: str, store_id: str, name: str, source: str = "", condition: str = "1") -> str:
    """SELECT (user_id, trigram, store_id) for the name's pg_trgm trigrams.

    In " name " (one blank each side, words already one blank apart) every
    3-character window whose middle is not a blank is a trigram ("  ab" words
    give " ab", "ab "); a window starting with a blank also gives the
    two-blank trigram of the word's first letter ("  a").
    """
    window = f"substr(' ' || {name} || ' ', position.value, 3)"
    return (
        f"SELECT {user_id}, CASE kind.value WHEN 0 THEN {window} ELSE '  ' || substr({window}, 2, 1) END, {store_id} "
        f"FROM {source} json_each('{POSITIONS}') AS position, json_each('[0,1]') AS kind "
        f"WHERE {condition} AND position.value <= length({name}) AND substr({window}, 2, 1) <> ' ' "
        f"AND (kind.value = 0 OR substr({window}, 1, 1) = ' ')"
    )


def _new_store_trigrams() -> str:
    return trigrams_select(
        user_id="NEW.user_id", store_id="NEW.id", name="NEW.normalized_name", condition="NEW.deleted_at IS NULL"
    )


CREATE = [
    f"CREATE TABLE {TABLE} ("
    "user_id integer NOT NULL, trigram text NOT NULL, store_id integer NOT NULL, "
    "PRIMARY KEY (user_id, trigram, store_id)) WITHOUT ROWID",
    f"CREATE INDEX {TABLE}_store ON {TABLE} (store_id)",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON directory_store WHEN NEW.deleted_at IS NULL BEGIN "
    f"INSERT OR IGNORE INTO {TABLE} (user_id, trigram, store_id) {_new_store_trigrams()}; END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF user_id, normalized_name, deleted_at ON directory_store "
    "WHEN OLD.user_id IS NOT NEW.user_id OR OLD.normalized_name IS NOT NEW.normalized_name "
    "OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN "
    f"DELETE FROM {TABLE} WHERE store_id = OLD.id; "
    f"INSERT OR IGNORE INTO {TABLE} (user_id, trigram, store_id) {_new_store_trigrams()}; END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON directory_store BEGIN "
    f"DELETE FROM {TABLE} WHERE store_id = OLD.id; END",
    f"INSERT OR IGNORE INTO {TABLE} (user_id, trigram, store_id) "
    + trigrams_select(
        user_id="store.user_id",
        store_id="store.id",
        name="store.normalized_name",
        source="directory_store AS store,",
        condition="store.deleted_at IS NULL",
    ),
]
DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def create_trigram_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_trigram_table(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_trigram_search"),
    ]

    operations = [
        migrations.RunPython(create_trigram_table, drop_trigram_table),
    ]
