"""Daily spending caps, per user and for everyone, checked before any model call.

Spend is read through a cache that every recorded spend adds to
(conversations/spend_cache.py), so a check costs no query and, with a
shared cache, a cap holds across processes from the spend that reaches it.
Over a cap the turn is refused
without a model call, an audit event is written and one alert is raised (the
alert hook deduplicates per user per day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils import timezone

from conversations.models import TokenUsage
from conversations.spend_cache import global_spend_key, spend_cached, user_spend_key
from ops.alerts import alert_raise
from ops.audit import audit_log_write
from ops.config import get_config
from ops.models import AuditLog

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class BudgetDecision:
    allowed: bool
    scope: str = ""  # "user" or "global" when refused
    spent: Decimal = Decimal(0)
    cap: Decimal = Decimal(0)

    @property
    def message(self) -> str:
        """What to tell the user when refused: true and useful."""
        if self.scope == "global":
            return (
                "The assistant has reached its spending limit for today, for everyone. Please try again tomorrow; "
                "your directory pages still work meanwhile."
            )
        return (
            f"You've reached today's assistant limit (${self.cap:.2f}). It resets at midnight "
            f"({timezone.get_current_timezone_name()}); your directory pages still work meanwhile."
        )


def budget_check(*, user: User) -> BudgetDecision:
    """Whether the user may make model calls now: their daily cap, then everyone's."""
    config = get_config()
    today = timezone.localdate()
    user_cap = user.daily_budget_usd if user.daily_budget_usd is not None else config.per_user_daily_budget_usd
    user_spent = spend_cached(user_spend_key(user.pk, today), lambda: _spend(user_id=user.pk, day=today))
    if user_spent >= user_cap:
        return BudgetDecision(allowed=False, scope="user", spent=user_spent, cap=user_cap)
    global_spent = spend_cached(global_spend_key(today), lambda: _spend(user_id=None, day=today))
    if global_spent >= config.global_daily_budget_usd:
        return BudgetDecision(allowed=False, scope="global", spent=global_spent, cap=config.global_daily_budget_usd)
    return BudgetDecision(allowed=True, spent=user_spent, cap=user_cap)


def budget_refusal_record(*, user: User, decision: BudgetDecision) -> None:
    """Audit a refused turn and raise the (deduplicated) budget alert."""
    today = timezone.localdate()
    audit_log_write(
        event_type="budget_exceeded",
        source="budget",
        user=user,
        severity=AuditLog.Severity.WARNING,
        details={"scope": decision.scope, "spent_usd": str(decision.spent), "cap_usd": str(decision.cap)},
    )
    if decision.scope == "global":
        text = f"The global daily budget (${decision.cap}) is used up: ${decision.spent} spent today."
        dedupe_key = f"budget:global:{today}"
    else:
        text = f"User {user.pk} reached their daily budget (${decision.cap}): ${decision.spent} spent today."
        dedupe_key = f"budget:user:{user.pk}:{today}"
    alert_raise(kind="budget", text=text, dedupe_key=dedupe_key)


def _spend(*, user_id: int | None, day: date) -> Decimal:
    rows = TokenUsage.objects.filter(date=day)
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return rows.aggregate(total=Sum("cost_usd"))["total"] or Decimal(0)
