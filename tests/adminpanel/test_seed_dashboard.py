"""The benchmark seed command fills a database with consistent fake usage."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from accounts.models import User
from conversations.models import Conversation, Message, TokenUsage
from ops.models import AuditLog


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_dashboard", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_seed_inserts_exactly_the_requested_rows():
    seed(users=20, conversations=50, messages=401, days=10, staff_email="boss@example.com")

    assert User.objects.filter(email__endswith="@seed.storebot.test").count() == 20
    assert User.objects.get(email="boss@example.com").is_staff
    assert Conversation.objects.count() == 50
    assert Message.objects.count() == 401
    assert AuditLog.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_seeded_token_usage_adds_up_to_the_seeded_replies():
    seed(users=5, conversations=10, messages=60, days=3)

    replies = Message.objects.filter(role=Message.Role.ASSISTANT).aggregate(t=Sum("tokens_in"), c=Sum("cost_usd"))
    usage = TokenUsage.objects.aggregate(t=Sum("tokens_in"), c=Sum("cost_usd"))
    assert usage == replies


@pytest.mark.django_db(transaction=True)
def test_seeded_intents_sit_on_user_messages_like_the_engine_records_them():
    seed(users=5, conversations=10, messages=60, days=3)

    user_messages = Message.objects.filter(role=Message.Role.USER)
    assert not Message.objects.filter(role=Message.Role.ASSISTANT).exclude(intent="").exists()
    assert user_messages.filter(redacted=False, intent="").count() == 0
    assert user_messages.filter(redacted=True).exclude(intent="").count() == 0


@pytest.mark.django_db(transaction=True)
def test_seeding_twice_is_refused():
    seed(users=2, conversations=2, messages=4, days=1)

    with pytest.raises(CommandError, match="already seeded"):
        seed(users=2, conversations=2, messages=4, days=1)


@pytest.mark.django_db
def test_too_few_messages_for_the_conversations_is_refused():
    with pytest.raises(CommandError, match="two messages per conversation"):
        seed(users=2, conversations=10, messages=5)
