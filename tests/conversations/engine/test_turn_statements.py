"""What one turn asks of the database: a guard on its statement count (the bench times it, this counts it).

A turn is three trips to the database thread: submit and claim, the state
transaction (with the recent messages), and persist. Counted: the statements
that read or write rows, once the day's caches (config, prompts, spend) and
usage row exist, as they do for every turn but the day's first. Transaction
control is left out (tests run inside a transaction, where each block is a
savepoint), so the figures hold on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversations.events import ToolRan

SAVE_TURN_STATEMENTS = 12
LOOKUP_TURN_STATEMENTS = 13


def statements_of(chat, text: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        turn = chat.say(text)
    assert not turn.errors, turn.errors
    # chat.say reloads the conversation after the turn: not part of the turn.
    sent = [query["sql"] for query in captured.captured_queries][:-1]
    return [sql for sql in sent if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_a_save_turn_sends_at_most_its_statements(chat):
    chat.say("Save Costco, 650-555-0100")

    statements = statements_of(chat, "Save ACME Hardware, 415-555-0198")

    assert chat.user.stores.count() == 2
    assert len(statements) <= SAVE_TURN_STATEMENTS, "\n".join(statements)


def test_a_lookup_turn_in_an_unlocked_conversation_sends_at_most_its_statements(chat):
    chat.say("Save ACME Hardware, 415-555-0198")
    chat.say("What's the number for ACME?")
    chat.say("open sesame")

    statements = statements_of(chat, "What's the number for ACME hardware?")

    assert any(tool.name == "lookup_by_name" and tool.ok for tool in chat.turns[-1].tools if isinstance(tool, ToolRan))
    assert "555-0198" in chat.turns[-1].text
    assert len(statements) <= LOOKUP_TURN_STATEMENTS, "\n".join(statements)
