"""The conversation inspector: every user's conversations, for staff.

The list is one query: each conversation row carries its user, its summary
and its message figures as correlated subqueries, which the database
evaluates only for the rows of the page (newest first, on the started_at
index). The detail is two: the conversation with its user and summary, then
its messages in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from adminpanel.selectors.dates import aware_midnight, day_after
from adminpanel.selectors.subqueries import MONEY, total_of_related
from conversations.models import Conversation, Message

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class MessageFigures(TypedDict):
    message_count: int
    tokens: int
    cost: Decimal
    error_count: int
    fallback_count: int
    last_intent: str | None


@dataclass(frozen=True)
class InspectorFilters:
    """What staff narrowed the list to; empty values mean "any"."""

    user_email: str = ""
    state: str = ""
    intent: str = ""
    start: date | None = None
    end: date | None = None
    has_error: bool = False
    has_fallback: bool = False

    @property
    def active(self) -> bool:
        return self != InspectorFilters()


def _aggregate_of_messages(aggregate: Count | Sum, *, output: IntegerField | DecimalField) -> Coalesce:
    messages = Message.objects.filter(conversation=OuterRef("pk"))
    return total_of_related(messages, owner_field="conversation", aggregate=aggregate, output=output)


def conversation_inspector_list(
    *, filters: InspectorFilters
) -> QuerySet[WithAnnotations[Conversation, MessageFigures]]:
    """Conversations matching the filters, newest first, with their message figures."""
    messages_of_row = Message.objects.filter(conversation=OuterRef("pk"))
    conversations = (
        Conversation.objects.select_related("user", "summary")
        .annotate(
            message_count=_aggregate_of_messages(Count("id"), output=IntegerField()),
            tokens=_aggregate_of_messages(Sum(F("tokens_in") + F("tokens_out")), output=IntegerField()),
            cost=_aggregate_of_messages(Sum("cost_usd"), output=MONEY),
            error_count=_aggregate_of_messages(Count("id", filter=Q(is_error=True)), output=IntegerField()),
            fallback_count=_aggregate_of_messages(Count("id", filter=Q(fallback_used=True)), output=IntegerField()),
            last_intent=Subquery(
                messages_of_row.exclude(intent="").order_by("-created_at", "-id").values("intent")[:1]
            ),
        )
        .order_by("-started_at", "-id")
    )
    if filters.user_email:
        conversations = conversations.filter(user__email__icontains=filters.user_email)
    if filters.state:
        conversations = conversations.filter(state=filters.state)
    if filters.start:
        conversations = conversations.filter(started_at__gte=aware_midnight(filters.start))
    if filters.end:
        conversations = conversations.filter(started_at__lt=day_after(filters.end))
    if filters.intent:
        conversations = conversations.filter(Exists(messages_of_row.filter(intent=filters.intent)))
    if filters.has_error:
        conversations = conversations.filter(Exists(messages_of_row.filter(is_error=True)))
    if filters.has_fallback:
        conversations = conversations.filter(Exists(messages_of_row.filter(fallback_used=True)))
    return conversations


@dataclass(frozen=True)
class ConversationDetail:
    conversation: Conversation
    messages: list[Message]

    @property
    def tokens(self) -> int:
        return sum(m.tokens_in + m.tokens_out for m in self.messages)

    @property
    def cost(self) -> Decimal:
        return sum((m.cost_usd for m in self.messages), start=Decimal(0))

    @property
    def model_requests(self) -> int:
        return sum(m.model_requests for m in self.messages)


def conversation_inspector_detail(*, conversation_id: int) -> ConversationDetail:
    """One conversation with its transcript in order; raises Conversation.DoesNotExist."""
    conversation = Conversation.objects.select_related("user", "summary").get(pk=conversation_id)
    return ConversationDetail(
        conversation=conversation, messages=list(conversation.messages.order_by("created_at", "id"))
    )
