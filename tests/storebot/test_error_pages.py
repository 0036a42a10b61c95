"""With DEBUG off, 403, 404 and 500 are the site's own pages with a way back, not Django's bare text;
the 500 page renders with neither a request nor the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import path

from storebot.urls import urlpatterns as site_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Staff only.")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A bug.")


urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/broken/", _broken),
    *site_urlpatterns,
]


@override_settings(DEBUG=False)
def test_an_unknown_page_is_the_styled_404_with_a_way_back(client, user):
    client.force_login(user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "This page doesn't exist" in html
    assert 'href="/">Back to the chat</a>' in html
    assert "/static/css/app.css" in html
    assert "alice@example.com" in html  # the site's own top bar, signed in


@override_settings(DEBUG=False)
def test_a_visitor_signed_out_gets_a_404_that_offers_to_log_in(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'href="/accounts/login/">Log in</a>' in response.content.decode()


@override_settings(DEBUG=False)
def test_permission_denied_is_the_styled_403(client, user):
    client.force_login(user)

    response = client.get("/test-errors/forbidden/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "You can't open this page" in html
    assert 'href="/">Back to the chat</a>' in html


@override_settings(DEBUG=False)
def test_a_crash_is_the_styled_500_with_a_way_back(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)

    response = client.get("/test-errors/broken/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/">Back to the chat</a>' in html
    assert "A bug." not in html


def test_the_500_page_renders_without_a_request_or_the_database(monkeypatch, django_assert_num_queries):
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)

    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert "/static/css/app.css" in html
