from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from ops.request_context import REQUEST_ID_MAX_LENGTH


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")

    def purge_older_than(self, cutoff: datetime) -> int:
        """The retention purge: the one sanctioned way audit rows leave the table."""
        stale = self.model.objects.filter(created_at__lt=cutoff)
        return stale._raw_delete(stale.db)


class AuditLog(models.Model):
    """Append-only record of security-relevant and operational events."""

    class Severity(models.TextChoices):
        INFO = "info"
        WARNING = "warning"
        ERROR = "error"
        CRITICAL = "critical"

    event_type = models.CharField(max_length=60)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.INFO)
    source = models.CharField(max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    request_id = models.CharField(max_length=REQUEST_ID_MAX_LENGTH, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        # The table kept the name it had when the model lived in adminpanel.
        db_table = "adminpanel_auditlog"
        indexes = [
            models.Index(fields=["event_type", "-created_at"], name="audit_type_created"),
            models.Index(fields=["user", "-created_at"], name="audit_user_created"),
            models.Index(fields=["-created_at"], name="audit_created"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.severity} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit records are append-only.")


class SystemConfig(models.Model):
    """Runtime settings staff change from the dashboard; a single row (pk=1).

    Read through `ops.config.get_config()`; staff change it in the dashboard, which audits every change.
    """

    # Budgets (USD per day)
    per_user_daily_budget_usd = models.DecimalField(
        max_digits=10, decimal_places=4, default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    global_daily_budget_usd = models.DecimalField(
        max_digits=12, decimal_places=4, default=Decimal("50.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    # Conversation limits
    off_scope_max = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    passphrase_max_attempts = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])
    lockout_minutes = models.PositiveIntegerField(default=15, validators=[MinValueValidator(1)])
    passphrase_idle_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="An unlock expires after this long without activity."
    )
    chat_rate_limit_per_minute = models.PositiveIntegerField(default=20, validators=[MinValueValidator(1)])
    login_rate_limit_per_minute = models.PositiveIntegerField(default=10, validators=[MinValueValidator(1)])
    # CSV import
    csv_max_rows = models.PositiveIntegerField(default=500, validators=[MinValueValidator(1)])
    csv_max_bytes = models.PositiveIntegerField(default=1_000_000, validators=[MinValueValidator(1)])
    # Retention and purges
    message_retention_days = models.PositiveIntegerField(default=90, validators=[MinValueValidator(1)])
    audit_retention_days = models.PositiveIntegerField(default=365, validators=[MinValueValidator(1)])
    import_retention_days = models.PositiveIntegerField(default=30, validators=[MinValueValidator(1)])
    task_retention_days = models.PositiveIntegerField(default=7, validators=[MinValueValidator(1)])
    idle_conversation_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)])
    purge_interval_minutes = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)])
    # Models as "provider:model-name"; blank means the environment's default.
    classifier_model = models.CharField(max_length=100, blank=True)
    agent_model = models.CharField(max_length=100, blank=True)
    fallback_model = models.CharField(max_length=100, blank=True)
    summary_model = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        db_table = "adminpanel_systemconfig"
        verbose_name = "system configuration"
        verbose_name_plural = "system configuration"

    def __str__(self) -> str:
        return "System configuration"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
