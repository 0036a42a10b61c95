"""The throttles count the address our own proxy saw, never one the client wrote."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.login_throttle import client_ip


def _address(*, remote: str = "198.51.100.20", forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


def test_with_nothing_in_front_the_peer_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert _address(forwarded="6.6.6.6") == "198.51.100.20"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),  # a proxy that overwrites the header
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),  # one that appends to what the client sent
        ("6.6.6.6,7.7.7.7 , 203.0.113.9", "203.0.113.9"),
    ],
)
def test_behind_one_proxy_the_entry_it_wrote_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1

    # REMOTE_ADDR is what daphne --proxy-headers made of the leftmost entry: never trusted.
    assert _address(remote=forwarded.split(",")[0], forwarded=forwarded) == expected


def test_behind_two_proxies_the_entry_the_outer_one_wrote_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert _address(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


def test_without_the_header_the_peer_address_counts_even_behind_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert _address(remote="203.0.113.9") == "203.0.113.9"


def test_an_ipv6_client_counts_as_its_slash_64(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert _address(remote="2001:db8:1:2:aaaa::1") == _address(remote="2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert _address(remote="::ffff:203.0.113.9") == "203.0.113.9"
