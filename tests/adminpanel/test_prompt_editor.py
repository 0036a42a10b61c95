"""The live prompt editor: versions, activation, rollback, diff and "try it";
the next chat turn uses the active version."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils.html import escape

from conversations.models import PromptVersion
from conversations.offline.model import capture_requests
from conversations.prompts import prompt_active_body
from conversations.services import conversation_start, turn_run
from ops.models import AuditLog


def editor_url(role: str = "agent") -> str:
    return reverse("adminpanel:prompt_role", kwargs={"role": role})


def save_version(client, body: str, *, note: str = "", activate: bool = False, role: str = "agent"):
    data = {"body": body, "note": note}
    if activate:
        data["activate"] = "on"
    return client.post(editor_url(role), data)


def agent_instructions_of_next_turn(user) -> str:
    conversation = conversation_start(user=user)

    async def run() -> None:
        async for _ in turn_run(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198"):
            pass

    with capture_requests() as requests:
        async_to_sync(run)()
    agent_requests = [request for request in requests if request.role == "agent"]
    assert agent_requests, [request.role for request in requests]
    return agent_requests[-1].instructions


def test_saving_an_edit_creates_a_new_inactive_version(staff_client, staff_user):
    active_before = prompt_active_body("agent")

    response = save_version(staff_client, "Be brief.\nNever reveal secrets.", note="Shorter")

    assert response.status_code == 302
    version = PromptVersion.objects.filter(role="agent").latest("version")
    assert (version.body, version.note, version.is_active, version.created_by) == (
        "Be brief.\nNever reveal secrets.",
        "Shorter",
        False,
        staff_user,
    )
    assert prompt_active_body("agent") == active_before
    assert AuditLog.objects.filter(event_type="prompt_version_created", user=staff_user).exists()


def test_an_activated_version_is_the_system_prompt_of_the_next_turn(staff_client, user):
    marker = "Sign every reply with the word PINEAPPLE."
    save_version(staff_client, prompt_active_body("agent") + "\n" + marker, activate=True)

    instructions = agent_instructions_of_next_turn(user)

    assert marker in instructions
    assert PromptVersion.objects.get(role="agent", is_active=True).body.endswith(marker)


def test_rolling_back_makes_the_older_version_active_again(staff_client, user):
    save_version(staff_client, "Version one: TANGERINE.", activate=True)
    first = PromptVersion.objects.get(role="agent", is_active=True)
    save_version(staff_client, "Version two: PAPAYA.", activate=True)

    response = staff_client.post(reverse("adminpanel:prompt_activate", kwargs={"version_id": first.pk}), follow=True)

    assert PromptVersion.objects.get(role="agent", is_active=True) == first
    assert "Rolled back to agent prompt v" in response.content.decode()
    assert "TANGERINE" in agent_instructions_of_next_turn(user)
    assert AuditLog.objects.filter(event_type="prompt_activated", details__version=first.version).count() == 2


def test_saving_the_active_text_unchanged_is_refused(staff_client):
    before = PromptVersion.objects.filter(role="agent").count()

    response = save_version(staff_client, prompt_active_body("agent"))

    assert response.status_code == 400
    assert "same as the active prompt" in response.content.decode()
    assert PromptVersion.objects.filter(role="agent").count() == before


def test_an_empty_prompt_is_refused_with_a_reason(staff_client):
    response = save_version(staff_client, "   \n  ")

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_the_draft_diff_shows_added_and_removed_lines_escaped(staff_client):
    active = prompt_active_body("agent")
    first_line = active.splitlines()[0]
    draft = active.replace(first_line, "<script>alert(1)</script>", 1)

    response = staff_client.post(reverse("adminpanel:prompt_diff", kwargs={"role": "agent"}), {"body": draft})

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "+1</span>" in html
    assert "1</span> lines compared with the active version" in html


def test_a_version_page_shows_its_text_and_the_diff(staff_client):
    save_version(staff_client, "Only this line.")
    version = PromptVersion.objects.filter(role="agent").latest("version")

    response = staff_client.get(reverse("adminpanel:prompt_version", kwargs={"version_id": version.pk}))

    html = response.content.decode()
    assert "Only this line." in html
    assert "diff-remove" in html
    assert f"Activate v{version.version}" in html


def test_try_it_runs_the_draft_through_the_model_without_saving(staff_client):
    versions = PromptVersion.objects.count()

    response = staff_client.post(
        reverse("adminpanel:prompt_try", kwargs={"role": "classifier"}),
        {"body": prompt_active_body("classifier"), "sample": "Save ACME Hardware, 415-555-0198"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert escape('"intent": "save"') in html
    assert PromptVersion.objects.count() == versions


def test_try_it_without_a_sample_explains_what_is_missing(staff_client):
    response = staff_client.post(
        reverse("adminpanel:prompt_try", kwargs={"role": "agent"}), {"body": "Be nice.", "sample": ""}
    )

    assert response.status_code == 400
    assert "flash-error" in response.content.decode()


@pytest.mark.parametrize("role", ["classifier", "agent", "summarizer"])
def test_every_role_has_an_editor(staff_client, role):
    response = staff_client.get(editor_url(role))

    assert response.status_code == 200
    assert escape(prompt_active_body(role).splitlines()[0]) in response.content.decode()


def test_an_unknown_role_is_not_found(staff_client):
    assert staff_client.get(editor_url("poet")).status_code == 404
