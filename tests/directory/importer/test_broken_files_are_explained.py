"""Files the csv module would read wrongly without a word are refused with a reason (issue 14, D14).

An unterminated quote swallowed every line after it into one cell; a file
mixing UTF-8 and Windows-1252 was read as Windows-1252, garbling every accent
of its UTF-8 lines; a header naming a column twice used one of them at random.
"""

from __future__ import annotations

import pytest

from directory.csv_import import CsvRejected, read_store_csv
from directory.importer import import_rows, read_upload
from directory.models import Store


def _refusal(content: bytes) -> str:
    with pytest.raises(CsvRejected) as rejection:
        read_upload(content)
    return str(rejection.value)


def test_an_unterminated_quote_names_the_line_it_opened_on(user):
    content = b'name,phone\nACME,415-555-0198\n"Beta Books,415-555-0199\nGamma,415-555-0100\nDelta,415-555-0101\n'

    assert _refusal(content) == (
        'A quote (") opened on line 3 is never closed, so every line after it would be read as one cell. '
        "Close the quote or remove it, then upload the file again."
    )


def test_an_unterminated_quote_in_a_later_cell_names_its_line(user):
    content = b'name,phone\r\nACME,415-555-0198\r\nBeta,"415-555-0199\r\nGamma,415-555-0100\r\n'

    assert _refusal(content).startswith('A quote (") opened on line 3 is never closed')


def test_an_unterminated_quote_longer_than_a_cell_may_be_names_its_line(user):
    content = b'name,phone\n"ACME,' + b"415-555-0198\n" * 20_000

    assert _refusal(content).startswith('A quote (") opened on line 2 is never closed')


def test_a_quote_closed_on_a_later_line_is_one_cell(user):
    tally = import_rows(user=user, rows=read_upload(b'name,phone\n"ACME\nHardware",415-555-0198\nBeta,415-555-0199\n'))

    assert tally.saved == 2
    assert set(Store.objects.values_list("store_name", flat=True)) == {"ACME Hardware", "Beta"}


def test_a_quote_inside_a_cell_is_only_a_character(user):
    tally = import_rows(user=user, rows=read_upload(b'name,phone\nJoe\'s "Best" Deli,415-555-0198\n'))

    assert tally.saved == 1
    assert Store.objects.get().store_name == 'Joe\'s "Best" Deli'


def test_a_file_mixing_utf8_and_windows_1252_names_the_first_line_that_is_not_utf8(user):
    content = "name,phone\nCaf\u00e9 Noir,415-555-0198\nBeta,415-555-0199\n".encode()
    content += "M\u00fcller,415-555-0100\n".encode("cp1252")

    assert _refusal(content) == (
        "The file mixes encodings: line 4 is not UTF-8, while other lines are. "
        "Open it in your spreadsheet and save it again as “CSV UTF-8”."
    )


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("name,phone\nCaf\u00e9 \u20ac,415-555-0198\n".encode(), "utf-8"),
        ("name,phone\nCaf\u00e9 \u20ac,415-555-0198\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "windows-1252"],
)
def test_a_file_in_one_encoding_is_read_whole_in_it(content, encoding):
    read = read_store_csv(content, max_rows=10, max_bytes=1000)

    assert read.encoding == encoding
    assert read.rows[0].name == "Caf\u00e9 \u20ac"


def test_a_header_naming_a_column_twice_is_refused_naming_it(user):
    content = b"Name,Phone,phone,Notes,notes\nACME,415-555-0198,415-555-0199,a,b\n"

    assert _refusal(content) == (
        "The header row names a column more than once (“Phone”, “Notes”), so it is unclear which to read. "
        "Rename or remove the extra column."
    )


def test_headers_that_differ_only_in_spacing_and_case_are_the_same_name(user):
    assert "(“Store name”)" in _refusal(b"Store name,STORE_NAME,phone\nA,B,415-555-0198\n")


def test_empty_header_cells_are_not_repeated_names(user):
    tally = import_rows(user=user, rows=read_upload(b"name,,phone,\nACME,,415-555-0198,\n"))

    assert tally.saved == 1


def test_rows_wider_than_a_store_list_are_refused(user):
    content = b"name,phone\n" + b"x," * 300 + b"415-555-0198\n"

    assert _refusal(content) == "Line 2 has 301 columns; a file of stores may have at most 200."
