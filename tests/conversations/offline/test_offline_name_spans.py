"""A store's name is a span of the user's text: filler is dropped around it, never inside it."""

from __future__ import annotations

import pytest

from conversations.models import ConversationState, Intent
from tests.conversations.offline.readings import stores_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("save Quick Stop Deli 415-555-0131", "Quick Stop Deli"),
        ("please remember Great Wall Noodle House at 510-555-0142", "Great Wall Noodle House"),
        ("add Store 24 Liquors, 617-555-0117", "Store 24 Liquors"),
        ("save At Home Furniture 972-555-0163", "At Home Furniture"),
        ("Save Just Tires at 847-555-0103", "Just Tires"),
        ("add Hello Nails Spa 408-555-0129", "Hello Nails Spa"),
        ("save Phone Doctors 303-555-0154", "Phone Doctors"),
        ("please add Contact Lens King at 212-555-0186", "Contact Lens King"),
        ("add Oh My Cupcakes 919-555-0108", "Oh My Cupcakes"),
        ("Great Harvest Bread 801-555-0125", "Great Harvest Bread"),
        ("pls save quick fix auto 480-555-0118", "quick fix auto"),
        ("remember just salads 212-555-0165", "just salads"),
        ("Hello! save Cool Runnings Jamaican Grill 305-555-0158", "Cool Runnings Jamaican Grill"),
    ],
)
def test_a_name_that_opens_with_a_filler_word_keeps_it(classify, text, name):
    result = classify(text)

    assert result.intent == Intent.SAVE
    assert [stored for stored, _ in stores_of(result)] == [name]


def test_filler_before_the_command_is_still_dropped(classify):
    result = classify("hey, quick one: can you save Costco 650-555-0101")

    assert stores_of(result) == [("Costco", "650-555-0101")]


@pytest.mark.parametrize(
    ("text", "name", "phone"),
    [
        ("save 1-800-Flowers 800-555-0122", "1-800-Flowers", "800-555-0122"),
        ("add 1-800-GOT-JUNK Portland 503-555-0176", "1-800-GOT-JUNK Portland", "503-555-0176"),
    ],
)
def test_a_vanity_number_where_the_name_goes_is_the_brand(classify, text, name, phone):
    result = classify(text)

    assert (result.intent, stores_of(result)) == (Intent.SAVE, [(name, phone)])


def test_a_vanity_number_after_a_name_is_still_its_number(classify):
    assert stores_of(classify("save Flowers Direct 1-800-FLOWERS")) == [("Flowers Direct", "1-800-FLOWERS")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("save my dentist, Dr. Lee's Office: 415-555-0161", "Dr. Lee's Office"),
        ("add my plumber, Rapid Rooter, 510-555-0139", "Rapid Rooter"),
        ("remember our vet - Happy Paws Clinic - 408-555-0172", "Happy Paws Clinic"),
        ("save the pharmacy near work, Mission Drug, at 415-555-0185", "Mission Drug"),
    ],
)
def test_a_role_before_the_name_is_dropped_at_its_comma(classify, text, name):
    assert [stored for stored, _ in stores_of(classify(text))] == [name]


def test_a_hyphen_inside_a_name_is_not_a_role_separator(classify):
    assert stores_of(classify("save the Rite-Aid 415-555-0100")) == [("Rite-Aid", "415-555-0100")]


@pytest.mark.parametrize(
    ("text", "name", "phone"),
    [
        ("Save Pet Depot 555-12", "Pet Depot", "555-12"),
        ("add Sunny Cleaners 415-55 wait no 415-555-0152", "Sunny Cleaners", "415-555-0152"),
        ("save Tile Outlet 408-555-01 sorry 408-555-0119", "Tile Outlet", "408-555-0119"),
        ("Save Bike Barn 713-555-019, I mean 713-555-0193", "Bike Barn", "713-555-0193"),
    ],
)
def test_a_number_taken_back_or_too_short_never_joins_the_name(classify, text, name, phone):
    result = classify(text)

    assert (result.intent, stores_of(result)) == (Intent.SAVE, [(name, phone)])


def test_the_right_number_after_a_short_one_completes_the_save(classify):
    result = classify(
        "oops it's 415-555-0114",
        state=ConversationState.COLLECTING_SAVE_INFO,
        pending={"name": "Pet Depot", "phone": "555-12"},
    )

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [(None, "415-555-0114")], True)
