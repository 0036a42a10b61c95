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

An attempt is counted at submit time (`passphrase_attempt`), inside the
transaction that stores the (redacted) attempt, so a client that never reads
the reply cannot skip the counting. Its hash is checked before that
transaction, never inside one (a slow hash there held the database's write
lock on SQLite, and the conversation and user rows on PostgreSQL): the
transaction raises `PassphraseCheckNeeded` when a message needs a check it has
not had, the caller rolls back, runs `passphrase_check` and submits again with
its verdict, which the transaction applies to the rows as it finds them then.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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
    r"^\W*(?:never ?mind|nevermind|cancel|forget it|stop|no thanks|nothing|skip it)"
    r"(?:\W+(?:keep it|leave it|don't (?:delete|change) it|don't bother|it's fine|it's ok|thanks|no))*\W*$",
    re.IGNORECASE,
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
# Hash checks a message may cost once its fingerprint was found in it (Argon2id, each ~50 ms).
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
    if _fingerprint_learnable(user=user, text=text):
        _fingerprint_learn(user=user, text=text)
    digest = user.passphrase_digest
    return [] if digest is None else fingerprint_spans(text, digest)


def _fingerprint_learnable(*, user: User, text: str) -> bool:
    """Whether finding the passphrase in `text` takes hash checks: its fingerprint is unknown and `text` talks
    about it."""
    return user.has_passphrase and user.passphrase_digest is None and bool(_PASSPHRASE_CUE.search(text))


def _fingerprint_learn(*, user: User, text: str) -> None:
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


@dataclass(frozen=True)
class PassphraseCheck:
    """What the hash checks said of one message, worked out outside any transaction (`passphrase_check`)."""

    # The passphrase checked against: when it was set (a change since makes the check stale).
    set_at: datetime | None
    # Where its fingerprint is in the message.
    spans: tuple[tuple[int, int], ...]
    # One of the spans is the passphrase exactly (an attempt: the whole message, or one of the spans).
    typed: bool
    # Whether the message was checked as an attempt (the whole of it tried as the passphrase).
    as_attempt: bool


class PassphraseCheckNeeded(Exception):
    """Raised inside the submit's transaction when the message needs hash checks it has not had: roll back,
    run `passphrase_check(as_attempt=...)` outside any transaction, and submit again with its verdict."""

    def __init__(self, *, as_attempt: bool) -> None:
        super().__init__("the message needs a passphrase check outside the transaction")
        self.as_attempt = as_attempt


def passphrase_check(*, user: User, text: str, as_attempt: bool) -> PassphraseCheck:
    """The slow part of reading `text` for the user's passphrase: its hash checks (Argon2, tens of ms each).

    Run outside any transaction, on the user's passphrase as stored now. As an attempt, the whole text is
    tried, then the spans its fingerprint found ("it's 'open sesame'"); otherwise only the spans.
    """
    user.refresh_from_db(fields=["passphrase_hash", "passphrase_fingerprint", "passphrase_set_at"])
    if as_attempt:
        whole = user.check_passphrase(text)  # first: a right one writes the fingerprint the spans need
        spans = passphrase_spans(user=user, text=text)
        typed = whole or passphrase_typed(user=user, text=text, spans=spans, tried=text)
    else:
        spans = passphrase_spans(user=user, text=text)
        typed = bool(spans) and passphrase_typed(user=user, text=text, spans=spans)
    return PassphraseCheck(
        set_at=user.passphrase_set_at if user.has_passphrase else None,
        spans=tuple(spans),
        typed=typed,
        as_attempt=as_attempt,
    )


def _check_current(*, user: User, check: PassphraseCheck | None, as_attempt: bool) -> PassphraseCheck:
    """`check`, if it was made the way the message now needs and on the passphrase the locked row holds."""
    user.refresh_from_db(fields=["passphrase_hash", "passphrase_fingerprint", "passphrase_set_at"])
    set_at = user.passphrase_set_at if user.has_passphrase else None
    if check is None or check.set_at != set_at or (as_attempt and not check.as_attempt):
        raise PassphraseCheckNeeded(as_attempt=as_attempt)
    return check


def passphrase_redact(
    *, user: User, conversation: Conversation, text: str, now: datetime, check: PassphraseCheck | None
) -> str:
    """`text` with the user's passphrase blanked out wherever they typed it into an ordinary message (audited).

    Typed exactly while the conversation waits to be unlocked, it unlocks it, as a right attempt would; a
    passphrase that is not found is not an attempt and is not counted. Finding it costs no hash check when
    its fingerprint is known and the conversation is not waiting to be unlocked; otherwise `check` must hold
    the checks (`PassphraseCheckNeeded`).
    """
    if not user.has_passphrase:
        return text
    if check is None and not _fingerprint_learnable(user=user, text=text):
        spans = passphrase_spans(user=user, text=text)  # fingerprints only
        if not spans:
            return text
    user_passphrase_counters_lock(user=user)  # a lockout counted elsewhere a moment ago holds
    gate = lookup_gate(user=user, conversation=conversation, now=now)
    if check is None and gate != LookupGate.NEEDS_PASSPHRASE and not _fingerprint_learnable(user=user, text=text):
        unlocked = False
    else:
        check = _check_current(user=user, check=check, as_attempt=False)
        spans = list(check.spans)
        if not spans:
            return text
        unlocked = gate == LookupGate.NEEDS_PASSPHRASE and check.typed
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
    *,
    user: User,
    conversation: Conversation,
    attempt: str,
    now: datetime,
    config: SystemConfig,
    check: PassphraseCheck | None,
) -> PassphraseOutcome:
    """Apply one attempt, checked by `check` outside the transaction, to `conversation` and `user` (the caller
    saves the conversation); `PassphraseCheckNeeded` when it has not been checked yet.

    Wrong attempts are counted per user, whatever the conversation or surface; the user's row is locked
    meanwhile, so concurrent attempts are counted one after the other, and one checked right while another
    locked lookups finds them locked. The attempt text is never logged, audited or returned.
    """
    user_passphrase_counters_lock(user=user)
    if user.is_lookup_locked(now):
        return PassphraseOutcome.LOCKED
    if not user.has_passphrase:
        return PassphraseOutcome.NO_PASSPHRASE
    # "it's 'open sesame'" is the passphrase too: the fingerprint found it, the hash confirmed it.
    if _check_current(user=user, check=check, as_attempt=True).typed:
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
