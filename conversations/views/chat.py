"""The chat page: the conversation list, a transcript and the message box.

Sending posts the message (htmx) and answers at once with the user's bubble
and a placeholder for the reply; static/js/chat.js opens the placeholder's
`data-stream-url` as Server-Sent Events (views/stream.py) and asks for the
"chrome" (state badge, message box, conversation list) when the reply is done,
so the page always shows the state the server decided. Without JavaScript the
form posts normally, the reply is generated before the redirect, and the page
shows it.

Every view acts for `request.user` only: another user's conversation id is a
404, like an id that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asgiref.sync import async_to_sync
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from conversations.models import Conversation
from conversations.ratelimit import chat_send_allow
from conversations.selectors import conversation_get
from conversations.services import (
    MESSAGE_MAX_LENGTH,
    ConversationClosed,
    TurnRejected,
    conversation_start,
    turn_stream,
    turn_submit,
)
from conversations.views.transcript import (
    EXAMPLE_PROMPTS,
    chat_chrome,
    latest_open_conversation,
    listed_conversations,
    submitted_entries,
    transcript_entries,
    untouched_conversation,
)

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User

PAGE = "conversations/chat.html"


class ChatRequest(HttpRequest):
    """What a view here receives once `login_required` has let it through."""

    user: User
    htmx: HtmxDetails


def _own_conversation(request: ChatRequest, conversation_id: int) -> Conversation:
    try:
        return conversation_get(user=request.user, conversation_id=conversation_id)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation.") from None


# ---- Pages ----------------------------------------------------------------------


@login_required
@require_GET
def chat_home(request: ChatRequest) -> HttpResponse:
    """The home page: the latest open conversation, or a fresh start when there is none."""
    return _page(request, latest_open_conversation(user=request.user))


@login_required
@require_GET
def conversation_detail(request: ChatRequest, conversation_id: int) -> HttpResponse:
    return _page(request, _own_conversation(request, conversation_id))


@login_required
@require_GET
def conversation_chrome(request: ChatRequest, conversation_id: int) -> HttpResponse:
    """The parts around the transcript, as out-of-band swaps (after a reply, or a refused send)."""
    conversation = _own_conversation(request, conversation_id)
    return render(request, "conversations/_chrome.html", _chrome_context(request, conversation))


def _page(
    request: ChatRequest,
    conversation: Conversation | None,
    *,
    notice: str = "",
    draft: str = "",
    status: int = 200,
) -> HttpResponse:
    entries = transcript_entries(user=request.user, conversation=conversation) if conversation else []
    context = _chrome_context(request, conversation) | {
        "entries": entries,
        "examples": EXAMPLE_PROMPTS,
        "notice": notice,
        "draft": draft,
    }
    return render(request, PAGE, context, status=status)


def _chrome_context(request: ChatRequest, conversation: Conversation | None) -> dict[str, Any]:
    return {
        "chrome": chat_chrome(conversation),
        "conversation": conversation,
        "conversations": listed_conversations(user=request.user),
        "max_length": MESSAGE_MAX_LENGTH,
    }


# ---- Sending --------------------------------------------------------------------


@login_required
@require_POST
def conversation_new(request: ChatRequest) -> HttpResponse:
    """Start a conversation (reusing an untouched one), and send its first message when one came along."""
    conversation = untouched_conversation(user=request.user) or conversation_start(user=request.user)
    text = request.POST.get("text", "")
    if not text.strip():
        return redirect("conversations:detail", conversation_id=conversation.pk)
    response = _send(request, conversation, text, with_chrome=True)
    if request.htmx and response.status_code == 200:
        response["HX-Push-Url"] = reverse("conversations:detail", args=[conversation.pk])
    return response


@login_required
@require_POST
def message_send(request: ChatRequest, conversation_id: int) -> HttpResponse:
    conversation = _own_conversation(request, conversation_id)
    return _send(request, conversation, request.POST.get("text", ""), with_chrome=False)


def _send(request: ChatRequest, conversation: Conversation, text: str, *, with_chrome: bool) -> HttpResponse:
    # A passphrase attempt is never echoed back, not even into the box after an error.
    draft = "" if conversation.is_awaiting_passphrase else text
    allowance = chat_send_allow(user=request.user)
    if not allowance.allowed:
        response = _refuse(request, conversation, allowance.message, status=429, draft=draft)
        response["Retry-After"] = str(allowance.retry_after_seconds)
        return response
    try:
        message = turn_submit(user=request.user, conversation_id=conversation.pk, text=text)
    except TurnRejected as rejection:
        return _refuse(request, conversation, str(rejection), status=400, draft=draft)
    except ConversationClosed as closed:
        conversation.refresh_from_db()
        return _refuse(request, conversation, str(closed), status=409, draft=draft, with_chrome=True)
    except Conversation.DoesNotExist:
        raise Http404("No such conversation.") from None
    if not request.htmx:
        # The concrete user row, not the request's lazy wrapper: the engine reloads it by its class.
        _reply_in_full(message.conversation.user, message.pk)
        return redirect("conversations:detail", conversation_id=conversation.pk)
    context: dict[str, Any] = {"entries": submitted_entries(message), "with_chrome": with_chrome}
    if with_chrome:
        conversation.refresh_from_db()
        context |= _chrome_context(request, conversation)
    return render(request, "conversations/_turn.html", context)


def _refuse(
    request: ChatRequest,
    conversation: Conversation,
    notice: str,
    *,
    status: int,
    draft: str,
    with_chrome: bool = False,
) -> HttpResponse:
    """Say why a message was not taken: a notice in the transcript, the text left in the box."""
    if not request.htmx:
        return _page(request, conversation, notice=notice, draft=draft, status=status)
    context: dict[str, Any] = {"notice": notice, "with_chrome": with_chrome}
    if with_chrome:
        context |= _chrome_context(request, conversation)
    return render(request, "conversations/_notice.html", context, status=status)


def _reply_in_full(user: User, message_id: int) -> None:
    """Without JavaScript there is no stream to read: generate the whole reply before redirecting."""

    async def drain() -> None:
        async for _event in turn_stream(user=user, message_id=message_id):
            pass

    async_to_sync(drain)()
