"""A database from before SystemConfig and AuditLog moved from adminpanel to
ops migrates forward with its rows, and staff keep their admin permissions.

The test migrates its database back to the last state before the move
(adminpanel 0002, no ops), writes rows through that state's historical
models, migrates forward again and reads them through `ops.models`. Whatever
happens, it ends by migrating every app to its latest migration, so the
tests after it find the full schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import User
from ops.models import AuditLog, SystemConfig

pytestmark = pytest.mark.django_db(transaction=True)

# ops at zero, adminpanel at its last migration before the move.
BEFORE_THE_MOVE = [("ops", None), ("adminpanel", "0002_metrics_day")]


def _migrate(targets: list[tuple[str, str | None]]) -> Apps:
    """Migrate the test database to `targets`; the models of the state reached."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    ContentType.objects.clear_cache()
    return state.apps


def _migrate_to_latest() -> None:
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def apps_before_the_move(transactional_db: None) -> Iterator[Apps]:
    try:
        yield _migrate(BEFORE_THE_MOVE)
    finally:
        _migrate_to_latest()


def _historical(apps: Apps, label: str) -> Any:
    # Built from the migration state at run time: no static type describes it,
    # and adminpanel.SystemConfig is not a model of the current code.
    return apps.get_model(label)


def _write_rows_before_the_move(apps: Apps) -> dict[str, int]:
    HistoricalUser = _historical(apps, "accounts.User")
    HistoricalSystemConfig = _historical(apps, "adminpanel.SystemConfig")
    HistoricalAuditLog = _historical(apps, "adminpanel.AuditLog")
    HistoricalContentType = _historical(apps, "contenttypes.ContentType")
    HistoricalPermission = _historical(apps, "auth.Permission")

    member = HistoricalUser.objects.create(email="alice@example.com")
    staff = HistoricalUser.objects.create(email="staff@example.com", is_staff=True)
    HistoricalSystemConfig.objects.create(pk=1, off_scope_max=7, csv_max_rows=1234, updated_by=staff)
    audit = HistoricalAuditLog.objects.create(
        event_type="login_failed", severity="warning", source="accounts", user=member, details={"ip": "203.0.113.7"}
    )
    content_type, _ = HistoricalContentType.objects.get_or_create(app_label="adminpanel", model="auditlog")
    view_auditlog, _ = HistoricalPermission.objects.get_or_create(
        content_type=content_type, codename="view_auditlog", defaults={"name": "Can view audit log"}
    )
    staff.user_permissions.add(view_auditlog)
    return {"member": member.pk, "staff": staff.pk, "audit": audit.pk, "content_type": content_type.pk}


def test_the_state_before_the_move_has_the_models_in_adminpanel_and_no_ops(apps_before_the_move):
    # Guards the premise of the test below: the move is really undone.
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("adminpanel", "0002_metrics_day") in applied
    assert ("adminpanel", "0003_move_kernel_models_to_ops") not in applied
    assert not [name for app_label, name in applied if app_label == "ops"]
    assert _historical(apps_before_the_move, "adminpanel.AuditLog")._meta.db_table == "adminpanel_auditlog"
    with pytest.raises(LookupError):
        apps_before_the_move.get_app_config("ops")


def test_rows_and_permissions_from_before_the_move_survive_it(apps_before_the_move):
    written = _write_rows_before_the_move(apps_before_the_move)

    _migrate_to_latest()

    config = SystemConfig.objects.get(pk=1)
    assert (config.off_scope_max, config.csv_max_rows, config.updated_by_id) == (7, 1234, written["staff"])
    assert config.per_user_daily_budget_usd == Decimal("1.00")
    [audit] = AuditLog.objects.all()
    assert (audit.pk, audit.event_type, audit.severity, audit.source) == (
        written["audit"],
        "login_failed",
        "warning",
        "accounts",
    )
    assert (audit.user_id, audit.details) == (written["member"], {"ip": "203.0.113.7"})

    # The same content type row, relabelled: nothing points at a stale adminpanel label.
    assert ContentType.objects.get_for_model(AuditLog).pk == written["content_type"]
    assert not ContentType.objects.filter(app_label="adminpanel", model__in=["auditlog", "systemconfig"]).exists()
    staff = User.objects.get(pk=written["staff"])
    assert staff.has_perm("ops.view_auditlog")
    assert not staff.has_perm("adminpanel.view_auditlog")
    assert not User.objects.get(pk=written["member"]).has_perm("ops.view_auditlog")
