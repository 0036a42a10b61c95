"""Writes to the store directory. Every function acts for one owner (`user`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import STORE_NAME_MAX_LENGTH, Store
from directory.phones import ParsedPhone, PhoneError, parse_phone
from directory.selectors import store_find_live_by_phone, store_get
from directory.trigrams import normalize_name
from ops.text import single_line

if TYPE_CHECKING:
    from accounts.models import User


STORE_NAME_MISSING = "Please give the store a name."


class StoreError(Exception):
    """A store operation that cannot be done; str() says why, for the user."""


class StoreValidationError(StoreError):
    """A name or phone number that cannot be saved. `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class DuplicateStoreError(StoreError):
    """The number already belongs to another live store of the same user (`existing`)."""

    def __init__(self, existing: Store, message: str | None = None) -> None:
        self.existing = existing
        super().__init__(
            message or f"{existing.phone_e164} is already saved as “{existing.store_name}” in your directory."
        )


@dataclass
class StoreSaveResult:
    store: Store
    # False: the number was already saved; `store` is that existing live entry.
    created: bool


def store_save(*, user: User, store_name: str, phone: str, region: str | None = None) -> StoreSaveResult:
    """Save a store, or return the live one that already has this number.

    The phone is read with `region`, else the user's default region. A second
    store with the same name and another number is a new entry (chains have
    branches). Concurrent saves of one number leave one row: the database's
    unique constraint decides, and the loser returns the winner's row.
    """
    name, parsed = _validated(store_name=store_name, phone=phone, region=region or user.default_region)
    # Insert first: a new number (the usual case) costs one statement, and a number saved
    # before, even a moment ago by a concurrent save, meets the unique constraint.
    try:
        with transaction.atomic():
            store = Store(user=user, phone_e164=parsed.e164, phone_original=parsed.original)
            store.set_name(name)
            store.save(force_insert=True)
    except IntegrityError:
        existing = store_find_live_by_phone(user=user, phone_e164=parsed.e164)
        if existing is None:
            raise
        return StoreSaveResult(store=existing, created=False)
    return StoreSaveResult(store=store, created=True)


def store_update(
    *,
    user: User,
    store_id: int,
    store_name: str | None = None,
    phone: str | None = None,
    region: str | None = None,
) -> Store:
    """Rename a live store and/or give it a new number (read with `region` or the user's default)."""
    store = store_get(user=user, store_id=store_id, include_deleted=True)
    if store.is_deleted:
        raise StoreError(f"“{store.store_name}” was deleted; restore it before editing it.")
    errors: dict[str, str] = {}
    if store_name is not None:
        try:
            store.set_name(clean_store_name(store_name))
        except StoreValidationError as exc:
            errors.update(exc.errors)
    if phone is not None:
        try:
            parsed = parse_phone(phone, region=region or user.default_region)
            store.phone_e164, store.phone_original = parsed.e164, parsed.original
        except PhoneError as exc:
            errors["phone"] = str(exc)
    if errors:
        raise StoreValidationError(errors)
    other = store_find_live_by_phone(user=user, phone_e164=store.phone_e164)
    if other is not None and other.pk != store.pk:
        raise DuplicateStoreError(other)
    return _save_live(store)


def store_soft_delete(*, user: User, store_id: int) -> Store:
    """Hide a store from the directory; it stays in the database and can be restored."""
    store = store_get(user=user, store_id=store_id, include_deleted=True)
    if not store.is_deleted:
        store.deleted_at = timezone.now()
        store.save(update_fields=["deleted_at", "updated_at"])
    return store


def store_restore(*, user: User, store_id: int) -> Store:
    """Bring a deleted store back, unless its number now belongs to another live store."""
    store = store_get(user=user, store_id=store_id, include_deleted=True)
    if not store.is_deleted:
        return store
    other = store_find_live_by_phone(user=user, phone_e164=store.phone_e164)
    if other is not None:
        raise DuplicateStoreError(other, _restore_conflict_message(store, other))
    store.deleted_at = None
    try:
        return _save_live(store)
    except DuplicateStoreError as exc:
        raise DuplicateStoreError(exc.existing, _restore_conflict_message(store, exc.existing)) from exc


def clean_store_name(raw: str) -> str:
    """A store name as it will be saved, or StoreValidationError({"store_name": why})."""
    # One rule for the form, chat, CSV import and the command line: invisible
    # characters (bidi controls, zero-width characters, other controls, NUL
    # included) dropped, NFC, whitespace runs made one space (ops.text).
    name = single_line(raw or "")
    if not name:
        raise StoreValidationError({"store_name": STORE_NAME_MISSING})
    if len(name) > STORE_NAME_MAX_LENGTH:
        raise StoreValidationError(
            {"store_name": f"That name is {len(name)} characters long; at most {STORE_NAME_MAX_LENGTH} fit."}
        )
    if not normalize_name(name):
        raise StoreValidationError({"store_name": "The store name needs at least one letter or digit."})
    return name


def _save_live(store: Store) -> Store:
    """Save a live store; the unique constraint turns a number taken meanwhile into DuplicateStoreError."""
    try:
        with transaction.atomic():
            store.save()
    except IntegrityError:
        other = store_find_live_by_phone(user=store.user, phone_e164=store.phone_e164)
        if other is None:
            raise
        raise DuplicateStoreError(other) from None
    return store


def _restore_conflict_message(store: Store, other: Store) -> str:
    return (
        f"“{store.store_name}” cannot be restored: its number {store.phone_e164} "
        f"now belongs to “{other.store_name}”. Delete or renumber that entry first."
    )


def _validated(*, store_name: str, phone: str, region: str) -> tuple[str, ParsedPhone]:
    """Check name and phone together, so the user hears about both at once."""
    errors: dict[str, str] = {}
    name = ""
    try:
        name = clean_store_name(store_name)
    except StoreValidationError as exc:
        errors.update(exc.errors)
    parsed: ParsedPhone | None = None
    try:
        parsed = parse_phone(phone, region=region)
    except PhoneError as exc:
        errors["phone"] = str(exc)
    if errors or parsed is None:
        raise StoreValidationError(errors)
    return name, parsed
