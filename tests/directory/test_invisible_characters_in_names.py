"""A store name keeps no invisible characters, whichever way it arrives (issue 14, D13).

The same rule (directory.services.clean_store_name, ops.text.single_line) for
the page's add and edit forms, chat's save tool, CSV upload and the
import_stores command: bidirectional controls and zero-width characters
dropped, NFC, whitespace runs made one space. Django admin shows stores read
only, so it has no way in.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from conversations.engine import tools
from conversations.engine.fsm import LookupGate
from conversations.engine.grounding import UserWords
from conversations.engine.tools import TurnDeps
from conversations.lifecycle import conversation_start
from directory.importer import import_rows, read_upload
from directory.models import Store
from directory.services import store_save, store_update
from tests.factories import StoreFactory

# "ACME Hardware" with a right-to-left override, an isolate, marks and zero-width characters in it,
# and the "é" of "Café" typed as e + combining accent.
DISGUISED = "\u202eAC\u200bME\u2066 \u200e Hard\ufeffware\u2069 Caf" + "e\u0301" + "\u2060\u202c"
CLEAN = "ACME Hardware Caf\u00e9"


@pytest.fixture
def alice(client, user):
    client.force_login(user)
    return client


def _only_store(user) -> Store:
    return Store.objects.get(user=user)


def test_service_save(user):
    store_save(user=user, store_name=DISGUISED, phone="415-555-0198")

    store = _only_store(user)
    assert store.store_name == CLEAN
    assert store.normalized_name == "acme hardware cafe"


def test_service_rename(user):
    store = StoreFactory.create(user=user, store_name="Old name", phone_e164="+14155550198")

    store_update(user=user, store_id=store.pk, store_name=DISGUISED)

    assert _only_store(user).store_name == CLEAN


def test_add_form(alice, user):
    response = alice.post("/directory/add/", {"store_name": DISGUISED, "phone": "415-555-0198"})

    assert response.status_code == 302
    assert _only_store(user).store_name == CLEAN


def test_edit_form(alice, user):
    store = StoreFactory.create(user=user, store_name="Old name", phone_e164="+14155550198")

    alice.post(f"/directory/{store.pk}/edit/", {"store_name": DISGUISED, "phone": "415-555-0198"})

    assert _only_store(user).store_name == CLEAN


def test_form_counts_the_length_of_the_cleaned_name(alice, user):
    # 200 visible characters plus invisible ones: what is saved fits, as it would by chat or import.
    name = "\u200b".join(["A" * 100, "B" * 100])

    alice.post("/directory/add/", {"store_name": name, "phone": "415-555-0198"})

    assert _only_store(user).store_name == "A" * 100 + "B" * 100


def test_form_refuses_a_name_of_only_invisible_characters(alice, user):
    response = alice.post("/directory/add/", {"store_name": "\u200b\u202e\u2066", "phone": "415-555-0198"})

    assert response.status_code == 400
    assert "Please give the store a name." in response.content.decode()
    assert not Store.objects.exists()


def test_chat_save_tool(user):
    words = UserWords(texts=(f"Save {DISGUISED}, 415-555-0198",), region=user.default_region)
    deps = TurnDeps(
        user=user, conversation=conversation_start(user=user), lookup_gate=LookupGate.NO_PASSPHRASE, words=words
    )

    record = tools.save_store(deps, store_name=DISGUISED, phone="415-555-0198")

    assert record.ok, record.result
    assert _only_store(user).store_name == CLEAN


def test_csv_import(user):
    content = f"name,phone\n{DISGUISED},415-555-0198\n".encode()

    import_rows(user=user, rows=read_upload(content))

    assert _only_store(user).store_name == CLEAN


def test_import_command(user, tmp_path):
    csv_file = tmp_path / "stores.csv"
    csv_file.write_bytes(f"name,phone\n{DISGUISED},415-555-0198\n".encode())

    call_command("import_stores", "--user", user.email, str(csv_file), stdout=StringIO())

    assert _only_store(user).store_name == CLEAN


def test_an_emoji_sequence_keeps_its_joiner(user):
    cook = "\U0001f469\u200d\U0001f373"

    store_save(user=user, store_name=f"{cook} Kitchen", phone="415-555-0198")

    assert _only_store(user).store_name == f"{cook} Kitchen"
