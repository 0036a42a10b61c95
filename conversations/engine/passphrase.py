"""The passphrase gate, checked in Python: never by a model, never stored in clear.

An unlock belongs to one conversation, expires after
`passphrase_idle_minutes` without activity, and never carries over to another
conversation. Wrong attempts are counted per user, across conversations, web
and CLI, within a window (accounts.models.PASSPHRASE_FAILURE_WINDOW); the last
allowed one locks the user's lookups everywhere for `lockout_minutes`, doubled
for each lockout in a row, and is audited and alerted (once a day per user).

Wherever else the passphrase is typed (alone, inline, unasked, in any case or
quotes) it is found by its keyed fingerprint (`passphrase_spans`, one HMAC per
run of words: about 1 ms for 200 characters, 20 ms for 2,000) and blanked out
before the message is stored or read by a model (`passphrase_redact`).

An attempt is checked and counted at submit time (`passphrase_attempt`),
inside the transaction that stores the (redacted) attempt, so a client that
never reads the reply cannot skip the counting.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.passphrase_fingerprint import fingerprint_spans
from accounts.services import (
    user_passphrase_counters_lock,
    user_passphrase_failure_record,
    user_passphrase_success_record,
)
from conversations.engine.fsm import LookupGate, PassphraseOutcome
from conversations.models import PASSPHRASE_REDACTION
from ops.alerts import alert_raise
from ops.audit import audit_log_write
from ops.models import AuditLog, SystemConfig

if TYPE_CHECKING:
    from accounts.models import User
    from conversations.models import Conversation

# Said instead of a passphrase, these call the pending lookup off rather than
# count as a wrong attempt. Checked only after the hash did not match.
_CANCEL_WORDS = re.compile(
    r"^\W*(?:never ?mind|nevermind|cancel|forget it|stop|no thanks|nothing|skip it)\W*$", re.IGNORECASE
)

# One operator alert per user and day, however many lockouts follow (each is audited).
LOCKOUT_ALERT_SECONDS = 24 * 60 * 60
# Said around a passphrase: removed from a span before its hash is checked ("'open sesame'.").
_WRAPPING = " \t\"'\u2018\u2019\u201c\u201d\u00ab\u00bb()[]{}<>,;:.!?"
# Kept after a span when it ends the clause: "my passphrase is open sesame, and ...".
_CLAUSE_ENDS = ",;.?"
# The words that announce a passphrase, dropped with it.
_ANNOUNCED = re.compile(
    r"(?:\b(?:my|the|our)\s+)?\b(?:pass\s*phrase|password|passcode|secret)(?:\s+(?:is|was))?\s*[:=]?\s*$",
    re.IGNORECASE,
)
# Hash checks a message may cost once its fingerprint was found in it (each ~0.3 s).
_MAX_CONFIRMATIONS = 3

# A user whose fingerprint is not known yet (set before it existed, or SECRET_KEY rotated) is checked the old
# way until their next right passphrase writes it: only messages that talk about the passphrase, and only
# their likely spans, quoted text and what follows "passphrase is", each costing a hash check.
_PASSPHRASE_CUE = re.compile(r"pass\s*phrase|password|passcode|secret", re.IGNORECASE)
_QUOTED = re.compile(
    r"[\"'\u2018\u201c\u00ab]([^\"\u2018\u2019\u201c\u201d\u00ab\u00bb]{1,128}?)[\"'\u2019\u201d\u00bb]"
)
_AFTER_IS = re.compile(
    r"(?:pass\s*phrase|password|passcode|secret)\s*(?:is|was|=|:)\s*(.{1,128}?)[\s.!?]*$", re.IGNORECASE
)


def passphrase_spans(*, user: User, text: str) -> list[tuple[int, int]]:
    """Where the user's passphrase appears in `text`, however it is cased, quoted or punctuated: (start, end).

    One keyed fingerprint per run of words (accounts.passphrase_fingerprint), no hash check, so every
    message can be scanned whole. A user whose fingerprint is unknown gets the old, cue-based search,
    whose hash checks write the fingerprint when they find the passphrase.
    """
    if not user.has_passphrase:
        return []
    if user.passphrase_digest is None:
        _fingerprint_learn(user=user, text=text)
    digest = user.passphrase_digest
    return [] if digest is None else fingerprint_spans(text, digest)


def _fingerprint_learn(*, user: User, text: str) -> None:
    if not _PASSPHRASE_CUE.search(text):
        return
    candidates = [match.group(1).strip() for match in _QUOTED.finditer(text)]
    if after := _AFTER_IS.search(text):
        candidates.append(after.group(1).strip().strip("\"'\u2018\u2019\u201c\u201d"))
    for candidate in list(dict.fromkeys(c for c in candidates if c))[:_MAX_CONFIRMATIONS]:
        if user.check_passphrase(candidate):  # writes the fingerprint
            return


def passphrase_typed(*, user: User, text: str, spans: list[tuple[int, int]], tried: str = "") -> bool:
    """Whether one of `spans` (from `passphrase_spans`) is the passphrase exactly as set: the hash decides.

    A span matches the fingerprint in any case; only the exact passphrase, with or without quotes and the
    punctuation around it, counts as typing it. `tried` was checked already.
    """
    checked = {tried}
    for start, end in spans:
        wide_start, wide_end = _widen(text, start, end)
        wide = text[wide_start:wide_end]
        for candidate in (text[start:end], wide.strip(_WRAPPING), wide):
            if candidate in checked or len(checked) > _MAX_CONFIRMATIONS:
                continue
            checked.add(candidate)
            if user.check_passphrase(candidate):
                return True
    return False


def redact(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by the redaction marker, with the quotes and punctuation stuck to it and
    the words that announced it ("my passphrase is"): what is left reads as the rest of the message."""
    merged: list[list[int]] = []
    for start, end in sorted(_widen(text, start, end) for start, end in spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, position = [], 0
    for start, end in merged:
        before = text[position:start]
        if cue := _ANNOUNCED.search(before):
            before = before[: cue.start()]
        parts += [before, PASSPHRASE_REDACTION]
        position = end
    return "".join([*parts, text[position:]])


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown over the quotes and punctuation touching it (the passphrase may begin or end with some),
    except a last comma or full stop that ends the clause."""
    while start > 0 and not (text[start - 1].isspace() or text[start - 1].isalnum()):
        start -= 1
    while end < len(text) and not (text[end].isspace() or text[end].isalnum()):
        end += 1
    if end > start + 1 and text[end - 1] in _CLAUSE_ENDS:
        end -= 1
    return start, end


def passphrase_redact(*, user: User, conversation: Conversation, text: str, now: datetime) -> str:
    """`text` with the user's passphrase blanked out wherever they typed it into an ordinary message (audited).

    Typed exactly while the conversation waits to be unlocked, it unlocks it, as a right attempt would; a
    passphrase that is not found is not an attempt and is not counted.
    """
    spans = passphrase_spans(user=user, text=text)
    if not spans:
        return text
    user_passphrase_counters_lock(user=user)  # a lockout counted elsewhere a moment ago holds
    unlocked = lookup_gate(
        user=user, conversation=conversation, now=now
    ) == LookupGate.NEEDS_PASSPHRASE and passphrase_typed(user=user, text=text, spans=spans)
    if unlocked:
        _unlock(user=user, conversation=conversation, now=now)
    audit_log_write(
        event_type="passphrase_in_message",
        source="conversation",
        user=user,
        details={"conversation_id": conversation.pk, "unlocked": unlocked},
    )
    return redact(text, spans)


def lookup_gate(*, user: User, conversation: Conversation, now: datetime) -> LookupGate:
    """Whether lookups may run in this conversation right now."""
    if user.is_lookup_locked(now):
        return LookupGate.LOCKED
    if not user.has_passphrase:
        return LookupGate.NO_PASSPHRASE
    verified = conversation.passphrase_verified_at
    # A passphrase changed (or reset by staff) since the unlock revokes it.
    if verified is not None and (user.passphrase_set_at is None or verified >= user.passphrase_set_at):
        return LookupGate.OPEN
    return LookupGate.NEEDS_PASSPHRASE


def unlock_expire_if_idle(*, conversation: Conversation, now: datetime, config: SystemConfig) -> bool:
    """Forget the unlock when the conversation sat idle too long; True when it did. Call before recording activity."""
    if conversation.passphrase_verified_at is None:
        return False
    if now - conversation.last_activity_at <= timedelta(minutes=config.passphrase_idle_minutes):
        return False
    conversation.passphrase_verified_at = None
    return True


def passphrase_attempt(
    *, user: User, conversation: Conversation, attempt: str, now: datetime, config: SystemConfig
) -> PassphraseOutcome:
    """Check one attempt and apply its consequences to `conversation` and `user` (the caller saves the conversation).

    Wrong attempts are counted per user, whatever the conversation or surface; the user's row is locked
    meanwhile, so concurrent attempts are counted one after the other. The attempt text is never logged,
    audited or returned.
    """
    user_passphrase_counters_lock(user=user)
    if user.is_lookup_locked(now):
        return PassphraseOutcome.LOCKED
    if not user.has_passphrase:
        return PassphraseOutcome.NO_PASSPHRASE
    # "it's 'open sesame'" is the passphrase too: the fingerprint finds it, the hash confirms it.
    spans = passphrase_spans(user=user, text=attempt)
    if user.check_passphrase(attempt) or passphrase_typed(user=user, text=attempt, spans=spans, tried=attempt):
        _unlock(user=user, conversation=conversation, now=now)
        return PassphraseOutcome.RIGHT
    if _CANCEL_WORDS.match(attempt.strip()):
        return PassphraseOutcome.CANCEL
    conversation.wrong_passphrase_count += 1
    attempts = user.passphrase_failures_counted(now) + 1
    if user_passphrase_failure_record(
        user=user, now=now, max_attempts=config.passphrase_max_attempts, lockout_minutes=config.lockout_minutes
    ):
        _lockout_report(user=user, conversation=conversation, attempts=attempts, now=now)
        return PassphraseOutcome.EXHAUSTED
    audit_log_write(
        event_type="passphrase_wrong",
        source="conversation",
        user=user,
        severity=AuditLog.Severity.WARNING,
        details={
            "conversation_id": conversation.pk,
            "attempt": attempts,
            "max_attempts": config.passphrase_max_attempts,
        },
    )
    return PassphraseOutcome.WRONG


def _unlock(*, user: User, conversation: Conversation, now: datetime) -> None:
    conversation.passphrase_verified_at = now
    conversation.wrong_passphrase_count = 0
    user_passphrase_success_record(user=user)


def _lockout_report(*, user: User, conversation: Conversation, attempts: int, now: datetime) -> None:
    """Audit every lockout; alert the operators once a day per user, however many follow."""
    assert user.lookup_locked_until is not None
    minutes = lock_minutes_left(user=user, now=now)
    audit_log_write(
        event_type="passphrase_lockout",
        source="conversation",
        user=user,
        severity=AuditLog.Severity.WARNING,
        details={
            "conversation_id": conversation.pk,
            "attempts": attempts,
            "lockouts_in_a_row": user.passphrase_lockouts,
            "minutes": minutes,
            "locked_until": user.lookup_locked_until.isoformat(),
        },
    )
    alert_raise(
        kind="passphrase_lockout",
        text=(
            f"{user.email}: lookups locked for {minutes} minutes after {attempts} wrong passphrases "
            f"(lockout {user.passphrase_lockouts} in a row)."
        ),
        dedupe_key=f"passphrase_lockout:user:{user.pk}",
        window_seconds=LOCKOUT_ALERT_SECONDS,
    )


def attempts_left(*, conversation: Conversation, config: SystemConfig) -> int:
    """Wrong attempts the conversation's user has left before a lockout, counted across conversations."""
    counted = conversation.user.passphrase_failures_counted(timezone.now())
    return max(config.passphrase_max_attempts - counted, 0)


def lock_minutes_left(*, user: User, now: datetime) -> int:
    if user.lookup_locked_until is None or user.lookup_locked_until <= now:
        return 0
    return max(math.ceil((user.lookup_locked_until - now).total_seconds() / 60), 1)
