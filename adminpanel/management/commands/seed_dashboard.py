"""Fill a scratch database with realistic fake usage for the dashboard benchmark.

    python manage.py seed_dashboard --users 10000 --conversations 100000 --messages 1000000

Users, conversations and audit events go in with bulk_create in batches;
messages go in with COPY on PostgreSQL (bulk_create elsewhere); daily token
usage is derived from the messages with one INSERT ... SELECT. Deterministic
for a given --seed. Meant for a throwaway database, never production.
"""

from __future__ import annotations

import json
import math
import random
import time as clock
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import DEFAULT_REGION, User
from conversations.llm import FALLBACK_EVENT
from conversations.models import (
    PASSPHRASE_REDACTION,
    Conversation,
    ConversationState,
    Intent,
    Message,
    TokenUsage,
)
from ops.models import AuditLog

SEED_DOMAIN = "seed.storebot.test"
BATCH = 10_000

# How often each intent is classified, roughly as a live product would see it.
INTENT_WEIGHTS = {
    Intent.SAVE: 30,
    Intent.RETRIEVE_BY_NAME: 20,
    Intent.RETRIEVE_BY_PHONE: 7,
    Intent.MULTI_SAVE: 5,
    Intent.MULTI_OPERATION: 3,
    Intent.OFF_SCOPE: 8,
    Intent.TERMINATE: 12,
    Intent.CLARIFICATION: 15,
}
STATE_WEIGHTS = {
    ConversationState.TERMINATED: 60,
    ConversationState.IDLE: 25,
    ConversationState.COLLECTING_SAVE_INFO: 5,
    ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE: 5,
    ConversationState.AWAITING_PASSPHRASE_FOR_REVERSE: 2,
    ConversationState.OFF_SCOPE_WARNED: 3,
}
STORE_NAMES = ["ACME Hardware", "Costco", "Joe's Pizza", "Ace Dry Cleaners", "Target", "Trader Joe's", "Walgreens"]
USER_TEXT: dict[str, str] = {
    Intent.SAVE: "Save {store}, 415-555-01{n:02d}",
    Intent.RETRIEVE_BY_NAME: "What's the number for {store}?",
    Intent.RETRIEVE_BY_PHONE: "Whose number is 415-555-01{n:02d}?",
    Intent.MULTI_SAVE: "Save {store} 650-555-01{n:02d} and Target 651-555-0188",
    Intent.MULTI_OPERATION: "Save {store} 650-555-01{n:02d} and what's the number for Costco?",
    Intent.OFF_SCOPE: "What's the weather like today?",
    Intent.TERMINATE: "Thanks, that's all",
    Intent.CLARIFICATION: "Can you help me with {store}?",
}
AGENT_MODEL, FALLBACK_MODEL = "claude-sonnet-4-5", "gpt-4o-mini"


@dataclass(frozen=True)
class SeededConversation:
    pk: int
    started_at: datetime
    messages: int
    state: str


class Command(BaseCommand):
    help = "Bulk-insert fake users, conversations and messages for the dashboard benchmark (scratch databases only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--conversations", type=int, default=100_000)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=90, help="Spread the activity over this many days up to now.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--staff-email", default="", help="Also create a staff account with this email.")

    def handle(self, *args: Any, **options: Any) -> None:
        users, conversations, messages, days = (
            options["users"],
            options["conversations"],
            options["messages"],
            options["days"],
        )
        if min(users, conversations, days) < 1 or messages < 2 * conversations:
            raise CommandError("Need at least one user, conversation and day, and two messages per conversation.")
        if User.objects.filter(email__endswith=f"@{SEED_DOMAIN}").exists():
            raise CommandError("This database is already seeded; seed a fresh scratch database.")
        rng = random.Random(options["seed"])
        now = timezone.now()
        started = clock.monotonic()

        user_ids = self._create_users(users, now=now, days=days, staff_email=options["staff_email"])
        self._progress(f"{users:,} users", started)
        seeded = self._create_conversations(rng, user_ids, conversations, messages, now=now, days=days)
        self._progress(f"{conversations:,} conversations", started)
        self._insert_messages(rng, seeded, now=now)
        self._progress(f"{messages:,} messages", started)
        usage_rows = self._derive_token_usage(first_conversation_id=seeded[0].pk)
        self._progress(f"{usage_rows:,} token usage rows", started)
        self._create_audit_events(rng, user_ids, now=now, days=days)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._progress("done (statistics refreshed)", started)

    def _progress(self, what: str, started: float) -> None:
        self.stdout.write(f"{clock.monotonic() - started:7.1f}s  {what}")

    def _create_users(self, count: int, *, now: datetime, days: int, staff_email: str) -> list[int]:
        unusable = make_password(None)
        created: list[int] = []
        for offset in range(0, count, BATCH):
            batch = [
                User(
                    email=f"user{n}@{SEED_DOMAIN}",
                    password=unusable,
                    date_joined=now - timedelta(days=days + 30, minutes=n),
                    default_region=DEFAULT_REGION,
                )
                for n in range(offset, min(offset + BATCH, count))
            ]
            created.extend(user.pk for user in User.objects.bulk_create(batch))
        if staff_email:
            User.objects.create_user(staff_email, None, is_staff=True)
        return created

    def _create_conversations(
        self, rng: random.Random, user_ids: list[int], count: int, messages: int, *, now: datetime, days: int
    ) -> list[SeededConversation]:
        # Every conversation has at least one exchange; the rest of the messages
        # go out in pairs to random conversations (a few long ones, many short).
        sizes = [2] * count
        for _ in range((messages - 2 * count) // 2):
            sizes[min(int(count * rng.random() ** 1.3), count - 1)] += 2
        sizes[-1] += (messages - 2 * count) % 2
        states, state_weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
        rows: list[Conversation] = []
        for size in sizes:
            # More activity in recent days (a growing product), mostly in the daytime.
            age_days = int(days * rng.random() ** 1.4)
            started_at = now - timedelta(days=age_days, hours=rng.triangular(0, 14, 6), minutes=rng.random() * 60)
            started_at = min(started_at, now - timedelta(hours=size / 30))
            state = rng.choices(states, state_weights)[0]
            last_activity = started_at + timedelta(seconds=size * 30)
            rows.append(
                Conversation(
                    user_id=user_ids[min(int(len(user_ids) * rng.random() ** 2), len(user_ids) - 1)],
                    state=state,
                    started_at=started_at,
                    last_activity_at=last_activity,
                    ended_at=last_activity if state == ConversationState.TERMINATED else None,
                    end_reason="user_ended" if state == ConversationState.TERMINATED else "",
                    operations_count=size // 4,
                    title=rng.choice(STORE_NAMES),
                )
            )
        seeded: list[SeededConversation] = []
        for offset in range(0, count, BATCH):
            batch = Conversation.objects.bulk_create(rows[offset : offset + BATCH])
            seeded.extend(
                SeededConversation(pk=c.pk, started_at=c.started_at, messages=size, state=c.state)
                for c, size in zip(batch, sizes[offset : offset + BATCH], strict=True)
            )
        return seeded

    def _message_rows(
        self, rng: random.Random, seeded: list[SeededConversation], *, now: datetime
    ) -> Iterator[dict[str, Any]]:
        # Plain strings: a database adapter may write an enum member by its name.
        intents, intent_weights = [intent.value for intent in INTENT_WEIGHTS], list(INTENT_WEIGHTS.values())
        agent_in, agent_out = settings.LLM_PRICES.get(AGENT_MODEL, settings.LLM_PRICES["default"])
        fallback_in, fallback_out = settings.LLM_PRICES.get(FALLBACK_MODEL, settings.LLM_PRICES["default"])
        for conversation in seeded:
            moment = conversation.started_at
            state = ConversationState.IDLE.value
            for index in range(conversation.messages):
                moment = min(moment + timedelta(seconds=rng.uniform(4, 60)), now)
                if index % 2 == 0:
                    intent = rng.choices(intents, intent_weights)[0]
                    redacted = state.startswith("AWAITING_PASSPHRASE") and rng.random() < 0.8
                    text = USER_TEXT[intent].format(store=rng.choice(STORE_NAMES), n=rng.randrange(100))
                    content = PASSPHRASE_REDACTION if redacted else text
                    # Like the engine: the classified intent is recorded on the user's message
                    # (a passphrase attempt is never classified).
                    yield self._row(
                        conversation.pk,
                        "user",
                        content,
                        moment,
                        redacted,
                        intent="" if redacted else intent,
                        state_before=state,
                    )
                    continue
                fallback, error = rng.random() < 0.015, rng.random() < 0.007
                tokens_in, tokens_out = rng.randint(500, 1600), rng.randint(15, 140)
                price_in, price_out = (fallback_in, fallback_out) if fallback else (agent_in, agent_out)
                cost = (price_in * tokens_in + price_out * tokens_out) / Decimal(1_000_000)
                after = self._state_after(intent, rng)
                yield self._row(
                    conversation.pk,
                    "assistant",
                    "Sorry, something went wrong." if error else "Done: I saved that for you.",
                    moment,
                    False,
                    tool_calls=self._tool_calls(intent, rng),
                    state_before=state,
                    state_after=after,
                    latency_ms=int(min(rng.lognormvariate(math.log(900), 0.55), 30_000)),
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    cost_usd=cost.quantize(Decimal("0.000001")),
                    model=FALLBACK_MODEL if fallback else AGENT_MODEL,
                    model_requests=2,
                    fallback_used=fallback,
                    is_error=error,
                    error_code="provider_unavailable" if error else "",
                )
                state = after

    @staticmethod
    def _row(
        conversation_id: int, role: str, content: str, moment: datetime, redacted: bool, **extra: Any
    ) -> dict[str, Any]:
        return {
            "conversation_id": conversation_id,
            "role": role,
            "content": content,
            "redacted": redacted,
            "created_at": moment,
            **extra,
        }

    @staticmethod
    def _state_after(intent: str, rng: random.Random) -> str:
        if intent in {Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE} and rng.random() < 0.3:
            return ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE.value
        if intent == Intent.OFF_SCOPE:
            return ConversationState.OFF_SCOPE_WARNED.value
        if intent == Intent.TERMINATE:
            return ConversationState.TERMINATED.value
        if intent == Intent.SAVE and rng.random() < 0.15:
            return ConversationState.COLLECTING_SAVE_INFO.value
        return ConversationState.IDLE.value

    @staticmethod
    def _tool_calls(intent: str, rng: random.Random) -> list[dict[str, Any]]:
        def save() -> dict[str, Any]:
            ok = rng.random() < 0.92
            args = {"store_name": rng.choice(STORE_NAMES), "phone": f"+1415555{rng.randrange(10_000):04d}"}
            return {"name": "save_store", "args": args, "ok": ok, "result": {"created": ok}}

        def lookup() -> dict[str, Any]:
            return {"name": "lookup_by_name", "args": {"query": rng.choice(STORE_NAMES)}, "ok": True, "result": {}}

        if intent == Intent.SAVE:
            return [save()]
        if intent == Intent.MULTI_SAVE:
            return [save() for _ in range(rng.randint(2, 3))]
        if intent == Intent.MULTI_OPERATION:
            return [save(), lookup()]
        if intent == Intent.RETRIEVE_BY_NAME and rng.random() < 0.7:
            return [lookup()]
        if intent == Intent.RETRIEVE_BY_PHONE and rng.random() < 0.7:
            return [{"name": "lookup_by_phone", "args": {"phone": "0198"}, "ok": True, "result": {}}]
        if intent == Intent.TERMINATE:
            return [{"name": "terminate_conversation", "args": {"reason": "user_done"}, "ok": True, "result": {}}]
        return []

    def _insert_messages(self, rng: random.Random, seeded: list[SeededConversation], *, now: datetime) -> None:
        rows = self._message_rows(rng, seeded, now=now)
        if connection.vendor != "postgresql":
            batch: list[Message] = []
            for row in rows:
                batch.append(Message(**row))
                if len(batch) == BATCH:
                    Message.objects.bulk_create(batch)
                    batch.clear()
            Message.objects.bulk_create(batch)
            return
        # COPY fills every column itself, so columns the rows leave out get the model's defaults.
        # (No field here sets db_column, so a field's attname is its column.)
        fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
        defaults = {f.attname: f.get_default() for f in fields}
        columns = ", ".join(connection.ops.quote_name(f.attname) for f in fields)
        json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {Message._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                values = {**defaults, **row}
                for name in json_columns:
                    values[name] = json.dumps(values[name])
                copy.write_row([values[f.attname] for f in fields])

    def _derive_token_usage(self, *, first_conversation_id: int) -> int:
        """One row per user per day, summed from the seeded replies in the database."""
        per_user_day = (
            Message.objects.filter(conversation_id__gte=first_conversation_id, role=Message.Role.ASSISTANT)
            .order_by()
            .annotate(day=TruncDate("created_at"))
            .values("conversation__user_id", "day")
            .annotate(
                requests=Sum("model_requests"), tin=Sum("tokens_in"), tout=Sum("tokens_out"), cost=Sum("cost_usd")
            )
            .values_list("conversation__user_id", "day", "requests", "tin", "tout", "cost")
        )
        select_sql, params = per_user_day.query.sql_with_params()
        column_of = {f.name: f.attname for f in TokenUsage._meta.concrete_fields}
        fields = ["user", "date", "requests", "tokens_in", "tokens_out", "cost_usd"]
        columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TokenUsage._meta.db_table} ({columns}) {select_sql}", params)
            return cursor.rowcount

    def _create_audit_events(self, rng: random.Random, user_ids: list[int], *, now: datetime, days: int) -> None:
        kinds = [
            ("passphrase_wrong", AuditLog.Severity.INFO),
            ("passphrase_lockout", AuditLog.Severity.WARNING),
            ("budget_exceeded", AuditLog.Severity.WARNING),
            (FALLBACK_EVENT, AuditLog.Severity.WARNING),
            ("login_failed", AuditLog.Severity.INFO),
        ]
        events = []
        for _ in range(len(user_ids)):
            event_type, severity = rng.choice(kinds)
            events.append(
                AuditLog(
                    event_type=event_type,
                    severity=severity,
                    source="seed",
                    user_id=rng.choice(user_ids),
                    details={"seeded": True},
                    created_at=now - timedelta(days=rng.random() * days),
                )
            )
        AuditLog.objects.bulk_create(events, batch_size=BATCH)
