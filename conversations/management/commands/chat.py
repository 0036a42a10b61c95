"""manage.py chat --user EMAIL: one conversation over stdin/stdout, through the same orchestrator as the web chat.

One message per input line; the reply is written to stdout as it streams.
When the conversation waits for a passphrase and stdin is a terminal, the
passphrase is read without echo. The session ends at end of input (the
conversation is then ended and summarised) or when the conversation ends.
The whole session runs on one event loop, so model clients are never shared
across loops.
"""

from __future__ import annotations

import getpass
import logging
import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from asgiref.sync import async_to_sync, sync_to_async
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from conversations.events import InputMode, StateChanged, TextDelta, TurnDone, TurnError, input_mode_for
from conversations.models import Conversation
from conversations.services import ConversationClosed, TurnRejected, conversation_end, conversation_start, turn_run


class Command(BaseCommand):
    help = "Chat with Storebot as a user, over stdin/stdout (one message per line)."
    # Tests pass their own input: call_command("chat", user=..., stdin=io.StringIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--user", required=True, help="Email address of the user to chat as.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"].strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {options['user']!r}. Create one with `manage.py createuser`.")
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated.")
        stdin: TextIO = options.get("stdin") or sys.stdin
        _logs_to_stderr()
        conversation = conversation_start(user=user)
        interactive = stdin.isatty()
        if interactive:
            self.stdout.write(f"Storebot, conversation {conversation.pk} as {user.email}. Ctrl-D to leave.\n")
        async_to_sync(self._session)(user, conversation, stdin, interactive)

    async def _session(self, user: User, conversation: Conversation, stdin: TextIO, interactive: bool) -> None:
        mode: InputMode = input_mode_for(conversation.state)
        while mode != "closed":
            line = await sync_to_async(self._read_line)(stdin, secret=mode == "passphrase", interactive=interactive)
            if line is None:
                await sync_to_async(conversation_end)(conversation=conversation, reason="closed")
                return
            if not line.strip():
                continue
            try:
                mode = await self._turn(user, conversation, line, mode)
            except TurnRejected as error:
                self.stderr.write(str(error))
            except ConversationClosed as error:
                self.stderr.write(str(error))
                return

    async def _turn(self, user: User, conversation: Conversation, line: str, mode: InputMode) -> InputMode:
        self.stdout.write("storebot> ", ending="")
        async for event in turn_run(user=user, conversation_id=conversation.pk, text=line):
            if isinstance(event, TextDelta):
                self.stdout.write(event.text, ending="")
                self.stdout.flush()
            elif isinstance(event, TurnError):
                self.stdout.write(event.message, ending="")
            elif isinstance(event, StateChanged):
                mode = event.input_mode
            elif isinstance(event, TurnDone):
                self.stdout.write("")
                mode = input_mode_for(event.state)
        return mode

    def _read_line(self, stdin: TextIO, *, secret: bool, interactive: bool) -> str | None:
        """One line of input, or None at end of input. A passphrase typed at a terminal is not echoed."""
        if interactive and secret:
            try:
                return getpass.getpass("passphrase (hidden)> ", stream=sys.stderr)
            except EOFError:
                return None
        if interactive:
            self.stdout.write("you> ", ending="")
            self.stdout.flush()
        line = stdin.readline()
        return line.rstrip("\n") if line else None


def _logs_to_stderr() -> None:
    """Stdout is the conversation here: log lines go to stderr so they never interleave with a reply."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stdout:
            handler.setStream(sys.stderr)
