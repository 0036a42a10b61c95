"""Django admin for stores and imports: look, restore, soft-delete; never erase or bypass validation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from directory.models import ImportJob, Store
from directory.services import DuplicateStoreError, store_restore, store_soft_delete
from ops.audit import audit_log_write


class StoreStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("live", "Live"), ("deleted", "Deleted")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Store]) -> QuerySet[Store]:
        if self.value() == "live":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    """Read-only rows: names and numbers change through the app, where they are validated."""

    list_display = ("store_name", "phone_e164", "user", "created_at", "is_live")
    list_filter = (StoreStatusFilter, "created_at")
    list_select_related = ("user",)
    search_fields = ("store_name", "normalized_name", "phone_e164", "user__email")
    ordering = ("normalized_name", "id")
    readonly_fields = (
        "user",
        "store_name",
        "normalized_name",
        "phone_e164",
        "phone_original",
        "created_at",
        "updated_at",
        "deleted_at",
    )
    actions = ("restore_stores", "soft_delete_stores")

    @admin.display(boolean=True, description="Live")
    def is_live(self, store: Store) -> bool:
        return not store.is_deleted

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Store | None = None) -> bool:
        # Stores are soft-deleted only; the row stays for restore and audit.
        return False

    @admin.action(description="Restore selected deleted stores", permissions=["change"])
    def restore_stores(self, request: HttpRequest, queryset: QuerySet[Store]) -> None:
        restored = 0
        for store in queryset.filter(deleted_at__isnull=False).select_related("user"):
            try:
                store_restore(user=store.user, store_id=store.pk)
            except DuplicateStoreError as exc:
                self.message_user(request, str(exc), messages.WARNING)
                continue
            restored += 1
            _audit(request, "store_restored", store)
        self.message_user(request, f"Restored {restored} store(s).", messages.SUCCESS)

    @admin.action(description="Soft-delete selected stores", permissions=["change"])
    def soft_delete_stores(self, request: HttpRequest, queryset: QuerySet[Store]) -> None:
        deleted = 0
        for store in queryset.filter(deleted_at__isnull=True).select_related("user"):
            store_soft_delete(user=store.user, store_id=store.pk)
            deleted += 1
            _audit(request, "store_deleted", store)
        self.message_user(request, f"Deleted {deleted} store(s); they can be restored.", messages.SUCCESS)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """CSV imports as the worker left them: for reading only."""

    list_display = ("id", "user", "filename", "status", "total_rows", "saved_count", "duplicate_count", "created_at")
    list_filter = ("status", "created_at")
    list_select_related = ("user",)
    search_fields = ("filename", "user__email", "request_id")
    ordering = ("-created_at",)
    # The uploaded bytes stay out of the page: they are user data, possibly hostile.
    exclude = ("content",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False


def _audit(request: HttpRequest, event_type: str, store: Store) -> None:
    audit_log_write(
        event_type=event_type,
        source="admin",
        user=request.user if request.user.is_authenticated else None,
        details={"store_id": store.pk, "owner_id": store.user_id},
    )
