"""Accounts for staff: search, and each person's spend today and this month.

Spend comes from TokenUsage (one row per user per day), attached to each
user row as subqueries so the list stays one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DecimalField, F, IntegerField, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from adminpanel.selectors.subqueries import MONEY, total_of_related
from conversations.models import Conversation, TokenUsage
from directory.models import Store

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# How many days of a person's spend their page shows.
USAGE_DAYS = 30


class UsageFigures(TypedDict):
    today_cost: Decimal
    today_tokens: int
    month_cost: Decimal
    month_tokens: int


def _usage_between(start: date, end: date, *, total: Sum, output: IntegerField | DecimalField) -> Coalesce:
    usage = TokenUsage.objects.filter(user=OuterRef("pk"), date__gte=start, date__lte=end)
    return total_of_related(usage, owner_field="user", aggregate=total, output=output)


def user_list(*, search: str = "", today: date) -> QuerySet[WithAnnotations[User, UsageFigures]]:
    """Users by email (search matches any part of it), with today's and this month's usage."""
    month_start = today.replace(day=1)
    users = User.objects.annotate(
        today_cost=_usage_between(today, today, total=Sum("cost_usd"), output=MONEY),
        today_tokens=_usage_between(today, today, total=Sum(F("tokens_in") + F("tokens_out")), output=IntegerField()),
        month_cost=_usage_between(month_start, today, total=Sum("cost_usd"), output=MONEY),
        month_tokens=_usage_between(
            month_start, today, total=Sum(F("tokens_in") + F("tokens_out")), output=IntegerField()
        ),
    ).order_by("email")
    if search.strip():
        users = users.filter(email__icontains=search.strip())
    return users


def user_for_staff(*, user_id: int, today: date) -> WithAnnotations[User, UsageFigures]:
    """One user with the same usage figures as the list; raises User.DoesNotExist."""
    return user_list(today=today).get(pk=user_id)


@dataclass(frozen=True)
class UserActivity:
    stores: int
    deleted_stores: int
    conversations: int
    usage_days: list[TokenUsage]


def user_activity(*, user: User, today: date, days: int = USAGE_DAYS) -> UserActivity:
    """What a person has done: their store counts, conversations and daily usage for the last `days` days."""
    usage = list(TokenUsage.objects.filter(user=user, date__gt=today - timedelta(days=days)).order_by("date"))
    stores = Store.objects.filter(user=user)
    return UserActivity(
        stores=stores.filter(deleted_at__isnull=True).count(),
        deleted_stores=stores.filter(deleted_at__isnull=False).count(),
        conversations=Conversation.objects.filter(user=user).count(),
        usage_days=usage,
    )
