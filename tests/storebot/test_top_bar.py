"""The shared layout (templates/base.html): top bar, current section, staff link, messages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_log_in_and_sign_up_but_no_navigation(client):
    response = client.get(reverse("accounts:login"))

    assert 'href="/accounts/signup/"' in response.text
    assert 'aria-label="Main"' not in response.text
    assert "Log out" not in response.text


def test_the_current_section_is_marked_in_the_navigation(client, user):
    client.force_login(user)

    response = client.get(reverse("accounts:settings"))

    assert '<a href="/accounts/settings/" aria-current="page">Settings</a>' in response.text
    assert response.text.count('aria-current="page"') == 1


def test_only_staff_see_the_staff_link(client, user):
    client.force_login(user)
    assert 'href="/staff/"' not in client.get(reverse("accounts:settings")).text

    client.force_login(UserFactory(email="ops@example.com", is_staff=True))
    assert 'href="/staff/"' in client.get(reverse("accounts:settings")).text


def test_the_layout_renders_without_a_resolved_url(user):
    # Error pages render base.html for a request no URL pattern matched.
    request = RequestFactory().get("/no-such-page/")
    request.user = user

    html = engines["django"].from_string('{% extends "base.html" %}').render({}, request)

    assert "alice@example.com" in html
    assert 'aria-current="page"' not in html


def test_messages_appear_once_in_the_message_area(client, user):
    client.force_login(user)

    client.post(reverse("accounts:region"), {"default_region": "DE"})
    response = client.get(reverse("accounts:settings"))

    assert response.text.count("Your default phone region is saved.") == 1
    assert 'class="flash flash-success" role="status"' in response.text
    assert "Your default phone region is saved." not in client.get(reverse("accounts:settings")).text


def test_anonymous_render_has_no_user_menu():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    html = engines["django"].from_string('{% extends "base.html" %}').render({}, request)

    assert "Log out" not in html
    assert "Sign up" in html
