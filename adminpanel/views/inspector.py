"""The conversation inspector: find a conversation, then read it turn by turn."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from adminpanel.access import StaffRequest, staff_required
from adminpanel.forms import InspectorFilterForm
from adminpanel.selectors.inspector import conversation_inspector_detail, conversation_inspector_list
from adminpanel.selectors.paging import page_of
from adminpanel.views.partials import page_number, page_query, render_page
from conversations.models import PASSPHRASE_REDACTION, Conversation, Message

PAGE_SIZE = 25


@dataclass(frozen=True)
class ToolCallView:
    name: str
    ok: bool | None
    summary: str
    # "python" when the state machine ran it, "model" for a follow-up the agent asked for.
    caller: str
    arguments: str
    result: str


@dataclass(frozen=True)
class TranscriptEntry:
    message: Message
    tool_calls: list[ToolCallView]

    @property
    def shown_content(self) -> str:
        """What staff may read: a passphrase attempt shows only the redaction marker."""
        return PASSPHRASE_REDACTION if self.message.redacted else self.message.content

    @property
    def state_changed(self) -> bool:
        m = self.message
        return bool(m.state_before and m.state_after and m.state_before != m.state_after)


def _pretty(value: Any) -> str:
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def _tool_calls(message: Message) -> list[ToolCallView]:
    calls = message.tool_calls if isinstance(message.tool_calls, list) else []
    return [
        ToolCallView(
            name=str(call.get("name", "?")),
            ok=call.get("ok"),
            summary=str(call.get("summary") or ""),
            caller=str(call.get("caller") or ""),
            arguments=_pretty(call.get("args")),
            result=_pretty(call.get("result")),
        )
        for call in calls
        if isinstance(call, dict)
    ]


@require_GET
@staff_required
def conversation_list(request: StaffRequest) -> HttpResponse:
    form = InspectorFilterForm(request.GET)
    filters = form.filters()
    page = page_of(conversation_inspector_list(filters=filters), number=page_number(request), size=PAGE_SIZE)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query": page_query(request),
        "section": "conversations",
    }
    return render_page(request, "adminpanel/inspector_list.html", context, partial="results")


@require_GET
@staff_required
def conversation_detail(request: StaffRequest, conversation_id: int) -> HttpResponse:
    try:
        detail = conversation_inspector_detail(conversation_id=conversation_id)
    except Conversation.DoesNotExist as error:
        raise Http404("No such conversation.") from error
    context = {
        "detail": detail,
        "conversation": detail.conversation,
        "transcript": [TranscriptEntry(message=m, tool_calls=_tool_calls(m)) for m in detail.messages],
        "pending_action": _pretty(detail.conversation.pending_action),
        "back": request.GET.get("back", ""),
        "section": "conversations",
    }
    return render(request, "adminpanel/inspector_detail.html", context)
