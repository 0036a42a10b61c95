"""Reading an uploaded CSV, treated as hostile, into candidate store rows.

Pure functions over bytes: no database and no phone validation (the importer
does that). A file is either read into rows or refused whole with
`CsvRejected`, whose message tells the user what to fix.

Row numbers are spreadsheet row numbers: the header and blank lines count, so
"row 7" in a report is row 7 in the user's spreadsheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ops.text import single_line

# Tab first, comma last: when a sample splits evenly on several candidates,
# commas are the likeliest to sit inside unquoted store names ("Smith, Jones").
DELIMITERS = ("\t", ";", ",")
SNIFF_LINES = 20

NAME_HEADERS = frozenset(
    {"name", "store", "storename", "business", "businessname", "shop", "shopname", "company", "companyname"}
)
PHONE_HEADERS = frozenset(
    {
        "phone",
        "phonenumber",
        "phoneno",
        "number",
        "tel",
        "telephone",
        "telephonenumber",
        "mobile",
        "cell",
        "contactnumber",
        "phonee164",
        "e164",
    }
)

# Signatures of files people upload by mistake instead of a CSV.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or another zip file",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook",
    b"%PDF": "a PDF document",
}
# What spreadsheets read as the start of a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# Control characters other than tab, line feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# One well-formed UTF-8 sequence of two to four bytes: text that only UTF-8 writes.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# A store list needs two columns; wider rows than this are no list of stores.
MAX_COLUMNS = 200
# The last line of the text the parser reads (a private-use character no file needs).
_END = "\ue000"


class CsvRejected(Exception):
    """The whole file is refused; the message says why, for the user."""


@dataclass(frozen=True)
class CsvRow:
    row: int
    name: str
    phone: str


@dataclass(frozen=True)
class CsvFile:
    rows: list[CsvRow]
    encoding: str
    delimiter: str
    has_header: bool


def read_store_csv(content: bytes, *, max_rows: int, max_bytes: int) -> CsvFile:
    """Decode, sniff and map `content` to (row number, name, phone) rows, in one pass over the file."""
    text, encoding = check_upload(content, max_bytes=max_bytes)
    delimiter = sniff_delimiter(text)
    # The header may take one row beyond the limit; rows past that are only counted.
    numbered, record_count = _parse_records(text, delimiter, keep=max_rows + 1)
    if not numbered:
        raise CsvRejected("The file is empty.")

    first_cells = numbered[0][1]
    has_header = looks_like_header(first_cells)
    if has_header:
        _refuse_repeated_headers(first_cells)
    data = numbered[1:] if has_header else numbered
    data_count = record_count - 1 if has_header else record_count
    if not data:
        raise CsvRejected("The file has a header row but no stores under it.")
    if data_count > max_rows:
        raise CsvRejected(
            f"The file has {data_count} rows of stores; the limit is {max_rows}. Split it into smaller files."
        )
    name_column, phone_column = _choose_columns(first_cells if has_header else None, [cells for _, cells in data])
    rows = [
        CsvRow(row=number, name=_cell(cells, name_column), phone=_cell(cells, phone_column)) for number, cells in data
    ]
    return CsvFile(rows=rows, encoding=encoding, delimiter=delimiter, has_header=has_header)


def check_upload(content: bytes, *, max_bytes: int) -> tuple[str, str]:
    """What the bytes alone tell, in milliseconds: too big, not text, mixed
    encodings, empty. The text and its encoding, or CsvRejected."""
    check_size(len(content), max_bytes=max_bytes)
    text, encoding = decode_csv_bytes(content)
    if not text.strip():
        raise CsvRejected("The file is empty.")
    return text, encoding


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse a file over the size limit (callable before reading it whole)."""
    if size > max_bytes:
        raise CsvRejected(f"The file is {describe_size(size)}; the limit is {describe_size(max_bytes)}.")


def decode_csv_bytes(content: bytes) -> tuple[str, str]:
    """Text and the encoding that read it: UTF-8 (BOM or not), UTF-16 with a
    BOM, else the whole file as Windows-1252 (Excel's "CSV" on Windows), else
    Latin-1. A file that is UTF-8 in places and another encoding in others is
    refused: read either way, part of it would be garbled without a word."""
    for signature, what in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise CsvRejected(f"This looks like {what}, not a CSV file. Save it as CSV (comma separated) first.")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: Sequence[str] = ("utf-16",)
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            _refuse_mixed_encodings(content, error)
            candidates = ("cp1252", "latin-1")
        else:
            _refuse_binary(text)
            return text, "utf-8-sig" if content.startswith(codecs.BOM_UTF8) else "utf-8"
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        _refuse_binary(text)
        return text, encoding
    raise CsvRejected("The file is not readable text. Save it as CSV (UTF-8) and try again.")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently into two or more columns."""
    sample = [line for line in text.splitlines() if line.strip()][:SNIFF_LINES]

    def score(delimiter: str) -> tuple[int, int]:
        widths = [len(cells) for cells in csv.reader(sample, delimiter=delimiter)]
        split_lines = sum(1 for width in widths if width >= 2)
        modal_width = max(set(widths), key=widths.count) if widths else 0
        consistent = widths.count(modal_width) if modal_width >= 2 else 0
        return split_lines, consistent

    try:
        # max keeps the first of equal scores: DELIMITERS is in order of preference.
        return max(DELIMITERS, key=score)
    except csv.Error:
        return ","


def looks_like_header(cells: Sequence[str]) -> bool:
    """A first row naming a known column and holding no phone number is a header."""
    named = any(_header_key(cell) in NAME_HEADERS | PHONE_HEADERS for cell in cells)
    return named and not any(_looks_like_phone(cell) for cell in cells)


def strip_export_quote(cell: str) -> str:
    """Undo the apostrophe our export puts before formula-like cells, so an
    exported file imports back unchanged."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise CsvRejected("The file is not a text file (it contains binary data).")
    if len(_CONTROLS.findall(text)) > len(text) // 20:
        raise CsvRejected("The file is not a text file (it is mostly control characters).")


def _refuse_mixed_encodings(content: bytes, error: UnicodeDecodeError) -> None:
    """Refuse a file that is not UTF-8 throughout yet holds UTF-8 text (accents, symbols)."""
    if _UTF8_MULTIBYTE.search(content) is None:
        return  # no UTF-8 anywhere: a legacy file, read whole in one encoding
    line = content.count(b"\n", 0, error.start) + 1
    raise CsvRejected(
        f"The file mixes encodings: line {line} is not UTF-8, while other lines are. "
        "Open it in your spreadsheet and save it again as “CSV UTF-8”."
    )


def _parse_records(text: str, delimiter: str, *, keep: int) -> tuple[list[tuple[int, list[str]]], int]:
    """The first `keep` non-blank records, cleaned and numbered, and how many non-blank records there are.

    Refuses a quote that is never closed (the csv module would read the rest
    of the file into one cell) and rows too wide to be a list of stores.
    """
    # A line only we write: it stays a record of its own unless a quote opened
    # earlier is still open at the end, which makes it part of that cell.
    reader = csv.reader(io.StringIO(text + "\n" + _END, newline=""), delimiter=delimiter)
    kept: list[tuple[int, list[str]]] = []
    count = 0
    record: list[str] = []
    for number in itertools.count(1):
        starts_on = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CsvRejected(_csv_error_message(text, starts_on, error)) from error
        if record == [_END] or not any(cell.strip() for cell in record):
            continue
        if len(record) > MAX_COLUMNS:
            raise CsvRejected(
                f"Line {starts_on} has {len(record):,} columns; a file of stores may have at most {MAX_COLUMNS}."
            )
        count += 1
        if len(kept) < keep:
            cells = [_clean_cell(cell) for cell in record]
            if any(cells):
                kept.append((number, cells))
            else:
                count -= 1
    if record != [_END]:
        opened_on = text.count("\n") - record[-1].removesuffix("\n" + _END).count("\n") + 1
        raise CsvRejected(_unclosed_quote_message(opened_on))
    return kept, count


def _csv_error_message(text: str, line: int, error: csv.Error) -> str:
    if "field limit" in str(error):
        first_line = text.split("\n", line)[line - 1] if line <= text.count("\n") + 1 else ""
        if '"' in first_line:
            return _unclosed_quote_message(line)
        return (
            f"A cell starting on line {line} is over {csv.field_size_limit():,} characters long; it cannot be a store."
        )
    return f"The file could not be read as CSV (line {line}: {error})."


def _unclosed_quote_message(line: int) -> str:
    return (
        f'A quote (") opened on line {line} is never closed, so every line after it would be read as one cell. '
        "Close the quote or remove it, then upload the file again."
    )


def _refuse_repeated_headers(header: Sequence[str]) -> None:
    seen: dict[str, str] = {}
    repeated: list[str] = []
    for cell in header:
        key = _header_key(cell)
        if not key:
            continue
        if key in seen and seen[key] not in repeated:
            repeated.append(seen[key])
        seen.setdefault(key, cell)
    if repeated:
        names = ", ".join(f"“{name}”" for name in repeated)
        raise CsvRejected(
            f"The header row names a column more than once ({names}), so it is unclear which to read. "
            "Rename or remove the extra column."
        )


def _clean_cell(cell: str) -> str:
    # The same rule as every store name (ops.text): invisible characters
    # (bidi overrides, zero-width spaces, controls) can disguise a name or number.
    return strip_export_quote(single_line(cell))


def _choose_columns(header: Sequence[str] | None, data: Sequence[Sequence[str]]) -> tuple[int, int]:
    """(name column, phone column): from the header where it names them, else
    from what the first data rows hold."""
    width = max(len(cells) for cells in data)
    if header is not None:
        width = max(width, len(header))
    if width < 2:
        raise CsvRejected(
            "Each row needs a store name and a phone number in separate columns; "
            "this file has only one column. Use a comma, semicolon or tab between them."
        )
    keys = [_header_key(cell) for cell in header] if header is not None else []
    sample = data[:SNIFF_LINES]

    def best(columns: Sequence[int], test: Callable[[str], bool]) -> int | None:
        # Several columns may qualify ("tel" and "mobile"): take the one whose
        # cells fit best, the leftmost on a tie.
        return max(columns, key=lambda index: (_share(sample, index, test), -index), default=None)

    phone_column = best([index for index, key in enumerate(keys) if key in PHONE_HEADERS], _looks_like_phone)
    name_column = best(
        [index for index, key in enumerate(keys) if key in NAME_HEADERS and index != phone_column], _looks_like_name
    )
    if phone_column is None:
        phone_column = best([index for index in range(width) if index != name_column], _looks_like_phone)
        if phone_column is None or _share(sample, phone_column, _looks_like_phone) == 0:
            raise CsvRejected("No column of phone numbers was found. Add a header row such as “name,phone”.")
    if name_column is None:
        name_column = best([index for index in range(width) if index != phone_column], _looks_like_name)
    assert name_column is not None  # width >= 2 leaves a column besides the phone's
    return name_column, phone_column


def _share(rows: Sequence[Sequence[str]], column: int, test: Callable[[str], bool]) -> float:
    filled = [cell for cell in (_cell(cells, column) for cells in rows) if cell]
    return sum(1 for cell in filled if test(cell)) / len(filled) if filled else 0.0


def _looks_like_phone(cell: str) -> bool:
    digits = sum(char.isdigit() for char in cell)
    letters = sum(char.isalpha() for char in cell)
    return digits >= 5 and digits >= letters


def _looks_like_name(cell: str) -> bool:
    return any(char.isalpha() for char in cell) and not _looks_like_phone(cell)


def _header_key(cell: str) -> str:
    return _NON_ALPHANUMERIC.sub("", cell.casefold())


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def describe_size(count: int) -> str:
    """A byte count for people: "1.0 MB", "250 KB", "90 bytes" (decimal units)."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    if count >= 1_000:
        return f"{count / 1_000:.0f} KB"
    return f"{count} bytes"
