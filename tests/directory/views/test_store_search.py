"""Search as you type: the same fuzzy search as chat, answered with the results fragment."""

from __future__ import annotations

from tests.directory.views.conftest import htmx_to, store_names
from tests.factories import StoreFactory


def _search(client, query: str):
    return client.get("/directory/", {"q": query}, **htmx_to("store-results"))


def test_search_returns_only_the_results_fragment(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware")

    response = _search(alice, "acme")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="store-results"')
    assert "<html" not in page
    assert "1 match for “acme”" in page


def test_search_forgives_typos_like_chat_does(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware")
    StoreFactory.create(user=user, store_name="Costco Wholesale")

    assert store_names(_search(alice, "acme hardwre")) == ["ACME Hardware"]
    assert store_names(_search(alice, "cost")) == ["Costco Wholesale"]


def test_search_by_part_of_the_number(alice, user):
    StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="Beta", phone_e164="+14155550100")

    assert store_names(_search(alice, "555-0198")) == ["ACME"]


def test_search_with_no_match_says_so(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware")

    response = _search(alice, "zzzz")

    assert "No store matches “zzzz”" in response.content.decode()


def test_search_text_is_escaped(alice, user):
    response = _search(alice, "<script>alert(1)</script>")

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_search_works_without_javascript(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware")
    StoreFactory.create(user=user, store_name="Beta Books")

    response = alice.get("/directory/", {"q": "beta"})

    assert "<html" in response.content.decode()
    assert store_names(response) == ["Beta Books"]
    assert 'value="beta"' in response.content.decode()


def test_search_input_is_debounced_htmx(alice):
    page = alice.get("/directory/").content.decode()

    assert 'hx-trigger="input changed delay:250ms, search"' in page
