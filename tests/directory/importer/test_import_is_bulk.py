"""A full-size import is a handful of bulk queries, not one per row."""

from __future__ import annotations

from directory.importer import import_job_process, import_rows, read_upload
from directory.models import ImportJob, Store


def _five_hundred_rows() -> bytes:
    lines = [b"name,phone"] + [b"Store %03d,+1 415 555 %04d" % (n, n) for n in range(500)]
    return b"\n".join(lines)


def test_five_hundred_rows_take_a_bounded_number_of_queries(user, django_assert_max_num_queries):
    job = ImportJob.objects.create(user=user, filename="big.csv", content=_five_hundred_rows())

    # Per chunk of 100 rows: a read of the existing numbers, an insert inside
    # a savepoint (three statements) and a progress update; then a few for
    # claiming, loading, auditing and finishing the job.
    with django_assert_max_num_queries(36):
        job = import_job_process(job_id=job.pk)

    assert job.saved_count == 500
    assert Store.objects.filter(user=user).count() == 500


def test_progress_is_reported_after_every_chunk(user):
    seen: list[int] = []

    import_rows(user=user, rows=read_upload(_five_hundred_rows()), on_chunk=lambda tally: seen.append(tally.processed))

    assert seen == [100, 200, 300, 400, 500]
