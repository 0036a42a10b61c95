"""Versioned system prompts: read on every turn through a short cache, edited by staff.

Each role (classifier, agent, summarizer) has numbered versions and exactly one
active (a partial unique constraint). Activating a version clears the cache,
so the next turn uses it. Every change is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from conversations.models import MESSAGE_MAX_LENGTH, PromptVersion
from conversations.prompt_defaults import DEFAULT_PROMPTS
from ops.audit import audit_log_write

if TYPE_CHECKING:
    from accounts.models import User

CACHE_SECONDS = 10
MAX_PROMPT_LENGTH = 20_000
_CREATE_ATTEMPTS = 3


class PromptError(ValueError):
    """A prompt change that cannot be made; str() says why."""


def prompt_active_body(role: str) -> str:
    """The active prompt text for a role (the seeded default if none is active)."""
    _check_role(role)
    key = _cache_key(role)
    body: str | None = cache.get(key)
    if body is None:
        active = PromptVersion.objects.filter(role=role, is_active=True).only("body").first()
        body = active.body if active else DEFAULT_PROMPTS[role]
        cache.set(key, body, CACHE_SECONDS)
    return body


def prompt_forget(role: str) -> None:
    cache.delete(_cache_key(role))


def prompt_create_version(*, role: str, body: str, note: str = "", user: User) -> PromptVersion:
    """Store a new (inactive) version of a role's prompt, numbered after the latest."""
    _check_staff(user)
    _check_role(role)
    body = body.strip()
    if not body:
        raise PromptError("A prompt cannot be empty.")
    if len(body) > MAX_PROMPT_LENGTH:
        raise PromptError(f"A prompt can be at most {MAX_PROMPT_LENGTH:,} characters (this one has {len(body):,}).")
    for attempt in range(_CREATE_ATTEMPTS):
        try:
            with transaction.atomic():
                latest = PromptVersion.objects.filter(role=role).aggregate(latest=Max("version"))["latest"] or 0
                version = PromptVersion.objects.create(
                    role=role, version=latest + 1, body=body, note=note.strip()[:200], created_by=user
                )
            break
        except IntegrityError:
            # Two editors saved at once and took the same number: number this one after theirs.
            if attempt == _CREATE_ATTEMPTS - 1:
                raise
    audit_log_write(
        event_type="prompt_version_created",
        source="prompts",
        user=user,
        details={"role": role, "version": version.version, "note": version.note},
    )
    return version


def prompt_activate(*, version_id: int, user: User) -> PromptVersion:
    """Make a version the active one for its role (also how a rollback is done)."""
    _check_staff(user)
    with transaction.atomic():
        try:
            version = PromptVersion.objects.select_for_update().get(pk=version_id)
        except PromptVersion.DoesNotExist as error:
            raise PromptError("That prompt version does not exist.") from error
        previous = PromptVersion.objects.filter(role=version.role, is_active=True).exclude(pk=version.pk).first()
        PromptVersion.objects.filter(role=version.role, is_active=True).exclude(pk=version.pk).update(is_active=False)
        if not version.is_active:
            version.is_active = True
            version.save(update_fields=["is_active"])
        audit_log_write(
            event_type="prompt_activated",
            source="prompts",
            user=user,
            details={
                "role": version.role,
                "version": version.version,
                "previous_version": previous.version if previous else None,
            },
        )
        transaction.on_commit(lambda: prompt_forget(version.role))
    prompt_forget(version.role)
    return version


def prompt_sample_check(*, role: str, body: str, sample: str, user: User) -> None:
    """Raise PromptError (or PermissionDenied) when a draft prompt cannot be tried on this sample."""
    _check_staff(user)
    _check_role(role)
    if not body.strip():
        raise PromptError("A prompt cannot be empty.")
    if not sample.strip():
        raise PromptError("Type a sample message to try the prompt on.")
    if len(sample) > MESSAGE_MAX_LENGTH:
        raise PromptError(f"A sample can be at most {MESSAGE_MAX_LENGTH:,} characters.")


def _check_role(role: str) -> None:
    if role not in PromptVersion.ROLES:
        raise PromptError(f"Unknown prompt role {role!r}; use one of {', '.join(PromptVersion.ROLES)}.")


def _check_staff(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise PermissionDenied("Only staff can change prompts.")


def _cache_key(role: str) -> str:
    return f"storebot:prompt:{role}"
