"""Saved names the user can trust: an uncertain boundary is confirmed with a way to fix it, an aside next to a
fixed number is no name, and the marker of a hidden passphrase never becomes part of one."""

from __future__ import annotations

import pytest

from directory.models import Store


def _names(user) -> list[str]:
    return sorted(Store.objects.owned_by(user).live().values_list("store_name", flat=True))


@pytest.mark.parametrize(
    ("text", "saved"),
    [
        ("save Just Tires 214-555-0184", "Just Tires"),
        ("remember quick stop deli at 702-555-0111", "quick stop deli"),
        ("save my dentist dr lee's office 415-555-0148", "dr lee's office"),
    ],
)
def test_an_uncertain_name_is_saved_and_the_reply_says_how_to_rename_it(chat, user, text, saved):
    turn = chat.say(text)

    assert _names(user) == [saved]
    assert "rename it to" in turn.text


@pytest.mark.parametrize("text", ["Save ACME Hardware, 415-555-0198", "please remember Joe's Pizza at 212-555-0147"])
def test_a_clear_name_is_not_second_guessed(chat, user, text):
    turn = chat.say(text)

    assert len(_names(user)) == 1
    assert "rename" not in turn.text


def test_renaming_after_the_hint_fixes_the_name(chat, user):
    chat.say("save Just Tires 214-555-0184")

    chat.say("rename it to Just Tires & Wheels")

    assert _names(user) == ["Just Tires & Wheels"]


@pytest.mark.parametrize(
    "fix", ["415-555-0134 ugh sorry", "oops missed a digit, 415-555-0134", "my bad, it's 415-555-0134"]
)
def test_an_aside_next_to_a_fixed_number_is_not_a_name(chat, user, fix):
    chat.say("save Harbor Tea House 415-555-01")

    chat.say(fix)

    assert list(Store.objects.owned_by(user).values_list("store_name", "phone_e164")) == [
        ("Harbor Tea House", "+14155550134")
    ]


def test_a_passphrase_typed_into_a_save_is_hidden_and_never_part_of_a_name(chat, user):
    turn = chat.say("Save Joe's Pizza 415-555-0147, my passphrase is open sesame")

    assert _names(user) == ["Joe's Pizza"]
    assert "open sesame" not in turn.text


def test_a_name_too_long_is_refused_with_the_limit_not_cut_short(chat, user):
    long_name = "Grand " + "Very " * 45 + "Long Store"  # over 200 characters

    turn = chat.say(f"save {long_name} 415-555-0190")

    assert _names(user) == []
    assert "200" in turn.text


def test_a_role_before_a_name_written_as_one_is_left_out_and_confirmed(chat, user):
    turn = chat.say("Remember the number for my plumber Mike Jones Plumbing: 415-555-0170")

    assert _names(user) == ["Mike Jones Plumbing"]
    assert "rename it to" in turn.text


def test_a_name_told_with_where_it_is_keeps_only_the_name(chat, user):
    chat.say("ok so the bakery on 5th is called Crumbs and their number is 415-555-0190, can you save that")

    assert _names(user) == ["Crumbs"]


def test_a_role_kept_in_a_lowercase_name_is_confirmed(chat, user):
    turn = chat.say("save my barber tony 415-555-0188")

    assert "rename it to" in turn.text
