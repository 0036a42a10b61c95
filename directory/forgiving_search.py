"""Search that forgives like a person: a word mistyped by one letter, or a kind of shop instead of a name.

pg_trgm's measures miss what a person would find: "tagret" shares three of
seven trigrams with "target", and "my vet" none with "Bayview Animal Clinic".
After the trigram search, this pass finds the owner's stores where

- every word of the query is a word of the name, words of five letters or
  more up to one edit (a letter dropped, added, changed, or two neighbours
  swapped): score `TYPO_SCORE`; it runs only when no trigram match already
  holds every word as typed, so a correctly typed name is never padded with
  look-alikes;
- the query names a kind of shop (directory.shop_kinds) and a word or phrase
  of the name makes the store one of that kind: score `KIND_SCORE`.

A store keeps the better of its trigram and forgiving scores. Both scores sit
below an exact word's trigram score, so a name holding the word as typed
ranks first ("taco" lists "Taco Bell" before "La Taqueria").

The stores worth checking come from lists the database keeps (`CandidateStores`).
PostgreSQL keeps each name's words and their letter-dropped forms as keys
(migration 0006): a name within one edit of a word holds a key of the word
or of one of its letter-dropped forms; a name holding a term holds one form
of each of its words. SQLite reads its trigram table: such a name holds all
of the word's trigrams but for three neighbours (a letter dropped, added or
changed) or the swapped word itself, and a term's inner trigrams. Those
conditions are necessary, not sufficient; the words are then checked in
Python, so both databases return the same stores.

Forgiving matches of one kind all score alike, so only the first few by name
can rank: the pass reads a few times `limit` of each, by name, and all of
them only when those held too few matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from directory.shop_kinds import content_words, holds_term, kind_name_terms, word_stem
from directory.trigrams import trigram_set, trigrams_in_order

TYPO_SCORE = 0.55
KIND_SCORE = 0.5
# Shorter words must match as typed: one edit of "taco" is too many other words (and, for a big
# directory, too many names to check: every word starting "ta" could be one).
TYPO_MIN_LENGTH = 5

# Stores holding every trigram of a set; a clause holds when any of its sets is held; a condition
# when all its clauses do (what SQLite's trigram table is asked).
TrigramSet = frozenset[str]
Clause = tuple[TrigramSet, ...]
Condition = tuple[Clause, ...]
# (store id, folded name, score), best first.
Ranked = list[tuple[int, str, float]]
# (store id, folded name) by name.
Candidates = list[tuple[int, str]]
# Matches of one kind all score the same, so only the first by name can rank: read a few times `limit` of them.
BATCH_PER_RESULT = 4


class CandidateStores(Protocol):
    """The owner's live stores worth checking, (id, folded name) by name (byte order, then id): every
    store that matches and perhaps others, which the pass drops; when given `most`, the first `most`
    of them (or more)."""

    def near_words(self, words: Sequence[str], most: int | None) -> Candidates:
        """Stores whose name may hold every word, those of `TYPO_MIN_LENGTH` letters or more up to one edit."""
        ...

    def holding_terms(self, terms: Sequence[str], most: int | None) -> Candidates:
        """Stores whose name may hold one of the terms (stemmed words, space-separated) as stemmed words."""
        ...


def forgiven_ranking(*, needle: str, found: Ranked, limit: int, stores: CandidateStores) -> Ranked | None:
    """The top `limit` of the trigram matches `found` and the forgiving matches among `stores`, or None
    when the pass cannot change `found` (no word to forgive, no kind named, or `found` already scores higher).
    """
    words = content_words(needle)
    typo_words = words if _typo_applies(words, found) else []
    kind_terms = kind_name_terms(needle)
    best_possible = max(TYPO_SCORE if typo_words else 0.0, KIND_SCORE if kind_terms else 0.0)
    if not best_possible or (len(found) >= limit and found[limit - 1][2] > best_possible):
        return None
    candidates: Candidates = []
    if typo_words:
        candidates += _first_by_name(
            lambda most: stores.near_words(typo_words, most),
            lambda name: bool(forgiving_score(name, typo_words=typo_words, kind_terms=frozenset())),
            limit=limit,
        )
    if kind_terms:
        candidates += _first_by_name(
            lambda most: stores.holding_terms(sorted(kind_terms), most),
            lambda name: bool(forgiving_score(name, typo_words=(), kind_terms=kind_terms)),
            limit=limit,
        )
    scores = {store_id: (score, name) for store_id, name, score in found}
    for store_id, name in candidates:
        score = forgiving_score(name, typo_words=typo_words, kind_terms=kind_terms)
        if score and score > scores.get(store_id, (0.0, name))[0]:
            scores[store_id] = (score, name)
    ranked = sorted(scores.items(), key=lambda item: (-item[1][0], item[1][1], item[0]))
    return [(store_id, name, score) for store_id, (score, name) in ranked[:limit]]


def forgiving_score(name: str, *, typo_words: Sequence[str], kind_terms: frozenset[str]) -> float:
    """`TYPO_SCORE` when the folded `name` holds every word (up to one edit), `KIND_SCORE` when it
    holds a term of the kinds asked for, else 0."""
    name_words = name.split()
    if typo_words and all(_holds_word(name_words, word) for word in typo_words):
        return TYPO_SCORE
    if kind_terms:
        stems = [word_stem(word) for word in name_words]
        if any(holds_term(stems, term) for term in kind_terms):
            return KIND_SCORE
    return 0.0


def within_one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with at most one letter dropped, added or changed, or two neighbours swapped."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[first:] == b[first + 1 :]
    swapped = first + 1 < len(a) and a[first] == b[first + 1] and a[first + 1] == b[first]
    return a[first + 1 :] == b[first + 1 :] or (swapped and a[first + 2 :] == b[first + 2 :])


def letters_dropped(word: str) -> frozenset[str]:
    """`word` with one of its letters dropped, every way: "cvs" gives "vs", "cs" and "cv"."""
    return frozenset(word[:i] + word[i + 1 :] for i in range(len(word)))


def near_words_condition(words: Sequence[str]) -> Condition:
    """What the trigrams of a name holding every word (up to one edit where forgiven) meet."""
    return tuple(_word_clause(word) for word in words)


def holding_terms_condition(terms: Sequence[str]) -> Condition:
    """What the trigrams of a name holding one of the stemmed terms meet."""
    return (tuple(_term_trigrams(term) for term in terms),)


def meets(trigrams: frozenset[str], condition: Condition) -> bool:
    """Whether a name with these trigrams meets the condition (SQLite checks it in Python)."""
    return all(any(wanted <= trigrams for wanted in clause) for clause in condition)


def _typo_applies(words: list[str], found: Ranked) -> bool:
    if not words or not all(word.isascii() and word.isalnum() for word in words):
        # Past ASCII, Python's trigrams (what SQLite's trigram table is asked by) may differ from those
        # its triggers keep (lower-casing after case folding), and both databases must agree.
        return False
    if all(len(word) < TYPO_MIN_LENGTH for word in words):
        return False
    wanted = set(words)
    return not any(wanted <= set(name.split()) for _, name, _ in found)


def _first_by_name(
    fetch: Callable[[int | None], Candidates], matches: Callable[[str], bool], *, limit: int
) -> Candidates:
    """Candidates holding the first `limit` matches by name: a batch of a few times `limit`, or all of
    them when the batch held fewer matches (names holding the letters, not the words)."""
    most = limit * BATCH_PER_RESULT
    batch = fetch(most)
    if len(batch) == most and sum(1 for _, name in batch if matches(name)) < limit:
        return fetch(None)
    return batch


def _holds_word(name_words: list[str], word: str) -> bool:
    if len(word) < TYPO_MIN_LENGTH:
        return word in name_words
    return any(within_one_edit(word, name_word) for name_word in name_words)


def _word_clause(word: str) -> Clause:
    """Trigram sets one of which every name holding `word` (up to one edit) holds."""
    whole = trigram_set(word)
    if len(word) < TYPO_MIN_LENGTH:
        return (whole,)
    ordered = trigrams_in_order(word)
    # A letter dropped, added or changed spoils at most three neighbouring trigrams of the word.
    spoiled_at_most_three = {frozenset(ordered[:start] + ordered[start + 3 :]) for start in range(len(ordered) - 2)}
    # Two neighbours swapped spoil four: those names hold the swapped word itself.
    swapped = {trigram_set(word[:i] + word[i + 1] + word[i] + word[i + 2 :]) for i in range(len(word) - 1)}
    return tuple(sorted(spoiled_at_most_three | swapped, key=sorted))


def _term_trigrams(term: str) -> TrigramSet:
    """Trigrams every name holding the stemmed term holds ("tacos" for "taco"), the rarer ones:
    a word's inner trigrams, or for a two-letter word its start (" bp"); one letter only alone."""
    trigrams: set[str] = set()
    words = term.split()
    for stem in words:
        # "pharmacy" is the stem of "pharmacies": only "pharmac" starts both.
        start = stem[:-1] if stem.endswith("y") and len(stem) > 3 else stem
        if len(start) >= 3:
            trigrams.update(start[i : i + 3] for i in range(len(start) - 2))
        elif len(start) == 2 or len(words) == 1:
            trigrams.add(trigrams_in_order(start)[-2])
    return frozenset(trigrams)
