from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from accounts.passphrase_fingerprint import fingerprint_digest, fingerprint_make

# Where numbers typed without a country code are read, until a person chooses their own region.
DEFAULT_REGION = "US"
# The longest email address mail servers accept; forms refuse a longer one before the database does.
EMAIL_MAX_LENGTH = 254
# A daily budget in USD: up to 999,999.9999.
BUDGET_MAX_DIGITS = 10
BUDGET_DECIMAL_PLACES = 4
# Wrong passphrases are counted per user within this window from the first one, and a lockout that ended
# longer ago than this no longer makes the next one longer.
PASSPHRASE_FAILURE_WINDOW = timedelta(hours=24)
# Each lockout in a row doubles the cool-down, up to this.
LOCKOUT_MAX = timedelta(hours=24)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a store directory. The email is the login.

    The passphrase is a second secret, separate from the login password, that
    unlocks phone lookups in a conversation. Only its hash is stored, and a keyed
    fingerprint that finds it in chat messages (accounts.passphrase_fingerprint).
    """

    email = models.EmailField(unique=True, max_length=EMAIL_MAX_LENGTH)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    passphrase_hash = models.CharField(max_length=128, blank=True)
    passphrase_set_at = models.DateTimeField(null=True, blank=True)
    # HMAC of the normalised passphrase, tagged with the key and hash it belongs to; empty until known.
    passphrase_fingerprint = models.CharField(max_length=96, blank=True)
    default_region = models.CharField(
        max_length=2, default=DEFAULT_REGION, help_text="ISO 3166 region for phone numbers"
    )
    # Per-user override of the global per-user daily budget (USD); null = use system config.
    daily_budget_usd = models.DecimalField(
        max_digits=BUDGET_MAX_DIGITS, decimal_places=BUDGET_DECIMAL_PLACES, null=True, blank=True
    )
    # Lookups are refused until this moment after too many wrong passphrases.
    lookup_locked_until = models.DateTimeField(null=True, blank=True)
    # Wrong passphrases since `passphrase_failures_since`, in any conversation (web or CLI).
    passphrase_failures = models.PositiveSmallIntegerField(default=0)
    passphrase_failures_since = models.DateTimeField(null=True, blank=True)
    # Lockouts in a row, each longer than the last; forgotten after a right passphrase or a quiet window.
    passphrase_lockouts = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email

    @property
    def has_passphrase(self) -> bool:
        return bool(self.passphrase_hash)

    @property
    def passphrase_digest(self) -> bytes | None:
        """The fingerprint to look for in text, or None when there is no passphrase or its fingerprint is unknown."""
        return fingerprint_digest(self.passphrase_fingerprint, passphrase_hash=self.passphrase_hash)

    def set_passphrase(self, raw: str) -> None:
        self.passphrase_hash = make_password(raw)
        self.passphrase_fingerprint = fingerprint_make(raw, passphrase_hash=self.passphrase_hash)
        self.passphrase_set_at = timezone.now()

    def clear_passphrase(self) -> None:
        self.passphrase_hash = ""
        self.passphrase_fingerprint = ""
        self.passphrase_set_at = None

    def check_passphrase(self, raw: str) -> bool:
        """Whether `raw` is the passphrase (saved, the clear text nowhere).

        A right one re-hashes a hash made by an older hasher or with older parameters (PBKDF2 before Argon2id),
        as Django does for passwords, and writes the fingerprint if it was unknown or belonged to the old hash.
        """
        checked_hash = self.passphrase_hash
        upgraded: list[str] = []

        def rehash(raw: str) -> None:
            self.passphrase_hash = make_password(raw)
            upgraded.append("passphrase_hash")

        if not self.passphrase_hash or not check_password(raw, self.passphrase_hash, setter=rehash):
            return False
        if self.passphrase_digest is None:
            self.passphrase_fingerprint = fingerprint_make(raw, passphrase_hash=self.passphrase_hash)
            upgraded.append("passphrase_fingerprint")
        if upgraded and self.pk is not None:
            # Only over the hash just checked: a passphrase changed meanwhile is not overwritten.
            rows = type(self).objects.filter(pk=self.pk, passphrase_hash=checked_hash)
            rows.update(**{name: getattr(self, name) for name in upgraded})
        return True

    def is_lookup_locked(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.lookup_locked_until is not None and self.lookup_locked_until > now

    def passphrase_failures_counted(self, now: datetime) -> int:
        """Wrong passphrases that still count toward a lockout."""
        since = self.passphrase_failures_since
        return self.passphrase_failures if since is not None and now - since <= PASSPHRASE_FAILURE_WINDOW else 0

    def passphrase_failure_count(self, *, now: datetime, max_attempts: int, lockout_minutes: int) -> bool:
        """Count one wrong passphrase; the `max_attempts`th within the window locks lookups (True).

        The cool-down is `lockout_minutes`, doubled for each lockout in a row, up to LOCKOUT_MAX.
        """
        counted = self.passphrase_failures_counted(now)
        if counted == 0:
            self.passphrase_failures_since = now
        self.passphrase_failures = counted + 1
        if self.passphrase_failures < max_attempts:
            return False
        last_ended = self.lookup_locked_until
        if last_ended is not None and now - last_ended > PASSPHRASE_FAILURE_WINDOW:
            self.passphrase_lockouts = 0
        self.passphrase_lockouts += 1
        cool_down = timedelta(minutes=lockout_minutes) * 2 ** min(self.passphrase_lockouts - 1, 16)
        self.lookup_locked_until = now + min(cool_down, LOCKOUT_MAX)
        self.passphrase_failures = 0
        self.passphrase_failures_since = None
        return True

    def passphrase_success_count(self) -> None:
        """A right passphrase: the wrong ones before it and the lockouts in a row are forgiven."""
        self.passphrase_failures = 0
        self.passphrase_failures_since = None
        self.passphrase_lockouts = 0
