"""`manage.py import_stores --user EMAIL FILE` prints the report and a summary line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from directory.models import Store


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_stores", *args, stdout=out)
    return out.getvalue()


def test_command_prints_each_row_and_the_summary(user, tmp_path):
    csv_file = tmp_path / "stores.csv"
    csv_file.write_bytes(b"name,phone\nACME,415-555-0198\nACME copy,4155550198\nBroken,555\n")

    output = _run("--user", "ALICE@example.com", str(csv_file))

    lines = output.splitlines()
    assert lines[0].split() == ["row", "2", "saved", "ACME", "415-555-0198"]
    assert "duplicate" in lines[1]
    assert "Same number as row 2" in lines[1]
    assert "invalid" in lines[2]
    assert lines[-1] == "saved=1 duplicates=1 invalid=1"
    assert Store.objects.filter(user=user).count() == 1


def test_command_refuses_a_bad_file_and_saves_nothing(user, tmp_path):
    csv_file = tmp_path / "workbook.csv"
    csv_file.write_bytes(b"PK\x03\x04 not really a csv")

    with pytest.raises(CommandError, match=r"workbook\.csv was not imported: This looks like an Excel workbook"):
        _run("--user", user.email, str(csv_file))

    assert not Store.objects.exists()


def test_command_refuses_an_oversized_file_before_reading_it(user, tmp_path, csv_limits):
    csv_limits(csv_max_bytes=10)
    csv_file = tmp_path / "big.csv"
    csv_file.write_bytes(b"name,phone\nACME,415-555-0198\n")

    with pytest.raises(CommandError, match="The file is 29 bytes; the limit is 10 bytes"):
        _run("--user", user.email, str(csv_file))


def test_command_needs_a_known_user(db, tmp_path):
    csv_file = tmp_path / "stores.csv"
    csv_file.write_bytes(b"name,phone\nACME,415-555-0198\n")

    with pytest.raises(CommandError, match=r"No user has the email address nobody@example\.com"):
        _run("--user", "nobody@example.com", str(csv_file))


def test_command_reports_a_missing_file(user, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        _run("--user", user.email, str(tmp_path / "missing.csv"))


def test_command_exits_non_zero_on_rejection(user, tmp_path, capsys):
    csv_file = tmp_path / "empty.csv"
    csv_file.write_bytes(b"")

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_stores", "--user", user.email, str(csv_file)])

    assert exit_info.value.code == 1
    assert "empty.csv was not imported: The file is empty." in capsys.readouterr().err
