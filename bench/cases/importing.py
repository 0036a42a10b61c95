"""import: a 500-row CSV through the django-q2 task, with a real worker (`manage.py qcluster`).

Each upload goes in as the web page puts it (`import_job_create`, queued
after commit); the worker runs `directory.tasks.import_job_run`. Worker time
is the task's work, from the worker claiming the job to its report saved
(the job's started_at to finished_at; target ≤ 1 s). Beside it: queue to
done as django-q2 records the task (its "started" is the enqueue time, so
this adds the broker's 0.5 s polling) and the wall time from upload to done.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django_q.models import Task

from accounts.models import User
from bench.data import phone_e164, store_names
from bench.progress import say
from bench.results import Result, Summary
from bench.seeding import users_create
from bench.servers import worker
from directory.importer import import_job_create
from directory.models import ImportJob, Store
from directory.phones import format_phone

ROWS = 500
TARGET_SECONDS = 1.0
WAIT_SECONDS = 60
TASK_RECORD_SECONDS = 5
TASK = "directory.tasks.import_job_run"


@dataclass(frozen=True)
class Sizes:
    imports: int
    warmup: int


FULL = Sizes(imports=10, warmup=1)
QUICK = Sizes(imports=1, warmup=0)


@dataclass(frozen=True)
class TimedImport:
    worker_seconds: float
    queued_to_done_seconds: float
    upload_to_done_seconds: float


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    inline = bool(settings.Q_CLUSTER.get("sync"))
    users = users_create(sizes.warmup + sizes.imports, label="import")
    content = csv_file(ROWS, seed=41)
    if inline:  # the test settings run tasks in process: no worker to start
        imports = [_import(user, content, with_task_record=False) for user in users]
    else:
        with worker() as cluster:
            say(f"worker started; {len(users)} imports of {ROWS} rows")
            imports = []
            for user in users:
                cluster.check_running()
                try:
                    imports.append(_import(user, content, with_task_record=True))
                except AssertionError as error:
                    raise AssertionError(f"{error}\nWorker log:\n{cluster.log_tail()}") from error
    measured = imports[sizes.warmup :]
    timing = Summary.of([item.worker_seconds for item in measured])
    baseline = Summary.of([_bare_bulk_insert(user) for user in users_create(len(measured), label="import-floor")])
    return [
        Result(
            case="import",
            name=f"{ROWS}-row CSV, worker time",
            database=connection.vendor,
            size=f"{ROWS} rows a file",
            parameters={"rows": ROWS, "imports": len(measured), "warmup": sizes.warmup, "worker_inline": inline},
            timing=timing,
            throughput=round(ROWS / statistics.median(item.worker_seconds for item in measured)),
            throughput_unit="rows/s",
            target=f"worker time ≤ {TARGET_SECONDS:.0f} s",
            met=timing.p50 <= TARGET_SECONDS * 1000,
            baseline_name="bulk insert of the rows",
            baseline=baseline,
            figures={
                "queued_to_done_p50_ms": Summary.of([item.queued_to_done_seconds for item in measured]).p50,
                "upload_to_done_p50_ms": Summary.of([item.upload_to_done_seconds for item in measured]).p50,
            },
        )
    ]


def _bare_bulk_insert(user: User) -> float:
    """The floor: the file's valid rows inserted in one bulk statement, nothing checked or reported."""
    stores = []
    for n, name in enumerate(store_names(ROWS - 1, seed=41)):
        store = Store(user=user, phone_e164=phone_e164(n), phone_original="x")
        store.set_name(name)
        stores.append(store)
    started = time.perf_counter()
    with transaction.atomic():
        Store.objects.bulk_create(stores)
    return time.perf_counter() - started


def csv_file(rows: int, *, seed: int) -> bytes:
    """A realistic upload: formatted numbers, a few invalid ones and repeated rows."""
    rng = random.Random(seed)
    lines = ["Store name,Phone"]
    for n, name in enumerate(store_names(rows - 1, seed=seed)):
        roll = rng.random()
        if roll < 0.03:
            phone = "555-01"  # too short: reported invalid
        elif roll < 0.05 and n:
            phone = format_phone(phone_e164(n - 1), region="US")  # same number as the row before
        else:
            phone = format_phone(phone_e164(n), region="US")
        quoted = f'"{name}"' if "," in name else name
        lines.append(f"{quoted},{phone}")
    return ("\n".join(lines) + "\n").encode()


def _import(user: User, content: bytes, *, with_task_record: bool) -> TimedImport:
    uploaded = time.perf_counter()
    with transaction.atomic():
        job = import_job_create(user=user, filename="stores.csv", content=content)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        job.refresh_from_db(fields=["status", "started_at", "finished_at", "saved_count", "total_rows"])
        if job.is_finished:
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"Import job {job.pk} still {job.status} after {WAIT_SECONDS} s.")
        time.sleep(0.01)
    done = time.perf_counter() - uploaded
    if job.status != ImportJob.Status.DONE or job.total_rows != ROWS - 1 or not job.saved_count:
        raise AssertionError(
            f"Import job {job.pk} ended {job.status} with {job.saved_count} of {job.total_rows} saved."
        )
    if job.started_at is None or job.finished_at is None:
        raise AssertionError(f"Import job {job.pk} finished without its start and finish times.")
    worker_seconds = (job.finished_at - job.started_at).total_seconds()
    task = _task_record(job.pk) if with_task_record else None
    queued_to_done = (task.stopped - task.started).total_seconds() if task else done
    return TimedImport(
        worker_seconds=worker_seconds, queued_to_done_seconds=queued_to_done, upload_to_done_seconds=done
    )


def _task_record(job_id: int) -> Task | None:
    """django-q2's record of the job's task; the worker's monitor saves it just after the job finishes."""
    deadline = time.monotonic() + TASK_RECORD_SECONDS
    while time.monotonic() < deadline:
        for task in Task.objects.filter(func=TASK).order_by("-stopped")[:20]:
            if task.args == (job_id,):
                return task
        time.sleep(0.05)
    return None
