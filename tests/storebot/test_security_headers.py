"""Every response carries a Content-Security-Policy that allows only our own
files, plus the usual hardening headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_pages_carry_the_content_security_policy(client):
    response = client.get("/accounts/login/")

    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe-eval" in value for values in policy.values() for value in values)
    assert "'unsafe-inline'" not in policy["script-src"]


def test_pages_carry_the_hardening_headers(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_sends_hsts_and_secure_cookies(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.CSRF_COOKIE_SECURE = True

    response = client.get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response.cookies["csrftoken"]["secure"] is True


def test_no_template_needs_an_inline_script():
    """The policy forbids inline scripts and event-handler attributes: no template may use them."""
    # Data blocks (json_script) are not executed, so the policy allows them.
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
    # onclick=... and htmx's hx-on (it compiles handlers with eval).
    handler_attribute = re.compile(r"\s(?:hx-)?on[a-z:-]*\s*=", re.IGNORECASE)
    offenders = []
    for template in Path(settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        if inline_script.search(text) or handler_attribute.search(text):
            offenders.append(str(template.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_htmx_is_configured_to_work_under_the_policy(client):
    response = client.get("/accounts/login/")

    assert '"allowEval": false' in response.content.decode()
    assert '"includeIndicatorStyles": false' in response.content.decode()
