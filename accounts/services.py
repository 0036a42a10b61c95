"""Writes to accounts: creating users and changing their secrets and preferences.

Each function validates what it is given, so the web forms, the management
commands and other apps all go through the same rules.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import DEFAULT_REGION, User
from accounts.validators import validate_passphrase, validate_region
from ops.audit import audit_log_write
from ops.models import AuditLog
from ops.nul import NUL_REFUSED, has_nul

SOURCE = "accounts"


def normalize_email(email: str) -> str:
    """Emails are stored and looked up lower-cased, so "Alice@Example.com" is one account."""
    return email.strip().lower()


def email_is_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=normalize_email(email)).exists()


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    default_region: str = DEFAULT_REGION,
    is_staff: bool = False,
    passphrase: str | None = None,
) -> User:
    """Create an account; raises ValidationError naming the field that is wrong."""
    email = normalize_email(email)
    if not email:
        raise ValidationError({"email": "An email address is required."})
    if has_nul(email):
        raise ValidationError({"email": NUL_REFUSED})
    if email_is_taken(email):
        raise ValidationError({"email": f"An account with the email {email} already exists."})
    try:
        validate_region(default_region)
    except ValidationError as error:
        raise ValidationError({"default_region": error.messages}) from error
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    if passphrase is not None:
        try:
            validate_passphrase(passphrase.strip(), password=password)
        except ValidationError as error:
            raise ValidationError({"passphrase": error.messages}) from error

    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, default_region=default_region, is_staff=is_staff)
    except IntegrityError as error:
        # Two sign-ups with one email at the same moment: the unique index decides.
        raise ValidationError({"email": f"An account with the email {email} already exists."}) from error
    audit_log_write(event_type="user_created", source=SOURCE, user=user, details={"is_staff": is_staff})
    if passphrase is not None:
        user_set_passphrase(user=user, passphrase=passphrase)
    return user


def user_signup(*, email: str, password: str, default_region: str) -> User | None:
    """Create an account from the sign-up page; None when the email already has one.

    The caller answers the same either way. A taken email is audited (the owner's
    row) and costs the same password hash a new account does, so neither the
    response nor its timing tells a stranger which emails are registered.
    """
    email = normalize_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            return user_create(email=email, password=password, default_region=default_region)
        except ValidationError as error:
            if "email" not in error.message_dict:
                raise
            # A simultaneous sign-up with this email won the unique index.
            existing = User.objects.filter(email=email).first()
    make_password(password)
    audit_log_write(event_type="signup_email_taken", source=SOURCE, user=existing, severity=AuditLog.Severity.WARNING)
    return None


@transaction.atomic
def user_set_passphrase(*, user: User, passphrase: str) -> None:
    """Store the hash of a new passphrase. The clear text goes nowhere else.

    Surrounding whitespace is dropped, as it is from what a user types in chat.
    """
    passphrase = passphrase.strip()
    validate_passphrase(passphrase, user=user)
    first_time = not user.has_passphrase
    user.set_passphrase(passphrase)
    user.save(update_fields=["passphrase_hash", "passphrase_fingerprint", "passphrase_set_at"])
    audit_log_write(event_type="passphrase_changed", source=SOURCE, user=user, details={"first_time": first_time})


# The user's passphrase counters, read and written under a row lock.
_PASSPHRASE_COUNTERS = [
    "lookup_locked_until",
    "passphrase_failures",
    "passphrase_failures_since",
    "passphrase_lockouts",
]


def user_passphrase_counters_lock(*, user: User) -> None:
    """Lock the user's row until the caller's transaction ends and reload their passphrase counters.

    Every passphrase check of one user then waits for the one before it, whichever conversation, process or
    surface (web, CLI) it comes from, so concurrent guesses are all counted and see each other's lockout.
    """
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()
    user.refresh_from_db(fields=_PASSPHRASE_COUNTERS)


def user_passphrase_failure_record(*, user: User, now: datetime, max_attempts: int, lockout_minutes: int) -> bool:
    """Count a wrong passphrase (after `user_passphrase_counters_lock`); True when it locked lookups."""
    locked = user.passphrase_failure_count(now=now, max_attempts=max_attempts, lockout_minutes=lockout_minutes)
    user.save(update_fields=_PASSPHRASE_COUNTERS)
    return locked


def user_passphrase_success_record(*, user: User) -> None:
    """Forgive the wrong passphrases before a right one (after `user_passphrase_counters_lock`)."""
    if user.passphrase_failures or user.passphrase_failures_since or user.passphrase_lockouts:
        user.passphrase_success_count()
        user.save(update_fields=_PASSPHRASE_COUNTERS)


def user_set_default_region(*, user: User, default_region: str) -> None:
    validate_region(default_region)
    user.default_region = default_region
    user.save(update_fields=["default_region"])


@transaction.atomic
def user_change_password(*, user: User, password: str) -> None:
    """Set a new login password after checking it against the password validators."""
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log_write(event_type="password_changed", source=SOURCE, user=user)


def login_failure_record(*, email: str, ip: str, form: str = "login") -> None:
    """Audit a wrong login password, typed in `form` ("login", "passphrase_settings").

    The attempted password never reaches the log."""
    email = normalize_email(email)
    # As typed, before any form checked it: a NUL is no account's email (and PostgreSQL refuses it in a query).
    account = User.objects.filter(email=email).first() if email and not has_nul(email) else None
    audit_log_write(
        event_type="login_failed",
        source=SOURCE,
        user=account,
        severity=AuditLog.Severity.WARNING,
        details={"email": email[:254], "ip": ip, "form": form},
    )
