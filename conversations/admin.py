"""Django admin for conversations: read-only views of what happened.

Rows here are records of turns, spend and prompt history; they change only
through the engine and the staff dashboard's services (which audit), never
by hand in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from conversations.models import Conversation, ConversationSummary, Message, PromptVersion, TokenUsage


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageInline(admin.TabularInline):
    model = Message
    fk_name = "conversation"
    extra = 0
    can_delete = False
    fields = (
        "created_at",
        "role",
        "content",
        "intent",
        "state_before",
        "state_after",
        "tool_calls",
        "latency_ms",
        "tokens_in",
        "tokens_out",
        "cost_usd",
        "model",
        "is_error",
        "error_code",
    )
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "title", "state", "operations_count", "started_at", "last_activity_at", "end_reason")
    list_filter = ("state", "end_reason")
    search_fields = ("user__email", "title")
    list_select_related = ("user",)
    date_hierarchy = "started_at"
    inlines = (MessageInline,)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "conversation", "role", "intent", "state_after", "latency_ms", "cost_usd", "is_error")
    list_filter = ("role", "intent", "is_error", "fallback_used", "redacted")
    search_fields = ("conversation__user__email",)
    list_select_related = ("conversation",)
    date_hierarchy = "created_at"


@admin.register(ConversationSummary)
class ConversationSummaryAdmin(ReadOnlyAdmin):
    list_display = ("conversation", "operations_count", "model", "cost_usd", "created_at")
    search_fields = ("conversation__user__email", "summary")


@admin.register(TokenUsage)
class TokenUsageAdmin(ReadOnlyAdmin):
    list_display = ("date", "user", "requests", "tokens_in", "tokens_out", "cost_usd")
    list_filter = ("date",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    date_hierarchy = "date"


@admin.register(PromptVersion)
class PromptVersionAdmin(ReadOnlyAdmin):
    """Prompts are edited in the staff dashboard, which versions and audits every change."""

    list_display = ("role", "version", "is_active", "note", "created_by", "created_at")
    list_filter = ("role", "is_active")
