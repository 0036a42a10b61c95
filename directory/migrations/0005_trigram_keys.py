"""Fuzzy name search on PostgreSQL for a big directory: each store's trigrams as per-owner integer keys, indexed.

pg_trgm's GIN index (0002) finds the names sharing enough trigrams with the
query, but ranking them means reading and scoring every one: a user with
100,000 stores searching "liquor" or "kavro thai kitchen" has thousands of
matches at 7 to 11 µs each (30 to 80 ms). `trigram_keys` holds the same
trigrams (pg_trgm's own `show_trgm`) as sorted int4 keys that also encode the
owner, so that an intarray GIN index gives one list per (owner, trigram). The
search (directory.postgres_search) reads only the shortest lists of a query,
counts each store's shared trigrams with intarray (`&`, `icount`), which with
the name's trigram count gives pg_trgm's similarity exactly and a bound on
word similarity, and scores with pg_trgm only the few stores whose bound can
still reach the top.

A key is `(owner mod 2^31) * 2654435761 + code * 40503`, mod 2^32, as int4,
where `code` is pg_trgm's 24-bit value of the trigram (its three bytes, or the
hash it prints as 0xhhhhhh). For one owner the map from code to key is one to
one (40503 is odd), so counts of shared keys are counts of shared trigrams;
another owner's key may coincide, which only adds rows the search drops by
user_id. `directory.trigrams.trigram_key` computes the same keys in Python.

A generated column, so every write path (services, bulk inserts, the admin,
COPY) keeps it right; it costs about 5 µs a row to compute. SQLite keeps its
trigram table (0003): the operations do nothing there.
"""

from django.apps.registry import Apps
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEX_NAME = "store_live_trigram_keys"
FUNCTION = (
    "CREATE OR REPLACE FUNCTION directory_trigram_keys(owner bigint, name text) RETURNS int4[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN sort(ARRAY("
    "SELECT (((owner % 2147483648) * 2654435761 + (CASE WHEN length(trigram) = 3 "
    "THEN (ascii(trigram) << 16) | (ascii(substr(trigram, 2)) << 8) | ascii(substr(trigram, 3)) "
    "ELSE ('x' || substr(trigram, 3))::bit(24)::int END)::bigint * 40503) % 4294967296 - 2147483648)::int4 "
    "FROM unnest(show_trgm(name)) AS trigram))"
)


def add_trigram_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # No parameters: the body uses % (modulo), which a parameter list would read as a placeholder.
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        "ALTER TABLE directory_store ADD COLUMN trigram_keys int4[] "
        "GENERATED ALWAYS AS (directory_trigram_keys(user_id, normalized_name)) STORED"
    )
    # fastupdate off for the reason given in 0002.
    schema_editor.execute(
        f"CREATE INDEX {INDEX_NAME} ON directory_store USING gin (trigram_keys gin__int_ops) "
        "WITH (fastupdate = off) WHERE deleted_at IS NULL"
    )


def drop_trigram_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute("ALTER TABLE directory_store DROP COLUMN IF EXISTS trigram_keys")
    schema_editor.execute("DROP FUNCTION IF EXISTS directory_trigram_keys(bigint, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_trigram_function_costs"),
    ]

    operations = [
        CreateExtension("intarray"),
        migrations.RunPython(add_trigram_keys, drop_trigram_keys),
    ]
