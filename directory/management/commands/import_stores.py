"""`manage.py import_stores --user EMAIL FILE`: the directory page's CSV import, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from directory.csv_import import CsvRejected, check_size
from directory.importer import ImportTally, import_rows, read_upload
from ops.config import get_config


class Command(BaseCommand):
    help = "Import stores for one user from a CSV file; prints a per-row report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Email address of the user who owns the stores.")
        parser.add_argument("file", type=Path, help="CSV file with a store name and a phone number per row.")

    def handle(self, *args: Any, **options: Any) -> None:
        email: str = options["user"]
        path: Path = options["file"]
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        try:
            rows = read_upload(_read_file(path))
        except CsvRejected as rejection:
            raise CommandError(f"{path.name} was not imported: {rejection}") from rejection
        tally = import_rows(user=user, rows=rows)
        self._print_report(tally)
        self.stdout.write(tally.summary_line())

    def _print_report(self, tally: ImportTally) -> None:
        for entry in tally.report:
            line = f"row {entry['row']:>4}  {entry['outcome']:<9}  {entry['name'] or '-'}  {entry['phone'] or '-'}"
            if entry["reason"]:
                line = f"{line}  {entry['reason']}"
            self.stdout.write(line)


def _read_file(path: Path) -> bytes:
    """The file's bytes; a file over the size limit is refused before it is read."""
    try:
        check_size(path.stat().st_size, max_bytes=get_config().csv_max_bytes)
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
