"""Only active staff reach the dashboard: others get 403, the signed-out the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.models import PromptVersion
from tests.adminpanel.factories import ConversationFactory, PromptVersionFactory
from tests.factories import UserFactory


@pytest.fixture
def targets(db, user):
    conversation = ConversationFactory.create(user=user)
    version = PromptVersionFactory.create(role=PromptVersion.Role.AGENT)
    return {"conversation_id": conversation.pk, "user_id": user.pk, "version_id": version.pk}


PAGES = [
    ("adminpanel:metrics", {}),
    ("adminpanel:conversations", {}),
    ("adminpanel:conversation", {"conversation_id": None}),
    ("adminpanel:users", {}),
    ("adminpanel:user", {"user_id": None}),
    ("adminpanel:prompt_role", {"role": "agent"}),
    ("adminpanel:prompt_version", {"version_id": None}),
    ("adminpanel:config", {}),
    ("adminpanel:audit", {}),
]
ACTIONS = [
    ("adminpanel:user_active", {"user_id": None}),
    ("adminpanel:user_staff", {"user_id": None}),
    ("adminpanel:user_passphrase_reset", {"user_id": None}),
    ("adminpanel:user_budget", {"user_id": None}),
    ("adminpanel:prompt_activate", {"version_id": None}),
    ("adminpanel:prompt_role", {"role": "agent"}),
    ("adminpanel:prompt_diff", {"role": "agent"}),
    ("adminpanel:prompt_try", {"role": "agent"}),
    ("adminpanel:config", {}),
]


def url(name, kwargs, targets):
    return reverse(name, kwargs={key: value if value is not None else targets[key] for key, value in kwargs.items()})


@pytest.mark.parametrize(("name", "kwargs"), [*PAGES, ("adminpanel:prompts", {})])
def test_pages_are_forbidden_to_members(member_client, targets, name, kwargs):
    assert member_client.get(url(name, kwargs, targets)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), ACTIONS)
def test_actions_are_forbidden_to_members_and_change_nothing(member_client, user, targets, name, kwargs):
    response = member_client.post(url(name, kwargs, targets), {"active": "0", "staff": "1", "body": "x"})

    assert response.status_code == 403
    user.refresh_from_db()
    assert (user.is_active, user.is_staff, user.has_passphrase) == (True, False, True)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_signed_out_visitors_are_sent_to_log_in(client, targets, name, kwargs):
    target = url(name, kwargs, targets)
    response = client.get(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_staff_can_open_every_page(staff_client, targets, name, kwargs):
    response = staff_client.get(url(name, kwargs, targets))

    assert response.status_code == 200
    assert b'aria-label="Staff dashboard"' in response.content


def test_a_deactivated_staff_member_is_refused(client, db):
    former = UserFactory(is_staff=True, is_active=False)
    client.force_login(former)

    assert client.get(reverse("adminpanel:metrics")).status_code in {302, 403}


def test_the_django_admin_stays_available(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/ops/auditlog/").status_code == 200
