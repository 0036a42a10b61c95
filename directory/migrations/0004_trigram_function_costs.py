"""Tell PostgreSQL's planner what pg_trgm's operators really cost, so a big user's search uses the GIN index.

pg_trgm declares its functions with COST 1, as cheap as `=`, while each call
builds the trigrams of a name (microseconds, a hundred times an `=`). The
planner therefore preferred reading every store of a user through the btree
on user_id and testing `%` on each: for a user with 100,000 stores a search
took 0.9 to 1.3 s. At COST 100 it reads the trigram index (0002) instead:
60 to 90 ms for the same queries, measured on 2 busy cores with 1,100,000
stores (`make bench CASE=search`); a user with 100 stores keeps the btree.

Changing an extension's function needs its owner. Where the database role is
not (a managed service), the migration leaves the costs alone and says so:
search stays correct, only a very big user's searches stay slow.
"""

import logging

from django.apps.registry import Apps
from django.db import DatabaseError, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

logger = logging.getLogger(__name__)

FUNCTIONS = (
    "similarity(text, text)",
    "word_similarity(text, text)",
    "similarity_op(text, text)",  # %
    "word_similarity_op(text, text)",  # <%
    "word_similarity_commutator_op(text, text)",  # %>
)
TRIGRAM_COST = 100
DEFAULT_COST = 1


def _set_costs(schema_editor: BaseDatabaseSchemaEditor, cost: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for function in FUNCTIONS:
                schema_editor.execute(f"ALTER FUNCTION {function} COST {cost}")
    except DatabaseError as error:
        logger.warning("pg_trgm function costs left unchanged (%s): fuzzy search stays correct but slower.", error)


def raise_costs(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _set_costs(schema_editor, TRIGRAM_COST)


def restore_costs(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _set_costs(schema_editor, DEFAULT_COST)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_sqlite_trigram_table"),
    ]

    operations = [
        migrations.RunPython(raise_costs, restore_costs),
    ]
