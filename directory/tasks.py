"""django-q2 entry points for the directory: thin, they take ids and call a service."""

from __future__ import annotations

from directory.importer import import_job_process


def import_job_run(job_id: int) -> str:
    """Process one CSV import job; returns its final status for the task record."""
    return import_job_process(job_id=job_id).status
