"""On PostgreSQL, a big user's fuzzy search reads that user's trigram lists, or the per-user trigram index,
and the forgiving pass that user's word-key lists."""

from __future__ import annotations

import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import postgres_search
from directory.models import Store
from directory.selectors import store_search_by_name
from tests.factories import StoreFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vash", "bel", "qui", "dun", "fra", "zel", "po", "grim", "sa", "wex"]
KINDS = ["hardware", "market", "bakery", "deli", "pharmacy", "books", "garden", "pets", "coffee", "pizza", "tailor"]


def made_up_name(rng):
    """A store name unlike its neighbours, as in a real directory: "Velkato Bakery"."""
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return f"{word} {rng.choice(KINDS)}".title()


def stores_for(user, count, first_number, rng):
    stores = []
    for n in range(count):
        name = made_up_name(rng)
        stores.append(
            StoreFactory.build(
                user=user,
                store_name=name,
                phone_e164=f"+1415{first_number + n:07d}",
                phone_original=f"415-{first_number + n:07d}",
            )
        )
    return stores


def index_scans(plan):
    """Every (index name, index condition) in an EXPLAIN (FORMAT JSON) plan tree."""
    found = []
    if "Index Name" in plan:
        found.append((plan["Index Name"], plan.get("Index Cond", "")))
    for child in plan.get("Plans", []):
        found.extend(index_scans(child))
    return found


def captured_plan(captured, marker):
    [sql] = [q["sql"] for q in captured.captured_queries if marker in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        [[plan_document]] = cursor.fetchall()
    plan = plan_document if isinstance(plan_document, list) else json.loads(plan_document)
    return plan[0]["Plan"]


@pytest.fixture
def big_directory():
    """A user with 20,000 stores (and ACME Hardware) among ten users with 200, analyzed."""
    big = UserFactory.create()
    rng = random.Random(15)
    Store.objects.bulk_create(stores_for(big, 20_000, 1_000_000, rng), batch_size=2_000)
    acme = StoreFactory.create(
        user=big, store_name="ACME Hardware", phone_e164="+14155550198", phone_original="415-555-0198"
    )
    for i, other in enumerate(UserFactory.create_batch(10)):
        Store.objects.bulk_create(stores_for(other, 200, 2_000_000 + i * 1_000, rng))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_store")
    return big, acme


def test_search_over_twenty_thousand_stores_reads_the_users_trigram_lists(big_directory):
    big, acme = big_directory

    with CaptureQueriesContext(connection) as captured:
        matches = store_search_by_name(user=big, query="acme hardwre")

    scans = index_scans(captured_plan(captured, "directory_trigram_keys("))
    assert {name for name, _ in scans} == {"store_live_trigram_keys", "directory_store_pkey"}, scans
    assert [match.store for match in matches] == [acme]


def test_the_forgiving_pass_reads_the_users_word_key_lists(big_directory):
    big, acme = big_directory

    with CaptureQueriesContext(connection) as captured:
        matches = store_search_by_name(user=big, query="acme hardwre")

    scans = index_scans(captured_plan(captured, "word_keys @@"))
    assert {name for name, _ in scans} == {"store_live_word_keys"}, scans
    assert [match.store for match in matches] == [acme]


def test_the_plain_statement_uses_the_trigram_index_with_the_user(big_directory, monkeypatch):
    # What answers when the lists are short, or too long to read: pg_trgm's operators through the GIN index.
    big, acme = big_directory
    monkeypatch.setattr(postgres_search, "_sizes_of_lists", dict)

    with CaptureQueriesContext(connection) as captured:
        matches = store_search_by_name(user=big, query="acme hardwre")

    scans = index_scans(captured_plan(captured, "WORD_SIMILARITY"))
    assert scans
    assert {name for name, _ in scans} == {"store_live_name_trgm"}
    assert all("user_id" in condition for _, condition in scans), scans
    assert [match.store for match in matches] == [acme]
