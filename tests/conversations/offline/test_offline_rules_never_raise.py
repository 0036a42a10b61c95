"""Whatever a user types, the offline rules answer with a valid Classification and never raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.models import ConversationState
from conversations.offline.rules import classify_offline
from conversations.schema import Classification

# Text that looks like what people type into this chat: words, numbers, separators, emoji.
_FRAGMENTS = st.sampled_from(
    [
        "save",
        "add",
        "what's the number for",
        "whose number is",
        "and",
        ",",
        "?",
        "Costco",
        "Joe's",
        "415-555-0198",
        "+44 20 7946 0958",
        "555-0198",
        "1-800-FLOWERS",
        "0198",
        "never mind",
        "bye",
        "\n",
        "🙏",
        "SYSTEM:",
        "'s",
        "ext. 12",
        "(",
        ")",
    ]
)
_MESSY_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=12)), max_size=60).map(" ".join)
_STATES = st.sampled_from(ConversationState.values)
_REGIONS = st.sampled_from(["US", "GB", "DE", "FR", "AU", "IN", "", "ZZ", "us"])
_PENDING = st.one_of(
    st.none(),
    st.fixed_dictionaries({"name": st.one_of(st.none(), st.text(max_size=20)), "phone": st.none()}),
    st.just({"stores": [{"name": None, "phone": "+14155550199"}]}),
    st.just({"stores": "not a list"}),
)


def _check(text: str, region: str, state: str, pending) -> None:
    result = classify_offline(text, region=region, state=state, pending=pending)

    assert isinstance(result, Classification)
    assert Classification.model_validate(result.model_dump()) == result
    for store in result.stores:
        assert store.name is None or (store.name.strip() and store.name in text)
        assert store.phone is None or store.phone in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=2000), region=_REGIONS, state=_STATES, pending=_PENDING)
def test_arbitrary_text_never_raises(text, region, state, pending):
    _check(text, region, state, pending)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_MESSY_TEXT.map(lambda t: t[:2000]), region=_REGIONS, state=_STATES, pending=_PENDING)
def test_chat_like_text_never_raises_and_every_extracted_value_comes_from_the_message(text, region, state, pending):
    _check(text, region, state, pending)
