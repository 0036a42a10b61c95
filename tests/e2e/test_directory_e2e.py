"""The directory in a real browser: import a messy CSV, watch it finish, search
as you type, add and edit inline, delete, undo and restore."""

from __future__ import annotations

import codecs
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from directory.importer import import_job_process
from directory.models import ImportJob, Store
from tests.e2e.conftest import PHONE
from tests.factories import StoreFactory

pytestmark = pytest.mark.e2e

MESSY_CSV = (
    codecs.BOM_UTF8
    + (
        "Store Name;Telephone;Notes\r\n"
        "ACME Hardware;415-555-0198;front desk\r\n"
        "\r\n"
        "  Beta Books  ;(415) 555-0199;\r\n"
        "ACME again;+1 415 555 0198;same as row 2\r\n"
        "Caf\u00e9 Noir;+33 1 42 68 53 00;Paris\r\n"
        "Nowhere;555-0100;no area code\r\n"
        "Costco;415-555-0123;already saved\r\n"
    ).encode()
)


def _row(page: Page, name: str):
    return page.locator("#store-results tbody tr", has=page.locator(".store-name", has_text=name))


def test_import_a_messy_csv_then_search_delete_and_restore(logged_in_page: Page, user, tmp_path, screenshot):
    page = logged_in_page
    StoreFactory.create(user=user, store_name="Costco Wholesale", phone_e164="+14155550123")
    csv_path = tmp_path / "my stores.csv"
    csv_path.write_bytes(MESSY_CSV)

    page.goto("/directory/import/")
    expect(page.get_by_role("heading", name="Import stores from a CSV")).to_be_visible()
    page.get_by_label("CSV file").set_input_files(csv_path)
    screenshot(page, "directory-import-upload")
    page.get_by_role("button", name="Upload and import").click()

    page.wait_for_url(re.compile(r"/directory/import/\d+/$"))
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator(".stat-saved dd")).to_have_text("3")
    expect(page.locator(".stat-duplicate dd")).to_have_text("2")
    expect(page.locator(".stat-invalid dd")).to_have_text("1")
    report = page.locator(".report-table tbody tr")
    expect(report).to_have_count(6)
    expect(report.nth(2)).to_contain_text("Same number as row 2 (“ACME Hardware”).")
    expect(report.nth(4)).to_contain_text("add the area code")
    expect(report.nth(5)).to_contain_text("Already saved as “Costco Wholesale”.")
    screenshot(page, "directory-import-report")

    page.get_by_role("link", name="Open the directory").click()
    expect(page.locator("#store-results .store-name")).to_have_text(
        ["ACME Hardware", "Beta Books", "Café Noir", "Costco Wholesale"]
    )
    expect(_row(page, "Café Noir")).to_contain_text("+33 1 42 68 53 00")

    search = page.get_by_label("Search your stores")
    search.press_sequentially("acme hardwre", delay=30)
    expect(page.locator("#store-results .store-name")).to_have_text(["ACME Hardware"])
    expect(page.get_by_text("1 match for “acme hardwre”, best first.")).to_be_visible()
    assert "q=acme%20hardwre" in page.url
    screenshot(page, "directory-search")
    search.fill("")
    expect(page.locator("#store-results .store-name")).to_have_count(4)

    _row(page, "Beta Books").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted “Beta Books”.")).to_be_visible()
    expect(page.locator("#store-counts")).to_contain_text("3 stores · 1 recently deleted")
    page.get_by_role("button", name="Undo").click()
    expect(_row(page, "Beta Books")).to_contain_text("(415) 555-0199")
    assert Store.objects.get(user=user, store_name="Beta Books").deleted_at is None

    _row(page, "Beta Books").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Deleted “Beta Books”.")).to_be_visible()
    page.get_by_role("link", name="1 recently deleted").click()
    expect(page.get_by_role("heading", name="Recently deleted")).to_be_visible()
    screenshot(page, "directory-trash")
    page.get_by_role("button", name="Restore Beta Books").click()
    expect(page.get_by_text("Restored “Beta Books” to your directory.")).to_be_visible()
    page.get_by_role("link", name="directory", exact=True).click()
    expect(_row(page, "Beta Books")).to_be_visible()
    screenshot(page, "directory")


def test_progress_bar_polls_until_the_job_finishes(logged_in_page: Page, user, screenshot):
    page = logged_in_page
    content = b"name,phone\n" + b"".join(b"Store %03d,415-555-%04d\n" % (n, n) for n in range(120))
    job = ImportJob.objects.create(user=user, filename="big.csv", content=content)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if f"/import/{job.pk}/" in request.url else None)

    page.goto(f"/directory/import/{job.pk}/")
    expect(page.get_by_role("heading", name="Waiting for a worker…")).to_be_visible()
    screenshot(page, "directory-import-progress")
    import_job_process(job_id=job.pk)

    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=5000)
    expect(page.locator(".stat-saved dd")).to_have_text("120")
    polls_when_finished = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == polls_when_finished, "polling must stop once the job has finished"


def test_add_and_edit_inline_with_phone_messages(logged_in_page: Page, user, screenshot):
    page = logged_in_page
    page.goto("/directory/")
    expect(page.get_by_text("Your directory is empty")).to_be_visible()

    page.get_by_label("Store name").fill("ACME Hardware")
    page.get_by_label("Phone number").fill("555-0198")
    page.get_by_role("button", name="Add store").click()
    expect(page.get_by_text("looks like a local number: add the area code")).to_be_visible()
    expect(page.get_by_label("Store name")).to_have_value("ACME Hardware")
    screenshot(page, "directory-add-error")

    page.get_by_label("Phone number").fill("415-555-0198")
    page.get_by_role("button", name="Add store").click()
    expect(page.get_by_text("Saved “ACME Hardware”, (415) 555-0198.")).to_be_visible()
    expect(_row(page, "ACME Hardware")).to_be_visible()

    _row(page, "ACME Hardware").get_by_role("link", name="Edit").click()
    editing = page.locator("tr.row-editing")
    editing.get_by_label("Phone number").fill("911")
    editing.get_by_role("button", name="Save").click()
    expect(page.get_by_text("is a short service number (like 911)")).to_be_visible()
    screenshot(page, "directory-edit-inline")
    editing.get_by_label("Store name").fill("ACME Tools")
    editing.get_by_label("Phone number").fill("(415) 555-0100")
    editing.get_by_role("button", name="Save").click()
    expect(_row(page, "ACME Tools")).to_contain_text("(415) 555-0100")
    assert Store.objects.get(user=user).phone_e164 == "+14155550100"


def test_directory_on_a_phone(new_context, login, user, screenshot):
    for number, name in enumerate(["ACME Hardware", "Beta Books", "Costco Wholesale", "Harrods"]):
        StoreFactory.create(user=user, store_name=name, phone_e164=f"+1415555010{number}")
    StoreFactory.create(user=user, store_name="Old Corner Shop", phone_e164="+14155550109", deleted_at=timezone.now())
    job = ImportJob.objects.create(user=user, filename="stores.csv", content=MESSY_CSV)
    import_job_process(job_id=job.pk)
    page = login(new_context(viewport=PHONE).new_page(), user)

    page.goto("/directory/")
    expect(page.locator("#store-results .store-name").first).to_be_visible()
    screenshot(page, "directory-phone")
    page.goto(f"/directory/import/{job.pk}/")
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    screenshot(page, "directory-import-report-phone")
    page.goto("/directory/import/")
    screenshot(page, "directory-import-upload-phone")
    page.goto("/directory/deleted/")
    expect(page.get_by_role("button", name="Restore Old Corner Shop")).to_be_visible()
    screenshot(page, "directory-trash-phone")
