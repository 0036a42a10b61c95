"""Property: whatever bytes arrive, the importer either refuses the file with a
message or reports every row, and never saves a number that is not valid."""

from __future__ import annotations

import phonenumbers
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from directory.csv_import import CsvRejected
from directory.importer import import_rows, read_upload
from directory.models import Store

# Text shaped like a CSV (names, digits, separators, quotes, odd characters),
# which reaches the row checks far more often than uniform random bytes.
CSV_LIKE_TEXT = st.text(
    alphabet=st.sampled_from(list("ACME bo'k5550198+-() ,;\t\n\r\"=@x#\u00e9\u20ac\ufeff\u200b\x00\x85")),
    max_size=400,
)
# Rows of (name, phone) where phones mix valid numbers, near misses and noise,
# so that saves, duplicates and invalid rows all happen.
PHONES = st.one_of(
    st.sampled_from(["415-555-0198", "+1 (415) 555-0199", "+44 20 7730 1234", "555-0198", "911", "0", ""]),
    st.from_regex(r"\+?[0-9 ()-]{4,16}", fullmatch=True),
)
NAMES = st.text(alphabet=st.sampled_from(list("Acme Joe's=+-@\t\"\u00e9,;")), max_size=20)
ROWS = st.lists(st.tuples(NAMES, PHONES), max_size=30)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
HYPOTHESIS_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _import_and_check(user, content: bytes) -> None:
    with transaction.atomic():
        try:
            rows = read_upload(content)
        except CsvRejected as rejection:
            refusal = str(rejection)
            rows = None
        if rows is None:
            assert refusal.endswith(".")
            assert not Store.objects.filter(user=user).exists()
        else:
            tally = import_rows(user=user, rows=rows)
            assert tally.processed == len(rows) == len(tally.report)
            saved = list(Store.objects.filter(user=user))
            assert len(saved) == tally.saved
            event(f"saved any: {tally.saved > 0}")
            for store in saved:
                assert phonenumbers.is_valid_number(phonenumbers.parse(store.phone_e164, None))
                assert store.store_name.strip()
        transaction.set_rollback(True)


@HYPOTHESIS_SETTINGS
@given(content=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_importer(user, content):
    _import_and_check(user, content)


@HYPOTHESIS_SETTINGS
@given(text=CSV_LIKE_TEXT, encoding=ENCODINGS)
def test_csv_like_text_never_saves_an_invalid_number(user, text, encoding):
    _import_and_check(user, text.encode(encoding, errors="replace"))


@HYPOTHESIS_SETTINGS
@given(rows=ROWS, delimiter=st.sampled_from([",", ";", "\t"]), header=st.booleans(), encoding=ENCODINGS)
def test_generated_rows_never_save_an_invalid_number(user, rows, delimiter, header, encoding):
    lines = (["store name", "phone"] if header else []), *([name, phone] for name, phone in rows)
    text = "\n".join(delimiter.join(cells) for cells in lines if cells)
    _import_and_check(user, text.encode(encoding, errors="replace"))
