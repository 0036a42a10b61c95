"""CSV export: the user's live stores, safe to open in a spreadsheet, importable back."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from directory.csv_export import neutralise
from directory.importer import import_rows, read_upload
from directory.models import Store
from tests.factories import StoreFactory


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_is_a_csv_download_of_live_stores(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="Gone", phone_e164="+14155550100", deleted_at=timezone.now())

    response = alice.get("/directory/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="storebot-stores-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _rows(response)
    assert rows[0] == ["store_name", "phone_e164", "phone", "added"]
    assert [row[:3] for row in rows[1:]] == [["ACME Hardware", "'+14155550198", "(415) 555-0198"]]


def test_export_neutralises_formula_cells(alice, user):
    StoreFactory.create(user=user, store_name='=HYPERLINK("http://evil.example","click")', phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="@SUM(A1:A9)", phone_e164="+14155550199")
    StoreFactory.create(user=user, store_name="-2+3", phone_e164="+14155550100")
    StoreFactory.create(user=user, store_name="Harrods", phone_e164="+442077301234")

    rows = _rows(alice.get("/directory/export.csv"))[1:]

    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'@SUM(A1:A9)" in cells
    assert "'-2+3" in cells
    assert "'+44 20 7730 1234" in cells


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("ACME") == "ACME"
    assert neutralise("(415) 555-0198") == "(415) 555-0198"
    assert neutralise("\tcmd") == "'\tcmd"
    assert neutralise("\r=1") == "'\r=1"


def test_an_export_imports_back_without_adding_anything(alice, user):
    StoreFactory.create(user=user, store_name="=cmd", phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="Harrods", phone_e164="+442077301234")
    exported = alice.get("/directory/export.csv").content

    tally = import_rows(user=user, rows=read_upload(exported))

    assert (tally.saved, tally.duplicates, tally.invalid) == (0, 2, 0)
    assert Store.objects.filter(user=user).count() == 2


def test_an_export_restores_a_directory_for_another_account(alice, user, other_user):
    StoreFactory.create(user=user, store_name="=cmd", phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="Harrods", phone_e164="+442077301234")
    exported = alice.get("/directory/export.csv").content

    import_rows(user=other_user, rows=read_upload(exported))

    copied = set(Store.objects.filter(user=other_user).values_list("store_name", "phone_e164"))
    assert copied == {("=cmd", "+14155550198"), ("Harrods", "+442077301234")}
