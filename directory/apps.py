from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class DirectoryConfig(AppConfig):
    name = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_register_trigram_functions, dispatch_uid="directory.trigram_functions")


def _register_trigram_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    # PostgreSQL has pg_trgm; SQLite gets the same functions written in Python.
    if connection.vendor == "sqlite":
        from directory.trigrams import register_sqlite_functions

        register_sqlite_functions(connection.connection)
