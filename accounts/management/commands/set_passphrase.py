"""manage.py set_passphrase --user EMAIL, reading the passphrase from stdin.

The passphrase never appears on the command line (where `ps` and shell history
would see it) and is never echoed: a terminal gets a hidden prompt, a pipe is
read as one line.
"""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import normalize_email, user_set_passphrase


class Command(BaseCommand):
    help = "Set a user's passphrase, read from stdin (one line) or a hidden prompt."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, metavar="EMAIL", help="Email of the account.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = normalize_email(options["user"])
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        passphrase = _read_passphrase(options.get("stdin") or sys.stdin)
        try:
            user_set_passphrase(user=user, passphrase=passphrase)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Passphrase set for {user.email}."))


def _read_passphrase(stream: TextIO) -> str:
    if stream.isatty():
        first = getpass.getpass("New passphrase: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("The two passphrases are different; nothing was changed.")
        return first
    line = stream.readline()
    if not line:
        raise CommandError("No passphrase on stdin; nothing was changed.")
    return line.rstrip("\r\n")
