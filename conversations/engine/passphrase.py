"""The passphrase gate, checked in Python: never by a model, never stored in clear.

An unlock belongs to one conversation, expires after
`passphrase_idle_minutes` without activity, and never carries over to another
conversation. Wrong attempts are counted per conversation; the last allowed
one locks the user's lookups for `lockout_minutes` everywhere and is audited.

An attempt is checked and counted at submit time (`passphrase_attempt`),
inside the transaction that stores the (redacted) attempt, so a client that
never reads the reply cannot skip the counting.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from conversations.engine.fsm import LookupGate, PassphraseOutcome
from conversations.models import PASSPHRASE_REDACTION
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

# A message that talks about the passphrase may contain it ("is my passphrase 'open sesame'?").
# Checking a hash takes about half a second, so only such messages are checked, and only a few
# likely spans of them: quoted text and what follows "passphrase is".
_PASSPHRASE_CUE = re.compile(r"pass\s*phrase|password|passcode|secret", re.IGNORECASE)
_QUOTED = re.compile(r"[\"'\u2018\u201c«]([^\"\u2018\u2019\u201c\u201d«»]{1,128}?)[\"'\u2019\u201d»]")
_AFTER_IS = re.compile(
    r"(?:pass\s*phrase|password|passcode|secret)\s*(?:is|was|=|:)\s*(.{1,128}?)[\s.!?]*$", re.IGNORECASE
)
_MAX_CANDIDATES = 3


def passphrase_in_text(*, user: User, text: str, whole: bool = False) -> str | None:
    """The user's passphrase as it appears inside `text`, if a likely span of it is the passphrase.

    `whole` also tries the entire message: for a message that may be an early answer to a passphrase
    request still on its way.
    """
    if not user.has_passphrase:
        return None
    candidates = [text.strip()] if whole else []
    if not _PASSPHRASE_CUE.search(text):
        return next((c for c in candidates if user.check_passphrase(c)), None)
    candidates += [match.group(1).strip() for match in _QUOTED.finditer(text)]
    if after := _AFTER_IS.search(text):
        candidates.append(after.group(1).strip().strip("\"'\u2018\u2019\u201c\u201d"))
    for candidate in list(dict.fromkeys(c for c in candidates if c))[:_MAX_CANDIDATES]:
        if user.check_passphrase(candidate):
            return candidate
    return None


def passphrase_redact(*, user: User, text: str, whole: bool) -> str:
    """`text` with the user's passphrase blanked out if they typed it into an ordinary message (audited)."""
    found = passphrase_in_text(user=user, text=text, whole=whole)
    if found is None:
        return text
    audit_log_write(event_type="passphrase_in_message", source="conversation", user=user)
    return text.replace(found, PASSPHRASE_REDACTION)


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

    The attempt text is never logged, audited or returned.
    """
    if user.is_lookup_locked(now):
        return PassphraseOutcome.LOCKED
    if not user.has_passphrase:
        return PassphraseOutcome.NO_PASSPHRASE
    if user.check_passphrase(attempt):
        conversation.passphrase_verified_at = now
        conversation.wrong_passphrase_count = 0
        return PassphraseOutcome.RIGHT
    if _CANCEL_WORDS.match(attempt.strip()):
        return PassphraseOutcome.CANCEL
    conversation.wrong_passphrase_count += 1
    attempts = conversation.wrong_passphrase_count
    if attempts >= config.passphrase_max_attempts:
        user.lookup_locked_until = now + timedelta(minutes=config.lockout_minutes)
        user.save(update_fields=["lookup_locked_until"])
        audit_log_write(
            event_type="passphrase_lockout",
            source="conversation",
            user=user,
            severity=AuditLog.Severity.WARNING,
            details={
                "conversation_id": conversation.pk,
                "attempts": attempts,
                "locked_until": user.lookup_locked_until.isoformat(),
            },
        )
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


def attempts_left(*, conversation: Conversation, config: SystemConfig) -> int:
    return max(config.passphrase_max_attempts - conversation.wrong_passphrase_count, 0)


def lock_minutes_left(*, user: User, now: datetime) -> int:
    if user.lookup_locked_until is None or user.lookup_locked_until <= now:
        return 0
    return max(math.ceil((user.lookup_locked_until - now).total_seconds() / 60), 1)
