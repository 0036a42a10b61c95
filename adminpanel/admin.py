"""Django admin for the dashboard's and the kernel's models: the audit log is read-only, the
system configuration is a singleton whose changes are audited like the dashboard's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from adminpanel.models import MetricsDay
from adminpanel.services import config_update
from ops.models import AuditLog, SystemConfig


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "event_type", "severity", "source", "user", "request_id")
    list_filter = ("severity", "source", "event_type")
    search_fields = ("event_type", "user__email", "request_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    show_full_result_count = False


@admin.register(MetricsDay)
class MetricsDayAdmin(ReadOnlyAdmin):
    list_display = ("day", "timezone_name", "conversations", "messages", "saves", "lookups", "errors", "computed_at")
    exclude = ("latency_histogram",)
    date_hierarchy = "day"


@admin.register(SystemConfig)
class SystemConfigAdmin(admin.ModelAdmin):
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SystemConfig.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SystemConfig, form: ModelForm, change: bool) -> None:
        # Through the service, so an admin edit is validated, audited and applied like a dashboard one.
        config_update(user=request.user, changes={name: getattr(obj, name) for name in form.changed_data})  # type: ignore[arg-type]
