"""The import page: upload, watch the progress, read and download the report."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import ImportJob, Store
from ops.config import forget_config
from ops.models import SystemConfig
from tests.directory.views.conftest import htmx_to

GOOD_FILE = b"name,phone\nACME Hardware,415-555-0198\nACME copy,(415) 555-0198\nNowhere,555-0100\nBeta,415-555-0199\n"


def _upload(client, content: bytes, name: str = "stores.csv", **extra):
    return client.post("/directory/import/", {"file": SimpleUploadedFile(name, content, "text/csv")}, **extra)


def test_upload_creates_a_job_and_opens_its_page(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(alice, GOOD_FILE)

    job = ImportJob.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/directory/import/{job.pk}/"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert bytes(job.content) == GOOD_FILE
    assert job.filename == "stores.csv"
    assert Store.objects.filter(user=user).count() == 2


def test_finished_job_page_shows_the_counts_and_every_row(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(alice, GOOD_FILE)
    job = ImportJob.objects.get(user=user)

    page = alice.get(f"/directory/import/{job.pk}/").content.decode()

    assert "Import of stores.csv" in page
    assert '<div class="stat stat-saved"><dt>Saved</dt><dd>2</dd></div>' in page
    assert '<div class="stat stat-duplicate"><dt>Duplicates</dt><dd>1</dd></div>' in page
    assert '<div class="stat stat-invalid"><dt>Invalid</dt><dd>1</dd></div>' in page
    assert "Same number as row 2 (“ACME Hardware”)." in page
    assert "add the area code" in page
    assert "hx-trigger" not in page.split('id="import-progress"')[1].split(">")[0]
    assert f'href="/directory/import/{job.pk}/report.csv"' in page


def test_report_can_show_only_one_kind_of_row(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(alice, GOOD_FILE)
    job = ImportJob.objects.get(user=user)

    page = alice.get(f"/directory/import/{job.pk}/?show=invalid").content.decode()

    assert page.count('<tr class="report-invalid">') == 1
    assert '<tr class="report-saved">' not in page


def test_running_job_polls_every_second(alice, user):
    job = ImportJob.objects.create(
        user=user, filename="big.csv", content=b"", status=ImportJob.Status.RUNNING, total_rows=500, processed_rows=200
    )

    response = alice.get(f"/directory/import/{job.pk}/", **htmx_to("import-progress"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in page
    assert '<progress class="progress" max="500" value="200"' in page
    assert "200 of 500 rows checked" in page


def test_polling_stops_with_htmx_286_once_the_job_is_finished(alice, user):
    job = ImportJob.objects.create(
        user=user, filename="a.csv", content=b"", status=ImportJob.Status.DONE, total_rows=1, processed_rows=1
    )

    response = alice.get(f"/directory/import/{job.pk}/", **htmx_to("import-progress"))

    assert response.status_code == 286
    assert 'hx-trigger="every 1s"' not in response.content.decode()


def test_a_rejected_upload_explains_why_and_saves_nothing(alice, user):
    response = _upload(alice, b"PK\x03\x04 a workbook", name="stores.xlsx")

    assert response.status_code == 400
    assert "This looks like an Excel workbook" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Store.objects.exists()


def test_an_oversized_upload_is_refused(alice, user):
    SystemConfig.objects.update_or_create(pk=1, defaults={"csv_max_bytes": 50})
    forget_config()

    response = _upload(alice, GOOD_FILE)

    assert response.status_code == 400
    assert "the limit is 50 bytes" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_needs_a_file(alice):
    response = alice.post("/directory/import/", {})

    assert response.status_code == 400
    assert "Choose a CSV file to import." in response.content.decode()


def test_report_downloads_as_csv(alice, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(alice, b"name,phone\n=1+2,415-555-0198\n=1+2,415-555-0198\n")
    job = ImportJob.objects.get(user=user)

    response = alice.get(f"/directory/import/{job.pk}/report.csv")

    assert response["Content-Disposition"] == f'attachment; filename="import-{job.pk}-report.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "outcome", "store_name", "phone", "reason"]
    assert rows[1] == ["2", "saved", "'=1+2", "415-555-0198", ""]
    assert rows[2] == ["3", "duplicate", "'=1+2", "415-555-0198", "Same number as row 2 (“=1+2”)."]


def test_report_of_an_unfinished_job_is_not_there_yet(alice, user):
    job = ImportJob.objects.create(user=user, filename="a.csv", content=b"", status=ImportJob.Status.RUNNING)

    assert alice.get(f"/directory/import/{job.pk}/report.csv").status_code == 404


def test_import_page_lists_recent_jobs(alice, user):
    ImportJob.objects.create(
        user=user, filename="january.csv", content=b"", status=ImportJob.Status.DONE, saved_count=7
    )

    page = alice.get("/directory/import/").content.decode()

    assert "january.csv" in page
    assert "Up to 500 rows and 1.0 MB" in page
