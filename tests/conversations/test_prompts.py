"""Versioned system prompts: seeded defaults, new versions, activation on the next turn, "try it"."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import PermissionDenied

from conversations.models import PromptVersion
from conversations.offline.model import capture_requests
from conversations.prompt_defaults import DEFAULT_PROMPTS
from conversations.prompts import (
    PromptError,
    prompt_activate,
    prompt_active_body,
    prompt_create_version,
)
from conversations.services import prompt_try
from ops.models import AuditLog
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True)


def test_every_role_has_a_seeded_active_version(db):
    for role in PromptVersion.ROLES:
        active = PromptVersion.objects.get(role=role, is_active=True)
        assert active.version == 1
        assert active.body == DEFAULT_PROMPTS[role]
        assert prompt_active_body(role) == DEFAULT_PROMPTS[role]


def test_the_default_prompts_cover_the_intents_and_the_rules():
    for intent in ("save", "multi_save", "retrieve_by_name", "retrieve_by_phone", "multi_operation", "off_scope"):
        assert intent in DEFAULT_PROMPTS["classifier"]
    assert "data" in DEFAULT_PROMPTS["agent"]
    assert "passphrase" in DEFAULT_PROMPTS["agent"]


def test_each_turn_sends_the_active_prompts(chat):
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    classifier, agent = turn.requests
    assert classifier.instructions == DEFAULT_PROMPTS["classifier"]
    assert agent.instructions.startswith(DEFAULT_PROMPTS["agent"])


def test_a_new_version_is_numbered_and_inactive_until_activated(staff):
    version = prompt_create_version(role="agent", body="Be terse.", note="shorter", user=staff)
    assert version.version == 2
    assert not version.is_active
    assert prompt_active_body("agent") == DEFAULT_PROMPTS["agent"]
    assert AuditLog.objects.filter(event_type="prompt_version_created", user=staff).exists()


def test_an_activated_version_is_used_on_the_next_turn(chat, staff):
    chat.say("save Costco")
    version = prompt_create_version(role="agent", body="You are Storebot. Be terse.", note="", user=staff)
    prompt_activate(version_id=version.pk, user=staff)
    turn = chat.say("650-555-0101")
    agent = next(request for request in turn.requests if request.role == "agent")
    assert agent.instructions.startswith("You are Storebot. Be terse.")
    assert PromptVersion.objects.get(role="agent", is_active=True) == version
    audit = AuditLog.objects.get(event_type="prompt_activated")
    assert audit.details == {"role": "agent", "version": 2, "previous_version": 1}


def test_rolling_back_reactivates_an_older_version(staff):
    newer = prompt_create_version(role="classifier", body="Classify.", note="", user=staff)
    prompt_activate(version_id=newer.pk, user=staff)
    older = PromptVersion.objects.get(role="classifier", version=1)
    prompt_activate(version_id=older.pk, user=staff)
    assert prompt_active_body("classifier") == DEFAULT_PROMPTS["classifier"]
    assert PromptVersion.objects.filter(role="classifier", is_active=True).count() == 1


@pytest.mark.parametrize(
    ("role", "body", "message"),
    [("poet", "x", "Unknown prompt role"), ("agent", "   ", "cannot be empty"), ("agent", "x" * 20_001, "at most")],
)
def test_invalid_versions_are_refused_with_a_reason(staff, role, body, message):
    with pytest.raises(PromptError, match=message):
        prompt_create_version(role=role, body=body, note="", user=staff)


def test_only_staff_can_change_prompts(user):
    with pytest.raises(PermissionDenied):
        prompt_create_version(role="agent", body="Be rude.", note="", user=user)
    with pytest.raises(PermissionDenied):
        prompt_activate(version_id=PromptVersion.objects.get(role="agent").pk, user=user)


def test_try_runs_a_sample_through_the_model_with_the_draft_and_stores_nothing(staff):
    with capture_requests() as requests:
        output = async_to_sync(prompt_try)(
            role="classifier", body="Draft classifier prompt.", sample="Save ACME Hardware, 415-555-0198", user=staff
        )
    assert '"intent": "save"' in output
    assert "ACME Hardware" in output
    assert requests[0].instructions == "Draft classifier prompt."
    assert PromptVersion.objects.count() == 3
    assert staff.token_usage.get().requests == 1


def test_try_on_the_agent_prompt_previews_a_reply(staff):
    output = async_to_sync(prompt_try)(
        role="agent", body="Draft agent prompt.", sample="Save ACME Hardware, 415-555-0198", user=staff
    )
    assert "nothing was saved" in output
    assert "ACME Hardware" in output
    assert staff.stores.count() == 0
