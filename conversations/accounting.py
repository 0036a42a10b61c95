"""Token and cost accounting: every model call is added to the user's row for the day.

`TokenUsage` has one row per user per day, updated with F() expressions so
concurrent turns add up instead of overwriting each other. The first call of
the day creates the row; two creators racing meet the unique constraint, and
the loser adds to the winner's row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from conversations.models import TokenUsage
from conversations.spend_cache import spend_add

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class CallUsage:
    """What one model call (or one agent run of several requests) used."""

    role: str
    model: str
    requests: int
    tokens_in: int
    tokens_out: int
    cost_usd: Decimal
    fallback_used: bool = False
    # The model that should have answered, and why it did not (when a fallback answered).
    primary_model: str = ""
    primary_error: str = ""


def usages_record(*, user: User, usages: Sequence[CallUsage], day: date | None = None) -> None:
    """Add these calls' tokens and cost to the user's row for the day, in one statement (usually)."""
    requests = sum(usage.requests for usage in usages)
    tokens_in = sum(usage.tokens_in for usage in usages)
    tokens_out = sum(usage.tokens_out for usage in usages)
    cost_usd = sum((usage.cost_usd for usage in usages), Decimal(0))
    if not (requests or tokens_in or tokens_out):
        return
    day = day or timezone.localdate()
    increments = {
        "requests": F("requests") + requests,
        "tokens_in": F("tokens_in") + tokens_in,
        "tokens_out": F("tokens_out") + tokens_out,
        "cost_usd": F("cost_usd") + cost_usd,
    }
    # One UPDATE is atomic on its own; only the day's first call creates the row.
    if not TokenUsage.objects.filter(user=user, date=day).update(**increments):
        try:
            with transaction.atomic():
                TokenUsage.objects.create(
                    user=user,
                    date=day,
                    requests=requests,
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    cost_usd=cost_usd,
                )
        except IntegrityError:
            TokenUsage.objects.filter(user=user, date=day).update(**increments)
    # The budget check's cached figures, in every process sharing the cache, include this spend from now on.
    spend_add(user_id=user.pk, day=day, cost_usd=cost_usd)
