"""What a conversation holds between turns (`Conversation.pending_action`) and how a message merges into it.

What can be pending: stores being collected (a name or a usable phone still
missing), lookups and changes held until the passphrase is checked, the
stores the previous turn saved (so "no, it's 415-555-0199" can correct them),
the store in hand (the one just saved, found or changed, for "delete it"),
the last change made to a saved store (for "undo"), and what the state
machine decided for a passphrase attempt when it was checked, which the
reply to that attempt carries out.

Merging follows what a person means: a bare phone fills the store that lacks
one, "actually call it X" renames it, and an invalid new value never wipes out
a valid one already collected. Pure Python: no database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from conversations.engine.fsm import Action, LookupKind
from conversations.phrasing.notes import KeptValue
from conversations.schema import Classification, StoreMention
from directory.models import PHONE_SEARCH_MIN_DIGITS, STORE_NAME_MAX_LENGTH
from directory.phones import MAX_PHONE_INPUT_LENGTH, PhoneError, digits_only, parse_phone
from directory.trigrams import normalize_name

# More than this many half-collected stores is not a conversation any more.
MAX_PENDING_STORES = 10
# Stores one message may look up at once ("numbers for Target, Safeway and Costco").
MAX_LOOKUPS = 5


@dataclass(frozen=True)
class PendingStore:
    name: str | None = None
    phone: str | None = None  # as the user typed it
    e164: str | None = None  # set only when `phone` is a valid number
    problem: str | None = None  # why `phone` cannot be used, in words for the user

    @property
    def is_complete(self) -> bool:
        return bool(self.name) and self.e164 is not None

    @property
    def has_valid_phone(self) -> bool:
        return self.e164 is not None

    def with_name(self, name: str) -> PendingStore:
        return replace(self, name=name)

    def with_phone(self, raw: str, *, region: str) -> tuple[PendingStore, KeptValue | None]:
        """This store with a new phone; an invalid one is rejected when a valid one is already held."""
        try:
            parsed = parse_phone(raw, region=region)
        except PhoneError as error:
            if self.has_valid_phone:
                return self, KeptValue(field="phone", value=raw, reason=str(error), kept=self.phone or "")
            return replace(self, phone=raw, e164=None, problem=str(error)), None
        return replace(self, phone=raw, e164=parsed.e164, problem=None), None


@dataclass(frozen=True)
class PendingLookup:
    kind: LookupKind
    query: str


@dataclass(frozen=True)
class SavedRef:
    """A store the previous turn saved, so the next message can correct it."""

    store_id: int
    name: str


@dataclass(frozen=True)
class PendingChange:
    """A change of a saved store the user asked for: "update", "delete" or "undo".

    `target` is the store as the user named it (None: the store in hand); for
    an update, `new_name` and `new_phone` are the new values as typed.
    """

    kind: str
    target: str | None = None
    new_name: str | None = None
    new_phone: str | None = None

    def is_complete(self, *, has_store_in_hand: bool) -> bool:
        """Whether the change says which store and, for an update, what it becomes."""
        if self.kind == "undo":
            return True
        knows_store = self.target is not None or has_store_in_hand
        return knows_store and (self.kind == "delete" or bool(self.new_name or self.new_phone))

    def question(self, *, has_store_in_hand: bool) -> str:
        """What to ask for what is missing (a sentence for the user)."""
        if self.target is None and not has_store_in_hand:
            verb = "delete" if self.kind == "delete" else "change"
            return f"Which store should I {verb}? Tell me its name."
        which = f" for {self.target}" if self.target else ""
        return f"What's the new name or number{which}?"

    def filled(self, *, name: str | None, phone: str | None, has_store_in_hand: bool) -> PendingChange | None:
        """This change with what a follow-up message gave (the store's name first, then a new value), or None
        when the message gave nothing it needs."""
        change = self
        if change.target is None and not has_store_in_hand:
            if not name:
                return None
            change, name = replace(change, target=name), None
        if change.kind == "update" and phone:
            change = replace(change, new_phone=phone)
        elif change.kind == "update" and name:
            change = replace(change, new_name=name)
        return change if change != self else None


@dataclass(frozen=True)
class LastChange:
    """The last change this conversation made to a saved store, so "undo" can take it back.

    `kind` is "saved" (undo deletes it), "updated" (undo restores `name` and
    `phone`, the values before) or "deleted" (undo restores the store).
    """

    kind: str
    store_id: int
    name: str
    phone: str  # E.164


@dataclass(frozen=True)
class PendingAction:
    saves: tuple[PendingStore, ...] = ()
    lookups: tuple[PendingLookup, ...] = ()
    last_saved: tuple[SavedRef, ...] = ()
    passphrase_actions: tuple[Action, ...] = ()
    changes: tuple[PendingChange, ...] = ()
    in_hand: SavedRef | None = None
    last_change: LastChange | None = None
    # A name the previous reply offered to save ("Do you want to save X ...?"): a number alone completes it.
    offered_name: str | None = None
    # A change still missing which store or what it becomes ("I need to update a number"): the next message fills it.
    partial_change: PendingChange | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.saves:
            data["saves"] = [asdict(store) for store in self.saves]
        if self.lookups:
            data["lookups"] = [{"kind": str(lookup.kind), "query": lookup.query} for lookup in self.lookups]
        if self.last_saved:
            data["last_saved"] = [asdict(ref) for ref in self.last_saved]
        if self.passphrase_actions:
            data["passphrase_actions"] = [str(action) for action in self.passphrase_actions]
        if self.changes:
            data["changes"] = [asdict(change) for change in self.changes]
        if self.in_hand:
            data["in_hand"] = asdict(self.in_hand)
        if self.last_change:
            data["last_change"] = asdict(self.last_change)
        if self.offered_name:
            data["offered_name"] = self.offered_name
        if self.partial_change:
            data["partial_change"] = asdict(self.partial_change)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PendingAction:
        data = data or {}
        return cls(
            saves=tuple(PendingStore(**_known(item, PendingStore)) for item in data.get("saves", [])),
            lookups=tuple(
                PendingLookup(kind=LookupKind(item["kind"]), query=str(item["query"]))
                for item in data.get("lookups", [])
            ),
            last_saved=tuple(SavedRef(**_known(item, SavedRef)) for item in data.get("last_saved", [])),
            passphrase_actions=tuple(Action(action) for action in data.get("passphrase_actions", [])),
            changes=tuple(PendingChange(**_known(item, PendingChange)) for item in data.get("changes", [])),
            in_hand=SavedRef(**_known(data["in_hand"], SavedRef)) if data.get("in_hand") else None,
            last_change=LastChange(**_known(data["last_change"], LastChange)) if data.get("last_change") else None,
            offered_name=str(data["offered_name"]) if data.get("offered_name") else None,
            partial_change=(
                PendingChange(**_known(data["partial_change"], PendingChange)) if data.get("partial_change") else None
            ),
        )

    def kept_between_turns(self) -> PendingAction:
        """What outlives the turn it was made in: the saves being collected, the store in hand and the last
        change. Held lookups and changes belong to the passphrase turn that follows them; if that turn was
        abandoned they lapse (and so do the actions decided for its reply)."""
        return PendingAction(
            saves=self.saves,
            last_saved=self.last_saved,
            in_hand=self.in_hand,
            last_change=self.last_change,
            offered_name=self.offered_name,
            partial_change=self.partial_change,
        )

    def for_classifier(self) -> dict[str, Any] | None:
        """The part of the pending action the classifier needs: the stores being collected."""
        if not self.saves:
            return None
        return {"stores": [{"name": store.name, "phone": store.e164} for store in self.saves]}


@dataclass
class Merge:
    """The stores of one message merged into what was pending."""

    complete: list[PendingStore] = field(default_factory=list)
    incomplete: list[PendingStore] = field(default_factory=list)
    rejected: list[KeptValue] = field(default_factory=list)
    # A correction of a store saved by the previous turn: (which, new name, new phone).
    correction: tuple[SavedRef, str | None, str | None] | None = None


def merge_saves(pending: PendingAction, classification: Classification, *, region: str, is_save_intent: bool) -> Merge:
    """Merge the stores a message mentions into the stores being collected."""
    mentions = [_clean(mention) for mention in classification.stores]
    mentions = [mention for mention in mentions if mention.name or mention.phone]
    merge = Merge()
    collected = list(pending.saves)
    if not collected and pending.last_saved and classification.is_correction and len(mentions) == 1:
        last, mention = pending.last_saved[-1], mentions[0]
        if _is_single_field(mentions) or _same_store(last, mention, region=region):
            merge.correction = (last, mention.name, mention.phone)
            return merge
    if not collected and pending.offered_name and len(mentions) == 1 and mentions[0].name is None:
        # "Do you want to save Green Leaf Market?" answered with its number.
        mentions = [StoreMention(name=pending.offered_name, phone=mentions[0].phone)]
    for mention in mentions:
        _merge_one(collected, mention, region=region, is_correction=classification.is_correction, merge=merge)
    if is_save_intent and not collected and not mentions:
        # "save a store" with nothing else: start collecting.
        collected.append(PendingStore())
    for store in collected[:MAX_PENDING_STORES]:
        (merge.complete if store.is_complete else merge.incomplete).append(store)
    return merge


def lookups_of(classification: Classification) -> tuple[list[PendingLookup], list[str]]:
    """The lookups a message asks for, and why any of them cannot run (in words)."""
    lookups: list[PendingLookup] = []
    problems: list[str] = []
    query = (classification.lookup_query or "").strip()
    digits = (classification.phone_digits or "").strip()
    if not query and not digits and classification.stores:
        # A classifier that put the looked-up store under `stores` still means a lookup.
        first = classification.stores[0]
        if classification.intent == "retrieve_by_name":
            query = (first.name or "").strip()
        elif classification.intent == "retrieve_by_phone":
            digits = (first.phone or "").strip()
    queries = [query, *(other.strip() for other in classification.other_lookup_queries)]
    for name in dict.fromkeys(q[:STORE_NAME_MAX_LENGTH] for q in queries if q):
        lookups.append(PendingLookup(kind=LookupKind.BY_NAME, query=name))
    if digits:
        if len(digits_only(digits)) < PHONE_SEARCH_MIN_DIGITS:
            problems.append(f"“{digits}” is too little to search by: give at least {PHONE_SEARCH_MIN_DIGITS} digits.")
        else:
            lookups.append(PendingLookup(kind=LookupKind.BY_PHONE, query=digits[:MAX_PHONE_INPUT_LENGTH]))
    return lookups[:MAX_LOOKUPS], problems


def change_of(classification: Classification) -> tuple[PendingChange | None, str | None]:
    """The change of a saved store a message asks for, or why it cannot be made as asked (in words)."""
    target = " ".join((classification.target or "").split())[:STORE_NAME_MAX_LENGTH] or None
    match classification.intent:
        case "undo":
            return PendingChange(kind="undo"), None
        case "delete":
            return PendingChange(kind="delete", target=target), None
        case "update":
            new_name = " ".join((classification.new_name or "").split())[:STORE_NAME_MAX_LENGTH] or None
            new_phone = (classification.new_phone or "").strip()[:MAX_PHONE_INPUT_LENGTH] or None
            return PendingChange(kind="update", target=target, new_name=new_name, new_phone=new_phone), None
    return None, None


def _merge_one(
    collected: list[PendingStore], mention: StoreMention, *, region: str, is_correction: bool, merge: Merge
) -> None:
    if mention.name and mention.phone:
        target = _same_name(collected, mention.name)
        if target is None and is_correction and len(collected) == 1:
            target = 0
        if target is None:
            # "I'd like to add a shop", then the whole store: it is the one asked about, not another.
            target = _first(collected, lambda store: not store.name and not store.phone)
        if target is None:
            store, _ = PendingStore(name=mention.name).with_phone(mention.phone, region=region)
            collected.append(store)
            return
        updated, rejected = collected[target].with_name(mention.name).with_phone(mention.phone, region=region)
        collected[target] = updated
        if rejected:
            merge.rejected.append(rejected)
        return
    if mention.phone:
        target = _first(collected, lambda store: not store.has_valid_phone)
        if target is None:
            target = len(collected) - 1 if collected else None
        if target is None:
            store, _ = PendingStore().with_phone(mention.phone, region=region)
            collected.append(store)
            return
        updated, rejected = collected[target].with_phone(mention.phone, region=region)
        collected[target] = updated
        if rejected:
            merge.rejected.append(rejected)
        return
    if mention.name:
        target = _first(collected, lambda store: not store.name)
        if target is None and collected and (is_correction or len(collected) == 1):
            target = len(collected) - 1
        if target is None:
            collected.append(PendingStore(name=mention.name))
            return
        collected[target] = collected[target].with_name(mention.name)


def _clean(mention: StoreMention) -> StoreMention:
    # Never cut a name short: a name too long is refused when saved, with the limit in words (as the form does).
    name = " ".join((mention.name or "").split()) or None
    phone = (mention.phone or "").strip() or None
    return StoreMention(name=name, phone=phone)


def _same_store(saved: SavedRef, mention: StoreMention, *, region: str) -> bool:
    """Whether a correction giving both a name and a number is about the store just saved ("no, it's Sal's
    Famous Pizza, and the number is ...") rather than another store: the names share a word."""
    del region  # the number alone cannot say: a new number is what a correction gives
    saved_words = set(normalize_name(saved.name).split())
    return bool(mention.name) and bool(saved_words & set(normalize_name(mention.name or "").split()))


def _is_single_field(mentions: list[StoreMention]) -> bool:
    return len(mentions) == 1 and (mentions[0].name is None) != (mentions[0].phone is None)


def _same_name(collected: list[PendingStore], name: str) -> int | None:
    wanted = normalize_name(name)
    return _first(collected, lambda store: bool(store.name) and normalize_name(store.name or "") == wanted)


def _first(collected: list[PendingStore], predicate: Any) -> int | None:
    return next((index for index, store in enumerate(collected) if predicate(store)), None)


def _known(item: dict[str, Any], cls: type) -> dict[str, Any]:
    names = cls.__dataclass_fields__.keys()  # type: ignore[attr-defined]
    return {key: value for key, value in item.items() if key in names}
