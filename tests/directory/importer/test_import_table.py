"""The importer over every kind of messy or hostile file, with exact counts.

Each case is the bytes of a file and what must happen: (saved, duplicates,
invalid) or the start of the message that refuses the whole file.
"""

from __future__ import annotations

import codecs

import pytest

from directory.csv_import import CsvRejected
from directory.importer import import_rows, read_upload
from directory.models import Store
from tests.factories import StoreFactory

ACCEPTED = [
    ("utf8_with_header", b"name,phone\nACME Hardware,415-555-0198\nBeta Books,415-555-0199\n", (2, 0, 0)),
    ("utf8_bom_crlf", codecs.BOM_UTF8 + b"Store,Phone\r\nACME,415-555-0198\r\n", (1, 0, 0)),
    ("utf16_with_bom", "name\tphone\nCaf\u00e9 Noir\t415-555-0198\n".encode("utf-16"), (1, 0, 0)),
    ("cp1252_legacy", "name,phone\nCaf\u00e9 \u20ac,415-555-0198\n".encode("cp1252"), (1, 0, 0)),
    ("latin1_fallback", b"name,phone\nM\xfcller\x8d,415-555-0198\n", (1, 0, 0)),
    ("semicolon_delimited", b"Name;Phone\nSmith, Jones;415-555-0198\nDupont;415-555-0199\n", (2, 0, 0)),
    ("tab_delimited", b"name\tphone\nACME\t415 555 0198\nBeta\t(415) 555-0199\n", (2, 0, 0)),
    ("header_store_name_telephone", b"Store Name,Telephone\nACME,415-555-0198\n", (1, 0, 0)),
    ("header_business_number", b"BUSINESS;number\nACME;415-555-0198\n", (1, 0, 0)),
    ("header_phone_number_tel", b"tel,Phone Number,store\n,415-555-0198,ACME\n", (1, 0, 0)),
    ("extra_columns_ignored", b"id,city,name,notes,phone\n7,SF,ACME,open late,415-555-0198\n", (1, 0, 0)),
    ("headerless_first_row_is_data", b"ACME,4155550198\nBeta,415 555 0199\n", (2, 0, 0)),
    ("headerless_phone_first", b"415-555-0198,ACME\n", (1, 0, 0)),
    ("blank_lines_and_whitespace", b"\n name , phone \n\n  ACME   Hardware  ,  415-555-0198  \n,\n \n", (1, 0, 0)),
    ("quoted_fields_with_commas", b'"ACME, Inc.","+1 (415) 555-0198"\n', (1, 0, 0)),
    ("duplicate_within_file", b"name,phone\nACME,415-555-0198\nACME again,+1 415 555 0198\n", (1, 1, 0)),
    ("same_name_other_number_is_a_branch", b"name,phone\nACME,415-555-0198\nACME,415-555-0199\n", (2, 0, 0)),
    ("international_number", b"name,phone\nHarrods,+44 20 7730 1234\n", (1, 0, 0)),
    ("extension_kept", b"name,phone\nACME,415-555-0198 ext. 12\n", (1, 0, 0)),
    ("export_apostrophe_undone", b"store_name,phone_e164\nACME,'+14155550198\n", (1, 0, 0)),
    ("missing_phone", b"name,phone\nACME,\n", (0, 0, 1)),
    ("missing_name", b"name,phone\n,415-555-0198\n", (0, 0, 1)),
    ("extra_cells_only", b"name,phone,notes\n,,call first\n", (0, 0, 1)),
    ("local_only_number", b"name,phone\nACME,555-0198\n", (0, 0, 1)),
    ("short_code", b"name,phone\nPolice,911\n", (0, 0, 1)),
    ("words_instead_of_number", b"name,phone\nACME,call us\n", (0, 0, 1)),
    ("name_too_long", b"name,phone\n" + b"A" * 201 + b",415-555-0198\n", (0, 0, 1)),
    ("phone_too_long", b"name,phone\nACME," + b"4" * 70 + b"\n", (0, 0, 1)),
    ("formula_name_is_only_a_name", b"name,phone\n=HYPERLINK(1),415-555-0198\n", (1, 0, 0)),
    (
        "mixed_file",
        b"name,phone\nACME,415-555-0198\nACME,415-555-0198\nNo phone,\nBeta,555-0199\nGamma,415-555-0100\n",
        (2, 1, 2),
    ),
]

REJECTED = [
    ("empty", b"", "The file is empty"),
    ("whitespace_only", b"\n \r\n\t\n", "The file is empty"),
    ("blank_cells_only", b",,\n , ,\n", "The file is empty"),
    ("header_only", b"name,phone\n", "The file has a header row but no stores"),
    ("binary", bytes(range(256)) * 4, "The file is not a text file"),
    ("control_characters", b"\x01\x02\x03\x04name,phone\x05\x06\x07\x08", "The file is not a text file"),
    ("xlsx_workbook", b"PK\x03\x04\x14\x00\x06\x00", "This looks like an Excel workbook"),
    ("pdf", b"%PDF-1.7\n", "This looks like a PDF"),
    ("one_column", b"ACME\nBeta\n", "Each row needs a store name and a phone number"),
    ("no_phone_column", b"name,city\nACME,San Francisco\n", "No column of phone numbers"),
    ("broken_utf16", codecs.BOM_UTF16_LE + b"\x00\xd8", "The file is not readable text"),
]


@pytest.mark.parametrize(("content", "expected"), [pytest.param(c, e, id=i) for i, c, e in ACCEPTED])
def test_import_counts(user, content, expected):
    tally = import_rows(user=user, rows=read_upload(content))

    assert (tally.saved, tally.duplicates, tally.invalid) == expected
    assert Store.objects.filter(user=user).count() == expected[0]


@pytest.mark.parametrize(("content", "message"), [pytest.param(c, m, id=i) for i, c, m in REJECTED])
def test_bad_file_is_rejected_whole(user, content, message):
    with pytest.raises(CsvRejected) as rejection:
        read_upload(content)

    assert str(rejection.value).startswith(message)
    assert not Store.objects.exists()


def test_file_over_the_size_limit_is_rejected(user, csv_limits):
    csv_limits(csv_max_bytes=100)
    content = b"name,phone\n" + b"ACME,415-555-0198\n" * 6

    with pytest.raises(CsvRejected, match=r"The file is 119 bytes; the limit is 100 bytes"):
        read_upload(content)


def test_file_over_the_row_limit_is_rejected(user, csv_limits):
    csv_limits(csv_max_rows=3)
    content = b"name,phone\n" + b"".join(b"Store %d,415-555-01%02d\n" % (n, n) for n in range(4))

    with pytest.raises(CsvRejected, match=r"The file has 4 rows of stores; the limit is 3"):
        read_upload(content)


def test_file_at_the_row_limit_is_accepted(user, csv_limits):
    csv_limits(csv_max_rows=3)
    content = b"name,phone\n\n" + b"".join(b"Store %d,415-555-01%02d\n" % (n, n) for n in range(3))

    assert len(read_upload(content)) == 3


def test_number_already_saved_is_a_duplicate_naming_the_entry(user):
    StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")

    tally = import_rows(user=user, rows=read_upload(b"name,phone\nAcme HW,(415) 555-0198\n"))

    assert (tally.saved, tally.duplicates, tally.invalid) == (0, 1, 0)
    assert tally.report[0]["reason"] == "Already saved as “ACME Hardware”."
    assert Store.objects.filter(user=user).count() == 1


def test_number_of_a_deleted_store_can_be_imported_again(user):
    StoreFactory.create(user=user, phone_e164="+14155550198", deleted_at="2026-01-01T00:00:00Z")

    tally = import_rows(user=user, rows=read_upload(b"name,phone\nACME,415-555-0198\n"))

    assert tally.saved == 1
    assert Store.objects.filter(user=user, deleted_at__isnull=True).count() == 1


def test_another_users_store_is_not_a_duplicate(user, other_user):
    StoreFactory.create(user=other_user, phone_e164="+14155550198")

    tally = import_rows(user=user, rows=read_upload(b"name,phone\nACME,415-555-0198\n"))

    assert tally.saved == 1
    assert Store.objects.get(user=user).phone_e164 == "+14155550198"


def test_importing_the_same_file_twice_adds_nothing(user):
    content = b"name,phone\nACME,415-555-0198\nBeta,415-555-0199\nBroken,12\n"
    import_rows(user=user, rows=read_upload(content))

    again = import_rows(user=user, rows=read_upload(content))

    assert (again.saved, again.duplicates, again.invalid) == (0, 2, 1)
    assert Store.objects.filter(user=user).count() == 2


def test_saved_stores_keep_what_the_file_said(user):
    content = "name;phone\n  Caf\u00e9   Noir ;(415) 555-0198 x12\n".encode("cp1252")

    import_rows(user=user, rows=read_upload(content))

    store = Store.objects.get(user=user)
    assert store.store_name == "Caf\u00e9 Noir"
    assert store.normalized_name == "cafe noir"
    assert store.phone_e164 == "+14155550198"
    assert store.phone_original == "(415) 555-0198 x12"


def test_numbers_without_country_code_use_the_users_region(user):
    user.default_region = "GB"
    user.save()

    import_rows(user=user, rows=read_upload(b"name,phone\nHarrods,020 7730 1234\n"))

    assert Store.objects.get(user=user).phone_e164 == "+442077301234"
