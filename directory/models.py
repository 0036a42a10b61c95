from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.phones import MAX_PHONE_INPUT_LENGTH
from directory.trigrams import normalize_name
from ops.request_context import REQUEST_ID_MAX_LENGTH

if TYPE_CHECKING:
    from accounts.models import User


class StoreQuerySet(models.QuerySet["Store"]):
    def live(self) -> StoreQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> StoreQuerySet:
        return self.filter(deleted_at__isnull=False)

    def owned_by(self, user: User) -> StoreQuerySet:
        return self.filter(user=user)


# The longest store name we keep: the form, chat, import and search all cut or refuse at this length.
STORE_NAME_MAX_LENGTH = 200
# A lookup by part of a number needs at least this many digits (fewer match too much).
PHONE_SEARCH_MIN_DIGITS = 4
# Encodings an upload that is not UTF-8 is read in, whole, by name.
LEGACY_ENCODINGS = {"cp1252": "Windows-1252", "latin-1": "Latin-1"}
# An upload's file name is kept up to this length.
IMPORT_FILENAME_MAX_LENGTH = 255


class Store(models.Model):
    """One saved store. Soft-deleted only: rows are never physically erased."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stores")
    store_name = models.CharField(max_length=STORE_NAME_MAX_LENGTH)
    # Case, accents and punctuation folded: what fuzzy search compares.
    normalized_name = models.CharField(max_length=STORE_NAME_MAX_LENGTH)
    phone_e164 = models.CharField(max_length=20)
    # What the user typed, extension included ("415-555-0198 ext. 12").
    phone_original = models.CharField(max_length=MAX_PHONE_INPUT_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = StoreQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "phone_e164"],
                condition=Q(deleted_at__isnull=True),
                name="store_unique_live_phone_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "deleted_at", "normalized_name"], name="store_user_live_name"),
            models.Index(fields=["user", "deleted_at", "-created_at"], name="store_user_live_created"),
            models.Index(fields=["user", "phone_e164"], name="store_user_phone"),
        ]
        ordering = ["normalized_name", "id"]

    def __str__(self) -> str:
        return f"{self.store_name} ({self.phone_e164})"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def set_name(self, name: str) -> None:
        """Name the store, with the folded form search compares: the only place either is set.

        `name` is already cleaned (directory.services.clean_store_name).
        """
        self.store_name = name
        # Folding can lengthen a name ("ﬃ" gives "ffi"); the column holds STORE_NAME_MAX_LENGTH.
        self.normalized_name = normalize_name(name)[:STORE_NAME_MAX_LENGTH]


class ImportJob(models.Model):
    """One CSV upload, processed by a django-q2 task; holds its per-row report."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    filename = models.CharField(max_length=IMPORT_FILENAME_MAX_LENGTH)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    saved_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    # [{"row": 2, "name": "...", "phone": "...", "outcome": "saved|duplicate|invalid", "reason": "..."}]
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    # The encoding the worker read the file in ("utf-8", "cp1252", ...); blank until it is read.
    encoding = models.CharField(max_length=16, blank=True)
    request_id = models.CharField(max_length=REQUEST_ID_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at"], name="importjob_user_created"),
            models.Index(fields=["created_at"], name="importjob_created"),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.filename}, {self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.FAILED}

    @property
    def legacy_encoding(self) -> str:
        """The name of the encoding the file was read in when it was not UTF-8 (Unicode), else ""."""
        return LEGACY_ENCODINGS.get(self.encoding, "")
