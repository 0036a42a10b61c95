from __future__ import annotations

import re

import pytest

# What htmx sends with a request aimed at an element: django-htmx reads these.
HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_to(target: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture
def alice(client, user):
    """The test client, logged in as `user` (alice)."""
    client.force_login(user)
    return client


def store_names(response) -> list[str]:
    """Store names in the order the page shows them."""
    return re.findall(r'<td data-label="Store" class="store-name">(.*?)</td>', response.content.decode())
