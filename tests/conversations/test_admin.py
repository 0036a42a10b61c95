"""The Django admin shows every conversations model, read-only, to staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.lifecycle import conversation_start
from conversations.services import turn_submit
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["conversation", "message", "conversationsummary", "tokenusage", "promptversion"])
def test_each_model_has_a_changelist(admin_client, model):
    response = admin_client.get(reverse(f"admin:conversations_{model}_changelist"))
    assert response.status_code == 200


def test_a_conversation_shows_its_messages_and_cannot_be_edited(admin_client, user):
    conversation = conversation_start(user=user)
    turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
    response = admin_client.get(reverse("admin:conversations_conversation_change", args=[conversation.pk]))
    assert response.status_code == 200
    assert "Save ACME Hardware, 415-555-0198" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()
    add = admin_client.get(reverse("admin:conversations_message_add"))
    assert add.status_code == 403
