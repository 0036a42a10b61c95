"""`manage.py setup_schedules`: create or update the django-q2 schedules (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from adminpanel.schedules import schedules_sync


class Command(BaseCommand):
    help = "Create or update the background schedules (purges, alert bursts). Safe to run on every deploy."

    def handle(self, *args: Any, **options: Any) -> None:
        for schedule in schedules_sync():
            self.stdout.write(f"{schedule.name}: {schedule.func} every {schedule.minutes} min")
