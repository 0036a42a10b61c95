"""The forgiving search on PostgreSQL for a big directory: each name's words, and each word with one letter
dropped, as per-owner integer keys, indexed.

The forgiving pass (directory.forgiving_search) looks for names holding a
word up to one edit ("tagret" for "target") and names holding a kind of shop's
words ("pharmacy"). Through `trigram_keys` (0005) it asked for names holding
all of a word's trigrams but three, which for a user with 100,000 stores meant
reading dozens of lists of thousands of stores each, to find a handful (50 to
90 ms a query). `word_keys` holds, for every word of the folded name, a key
for the word itself and, for a word of five letters or more, one for each way
of dropping one of its letters. Two words are one edit apart (a letter
dropped, added or changed, or two neighbours swapped) only if one of them,
or one of them with a letter dropped, equals the other or the other with a
letter dropped ("tagret" and "target" both give "taret"), so the search asks
for a few short lists: those of the word and of its letter-dropped forms.
Shorter words need no dropped forms: one edit is forgiven only in a query
word of five letters or more (`forgiving_search.TYPO_MIN_LENGTH`), and a
name word four letters long is found through its own key.

A key is the first 32 bits of the MD5 of the owner's id, a blank, "=" and the
word, or "-" and the word with a letter dropped, as a signed int4
(`directory.postgres_search.name_word_key` computes the same in Python). Two
entries may share a key; that only adds names the pass then checks and drops.
A generated column, like `trigram_keys`: about 35 µs more a row to write
(MD5 per entry), 40 s more to load the bench's 1,100,000 stores.
SQLite reads its trigram table (0003) instead: the operations do nothing there.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INDEX_NAME = "store_live_word_keys"
FUNCTION = (
    "CREATE OR REPLACE FUNCTION directory_name_word_keys(owner bigint, name text) RETURNS int4[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN uniq(sort(ARRAY("
    "SELECT ('x' || left(md5(owner || entry), 8))::bit(32)::int4 FROM ("
    "SELECT ' =' || word AS entry FROM unnest(string_to_array(name, ' ')) AS word "
    "UNION ALL SELECT ' -' || left(word, position - 1) || substr(word, position + 1) "
    "FROM unnest(string_to_array(name, ' ')) AS word, generate_series(1, length(word)) AS position "
    "WHERE length(word) >= 5) AS entries)))"
)


def add_word_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        "ALTER TABLE directory_store ADD COLUMN word_keys int4[] "
        "GENERATED ALWAYS AS (directory_name_word_keys(user_id, normalized_name)) STORED"
    )
    # fastupdate off for the reason given in 0002.
    schema_editor.execute(
        f"CREATE INDEX {INDEX_NAME} ON directory_store USING gin (word_keys gin__int_ops) "
        "WITH (fastupdate = off) WHERE deleted_at IS NULL"
    )


def drop_word_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
    schema_editor.execute("ALTER TABLE directory_store DROP COLUMN IF EXISTS word_keys")
    schema_editor.execute("DROP FUNCTION IF EXISTS directory_name_word_keys(bigint, text)")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_trigram_keys"),
    ]

    operations = [
        migrations.RunPython(add_word_keys, drop_word_keys),
    ]
