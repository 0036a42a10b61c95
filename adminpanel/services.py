"""Staff writes: the system configuration, people's access, and the stored metrics days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from adminpanel.models import MetricsDay
from adminpanel.schedules import schedules_sync
from adminpanel.selectors.metric_days import STORED_FIGURES, count_days, days_between, last_finished_day
from ops.audit import audit_log_write
from ops.config import forget_config
from ops.models import AuditLog, SystemConfig

if TYPE_CHECKING:
    from accounts.models import User


# --- System configuration ------------------------------------------------------


def config_editable_fields() -> list[str]:
    """The SystemConfig fields staff may change (everything but bookkeeping)."""
    return [
        field.name
        for field in SystemConfig._meta.concrete_fields
        if field.editable and field.name not in {"id", "updated_at", "updated_by"}
    ]


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def config_update(*, user: User, changes: dict[str, Any]) -> SystemConfig:
    """Apply staff changes to the system configuration.

    Validates the whole row before saving (a bad value changes nothing and
    raises ValidationError), writes one `config_changed` audit event with each
    changed field's before and after, and drops the cached copy so the next
    request reads the new values. Values equal to the current ones are ignored.
    """
    editable = set(config_editable_fields())
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationError(f"Unknown configuration fields: {', '.join(unknown)}.")
    SystemConfig.objects.get_or_create(pk=1)
    config = SystemConfig.objects.select_for_update().get(pk=1)
    diff: dict[str, dict[str, Any]] = {}
    for name, value in changes.items():
        before = getattr(config, name)
        if before == value:
            continue
        setattr(config, name, value)
        diff[name] = {"before": _jsonable(before), "after": _jsonable(value)}
    if not diff:
        return config
    config.full_clean(exclude=["updated_by"])
    config.updated_by = user
    config.save()
    # Drop the cached copy now and again after commit, so no request in
    # between can re-cache the old row.
    forget_config()
    transaction.on_commit(forget_config)
    audit_log_write(event_type="config_changed", source="dashboard", user=user, details={"changes": diff})
    if "purge_interval_minutes" in diff:
        transaction.on_commit(schedules_sync)
    return config


# --- User management --------------------------------------------------------------


class UserManagementError(ValueError):
    """A staff action on an account that is refused; str() says why."""


# Account changes that widen or cut someone's access stand out in the audit log.
_WARNING_EVENTS = {"user_deactivated", "staff_granted", "staff_revoked", "passphrase_reset"}


def _audit_user_action(*, actor: User, target: User, event_type: str, details: dict[str, Any] | None = None) -> None:
    audit_log_write(
        event_type=event_type,
        source="dashboard",
        user=actor,
        severity=AuditLog.Severity.WARNING if event_type in _WARNING_EVENTS else AuditLog.Severity.INFO,
        details={"target_user_id": target.pk, "target_email": target.email, **(details or {})},
    )


SUPERUSER_ONLY = "Only a superuser can change a superuser's account."


def user_changeable_by(*, actor: User, user: User) -> bool:
    """Whether `actor` may change `user` from the dashboard: a superuser only by another superuser."""
    return actor.is_superuser or not user.is_superuser


def _check_changeable(*, actor: User, user: User) -> None:
    if not user_changeable_by(actor=actor, user=user):
        raise UserManagementError(SUPERUSER_ONLY)


def _set_access_flag(
    *,
    actor: User,
    user: User,
    flag: Literal["is_active", "is_staff"],
    value: bool,
    refusal_for_self: str,
    events: tuple[str, str],
) -> User:
    """Set an access flag; audit `events[0]` when it is granted, `events[1]` when revoked.

    Nobody takes an access away from themselves (the dashboard would lock them out).
    Setting the value it already has changes and audits nothing.
    """
    _check_changeable(actor=actor, user=user)
    if user.pk == actor.pk and not value:
        raise UserManagementError(refusal_for_self)
    if getattr(user, flag) == value:
        return user
    setattr(user, flag, value)
    user.save(update_fields=[flag])
    granted, revoked = events
    _audit_user_action(actor=actor, target=user, event_type=granted if value else revoked)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, is_active: bool) -> User:
    """Activate or deactivate an account. A deactivated user is signed out on
    their next request (Django refuses sessions of inactive users)."""
    return _set_access_flag(
        actor=actor,
        user=user,
        flag="is_active",
        value=is_active,
        refusal_for_self="You cannot deactivate your own account.",
        events=("user_activated", "user_deactivated"),
    )


@transaction.atomic
def user_set_staff(*, actor: User, user: User, is_staff: bool) -> User:
    """Grant or revoke access to the staff dashboard."""
    return _set_access_flag(
        actor=actor,
        user=user,
        flag="is_staff",
        value=is_staff,
        refusal_for_self="You cannot revoke your own staff access.",
        events=("staff_granted", "staff_revoked"),
    )


@transaction.atomic
def user_reset_passphrase(*, actor: User, user: User) -> User:
    """Clear a user's passphrase: lookups stay locked until they set a new one in Settings."""
    _check_changeable(actor=actor, user=user)
    had_passphrase = user.has_passphrase
    user.clear_passphrase()
    user.save(update_fields=["passphrase_hash", "passphrase_fingerprint", "passphrase_set_at"])
    _audit_user_action(
        actor=actor, target=user, event_type="passphrase_reset", details={"had_passphrase": had_passphrase}
    )
    return user


@transaction.atomic
def user_set_budget(*, actor: User, user: User, daily_budget_usd: Decimal | None) -> User:
    """Set a user's own daily spend cap in USD; None means the system-wide default applies."""
    _check_changeable(actor=actor, user=user)
    if daily_budget_usd is not None and daily_budget_usd < 0:
        raise UserManagementError("A daily budget cannot be negative.")
    before = user.daily_budget_usd
    if before == daily_budget_usd:
        return user
    if daily_budget_usd is not None:
        # Enforces the column's digits and decimal places with a clear message.
        user._meta.get_field("daily_budget_usd").clean(daily_budget_usd, user)
    user.daily_budget_usd = daily_budget_usd
    user.save(update_fields=["daily_budget_usd"])
    _audit_user_action(
        actor=actor,
        target=user,
        event_type="budget_changed",
        details={"before": _jsonable(before), "after": _jsonable(daily_budget_usd)},
    )
    return user


# --- Metrics days -------------------------------------------------------------------


def metrics_days_store(*, start: date, end: date, zone: str) -> list[date]:
    """Count and store the finished days start..end (local dates in `zone`) not stored yet.

    Returns the days stored. Days that can still change (today, and yesterday
    for a few minutes after midnight) are left for a later run, so a stored
    day is final. A day another run stored meanwhile keeps that run's row.
    """
    now = timezone.now()
    end = min(end, last_finished_day(now))
    if end < start:
        return []
    stored = set(
        MetricsDay.objects.filter(day__gte=start, day__lte=end, timezone_name=zone).values_list("day", flat=True)
    )
    missing = [day for day in days_between(start, end) if day not in stored]
    if not missing:
        return []
    counted = count_days(missing[0], missing[-1])
    rows = [
        MetricsDay(
            day=day,
            timezone_name=zone,
            latency_histogram={str(value): count for value, count in counted[day].latency_histogram.items()},
            computed_at=now,
            **{name: getattr(counted[day], name) for name in STORED_FIGURES},
        )
        for day in missing
    ]
    MetricsDay.objects.bulk_create(rows, ignore_conflicts=True)
    return missing
