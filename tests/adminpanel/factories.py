"""Factories for the conversation rows the dashboard reads."""

from __future__ import annotations

import factory
from django.utils import timezone

from conversations.models import Conversation, Message, PromptVersion, TokenUsage
from tests.factories import UserFactory


class ConversationFactory(factory.django.DjangoModelFactory[Conversation]):
    class Meta:
        model = Conversation

    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyAttribute(lambda o: o.started_at)


class MessageFactory(factory.django.DjangoModelFactory[Message]):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = Message.Role.USER
    content = factory.Sequence(lambda n: f"message {n}")
    created_at = factory.LazyFunction(timezone.now)


class TokenUsageFactory(factory.django.DjangoModelFactory[TokenUsage]):
    class Meta:
        model = TokenUsage

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(timezone.localdate)


class PromptVersionFactory(factory.django.DjangoModelFactory[PromptVersion]):
    class Meta:
        model = PromptVersion

    role = PromptVersion.Role.AGENT
    version = factory.Sequence(lambda n: n + 100)
    body = factory.Sequence(lambda n: f"You are Storebot, version {n}.")
