"""An upload becomes an ImportJob that django-q2 runs (inline in tests) to the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Success

from directory import importer
from directory.csv_import import CsvRejected
from directory.importer import import_job_create, import_job_process
from directory.models import ImportJob, Store
from ops.models import AuditLog
from tests.factories import StoreFactory

MESSY_FILE = (
    b"Store Name;Telephone;Notes\r\n"
    b"ACME Hardware;415-555-0198;\r\n"
    b"\r\n"
    b"Beta Books;(415) 555-0199;open late\r\n"
    b"ACME again;+1 415 555 0198;\r\n"
    b"Nowhere;555-0100;\r\n"
    b"Costco;415-555-0123;\r\n"
)


def test_upload_runs_through_the_queue_and_the_report_matches(user, django_capture_on_commit_callbacks):
    StoreFactory.create(user=user, store_name="Costco Wholesale", phone_e164="+14155550123")

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(user=user, filename="stores.csv", content=MESSY_FILE)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows) == (5, 5)
    assert (job.saved_count, job.duplicate_count, job.invalid_count) == (2, 2, 1)
    assert [(entry["row"], entry["outcome"]) for entry in job.report] == [
        (2, "saved"),
        (4, "saved"),
        (5, "duplicate"),
        (6, "invalid"),
        (7, "duplicate"),
    ]
    assert job.report[2]["reason"] == "Same number as row 2 (“ACME Hardware”)."
    assert "add the area code" in job.report[3]["reason"]
    assert job.report[4]["reason"] == "Already saved as “Costco Wholesale”."
    assert set(Store.objects.filter(user=user).values_list("store_name", flat=True)) == {
        "ACME Hardware",
        "Beta Books",
        "Costco Wholesale",
    }
    assert Success.objects.filter(func="directory.tasks.import_job_run").count() == 1
    assert AuditLog.objects.filter(event_type="directory.import_finished", user=user).exists()


def test_rejected_upload_stores_no_job_and_no_stores(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CsvRejected):
        import_job_create(user=user, filename="empty.csv", content=b"")

    assert not ImportJob.objects.exists()
    assert not Store.objects.exists()


def test_job_is_rejected_when_the_limits_shrink_before_it_runs(user, csv_limits):
    job = ImportJob.objects.create(user=user, filename="a.csv", content=b"name,phone\nA,415-555-0198\nB,415-555-0199\n")
    csv_limits(csv_max_rows=1)

    job = import_job_process(job_id=job.pk)

    assert job.status == ImportJob.Status.REJECTED
    assert job.error.startswith("The file has 2 rows of stores; the limit is 1")
    assert not Store.objects.exists()


def test_a_job_runs_only_once(user):
    job = ImportJob.objects.create(user=user, filename="a.csv", content=b"name,phone\nA,415-555-0198\n")
    import_job_process(job_id=job.pk)
    Store.objects.all().delete()

    again = import_job_process(job_id=job.pk)

    assert again.status == ImportJob.Status.DONE
    assert again.saved_count == 1
    assert not Store.objects.exists()


def test_an_unexpected_error_fails_the_job_and_is_audited(user, monkeypatch):
    job = ImportJob.objects.create(user=user, filename="a.csv", content=b"name,phone\nA,415-555-0198\n")

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("directory.importer.import_rows", explode)

    job = import_job_process(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith("The import stopped on an unexpected error before saving anything.")
    assert AuditLog.objects.filter(event_type="directory.import_failed", severity="error").count() == 1


def test_a_failure_midway_says_how_far_it_got(user, monkeypatch):
    content = b"name,phone\n" + b"".join(b"Store %03d,415-555-%04d\n" % (n, n) for n in range(150))
    job = ImportJob.objects.create(user=user, filename="a.csv", content=content)
    real_insert = importer._insert_new
    calls = []

    def insert_then_fail(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_insert(**kwargs)

    monkeypatch.setattr(importer, "_insert_new", insert_then_fail)

    job = import_job_process(job_id=job.pk)

    assert job.status == ImportJob.Status.FAILED
    assert job.processed_rows == 100
    assert job.error.startswith("The import stopped on an unexpected error after 100 of 150 rows;")
    assert Store.objects.filter(user=user).count() == 100


def test_a_job_whose_worker_died_is_taken_over(user):
    started = timezone.now() - timedelta(minutes=10)
    job = ImportJob.objects.create(
        user=user,
        filename="a.csv",
        content=b"name,phone\nA,415-555-0198\n",
        status=ImportJob.Status.RUNNING,
        started_at=started,
    )

    job = import_job_process(job_id=job.pk)

    assert job.status == ImportJob.Status.DONE
    assert job.saved_count == 1


def test_a_job_running_elsewhere_is_left_alone(user):
    job = ImportJob.objects.create(
        user=user,
        filename="a.csv",
        content=b"name,phone\nA,415-555-0198\n",
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now(),
    )

    job = import_job_process(job_id=job.pk)

    assert job.status == ImportJob.Status.RUNNING
    assert not Store.objects.exists()
