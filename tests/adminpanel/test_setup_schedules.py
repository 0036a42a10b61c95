"""`manage.py setup_schedules` creates the purge and burst schedules once;
running it again changes nothing, and it follows the system config."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from accounts.models import User
from adminpanel.schedules import BURSTS_SCHEDULE, METRICS_SCHEDULE, PURGE_SCHEDULE
from adminpanel.services import config_update
from ops.config import forget_config, get_config

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple]:
    return list(
        Schedule.objects.order_by("name").values_list("id", "name", "func", "schedule_type", "minutes", "repeats")
    )


def test_setup_schedules_is_idempotent(settings):
    settings.ALERT_BURST_WINDOW_MINUTES = 10

    call_command("setup_schedules", stdout=StringIO())
    first = _rows()
    call_command("setup_schedules", stdout=StringIO())

    assert _rows() == first
    assert [(name, func, minutes) for _, name, func, _, minutes, _ in first] == [
        (BURSTS_SCHEDULE, "adminpanel.tasks.bursts_check", 10),
        (METRICS_SCHEDULE, "adminpanel.tasks.metrics_rollup", 60),
        (PURGE_SCHEDULE, "adminpanel.tasks.purge_run", 60),
    ]
    assert all(schedule_type == Schedule.MINUTES and repeats == -1 for *_, schedule_type, _, repeats in first)


def test_a_changed_purge_interval_updates_the_same_schedule():
    call_command("setup_schedules", stdout=StringIO())
    purge_id = Schedule.objects.get(name=PURGE_SCHEDULE).pk
    config = get_config()
    config.purge_interval_minutes = 15
    config.save()
    forget_config()

    call_command("setup_schedules", stdout=StringIO())

    schedule = Schedule.objects.get(name=PURGE_SCHEDULE)
    assert (schedule.pk, schedule.minutes) == (purge_id, 15)
    assert Schedule.objects.count() == 3


def test_the_purge_task_runs_and_resyncs_its_schedule(django_capture_on_commit_callbacks):
    from adminpanel.tasks import purge_run

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_run()

    assert set(counts) >= {"messages", "audit_events"}
    assert Schedule.objects.filter(name=PURGE_SCHEDULE).exists()


def test_the_command_says_what_it_scheduled():
    out = StringIO()

    call_command("setup_schedules", stdout=out)

    assert f"{PURGE_SCHEDULE}: adminpanel.tasks.purge_run every 60 min" in out.getvalue()


def test_a_purge_interval_changed_on_the_dashboard_reschedules_at_once(django_capture_on_commit_callbacks):
    call_command("setup_schedules", stdout=StringIO())
    staff = User.objects.create_user("ops@example.com", "pw", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        config_update(user=staff, changes={"purge_interval_minutes": 5})

    assert Schedule.objects.get(name=PURGE_SCHEDULE).minutes == 5
