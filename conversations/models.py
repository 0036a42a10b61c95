from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ops.request_context import REQUEST_ID_MAX_LENGTH

# The longest message a user may send (and a prompt sample staff may try); the offline rules read no further.
MESSAGE_MAX_LENGTH = 2_000
# What a stored passphrase attempt looks like: the clear text is never kept.
PASSPHRASE_REDACTION = "[passphrase redacted]"  # noqa: S105 - a marker, not a secret


class ConversationState(models.TextChoices):
    IDLE = "IDLE", "Ready"
    COLLECTING_SAVE_INFO = "COLLECTING_SAVE_INFO", "Collecting store details"
    AWAITING_PASSPHRASE_FOR_RETRIEVE = "AWAITING_PASSPHRASE_FOR_RETRIEVE", "Waiting for your passphrase"
    AWAITING_PASSPHRASE_FOR_REVERSE = "AWAITING_PASSPHRASE_FOR_REVERSE", "Waiting for your passphrase"
    AWAITING_PASSPHRASE_FOR_CHANGE = "AWAITING_PASSPHRASE_FOR_CHANGE", "Waiting for your passphrase"
    OFF_SCOPE_WARNED = "OFF_SCOPE_WARNED", "Off-topic warning given"
    TERMINATED = "TERMINATED", "Ended"


class Intent(models.TextChoices):
    SAVE = "save"
    RETRIEVE_BY_NAME = "retrieve_by_name"
    RETRIEVE_BY_PHONE = "retrieve_by_phone"
    MULTI_SAVE = "multi_save"
    MULTI_OPERATION = "multi_operation"
    OFF_SCOPE = "off_scope"
    TERMINATE = "terminate"
    CLARIFICATION = "clarification"
    # Changes to saved stores, gated by the passphrase like lookups.
    UPDATE = "update"
    DELETE = "delete"
    UNDO = "undo"


class Conversation(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    state = models.CharField(max_length=40, choices=ConversationState.choices, default=ConversationState.IDLE)
    # The paused operation: fields collected so far, or the lookup awaiting a passphrase.
    pending_action = models.JSONField(default=dict, blank=True)
    off_scope_count = models.PositiveIntegerField(default=0)
    wrong_passphrase_count = models.PositiveIntegerField(default=0)
    # The passphrase unlock belongs to this conversation only and expires when idle.
    passphrase_verified_at = models.DateTimeField(null=True, blank=True)
    operations_count = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=120, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-last_activity_at"], name="conv_user_activity"),
            models.Index(fields=["started_at"], name="conv_started"),
            models.Index(fields=["state", "last_activity_at"], name="conv_state_activity"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.state})"

    @property
    def is_terminated(self) -> bool:
        return self.state == ConversationState.TERMINATED

    @property
    def is_awaiting_passphrase(self) -> bool:
        return self.state in {
            ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE,
            ConversationState.AWAITING_PASSPHRASE_FOR_REVERSE,
            ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE,
        }


class Message(models.Model):
    class Role(models.TextChoices):
        USER = "user"
        ASSISTANT = "assistant"
        SYSTEM = "system"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField(blank=True)
    # For an assistant message: the user message it answers (makes streaming idempotent).
    in_reply_to = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reply")
    # [{"name": "save_store", "args": {...}, "ok": true, "result": {...}}]
    tool_calls = models.JSONField(default=list, blank=True)
    intent = models.CharField(max_length=20, choices=Intent.choices, blank=True)
    state_before = models.CharField(max_length=40, blank=True)
    state_after = models.CharField(max_length=40, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    model = models.CharField(max_length=100, blank=True)
    model_requests = models.PositiveSmallIntegerField(default=0)
    fallback_used = models.BooleanField(default=False)
    is_error = models.BooleanField(default=False)
    error_code = models.CharField(max_length=40, blank=True)
    interrupted = models.BooleanField(default=False)
    redacted = models.BooleanField(default=False)
    # For a passphrase attempt (content redacted): how the check in Python went ("right", "wrong", ...).
    passphrase_outcome = models.CharField(max_length=20, blank=True)
    request_id = models.CharField(max_length=REQUEST_ID_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="msg_conv_created"),
            models.Index(fields=["created_at"], name="msg_created"),
            models.Index(fields=["role", "created_at"], name="msg_role_created"),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"


class ConversationSummary(models.Model):
    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="summary")
    summary = models.TextField()
    operations_count = models.PositiveIntegerField(default=0)
    model = models.CharField(max_length=100, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "conversation summaries"

    def __str__(self) -> str:
        return f"Summary of conversation {self.conversation_id}"


class TokenUsage(models.Model):
    """Spend per user per day; one row, updated atomically with F() expressions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_usage")
    date = models.DateField()
    requests = models.PositiveIntegerField(default=0)
    tokens_in = models.PositiveBigIntegerField(default=0)
    tokens_out = models.PositiveBigIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="tokenusage_user_date")]
        indexes = [models.Index(fields=["date"], name="tokenusage_date")]
        verbose_name_plural = "token usage"

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}: ${self.cost_usd}"


class PromptVersion(models.Model):
    """A versioned system prompt for one model role; exactly one active per role."""

    class Role(models.TextChoices):
        CLASSIFIER = "classifier"
        AGENT = "agent"
        SUMMARIZER = "summarizer"

    ROLES: ClassVar[list[str]] = ["classifier", "agent", "summarizer"]

    role = models.CharField(max_length=20, choices=Role.choices)
    version = models.PositiveIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "version"], name="prompt_role_version"),
            models.UniqueConstraint(fields=["role"], condition=Q(is_active=True), name="prompt_one_active_per_role"),
        ]
        ordering = ["role", "-version"]

    def __str__(self) -> str:
        return f"{self.role} v{self.version}{' (active)' if self.is_active else ''}"
