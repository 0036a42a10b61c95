"""What a reply must say beyond the tool results: one frozen dataclass per kind of note.

Operations that ran reach the agent as its own tool calls and their results.
Everything else Python decided (ask for the passphrase, which field is
missing, how many attempts are left, an off-topic warning) is a note. The
engine collects them while it carries out a turn (engine/execute.py) and the
turn brief puts them in the agent's instructions as JSON (`note_to_json`):
a hosted model reads that JSON, the offline model parses it back
(`note_from_json`). Notes never contain a passphrase or anything of another
user.

Each note's JSON is its fields plus `kind`. A field left unset (None) is not
written, so a note reads the same as the dictionaries the engine used to
write by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, get_args


@dataclass(frozen=True)
class StoreNote:
    """A store still being collected: what is known of it, and why its phone cannot be used (in words)."""

    name: str | None
    phone: str | None
    problem: str | None


@dataclass(frozen=True)
class LookupNote:
    kind: str  # "name" or "phone", as the held lookup's kind
    query: str


@dataclass(frozen=True)
class ChangeNote:
    kind: str  # "update", "delete" or "undo", as the held change's kind
    target: str | None = None  # the store as the user named it; None: the store in hand


@dataclass(frozen=True)
class StoreFacts:
    """A store as a tool result shows it."""

    name: str
    phone: str
    phone_e164: str


@dataclass(frozen=True)
class Unlocked:
    """The passphrase was right."""

    kind: Literal["unlocked"] = "unlocked"


@dataclass(frozen=True)
class PassphraseInMessage:
    """The user typed their passphrase into a message; it was removed before any model saw it."""

    kind: Literal["passphrase_in_message"] = "passphrase_in_message"


@dataclass(frozen=True)
class AskMissing:
    """These stores still need a name or a usable phone."""

    stores: tuple[StoreNote, ...]
    kind: Literal["ask_missing"] = "ask_missing"


@dataclass(frozen=True)
class KeptValue:
    """A correction was invalid, so the value given before it was kept."""

    field: str  # "name" or "phone"
    value: str
    reason: str
    kept: str
    kind: Literal["kept_value"] = "kept_value"


# The reason a tool gives when it refuses a value the user never typed (the same fact as a tool result).
NOT_IN_USER_WORDS = "not_in_user_words"


@dataclass(frozen=True)
class NotInMessage:
    """A model proposed a store's name or number the user never typed, so it was not used.

    `field` is "name", "phone" or "name and phone"; `name` and `phone` are what
    is known of the store (the user's own values), to ask for the rest.
    """

    field: str
    name: str | None = None
    phone: str | None = None
    kind: Literal["not_in_message"] = "not_in_message"


@dataclass(frozen=True)
class StoreUpdated:
    """A saved store renamed or renumbered: `store` when updated (`previous`: as it was, when the user named the
    store to change), `existing` when the number is taken."""

    status: str  # "updated", "already_saved" or "refused"
    store: StoreFacts | None = None
    existing: StoreFacts | None = None
    reason: str | None = None
    previous: StoreFacts | None = None
    kind: Literal["store_updated"] = "store_updated"


@dataclass(frozen=True)
class NameUnsure:
    """A store was saved under `name`, but where the name begins was not certain: say how to rename it."""

    name: str
    kind: Literal["name_unsure"] = "name_unsure"


@dataclass(frozen=True)
class StoreDeleted:
    """A saved store was deleted; "undo" (or the Directory page) brings it back."""

    store: StoreFacts
    kind: Literal["store_deleted"] = "store_deleted"


@dataclass(frozen=True)
class ChangeTarget:
    """A change could not tell which saved store was meant.

    `target` is the store as the user named it (None: they said "it" with no store in hand); `candidates` are
    the stores it could be (none: nothing like it is saved).
    """

    action: str  # "update" or "delete"
    target: str | None = None
    candidates: tuple[StoreFacts, ...] = ()
    new_phone: str | None = None  # an update's new number, as typed: with no such store it could be saved
    kind: Literal["change_target"] = "change_target"


@dataclass(frozen=True)
class Undone:
    """The last change of this conversation was taken back: `what` it was ("saved", "updated", "deleted"),
    and the store as it is now; `reason` when it could not be taken back."""

    what: str
    store: StoreFacts | None = None
    reason: str | None = None
    kind: Literal["undone"] = "undone"


@dataclass(frozen=True)
class ChangeCancelled:
    """The user called off a change that was still missing its store or new value."""

    kind: Literal["change_cancelled"] = "change_cancelled"


@dataclass(frozen=True)
class NothingToUndo:
    kind: Literal["nothing_to_undo"] = "nothing_to_undo"


@dataclass(frozen=True)
class LookupProblem:
    """A lookup or change that cannot run as asked, and why (a sentence for the user)."""

    detail: str
    kind: Literal["lookup_problem"] = "lookup_problem"


@dataclass(frozen=True)
class AskPassphrase:
    """These lookups and changes wait for the passphrase."""

    lookups: tuple[LookupNote, ...]
    changes: tuple[ChangeNote, ...] | None = None
    kind: Literal["ask_passphrase"] = "ask_passphrase"


@dataclass(frozen=True)
class PassphraseWrong:
    attempts_left: int
    kind: Literal["passphrase_wrong"] = "passphrase_wrong"


@dataclass(frozen=True)
class PassphraseExhausted:
    """The last wrong attempt: lookups are locked and the conversation ended."""

    lockout_minutes: int
    kind: Literal["passphrase_exhausted"] = "passphrase_exhausted"


@dataclass(frozen=True)
class LookupsLocked:
    minutes_left: int
    kind: Literal["lookups_locked"] = "lookups_locked"


@dataclass(frozen=True)
class NoPassphrase:
    """Lookups need a passphrase and the user has none; they set it at `settings_url`."""

    settings_url: str
    kind: Literal["no_passphrase"] = "no_passphrase"


@dataclass(frozen=True)
class OffScope:
    """A warning: `until_end` more off-topic messages end the conversation."""

    until_end: int
    kind: Literal["off_scope"] = "off_scope"


@dataclass(frozen=True)
class OffScopeEnded:
    kind: Literal["off_scope_ended"] = "off_scope_ended"


@dataclass(frozen=True)
class Goodbye:
    """The user ended the conversation after `operations` operations (unset in a preview)."""

    operations: int | None = None
    kind: Literal["goodbye"] = "goodbye"


@dataclass(frozen=True)
class Clarify:
    """Ask what the user means.

    From a turn it carries the classifier's reading: its `hint`, the store the
    message named (`about`) and the stores being collected (`pending`); hint and
    about may be None and are then written as null. The prompt editor's
    preview sends a bare clarify (`pending` unset), written as its kind alone.
    """

    hint: str | None = None
    about: str | None = None
    pending: tuple[StoreNote, ...] | None = None
    kind: Literal["clarify"] = "clarify"


@dataclass(frozen=True)
class Cancelled:
    """The user called off what was being collected: these stores were dropped (possibly none)."""

    stores: tuple[StoreNote, ...]
    kind: Literal["cancelled"] = "cancelled"


@dataclass(frozen=True)
class LookupCancelled:
    """The user called off the lookups held for the passphrase."""

    kind: Literal["lookup_cancelled"] = "lookup_cancelled"


@dataclass(frozen=True)
class Closed:
    """The conversation had already ended when this message was processed."""

    kind: Literal["closed"] = "closed"


Note = (
    Unlocked
    | PassphraseInMessage
    | AskMissing
    | KeptValue
    | NotInMessage
    | StoreUpdated
    | StoreDeleted
    | NameUnsure
    | ChangeTarget
    | Undone
    | NothingToUndo
    | ChangeCancelled
    | LookupProblem
    | AskPassphrase
    | PassphraseWrong
    | PassphraseExhausted
    | LookupsLocked
    | NoPassphrase
    | OffScope
    | OffScopeEnded
    | Goodbye
    | Clarify
    | Cancelled
    | LookupCancelled
    | Closed
)

# Each class by its kind: the default of its `kind` field.
_NOTE_CLASSES: dict[str, type[Any]] = {
    str(field.default): note_class
    for note_class in get_args(Note)
    for field in fields(note_class)
    if field.name == "kind"
}
# Fields holding nested values, by name: the same name always holds the same kind of value.
_NESTED: dict[str, type[Any]] = {
    "stores": StoreNote,
    "pending": StoreNote,
    "lookups": LookupNote,
    "store": StoreFacts,
    "existing": StoreFacts,
    "previous": StoreFacts,
    "candidates": StoreFacts,
    "changes": ChangeNote,
}


def note_to_json(note: Note) -> dict[str, Any]:
    """The note as the brief writes it: its fields and `kind`, unset fields left out."""
    data = asdict(note)
    if isinstance(note, Clarify) and note.pending is not None:
        return data
    return {key: value for key, value in data.items() if value is not None}


def note_from_json(data: object) -> Note | None:
    """The note `note_to_json` wrote, or None for anything else (an unknown kind, a missing field)."""
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    note_class = _NOTE_CLASSES.get(kind) if isinstance(kind, str) else None
    if note_class is None:
        return None
    try:
        note: Note = note_class(
            **{
                field.name: _nested(field.name, data[field.name])
                for field in fields(note_class)
                if field.name != "kind" and field.name in data
            }
        )
    except TypeError:  # a required field missing, or a nested value that is not an object
        return None
    return note


def _nested(name: str, value: Any) -> Any:
    nested_class = _NESTED.get(name)
    if nested_class is None or value is None:
        return value
    if isinstance(value, list):
        return tuple(nested_class(**item) for item in value)
    return nested_class(**value)
