"""Reads of conversations, always scoped to their owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from conversations.models import Conversation, Message

if TYPE_CHECKING:
    from accounts.models import User


def conversation_get(*, user: User, conversation_id: int) -> Conversation:
    """The user's conversation; raises Conversation.DoesNotExist for anyone else's."""
    return Conversation.objects.get(pk=conversation_id, user=user)


def conversation_list(*, user: User) -> QuerySet[Conversation]:
    """The user's conversations, most recently active first."""
    return Conversation.objects.filter(user=user).order_by("-last_activity_at", "-id")


def conversation_messages(*, user: User, conversation_id: int) -> QuerySet[Message]:
    """The transcript of one of the user's conversations, oldest first."""
    return Message.objects.filter(conversation_id=conversation_id, conversation__user=user).order_by("created_at", "id")
