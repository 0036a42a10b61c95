"""manage.py createuser --email E [--passphrase X] [--staff] [--region US]

The password never appears on the command line (where `ps` and shell history
would see it): a terminal gets a hidden prompt, asked twice; a pipe is read as
one line (`printf '%s\\n' "$PW" | manage.py createuser ...`); scripts may set
the STOREBOT_PASSWORD environment variable instead.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import DEFAULT_REGION
from accounts.services import user_create

ENV_VARIABLE = "STOREBOT_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a Storebot account (email login), optionally staff and with a passphrase. The password is read "
        f"from a hidden prompt, one line of stdin, or the {ENV_VARIABLE} environment variable."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="Login email address.")
        # Gone: it put the password in shell history and `ps`. Kept hidden to say so clearly.
        parser.add_argument("--password", help=argparse.SUPPRESS)
        parser.add_argument("--passphrase", help="Passphrase that unlocks phone lookups in chat (8+ characters).")
        parser.add_argument("--staff", action="store_true", help="Give access to the staff dashboard and Django admin.")
        parser.add_argument(
            "--region",
            default=DEFAULT_REGION,
            help=f"Default phone region, a two-letter code (default: {DEFAULT_REGION}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password"] is not None:
            raise CommandError(
                f"--password is no longer accepted (shell history and `ps` would keep it). Type it at the prompt, "
                f"pipe it on stdin, or set {ENV_VARIABLE}."
            )
        password = _read_password(options.get("stdin") or sys.stdin)
        try:
            user = user_create(
                email=options["email"],
                password=password,
                default_region=options["region"].upper(),
                is_staff=options["staff"],
                passphrase=options["passphrase"],
            )
        except ValidationError as error:
            raise CommandError(_describe(error)) from error
        role = "staff user" if user.is_staff else "user"
        passphrase = "with a passphrase" if user.has_passphrase else "without a passphrase"
        summary = f"Created {role} {user.email} ({passphrase}, region {user.default_region})."
        self.stdout.write(self.style.SUCCESS(summary))


def _read_password(stream: TextIO) -> str:
    if from_env := os.environ.get(ENV_VARIABLE):
        return from_env
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The two passwords are different; no account was created.")
        return first
    line = stream.readline()
    if not line.strip():
        raise CommandError(f"No password on stdin (nor in {ENV_VARIABLE}); no account was created.")
    return line.rstrip("\r\n")


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
