"""Kinds of shop, as people name them and as store names show them: "my vet" finds "Bayview Animal Clinic".

A curated vocabulary rather than a model: each kind lists the words people
use for it (`said`) and the words or phrases of a store name that make a
store one of that kind (`names`, well-known brands included). Everything is
folded as store names are (directory.trigrams.normalize_name) and compared a
whole word at a time after `word_stem`, so "taco" finds "Tacos El Gordo" but
"cat" never finds "Catering". No Django models are imported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Dropped from the front of a query: "the taco place", "my vet", "our usual bakery".
LEADING_WORDS = frozenset({"the", "my", "a", "an", "our", "that", "this", "usual", "local", "favourite", "favorite"})
# Words that say "a shop" without saying which: "place" alone names no store.
GENERIC_WORDS = frozenset(
    {"place", "shop", "store", "spot", "joint", "one", "guy", "food", "restaurant", "takeout", "takeaway", "carryout"}
    | {"delivery", "people", "lady", "folks", "office", "service", "services", "company"}
)


def word_stem(word: str) -> str:
    """A folded word without its plural ending: "tacos" gives "taco", "pharmacies" "pharmacy",
    "glasses" "glass". The stem is a prefix of the word but for a final "y" ("pharmacy")."""
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words_with_stem(stem: str) -> frozenset[str]:
    """The folded words whose `word_stem` is `stem`: "taco" gives "taco" and "tacos", "pharmacy"
    "pharmacy", "pharmacys" and "pharmacies"."""
    forms = {stem, stem + "s", stem + "es", stem[:-1] + "ies" if stem.endswith("y") else stem}
    return frozenset(word for word in forms if word_stem(word) == stem)


@dataclass(frozen=True)
class ShopKind:
    said: frozenset[str]
    names: frozenset[str]


def _kind(said: str, names: str = "") -> ShopKind:
    """A kind from comma-separated phrases; what people say also marks a name of that kind."""
    said_terms = frozenset(_stemmed(term) for term in said.split(","))
    return ShopKind(said=said_terms, names=said_terms | frozenset(_stemmed(term) for term in names.split(",") if term))


def _stemmed(term: str) -> str:
    return " ".join(word_stem(word) for word in term.split())


SHOP_KINDS: tuple[ShopKind, ...] = (
    _kind(
        "pharmacy, chemist, drugstore, drug store, drug, apothecary",
        "cvs, walgreen, rite aid, duane reade, rexall",
    ),
    _kind(
        "vet, veterinary, veterinarian, animal hospital, animal clinic, pet clinic, pet hospital, animal doctor",
        "banfield, vca",
    ),
    _kind("dentist, dental, orthodontist, dentistry", "orthodontic"),
    _kind(
        "doctor, physician, gp, urgent care, medical, pediatrician, paediatrician",
        "health center, family medicine, family practice, pediatric",
    ),
    _kind("chiropractor, chiro", "chiropractic"),
    _kind("physio, physiotherapist, physical therapist, physical therapy", "physiotherapy"),
    _kind("pizza, pizzeria", "domino, papa john, little caesar"),
    _kind("taco, taqueria, mexican, burrito, cantina", "chipotle, el pollo loco"),
    _kind("sushi, japanese, ramen, izakaya"),
    _kind("chinese, dim sum, dumpling, szechuan, sichuan, hunan, cantonese", "wok, panda express, noodle house"),
    _kind("vietnamese, pho, banh mi"),
    _kind("italian, trattoria, pasta, osteria", "ristorante"),
    _kind("ice cream, gelato, frozen yogurt, froyo", "creamery, baskin robbin"),
    _kind("donut, doughnut", "krispy kreme"),
    _kind("bagel"),
    _kind("thai"),
    _kind("fish and chips, chippy, chip shop, chipper, fish bar", "fish bar, fish and chip, chip shop, fryer, fry"),
    _kind("indian, curry, tandoori"),
    _kind("burger, hamburger", "mcdonald, five guy, in n out, shake shack"),
    _kind("bakery, baker, bread, patisserie, pastry, bakehouse", "boulangerie"),
    _kind(
        "hair, haircut, hairdresser, barber, barbershop, hair salon, stylist, salon",
        "supercut, great clip, sport clip, fantastic sam",
    ),
    _kind("nail, nail salon, manicure, pedicure"),
    _kind("hardware, diy, tool", "home depot, lowe, true value"),
    _kind(
        "grocery, grocer, supermarket, food market",
        "market, safeway, kroger, whole food, trader joe, aldi, lidl, tesco, sainsbury, wegman, publix",
    ),
    _kind(
        "gas, gas station, petrol, petrol station, fuel, filling station, service station",
        "shell, chevron, exxon, mobil, bp, arco, texaco, valero, 76",
    ),
    _kind("gym, fitness, workout, crossfit", "equinox"),
    _kind("laundry, laundromat, launderette, washateria", "cleaner, dry cleaner"),
    _kind("florist, flower, floral", "bouquet"),
    _kind("bank, atm, credit union", "chase, wells fargo, citibank, barclay, hsbc, santander"),
    _kind("post office, post, postal, mail, usps, shipping", "ups, fedex"),
    _kind("pet, pet supply, pet food", "petco, petsmart"),
    _kind("book, bookstore, bookshop, bookseller", "barnes noble, waterstone"),
    _kind(
        "coffee, cafe, espresso, coffeehouse, coffee shop",
        "roaster, starbuck, peet, dunkin, blue bottle, tim horton",
    ),
    _kind("bar, pub, tavern, saloon, brewery, taproom, brewpub"),
    _kind(
        "mechanic, garage, auto, car repair, auto repair, auto shop, body shop, tire, tyre, oil change",
        "automotive, autobody, midas, jiffy lube, pep boy, firestone",
    ),
    _kind("plumber, plumbing", "rooter"),
    _kind("locksmith, lock"),
    _kind("electrician, electrical"),
    _kind("liquor, wine, spirit, off licence, bottle shop, booze", "bevmo"),
    _kind("deli, delicatessen, sandwich", "subway, jersey mike"),
    _kind(
        "optician, optical, optometrist, eye doctor, glass, eyewear",
        "vision, eye care, lenscrafter, specsaver",
    ),
    _kind("tailor, alteration, seamstress"),
    _kind("dry cleaner, dry cleaning, cleaner", "cleaners"),
    _kind("vacuum, appliance repair, appliance"),
    _kind("phone repair, cell phone repair, screen repair", "ubreakifix"),
    _kind("cobbler, shoe repair"),
    _kind("bike, bicycle, cycle, cycling", "cyclery"),
    _kind("garden, nursery, garden center, plant"),
)


def content_words(needle: str) -> list[str]:
    """The words of a folded query that name something: without leading "the"/"my" and generic words."""
    words = needle.split()
    while words and words[0] in LEADING_WORDS:
        words = words[1:]
    return [word for word in words if word not in GENERIC_WORDS]


def kind_name_terms(needle: str) -> frozenset[str]:
    """The name terms (stemmed words, space-separated) of the kinds of shop a folded query asks for.

    The query, without its leading words, must be what people call a kind ("the dry cleaner",
    "hair place", "my vet"), or each of its words one ("tacos burritos"); otherwise nothing.
    """
    words = needle.split()
    while words and words[0] in LEADING_WORDS:
        words = words[1:]
    for phrase in (words, [word for word in words if word not in GENERIC_WORDS]):
        said = " ".join(word_stem(word) for word in phrase)
        if said and (found := _kinds_said(said)):
            return found
    content = content_words(needle)
    per_word = [_kinds_said(word_stem(word)) for word in content]
    if content and all(per_word):
        return frozenset().union(*per_word)
    return frozenset()


def holds_term(name_words: Sequence[str], term: str) -> bool:
    """Whether the stemmed `name_words` hold the stemmed phrase `term` as consecutive words."""
    term_words = term.split()
    size = len(term_words)
    return any(list(name_words[start : start + size]) == term_words for start in range(len(name_words) - size + 1))


def _kinds_said(said: str) -> frozenset[str]:
    return frozenset().union(*(kind.names for kind in SHOP_KINDS if said in kind.said))
