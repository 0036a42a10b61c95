"""Uploads are limited per user and hour, and a file is parsed once, by the worker (issue 14, D7)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory import csv_import
from directory.models import ImportJob, Store
from directory.upload_limit import UPLOADS_PER_HOUR
from ops.models import AuditLog

GOOD_FILE = b"name,phone\nACME Hardware,415-555-0198\n"


def _upload(client, content: bytes = GOOD_FILE):
    return client.post("/directory/import/", {"file": SimpleUploadedFile("stores.csv", content, "text/csv")})


def test_uploads_past_the_hourly_limit_are_refused_with_a_clear_message(alice, user):
    for _ in range(UPLOADS_PER_HOUR):
        assert _upload(alice).status_code == 302

    response = _upload(alice)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert f"You have uploaded {UPLOADS_PER_HOUR} files this hour, the most an hour allows. Try again in" in page
    assert ImportJob.objects.filter(user=user).count() == UPLOADS_PER_HOUR
    assert AuditLog.objects.filter(event_type="import_rate_limited", user=user).count() == 1


def test_the_limit_is_per_user(alice, user, other_user, client):
    for _ in range(UPLOADS_PER_HOUR + 1):
        _upload(alice)
    client.force_login(other_user)

    assert _upload(client).status_code == 302


def test_the_request_does_not_parse_the_file(alice, user, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("parsed in the web request")

    monkeypatch.setattr(csv_import, "_parse_records", parse)

    assert _upload(alice).status_code == 302


def test_the_worker_parses_the_file_once(alice, user, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    parse = csv_import._parse_records

    def counted(*args, **kwargs):
        calls.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(csv_import, "_parse_records", counted)

    with django_capture_on_commit_callbacks(execute=True):
        _upload(alice)

    assert ImportJob.objects.get(user=user).status == ImportJob.Status.DONE
    assert Store.objects.filter(user=user).count() == 1
    assert calls == [1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "name,phone\nCaf\u00e9,415-555-0198\n".encode() + "M\u00fcller,415-555-0199\n".encode("cp1252"),
            "The file mixes encodings: line 3 is not UTF-8",
        ),
        (b"\n\n", "The file is empty."),
    ],
    ids=["mixed-encodings", "empty"],
)
def test_what_the_bytes_alone_tell_is_refused_on_the_upload_form(alice, content, message):
    response = _upload(alice, content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_refused_by_the_parse_says_why_on_its_job_page(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(alice, b'name,phone\nACME,415-555-0198\n"Beta,415-555-0199\n')

    job = ImportJob.objects.get(user=user)
    assert response["Location"] == f"/directory/import/{job.pk}/"
    page = alice.get(response["Location"]).content.decode()
    assert "File refused" in page
    assert "A quote (&quot;) opened on line 3 is never closed" in page
    assert "Nothing was saved." in page
    assert not Store.objects.exists()


def test_a_file_read_as_windows_1252_says_so_on_its_job_page(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(alice, "name,phone\nCaf\u00e9 Noir,415-555-0198\n".encode("cp1252"))

    job = ImportJob.objects.get(user=user)
    assert job.encoding == "cp1252"
    assert "it was read as Windows-1252 throughout" in alice.get(response["Location"]).content.decode()
    assert Store.objects.get(user=user).store_name == "Caf\u00e9 Noir"


def test_a_utf8_file_needs_no_word_about_its_encoding(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(alice, "name,phone\nCaf\u00e9 Noir,415-555-0198\n".encode())

    assert ImportJob.objects.get(user=user).encoding == "utf-8"
    assert "throughout" not in alice.get(response["Location"]).content.decode()
