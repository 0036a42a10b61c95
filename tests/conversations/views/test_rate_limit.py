"""Sending is limited per user per minute (SystemConfig.chat_rate_limit_per_minute), with a clear message."""

from __future__ import annotations

import pytest

from conversations.models import Message
from conversations.services import conversation_start
from ops.config import forget_config, get_config
from ops.models import AuditLog
from tests.conversations.views.conftest import send, signed_in


@pytest.fixture
def limit_of_three(db):
    config = get_config()
    config.chat_rate_limit_per_minute = 3
    config.save()
    forget_config()


def test_over_the_limit_a_send_is_refused_with_a_friendly_notice(session, limit_of_three, frozen_minute):
    for text in ("save Costco", "415-555-0123", "save Target"):
        assert send(session.client, session.conversation, text).status_code == 200

    refused = send(session.client, session.conversation, "save Walmart")

    html = refused.content.decode()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "the limit is 3 a minute" in html
    assert "Wait 50 seconds, then send it again." in html
    assert 'role="alert"' in html
    assert not Message.objects.filter(content="save Walmart").exists()


def test_the_first_refusal_of_a_minute_is_audited_once(session, user, limit_of_three, frozen_minute):
    for _ in range(6):
        send(session.client, session.conversation, "save Costco")

    events = AuditLog.objects.filter(event_type="chat_rate_limited")
    assert events.count() == 1
    assert events.get().user == user
    assert events.get().details == {"limit_per_minute": 3}


def test_the_limit_is_per_user(session, other_user, limit_of_three, frozen_minute):
    for _ in range(4):
        send(session.client, session.conversation, "save Costco")

    theirs = conversation_start(user=other_user)
    assert send(signed_in(other_user), theirs, "save Target").status_code == 200


def test_the_next_minute_opens_a_new_allowance(session, limit_of_three, frozen_minute):
    for _ in range(4):
        send(session.client, session.conversation, "save Costco")

    frozen_minute["now"] += 60

    assert send(session.client, session.conversation, "save Target").status_code == 200


def test_without_javascript_the_refused_text_stays_in_the_box(session, limit_of_three, frozen_minute):
    for _ in range(3):
        send(session.client, session.conversation, "save Costco")

    refused = send(session.client, session.conversation, "Save Walmart 415-555-0100", htmx=False)

    html = refused.content.decode()
    assert refused.status_code == 429
    assert ">Save Walmart 415-555-0100</textarea>" in html
    assert "the limit is 3 a minute" in html
