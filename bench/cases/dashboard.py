"""dashboard: the staff metrics page and the conversation inspector's first page at a million messages.

`manage.py seed_dashboard` fills the scratch database (10,000 users, 100,000
conversations, 1,000,000 messages over 90 days; COPY on PostgreSQL); then
the hourly rollup runs once, as the scheduler of a deployment would have run
it, storing the finished days as MetricsDay rows (its time is reported).
Pages are requested in process through Django's test client as a signed-in
staff member, with production settings: the whole view, queries and
templates (target: ≤ 300 ms each). The metrics page is measured cold (its
first view, before the cache holds the finished days) and warm; the default
range is the last 30 days, and the 90-day range is measured too. Baseline:
the healthz view through the same client.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from adminpanel.tasks import metrics_rollup
from bench.progress import say
from bench.results import Result, Summary

TARGET_MS = 300.0
STAFF_EMAIL = "staff@bench.storebot.test"


@dataclass(frozen=True)
class Sizes:
    users: int
    conversations: int
    messages: int
    requests: int


FULL = Sizes(users=10_000, conversations=100_000, messages=1_000_000, requests=20)
QUICK = Sizes(users=5, conversations=20, messages=100, requests=2)


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    say(f"seeding {sizes.messages:,} messages in {sizes.conversations:,} conversations of {sizes.users:,} users")
    started = time.perf_counter()
    call_command(
        "seed_dashboard",
        users=sizes.users,
        conversations=sizes.conversations,
        messages=sizes.messages,
        days=90,
        staff_email=STAFF_EMAIL,
        stdout=StringIO(),
    )
    seed_seconds = round(time.perf_counter() - started, 1)
    say(f"seeded in {seed_seconds} s")
    started = time.perf_counter()
    stored_days = metrics_rollup()
    rollup_seconds = round(time.perf_counter() - started, 1)
    say(f"rolled {stored_days} finished days up in {rollup_seconds} s")
    client = Client()
    client.force_login(User.objects.get(email=STAFF_EMAIL))
    baseline = Summary.of([_get(client, reverse("healthz")) for _ in range(sizes.requests)])
    metrics_url = reverse("adminpanel:metrics")
    cold = _get(client, metrics_url)
    pages = {
        "metrics page, last 30 days": metrics_url,
        "metrics page, last 90 days": f"{metrics_url}?start={_days_ago(89)}",
        "inspector, first page": reverse("adminpanel:conversations"),
        "inspector, first page filtered (intent save, errors)": reverse("adminpanel:conversations")
        + "?intent=save&with_errors=on",
    }
    size = f"{sizes.messages:,} messages, {sizes.conversations:,} conversations"
    results = []
    for label, url in pages.items():
        _get(client, url)  # warm
        timing = Summary.of([_get(client, url) for _ in range(sizes.requests)])
        figures: dict[str, float] = {"seed_seconds": seed_seconds}
        if label.startswith("metrics page, last 30"):
            figures["first_view_ms"] = round(cold * 1000, 1)
            figures["rollup_seconds"] = rollup_seconds
        results.append(
            Result(
                case="dashboard",
                name=label,
                database=connection.vendor,
                size=size,
                parameters={"messages": sizes.messages, "conversations": sizes.conversations, "users": sizes.users},
                timing=timing,
                target=f"≤ {TARGET_MS:.0f} ms",
                met=timing.p50 <= TARGET_MS,
                baseline_name="GET /healthz",
                baseline=baseline,
                figures=figures,
            )
        )
    return results


def _get(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise AssertionError(f"GET {url} answered {response.status_code}.")
    return elapsed


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()
