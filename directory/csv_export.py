"""CSV files Storebot hands out: the directory export and an import's report.

Every cell is neutralised against spreadsheet formula injection: a cell
starting with =, +, -, @, tab or carriage return gets a leading apostrophe, so
Excel, LibreOffice and Google Sheets show it as text instead of running it.

That includes the E.164 numbers ("+14155550198"): a spreadsheet shows them as
'+14155550198, text that keeps its "+" and every digit. The `phone` column
carries the same number formatted for reading. `directory.csv_import` strips
the apostrophe again, so an exported file imports back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from directory.csv_import import FORMULA_TRIGGERS
from directory.models import Store
from directory.phones import PhoneError, format_phone

STORE_COLUMNS = ("store_name", "phone_e164", "phone", "added")
REPORT_COLUMNS = ("row", "outcome", "store_name", "phone", "reason")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet will show it, never as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def stores_csv(stores: Iterable[Store], *, region: str) -> str:
    """The stores as CSV text (with a UTF-8 BOM, which Excel needs to read accents)."""
    return _csv(STORE_COLUMNS, ([s.store_name, s.phone_e164, _readable(s, region), _added(s)] for s in stores))


def import_report_csv(report: Iterable[dict[str, Any]]) -> str:
    """An import job's per-row report as CSV text."""
    return _csv(
        REPORT_COLUMNS,
        ([str(e["row"]), e["outcome"], e["name"], e["phone"], e.get("reason", "")] for e in report),
    )


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return codecs.BOM_UTF8.decode() + buffer.getvalue()


def _readable(store: Store, region: str) -> str:
    try:
        return format_phone(store.phone_e164, region=region)
    except PhoneError:
        return store.phone_e164


def _added(store: Store) -> str:
    return store.created_at.date().isoformat()
