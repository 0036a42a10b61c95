"""manage.py createuser --email E --password P [--passphrase X] [--staff] [--region US]"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import DEFAULT_REGION
from accounts.services import user_create


class Command(BaseCommand):
    help = "Create a Storebot account (email login), optionally staff and with a passphrase."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True, help="Login email address.")
        parser.add_argument("--password", required=True, help="Login password (checked by the password validators).")
        parser.add_argument("--passphrase", help="Passphrase that unlocks phone lookups in chat (6+ characters).")
        parser.add_argument("--staff", action="store_true", help="Give access to the staff dashboard and Django admin.")
        parser.add_argument(
            "--region",
            default=DEFAULT_REGION,
            help=f"Default phone region, a two-letter code (default: {DEFAULT_REGION}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_create(
                email=options["email"],
                password=options["password"],
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


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
