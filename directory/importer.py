"""CSV import: an upload becomes an ImportJob, the worker turns its rows into stores.

`import_job_create` refuses a file that is not text before anything is stored;
`import_job_process` (run by django-q2 through `directory.tasks`) parses the
file, once, saves the new rows in bulk and writes a per-row report on the job
(or refuses the file whole with a reason).
`import_rows` is the core, shared with the `import_stores` command.

Queries are per chunk of rows, not per row: one read of the existing numbers
and one bulk insert per chunk, so 500 rows cost a dozen queries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from directory.csv_import import CsvFile, CsvRejected, CsvRow, check_upload, read_store_csv
from directory.models import IMPORT_FILENAME_MAX_LENGTH, ImportJob, Store
from directory.phones import PhoneError, parse_phone
from directory.selectors import stores_live_by_phone
from directory.services import StoreValidationError, clean_store_name
from ops.audit import audit_log_write
from ops.config import get_config
from ops.request_context import get_request_id

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

CHUNK_SIZE = 100
# A concurrent save can take a number between our read and our insert; each
# retry re-reads, so more than a couple of rounds means something else is wrong.
INSERT_ATTEMPTS = 3

SAVED = "saved"
DUPLICATE = "duplicate"
INVALID = "invalid"


@dataclass
class ImportTally:
    """Counts and per-row report of one import; `report` entries are JSON-ready."""

    saved: int = 0
    duplicates: int = 0
    invalid: int = 0
    report: list[dict[str, Any]] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.saved + self.duplicates + self.invalid

    def record(self, row: CsvRow, outcome: str, reason: str = "", store_id: int | None = None) -> None:
        if outcome == SAVED:
            self.saved += 1
        elif outcome == DUPLICATE:
            self.duplicates += 1
        else:
            self.invalid += 1
        entry: dict[str, Any] = {
            "row": row.row,
            "name": row.name,
            "phone": row.phone,
            "outcome": outcome,
            "reason": reason,
        }
        if store_id is not None:
            entry["store_id"] = store_id
        self.report.append(entry)

    def summary_line(self) -> str:
        return f"saved={self.saved} duplicates={self.duplicates} invalid={self.invalid}"


# (outcome, reason, id of the saved or existing store)
_Outcome = tuple[str, str, int | None]


@dataclass(frozen=True)
class _Candidate:
    row: CsvRow
    name: str
    e164: str


def read_upload(content: bytes) -> list[CsvRow]:
    """The rows of an upload within the configured limits; raises CsvRejected."""
    return _read(content).rows


def _read(content: bytes) -> CsvFile:
    config = get_config()
    return read_store_csv(content, max_rows=config.csv_max_rows, max_bytes=config.csv_max_bytes)


def import_job_create(*, user: User, filename: str, content: bytes) -> ImportJob:
    """Store the upload as a pending job and queue it after commit.

    Only what the bytes alone tell is checked here (size, not text, mixed
    encodings, empty), in milliseconds; raises CsvRejected, nothing stored.
    The file is parsed once, by the worker, which refuses the rest of what is
    wrong with it on the job's page: the web process spends no CPU on a hostile file.
    """
    check_upload(content, max_bytes=get_config().csv_max_bytes)
    job = ImportJob.objects.create(
        user=user,
        filename=filename[:IMPORT_FILENAME_MAX_LENGTH],
        content=content,
        request_id=get_request_id(),
    )
    transaction.on_commit(lambda: async_task("directory.tasks.import_job_run", job.id))
    return job


def import_job_process(*, job_id: int) -> ImportJob:
    """Run one pending job to the end. A job another worker is running is left
    alone; one whose worker died (running past the task timeout) is taken over,
    which is safe because rows saved before are found as duplicates."""
    now = timezone.now()
    abandoned = Q(status=ImportJob.Status.RUNNING, started_at__lt=now - timedelta(seconds=_task_timeout_seconds()))
    claimed = (
        ImportJob.objects.filter(Q(status=ImportJob.Status.PENDING) | abandoned)
        .filter(pk=job_id)
        .update(status=ImportJob.Status.RUNNING, started_at=now)
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    try:
        read = _read(bytes(job.content))
    except CsvRejected as rejection:
        return _finish(job, status=ImportJob.Status.REJECTED, error=str(rejection))
    rows = read.rows
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), encoding=read.encoding)
    job.total_rows, job.encoding = len(rows), read.encoding
    try:
        tally = import_rows(user=job.user, rows=rows, on_chunk=lambda done: _record_progress(job, done))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        audit_log_write(
            event_type="directory.import_failed",
            source="directory",
            user=job.user,
            severity="error",
            details={"job_id": job.pk},
        )
        job.refresh_from_db()
        return _finish(job, status=ImportJob.Status.FAILED, error=_failure_message(job))
    audit_log_write(
        event_type="directory.import_finished",
        source="directory",
        user=job.user,
        details={"job_id": job.pk, "saved": tally.saved, "duplicates": tally.duplicates, "invalid": tally.invalid},
    )
    return _finish(job, status=ImportJob.Status.DONE, tally=tally)


def import_rows(
    *, user: User, rows: Sequence[CsvRow], on_chunk: Callable[[ImportTally], None] | None = None
) -> ImportTally:
    """Validate every row, save the new stores, report each row's outcome in file order.

    A number already saved (live) for this user, or seen on an earlier row,
    is a duplicate and is not saved again, so importing a file twice adds nothing.
    """
    tally = ImportTally()
    first_row_by_phone: dict[str, CsvRow] = {}
    for start in range(0, len(rows), CHUNK_SIZE):
        _import_chunk(user=user, rows=rows[start : start + CHUNK_SIZE], tally=tally, seen=first_row_by_phone)
        if on_chunk is not None:
            on_chunk(tally)
    return tally


def _import_chunk(*, user: User, rows: Sequence[CsvRow], tally: ImportTally, seen: dict[str, CsvRow]) -> None:
    outcomes: dict[int, _Outcome] = {}
    candidates: list[_Candidate] = []
    for row in rows:
        checked = _check_row(row, region=user.default_region)
        if isinstance(checked, str):
            outcomes[row.row] = (INVALID, checked, None)
            continue
        earlier = seen.get(checked.e164)
        if earlier is not None:
            outcomes[row.row] = (DUPLICATE, f"Same number as row {earlier.row} (“{earlier.name}”).", None)
            continue
        seen[checked.e164] = row
        candidates.append(checked)

    outcomes.update(_insert_new(user=user, candidates=candidates))
    for row in rows:
        outcome, reason, store_id = outcomes[row.row]
        tally.record(row, outcome, reason, store_id)


def _check_row(row: CsvRow, *, region: str) -> _Candidate | str:
    """The row ready to save, or why it cannot be saved, in words."""
    if not row.name and not row.phone:
        return "No store name and no phone number."
    if not row.name:
        return "No store name."
    try:
        # The same name rules as a store saved from the page or the chat.
        name = clean_store_name(row.name)
    except StoreValidationError as error:
        return error.errors["store_name"]
    if not row.phone:
        return "No phone number."
    try:
        return _Candidate(row=row, name=name, e164=parse_phone(row.phone, region=region).e164)
    except PhoneError as error:
        return str(error)


def _insert_new(*, user: User, candidates: list[_Candidate]) -> dict[int, _Outcome]:
    """Insert the candidates whose number is not already saved; outcome per row number."""
    outcomes: dict[int, _Outcome] = {}
    pending = candidates
    for attempt in range(1, INSERT_ATTEMPTS + 1):
        existing = stores_live_by_phone(user=user, phones_e164=[c.e164 for c in pending])
        for candidate in pending:
            store = existing.get(candidate.e164)
            if store is not None:
                outcomes[candidate.row.row] = (DUPLICATE, f"Already saved as “{store.store_name}”.", store.pk)
        pending = [candidate for candidate in pending if candidate.e164 not in existing]
        new_stores = [_new_store(user, candidate) for candidate in pending]
        try:
            with transaction.atomic():
                created = Store.objects.bulk_create(new_stores)
        except IntegrityError:
            if attempt == INSERT_ATTEMPTS:
                raise
            continue
        for candidate, store in zip(pending, created, strict=True):
            outcomes[candidate.row.row] = (SAVED, "", store.pk)
        break
    return outcomes


def _new_store(user: User, candidate: _Candidate) -> Store:
    now = timezone.now()
    store = Store(
        user=user, phone_e164=candidate.e164, phone_original=candidate.row.phone, created_at=now, updated_at=now
    )
    store.set_name(candidate.name)
    return store


def _failure_message(job: ImportJob) -> str:
    if not job.processed_rows:
        return "The import stopped on an unexpected error before saving anything. Try again in a moment."
    return (
        f"The import stopped on an unexpected error after {job.processed_rows} of {job.total_rows} rows; "
        "the stores from those rows were saved. Importing the same file again adds only the rest."
    )


def _task_timeout_seconds() -> int:
    # django-q2 stops a task that runs longer than this, so a job still
    # "running" after it has lost its worker.
    return int(settings.Q_CLUSTER.get("timeout") or 120)


def _record_progress(job: ImportJob, tally: ImportTally) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=tally.processed,
        saved_count=tally.saved,
        duplicate_count=tally.duplicates,
        invalid_count=tally.invalid,
    )


def _finish(job: ImportJob, *, status: str, error: str = "", tally: ImportTally | None = None) -> ImportJob:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if tally is not None:
        job.processed_rows = tally.processed
        job.saved_count = tally.saved
        job.duplicate_count = tally.duplicates
        job.invalid_count = tally.invalid
        job.report = tally.report
    job.save()
    return job
