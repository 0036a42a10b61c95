"""A signed-in person's pages, fragments and exports are never cached; static files still are."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _never_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "path",
    ["/", "/directory/", "/directory/deleted/", "/directory/export.csv", "/directory/import/", "/accounts/settings/"],
)
def test_every_personal_page_and_the_export_say_no_store(client, user, path):
    StoreFactory(user=user, store_name="Acme Hardware")
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 200
    assert _never_stored(response)


def test_htmx_fragments_and_redirects_say_no_store(client, user):
    client.force_login(user)

    fragment = client.get("/directory/?q=acme", HTTP_HX_REQUEST="true")
    redirect = client.post("/c/new/", {"text": ""})

    assert _never_stored(fragment)
    assert redirect.status_code == 302
    assert _never_stored(redirect)


def test_the_staff_dashboard_says_no_store(client):
    client.force_login(UserFactory.create(email="staff@example.com", is_staff=True))

    assert _never_stored(client.get("/staff/users/"))


def test_the_export_says_no_store_under_asgi(async_client, user):
    async def export() -> bool:
        await async_client.aforce_login(user)
        return _never_stored(await async_client.get("/directory/export.csv"))

    assert async_to_sync(export)()


def test_static_files_stay_cacheable_for_a_signed_in_person(client, user):
    client.force_login(user)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
