"""The tools, each gated in Python: save_store, lookup_by_name, lookup_by_phone and terminate_conversation,
which the reply agent may call too, and the changes Python alone makes (update_store, delete_store,
restore_store, revert_store).

The engine runs these functions itself for what the state machine decided,
and the reply agent may call the same functions as pydantic-ai tools
(`reply_toolset`, handed to it with each turn). Either way the gate is checked here, from
the dependencies object Python built: no model output can unlock a lookup or
reach another user's data, because every query is scoped to `deps.user`.

Results are plain data for the model. Store names in them are user input
(typed in chat or imported from CSV) and so an injection channel: they stay
JSON string values and the agent prompt says to treat them as data.

Functions here are synchronous (ORM); async callers use `sync_to_async`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from pydantic_ai import RunContext
from pydantic_ai.tools import ToolDefinition
from pydantic_ai.toolsets import FunctionToolset

from conversations.engine.fsm import LookupGate
from conversations.engine.grounding import UserWords
from conversations.phrasing.notes import NOT_IN_USER_WORDS
from directory.phones import PhoneError, format_phone, parse_phone
from directory.selectors import store_get, store_search_by_name, store_search_by_phone
from directory.services import (
    DuplicateStoreError,
    StoreError,
    StoreValidationError,
    store_restore,
    store_save,
    store_soft_delete,
    store_update,
)
from directory.trigrams import normalize_name

if TYPE_CHECKING:
    from accounts.models import User
    from conversations.models import Conversation
    from directory.models import Store

MAX_LOOKUP_RESULTS = 5
# A change goes to the best match only when it is clearly the one meant: a close enough match, well ahead of the next.
CLEAR_MATCH_SCORE = 0.6
CLEAR_MATCH_MARGIN = 0.2

# Why a lookup was refused; the reply explains each in words.
REFUSED_PASSPHRASE_REQUIRED = "passphrase_required"  # noqa: S105 - a reason code, not a secret
REFUSED_LOCKED = "lookups_locked"
REFUSED_CONVERSATION_ENDED = "conversation_ended"
REFUSED_NOT_REQUESTED = "not_requested_by_user"


@dataclass(frozen=True)
class ToolRecord:
    """One tool call: what was asked, whether it worked, and the data returned to the model."""

    call_id: str
    name: str
    args: dict[str, Any]
    ok: bool
    result: dict[str, Any]
    summary: str  # one line for people (the chat's "tool ran" line, the inspector)
    caller: str  # "python" (decided by the state machine) or "model" (a follow-up the agent made)
    store_id: int | None = None  # the store saved or changed, for Python's own bookkeeping

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.call_id,
            "name": self.name,
            "args": self.args,
            "ok": self.ok,
            "result": self.result,
            "summary": self.summary,
            "caller": self.caller,
            "store_id": self.store_id,
        }


@dataclass
class TurnDeps:
    """What the tools may act on during one turn; built by Python, never by a model."""

    user: User
    conversation: Conversation
    lookup_gate: LookupGate
    # What the user typed (this message, the save being collected): the only source of a saved name or number.
    words: UserWords
    # True only when the state machine decided this message ends the conversation.
    may_end: bool = False
    records: list[ToolRecord] = field(default_factory=list)
    ended_reason: str | None = None
    _ids: count[int] = field(default_factory=lambda: count(1))

    @property
    def region(self) -> str:
        return self.user.default_region

    def next_call_id(self) -> str:
        return f"call-{self.conversation.pk}-{next(self._ids)}"


def save_store(deps: TurnDeps, *, store_name: str, phone: str, caller: str = "python") -> ToolRecord:
    """Save a store for the user (no passphrase needed); a number already saved is reported, not saved twice.

    Only a name and number the user typed are saved (`grounding`): a model that invents either is refused.
    """
    args = {"store_name": store_name, "phone": phone}
    if deps.conversation.is_terminated:
        return _record(deps, "save_store", args, caller, False, {"status": "refused", "reason": "conversation_ended"})
    if missing := deps.words.missing(name=store_name, phone=phone):
        return _not_typed(deps, "save_store", args, caller, missing)
    try:
        saved = store_save(user=deps.user, store_name=store_name, phone=phone, region=deps.region)
    except StoreValidationError as error:
        result = {"status": "invalid", "errors": error.errors}
        return _record(deps, "save_store", args, caller, False, result, f"Not saved: {error}")
    store = store_data(saved.store, deps.region)
    if not saved.created:
        result = {"status": "already_saved", "existing": store, "requested_name": store_name}
        summary = f"Already saved as {saved.store.store_name}"
        return _record(deps, "save_store", args, caller, True, result, summary)
    result = {"status": "saved", "store": store}
    summary = f"Saved {saved.store.store_name}"
    return _record(deps, "save_store", args, caller, True, result, summary, store_id=saved.store.pk)


def update_store(deps: TurnDeps, *, store_id: int, store_name: str | None, phone: str | None) -> ToolRecord:
    """Apply a correction to a store this conversation just saved (Python only; not offered to the model)."""
    args = {"store_id": store_id, "store_name": store_name, "phone": phone}
    if missing := deps.words.missing(name=store_name, phone=phone):
        return _not_typed(deps, "update_store", args, "python", missing)
    try:
        before = store_get(user=deps.user, store_id=store_id)
        previous = store_data(before, deps.region)
        store = store_update(user=deps.user, store_id=store_id, store_name=store_name, phone=phone, region=deps.region)
    except ObjectDoesNotExist as error:
        return _record(deps, "update_store", args, "python", False, {"status": "refused", "reason": str(error)})
    except StoreValidationError as error:
        return _record(deps, "update_store", args, "python", False, {"status": "invalid", "errors": error.errors})
    except DuplicateStoreError as error:
        result = {"status": "already_saved", "existing": store_data(error.existing, deps.region)}
        return _record(deps, "update_store", args, "python", False, result, str(error))
    except StoreError as error:
        return _record(deps, "update_store", args, "python", False, {"status": "refused", "reason": str(error)})
    result = {"status": "updated", "store": store_data(store, deps.region), "previous": previous}
    return _record(deps, "update_store", args, "python", True, result, f"Updated {store.store_name}", store.pk)


def store_to_change(deps: TurnDeps, *, target: str) -> tuple[Store | None, list[Store]]:
    """The saved store `target` names, for a change the user asked for: (the store, None) when one store is
    clearly meant, else (None, the candidates: none, or several to choose from). Needs the passphrase."""
    if _lookup_refusal(deps):
        return None, []
    matches = store_search_by_name(user=deps.user, query=target, limit=MAX_LOOKUP_RESULTS)
    if not matches:
        return None, []
    wanted = normalize_name(target)
    exact = [match.store for match in matches if match.store.normalized_name == wanted]
    if len(exact) == 1:
        return exact[0], []
    best, rest = matches[0], matches[1:]
    if not rest or (best.score >= CLEAR_MATCH_SCORE and rest[0].score <= best.score - CLEAR_MATCH_MARGIN):
        return best.store, []
    return None, [match.store for match in matches]


def delete_store(deps: TurnDeps, *, store_id: int, gated: bool = True) -> ToolRecord:
    """Delete a saved store (softly: "undo" and the Directory page can restore it).

    Needs the passphrase, unless `gated` is False: taking back a save this conversation made.
    """
    args = {"store_id": store_id}
    if gated and (refusal := _lookup_refusal(deps)):
        return _record(deps, "delete_store", args, "python", False, {"status": "refused", "reason": refusal})
    try:
        store = store_soft_delete(user=deps.user, store_id=store_id)
    except (StoreError, ObjectDoesNotExist) as error:
        return _record(deps, "delete_store", args, "python", False, {"status": "refused", "reason": str(error)})
    result = {"status": "deleted", "store": store_data(store, deps.region)}
    return _record(deps, "delete_store", args, "python", True, result, f"Deleted {store.store_name}", store.pk)


def restore_store(deps: TurnDeps, *, store_id: int) -> ToolRecord:
    """Bring back a store this conversation deleted (undo)."""
    args = {"store_id": store_id}
    try:
        store = store_restore(user=deps.user, store_id=store_id)
    except (StoreError, ObjectDoesNotExist) as error:
        return _record(deps, "restore_store", args, "python", False, {"status": "refused", "reason": str(error)})
    result = {"status": "restored", "store": store_data(store, deps.region)}
    return _record(deps, "restore_store", args, "python", True, result, f"Restored {store.store_name}", store.pk)


def revert_store(deps: TurnDeps, *, store_id: int, store_name: str, phone_e164: str) -> ToolRecord:
    """Put back the name and number a store had before this conversation changed it (undo).

    The values are the store's own, read from the database before the change, not anyone's words.
    """
    args = {"store_id": store_id, "store_name": store_name, "phone": phone_e164}
    try:
        store = store_update(user=deps.user, store_id=store_id, store_name=store_name, phone=phone_e164)
    except (StoreError, ObjectDoesNotExist) as error:
        return _record(deps, "revert_store", args, "python", False, {"status": "refused", "reason": str(error)})
    result = {"status": "reverted", "store": store_data(store, deps.region)}
    return _record(deps, "revert_store", args, "python", True, result, f"Changed back {store.store_name}", store.pk)


def lookup_by_name(deps: TurnDeps, *, query: str, caller: str = "python") -> ToolRecord:
    """The user's stores whose name is like `query`, best first. Needs the passphrase."""
    args = {"query": query}
    if refusal := _lookup_refusal(deps):
        return _record(deps, "lookup_by_name", args, caller, False, {"status": "refused", "reason": refusal})
    matches = store_search_by_name(user=deps.user, query=query, limit=MAX_LOOKUP_RESULTS)
    stores = [store_data(match.store, deps.region) for match in matches]
    only = matches[0].store.pk if len(matches) == 1 else None
    return _lookup_record(deps, "lookup_by_name", args, caller, {"query": query}, stores, only)


def lookup_by_phone(deps: TurnDeps, *, phone: str, caller: str = "python") -> ToolRecord:
    """The user's stores with this number, or whose number contains these digits (at least 4). Needs the passphrase."""
    args = {"phone": phone}
    if refusal := _lookup_refusal(deps):
        return _record(deps, "lookup_by_phone", args, caller, False, {"status": "refused", "reason": refusal})
    try:
        found = store_search_by_phone(user=deps.user, digits=phone, limit=MAX_LOOKUP_RESULTS)
    except ValueError as error:
        return _record(deps, "lookup_by_phone", args, caller, False, {"status": "invalid", "error": str(error)})
    stores = [store_data(store, deps.region) for store in found]
    only = found[0].pk if len(found) == 1 else None
    return _lookup_record(deps, "lookup_by_phone", args, caller, {"phone": phone}, stores, only)


def terminate_conversation(deps: TurnDeps, *, reason: str, caller: str = "python") -> ToolRecord:
    """End the conversation; only when the user asked to (the state machine decided it)."""
    args = {"reason": reason}
    if not deps.may_end:
        result = {"status": "refused", "reason": REFUSED_NOT_REQUESTED}
        return _record(deps, "terminate_conversation", args, caller, False, result)
    deps.ended_reason = reason
    return _record(deps, "terminate_conversation", args, caller, True, {"status": "ended"}, "Conversation ended")


def _not_typed(deps: TurnDeps, name: str, args: dict[str, Any], caller: str, missing: list[str]) -> ToolRecord:
    result = {"status": "refused", "reason": NOT_IN_USER_WORDS, "fields": missing}
    summary = f"Refused: the user did not type this {' and '.join(missing)}"
    return _record(deps, name, args, caller, False, result, summary)


def _lookup_refusal(deps: TurnDeps) -> str | None:
    if deps.conversation.is_terminated:
        return REFUSED_CONVERSATION_ENDED
    if deps.user.is_lookup_locked(timezone.now()):
        return REFUSED_LOCKED
    if deps.lookup_gate != LookupGate.OPEN:
        return REFUSED_PASSPHRASE_REQUIRED
    return None


def _lookup_record(
    deps: TurnDeps,
    name: str,
    args: dict[str, Any],
    caller: str,
    asked: dict[str, str],
    stores: list[dict[str, str]],
    only: int | None,
) -> ToolRecord:
    if not stores:
        return _record(deps, name, args, caller, True, {"status": "not_found", **asked}, "No match")
    summary = f"Found {len(stores)} match{'es' if len(stores) > 1 else ''}"
    result = {"status": "found", **asked, "matches": stores}
    return _record(deps, name, args, caller, True, result, summary, store_id=only)


def store_data(store: Store, region: str) -> dict[str, str]:
    """A store as tool results and replies show it: the number formatted for the user's region, with the
    extension the user typed ("(415) 555-0198 ext. 12"; E.164 keeps none)."""
    try:
        readable = format_phone(store.phone_e164, region=region)
    except PhoneError:
        readable = store.phone_e164
    if extension := _extension(store, region):
        readable = f"{readable} ext. {extension}"
    return {"name": store.store_name, "phone": readable, "phone_e164": store.phone_e164}


def _extension(store: Store, region: str) -> str:
    if not store.phone_original or not any(marker in store.phone_original.casefold() for marker in ("x", "ext", "#")):
        return ""
    try:
        return parse_phone(store.phone_original, region=region).extension
    except PhoneError:
        return ""


def _record(
    deps: TurnDeps,
    name: str,
    args: dict[str, Any],
    caller: str,
    ok: bool,
    result: dict[str, Any],
    summary: str | None = None,
    store_id: int | None = None,
) -> ToolRecord:
    if summary is None:
        summary = "Refused" if result.get("status") == "refused" else result.get("status", "").replace("_", " ")
    record = ToolRecord(
        call_id=deps.next_call_id(),
        name=name,
        args=args,
        ok=ok,
        result=result,
        summary=summary,
        caller=caller,
        store_id=store_id,
    )
    deps.records.append(record)
    return record


# --- The reply agent's tools: thin async adapters over the gated functions ---------------------
reply_toolset: FunctionToolset[TurnDeps] = FunctionToolset()


# Offered only in the states that allow them; the functions check their gates again when called.
async def _while_open(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return None if ctx.deps.conversation.is_terminated else definition


async def _when_unlocked(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return definition if ctx.deps.lookup_gate == LookupGate.OPEN else None


async def _when_ending(ctx: RunContext[TurnDeps], definition: ToolDefinition) -> ToolDefinition | None:
    return definition if ctx.deps.may_end else None


@reply_toolset.tool(name="save_store", prepare=_while_open)
async def _save_store(ctx: RunContext[TurnDeps], store_name: str, phone: str) -> dict[str, Any]:
    """Save a store in the user's directory: `store_name` and `phone` exactly as the user wrote them.

    A name or number the user did not type is refused (reason not_in_user_words): then ask the user for it.
    """
    record = await sync_to_async(save_store)(ctx.deps, store_name=store_name, phone=phone, caller="model")
    return record.result


@reply_toolset.tool(name="lookup_by_name", prepare=_when_unlocked)
async def _lookup_by_name(ctx: RunContext[TurnDeps], query: str) -> dict[str, Any]:
    """Find the user's stores whose name is like `query`, best match first."""
    record = await sync_to_async(lookup_by_name)(ctx.deps, query=query, caller="model")
    return record.result


@reply_toolset.tool(name="lookup_by_phone", prepare=_when_unlocked)
async def _lookup_by_phone(ctx: RunContext[TurnDeps], phone: str) -> dict[str, Any]:
    """Find the user's stores with this number, or whose number contains these digits (at least 4)."""
    record = await sync_to_async(lookup_by_phone)(ctx.deps, phone=phone, caller="model")
    return record.result


@reply_toolset.tool(name="terminate_conversation", prepare=_when_ending)
async def _terminate_conversation(ctx: RunContext[TurnDeps], reason: str) -> dict[str, Any]:
    """End the conversation, only when the user said they are done."""
    record = await sync_to_async(terminate_conversation)(ctx.deps, reason=reason, caller="model")
    return record.result
