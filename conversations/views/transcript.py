"""What the chat page shows for a conversation: its transcript as bubbles, its state, its message box.

Stored rows become display entries here, so the templates only ask "which
kind of bubble is this?": a passphrase attempt shows as a masked bubble (its
row holds only the redaction marker anyway), an engine error as a notice,
and a message still waiting for its reply as a placeholder that
static/js/chat.js streams into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from conversations.events import InputMode, input_mode_for
from conversations.models import PASSPHRASE_REDACTION, Conversation, ConversationState, Message
from conversations.selectors import conversation_list, conversation_messages

if TYPE_CHECKING:
    from accounts.models import User

EntryKind = Literal["user", "passphrase", "reply", "error", "unanswered", "pending"]

CONVERSATION_LIST_LENGTH = 50

# A reply phrased by Python after the agent model failed is still a real answer.
ANSWERED_ERROR_CODES = frozenset({"agent_unavailable"})

END_REASONS = {
    "user": "You ended it.",
    "off_scope": "It ended after several messages that weren't about your stores.",
    "passphrase_lockout": "It ended after too many wrong passphrases; lookups are paused for a while.",
    "idle": "It ended after a while without messages.",
}

EXAMPLE_PROMPTS = (
    "Save ACME Hardware, 415-555-0198",
    "What's the number for Costco?",
    "Save Tartine 415-555-0172 and Blue Bottle 510-555-0143",
    "Whose number is 415-555-0198?",
)


@dataclass(frozen=True)
class Entry:
    """One bubble of the transcript."""

    kind: EntryKind
    message: Message
    stream_url: str = ""
    chrome_url: str = ""


@dataclass(frozen=True)
class ChatChrome:
    """Everything around the transcript that depends on the conversation's state."""

    conversation: Conversation | None
    input_mode: InputMode
    send_url: str
    state: str
    state_label: str
    end_reason_text: str

    @property
    def title(self) -> str:
        if self.conversation is None or not self.conversation.title:
            return "New conversation"
        return self.conversation.title


def chat_chrome(conversation: Conversation | None) -> ChatChrome:
    if conversation is None:
        return ChatChrome(
            conversation=None,
            input_mode="text",
            send_url=reverse("conversations:new"),
            state="new",
            state_label="New",
            end_reason_text="",
        )
    return ChatChrome(
        conversation=conversation,
        input_mode=input_mode_for(conversation.state),
        send_url=reverse("conversations:send", args=[conversation.pk]),
        state=conversation.state,
        state_label=conversation.get_state_display(),
        end_reason_text=END_REASONS.get(conversation.end_reason, ""),
    )


def transcript_entries(*, user: User, conversation: Conversation) -> list[Entry]:
    messages = list(conversation_messages(user=user, conversation_id=conversation.pk))
    answered = {message.in_reply_to_id for message in messages if message.in_reply_to_id is not None}
    entries = [_entry(message) for message in messages]
    last = messages[-1] if messages else None
    if last is not None and last.role == Message.Role.USER and last.pk not in answered:
        entries.append(pending_entry(last))
    return entries


def submitted_entries(message: Message) -> list[Entry]:
    """The bubbles a send adds at once: the user's message and the placeholder its reply streams into."""
    return [_entry(message), pending_entry(message)]


def pending_entry(message: Message) -> Entry:
    ids = [message.conversation_id, message.pk]
    return Entry(
        kind="pending",
        message=message,
        stream_url=reverse("conversations:stream", args=ids),
        chrome_url=reverse("conversations:chrome", args=[message.conversation_id]),
    )


def latest_open_conversation(*, user: User) -> Conversation | None:
    return conversation_list(user=user).exclude(state=ConversationState.TERMINATED).first()


def untouched_conversation(*, user: User) -> Conversation | None:
    """The user's newest open conversation with no messages yet (reused rather than starting another)."""
    return (
        conversation_list(user=user).exclude(state=ConversationState.TERMINATED).filter(messages__isnull=True).first()
    )


@dataclass(frozen=True)
class ListedConversation:
    """A line of the conversation list: title, summary once ended, state, when it was last active."""

    conversation: Conversation
    summary: str
    activity: str


def listed_conversations(*, user: User) -> list[ListedConversation]:
    now = timezone.now()
    conversations = conversation_list(user=user).select_related("summary")[:CONVERSATION_LIST_LENGTH]
    return [
        ListedConversation(
            conversation=conversation,
            summary=conversation.summary.summary if hasattr(conversation, "summary") else "",
            activity=activity_label(conversation.last_activity_at, now=now),
        )
        for conversation in conversations
    ]


def activity_label(moment: datetime, *, now: datetime) -> str:
    """When, briefly: "just now", "5 min ago", "3 h ago", "yesterday", then the date."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 2 * 86400:
        return "yesterday"
    return date_format(timezone.localtime(moment), "M j")


def _entry(message: Message) -> Entry:
    if message.role == Message.Role.USER:
        is_attempt = bool(message.passphrase_outcome) or message.content == PASSPHRASE_REDACTION
        return Entry(kind="passphrase" if is_attempt else "user", message=message)
    if message.error_code == "not_answered":
        return Entry(kind="unanswered", message=message)
    if message.is_error and message.error_code not in ANSWERED_ERROR_CODES:
        return Entry(kind="error", message=message)
    return Entry(kind="reply", message=message)
