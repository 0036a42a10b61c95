"""Sending a message: the user's bubble at once, a placeholder the reply streams into, and a page without JavaScript."""

from __future__ import annotations

from django.urls import reverse

from conversations.models import Conversation, Message
from tests.conversations.views.conftest import HTMX, read_stream, send, stream_url_in


def test_a_send_answers_at_once_with_the_bubble_and_where_to_stream_the_reply(session):
    response = send(session.client, session.conversation, "Save ACME Hardware, 415-555-0198")

    html = response.content.decode()
    message = Message.objects.get(conversation=session.conversation, role=Message.Role.USER)
    assert response.status_code == 200
    assert "Save ACME Hardware, 415-555-0198" in html
    assert 'class="msg msg-assistant is-streaming"' in html
    assert stream_url_in(response) == reverse("conversations:stream", args=[session.conversation.pk, message.pk])
    # The reply is generated while it streams, not before the POST answers.
    assert not Message.objects.filter(role=Message.Role.ASSISTANT).exists()


def test_the_reply_streams_and_the_page_then_shows_it(session, user):
    streamed = session.say("Save ACME Hardware, 415-555-0198")

    assert streamed.of_type("tool") == [
        {"type": "tool", "name": "save_store", "ok": True, "summary": "Saved ACME Hardware"}
    ]
    assert "(415) 555-0198" in streamed.text
    assert streamed.events[-1]["type"] == "done"
    assert user.stores.get().phone_e164 == "+14155550198"
    page = session.page()
    assert streamed.text.replace("'", "&#x27;") in page
    assert "Saved ACME Hardware" in page
    assert "is-streaming" not in page


def test_the_first_message_from_the_home_page_starts_a_conversation(client_alice, user):
    response = client_alice.post(
        reverse("conversations:new"), {"text": "Save ACME Hardware, 415-555-0198"}, headers=HTMX
    )

    conversation = Conversation.objects.get(user=user)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Push-Url"] == reverse("conversations:detail", args=[conversation.pk])
    # The message box, header and list come along out of band, now aimed at the new conversation.
    assert f'hx-post="{reverse("conversations:send", args=[conversation.pk])}"' in html
    assert 'id="composer"' in html
    assert html.count('hx-swap-oob="true"') == 3
    reply = read_stream(user, stream_url_in(response))
    assert reply.events[-1]["type"] == "done"
    assert user.stores.count() == 1


def test_an_empty_message_is_refused_with_a_notice_and_nothing_stored(session):
    response = send(session.client, session.conversation, "   ")

    assert response.status_code == 400
    assert "Type a message first." in response.content.decode()
    assert not session.conversation.messages.exists()


def test_a_too_long_message_says_the_limit_and_keeps_the_text_without_javascript(session):
    text = "Save " + "x" * 2_100
    response = send(session.client, session.conversation, text, htmx=False)

    html = response.content.decode()
    assert response.status_code == 400
    assert "keep it under 2,000" in html
    assert f">{text}</textarea>" in html
    assert not session.conversation.messages.exists()


def test_without_javascript_the_reply_is_ready_after_the_redirect(session, user):
    response = send(session.client, session.conversation, "Save ACME Hardware, 415-555-0198", htmx=False)

    assert response.status_code == 302
    assert response.url == reverse("conversations:detail", args=[session.conversation.pk])
    reply = Message.objects.get(conversation=session.conversation, role=Message.Role.ASSISTANT)
    assert not reply.interrupted
    assert user.stores.count() == 1
    page = session.client.get(response.url).content.decode()
    assert "(415) 555-0198, is saved" in page
    assert "data-stream-url" not in page


def test_a_message_whose_reply_never_streamed_streams_when_the_page_is_opened(session):
    send(session.client, session.conversation, "Save ACME Hardware, 415-555-0198")

    page = session.page()

    assert "data-stream-url" in page
    assert page.count("is-streaming") == 1


def test_model_output_is_shown_as_text_never_as_html(session):
    question = Message.objects.create(
        conversation=session.conversation, role=Message.Role.USER, content="hi <b>there</b>"
    )
    Message.objects.create(
        conversation=session.conversation,
        role=Message.Role.ASSISTANT,
        in_reply_to=question,
        content='<img src=x onerror="alert(1)"> <script>alert(2)</script>',
        tool_calls=[{"name": "save_store", "ok": True, "summary": "<i>Saved</i>"}],
    )

    page = session.page()

    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;i&gt;Saved&lt;/i&gt;" in page
    assert "hi &lt;b&gt;there&lt;/b&gt;" in page
