"""Scoring a classifier against the labelled utterances in tests/eval/utterances.jsonl.

Used by the language tests and by `eval_agent`, so both report the same
figures. Intent accuracy is the share of utterances whose intent matches.
Field accuracy is the share of labelled fields that match, where the fields
of an utterance are: each store's name and phone (a store too many or too few
counts as wrong), the lookup query and the phone digits when either side has
one, each further lookup query, the target and new values of a change when
either side has one, and the correction and cancel flags when either side sets them.

Names compare after `normalize_name` (case, accents, punctuation folded).
Phones compare as E.164 parsed with the utterance's region; a phone labelled
invalid (`phone_e164` null, `phone_raw` set) matches when the classifier
reports the same digits as written. Phone digits labelled in E.164 compare as
E.164, partial digits as digits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conversations.schema import Classification, StoreMention
from directory.phones import PhoneError, digits_only, parse_phone
from directory.trigrams import normalize_name


@dataclass(frozen=True)
class LabelledStore:
    name: str | None
    phone_e164: str | None
    # What the user typed when the number is invalid ("555-0198").
    phone_raw: str | None = None


@dataclass(frozen=True)
class LabelledUtterance:
    text: str
    state: str
    pending: dict[str, Any] | None
    region: str
    intent: str
    stores: tuple[LabelledStore, ...]
    lookup_query: str | None
    phone_digits: str | None
    is_correction: bool
    is_cancel: bool
    tags: tuple[str, ...]
    other_lookup_queries: tuple[str, ...] = ()
    target: str | None = None
    new_name: str | None = None
    new_phone: str | None = None  # E.164

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> LabelledUtterance:
        return cls(
            text=record["text"],
            state=record.get("state") or "IDLE",
            pending=record.get("pending"),
            region=record.get("region") or "US",
            intent=record["intent"],
            stores=tuple(
                LabelledStore(name=s.get("name"), phone_e164=s.get("phone_e164"), phone_raw=s.get("phone_raw"))
                for s in record.get("stores") or []
            ),
            lookup_query=record.get("lookup_query"),
            phone_digits=record.get("phone_digits"),
            is_correction=bool(record.get("is_correction")),
            is_cancel=bool(record.get("is_cancel")),
            tags=tuple(record.get("tags") or []),
            other_lookup_queries=tuple(record.get("other_lookup_queries") or []),
            target=record.get("target"),
            new_name=record.get("new_name"),
            new_phone=record.get("new_phone"),
        )


@dataclass
class AccuracyReport:
    utterances: int = 0
    intents_correct: int = 0
    fields_total: int = 0
    fields_correct: int = 0
    # One line per wrong intent or field: what was expected, what came back.
    misses: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intents_correct / self.utterances if self.utterances else 0.0

    @property
    def field_accuracy(self) -> float:
        return self.fields_correct / self.fields_total if self.fields_total else 0.0

    def summary(self) -> str:
        return (
            f"intent accuracy {self.intent_accuracy:.1%} ({self.intents_correct}/{self.utterances}), "
            f"field accuracy {self.field_accuracy:.1%} ({self.fields_correct}/{self.fields_total})"
        )


def load_utterances(path: Path) -> list[LabelledUtterance]:
    with path.open(encoding="utf-8") as handle:
        return [LabelledUtterance.from_record(json.loads(line)) for line in handle if line.strip()]


def evaluate(
    utterances: Iterable[LabelledUtterance], classify: Callable[[LabelledUtterance], Classification]
) -> AccuracyReport:
    report = AccuracyReport()
    for utterance in utterances:
        score_into(report, utterance, classify(utterance))
    return report


def score_into(report: AccuracyReport, expected: LabelledUtterance, got: Classification) -> None:
    """Add one utterance's intent and fields to `report`."""
    report.utterances += 1
    if got.intent == expected.intent:
        report.intents_correct += 1
    else:
        report.misses.append(f"{expected.text!r}: intent {got.intent} != {expected.intent}")
    for label, matched, wanted, found in _fields(expected, got):
        report.fields_total += 1
        if matched:
            report.fields_correct += 1
        else:
            report.misses.append(f"{expected.text!r}: {label} {found!r} != {wanted!r}")


def _fields(expected: LabelledUtterance, got: Classification) -> list[tuple[str, bool, Any, Any]]:
    fields: list[tuple[str, bool, Any, Any]] = []
    for index in range(max(len(expected.stores), len(got.stores))):
        want = expected.stores[index] if index < len(expected.stores) else None
        have = got.stores[index] if index < len(got.stores) else None
        fields.append(
            (f"store {index} name", _same_name(want, have), want and want.name, have and have.name),
        )
        fields.append(
            (
                f"store {index} phone",
                _same_phone(want, have, expected.region),
                want and (want.phone_e164 or want.phone_raw),
                have and have.phone,
            )
        )
    if expected.lookup_query or got.lookup_query:
        fields.append(
            (
                "lookup_query",
                _same_text(expected.lookup_query, got.lookup_query),
                expected.lookup_query,
                got.lookup_query,
            )
        )
    if expected.phone_digits or got.phone_digits:
        fields.append(
            (
                "phone_digits",
                _same_digits(expected.phone_digits, got.phone_digits, expected.region),
                expected.phone_digits,
                got.phone_digits,
            )
        )
    for index in range(max(len(expected.other_lookup_queries), len(got.other_lookup_queries))):
        want_query = expected.other_lookup_queries[index] if index < len(expected.other_lookup_queries) else None
        have_query = got.other_lookup_queries[index] if index < len(got.other_lookup_queries) else None
        fields.append((f"other lookup {index}", _same_text(want_query, have_query), want_query, have_query))
    for label, want_text, have_text in (
        ("target", expected.target, got.target),
        ("new_name", expected.new_name, got.new_name),
    ):
        if want_text or have_text:
            fields.append((label, _same_text(want_text, have_text), want_text, have_text))
    if expected.new_phone or got.new_phone:
        same = bool(expected.new_phone) and _e164(got.new_phone, expected.region) == expected.new_phone
        fields.append(("new_phone", same, expected.new_phone, got.new_phone))
    if expected.is_correction or got.is_correction:
        fields.append(
            ("is_correction", expected.is_correction == got.is_correction, expected.is_correction, got.is_correction)
        )
    if expected.is_cancel or got.is_cancel:
        fields.append(("is_cancel", expected.is_cancel == got.is_cancel, expected.is_cancel, got.is_cancel))
    return fields


def _same_text(want: str | None, have: str | None) -> bool:
    if not want or not have:
        return not want and not have
    return normalize_name(want) == normalize_name(have)


def _same_name(want: LabelledStore | None, have: StoreMention | None) -> bool:
    if want is None or have is None:
        return False
    return _same_text(want.name, have.name)


def _same_phone(want: LabelledStore | None, have: StoreMention | None, region: str) -> bool:
    if want is None or have is None:
        return False
    if want.phone_e164:
        return _e164(have.phone, region) == want.phone_e164
    if want.phone_raw:
        return have.phone is not None and digits_only(have.phone) == digits_only(want.phone_raw)
    return have.phone is None


def _same_digits(want: str | None, have: str | None, region: str) -> bool:
    if not want or not have:
        return False
    if want.startswith("+"):
        return _e164(have, region) == want
    return digits_only(have) == digits_only(want)


def _e164(raw: str | None, region: str) -> str | None:
    if not raw:
        return None
    try:
        return parse_phone(raw, region=region).e164
    except PhoneError:
        return None
