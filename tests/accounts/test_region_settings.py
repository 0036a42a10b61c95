"""Settings: the default phone region must be a region phonenumbers knows."""

import pytest
from django.urls import reverse

from accounts.regions import region_choices, region_name

pytestmark = pytest.mark.django_db

REGION_URL = reverse("accounts:region")


def test_saving_a_known_region_updates_the_user(client, user):
    client.force_login(user)

    response = client.post(REGION_URL, {"default_region": "DE"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.default_region == "DE"


def test_an_unknown_region_is_refused_and_the_old_one_kept(client, user):
    client.force_login(user)

    response = client.post(REGION_URL, {"default_region": "XX"})

    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in response.text
    user.refresh_from_db()
    assert user.default_region == "US"


def test_htmx_region_save_returns_the_region_card(client, user):
    client.force_login(user)

    response = client.post(REGION_URL, {"default_region": "FR"}, HTTP_HX_REQUEST="true")

    assert response.text.lstrip().startswith('<section class="card" id="region-card"')
    assert "Your default phone region is saved." in response.text
    assert '<option value="FR" selected>France (+33)</option>' in response.text


def test_every_supported_region_has_a_readable_name():
    names = dict(region_choices())

    assert len(names) > 200
    assert names["US"] == "United States (+1)"
    assert names["XK"] == "Kosovo (+383)"
    assert all(not label.startswith("(") for label in names.values())
    assert region_name("CI") == "Côte d'Ivoire"
