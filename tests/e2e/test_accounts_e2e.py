"""Accounts in a real browser: sign up, log in, set the passphrase in Settings."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.views import SIGNUP_DONE_MESSAGE
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"  # tests/factories.py


def test_sign_up_creates_an_account_then_its_owner_logs_in(page: Page, screenshot):
    page.goto("/accounts/signup/")
    screenshot(page, "signup")

    page.get_by_label("Email").fill("Grace@Example.com")
    page.get_by_label("Password", exact=True).fill("tangerine-orbit-42")
    page.get_by_label("Password again").fill("tangerine-orbit-42")
    page.get_by_label("Default phone region").select_option("CA")
    page.get_by_role("button", name="Create account").click()

    # The same answer whether the email was free or taken (issue 14, D3): log in to continue.
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text(SIGNUP_DONE_MESSAGE)).to_be_visible()
    user = User.objects.get(email="grace@example.com")
    assert user.default_region == "CA"
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password").fill("tangerine-orbit-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/accounts/settings/")
    expect(page.get_by_text("grace@example.com").first).to_be_visible()


def test_sign_up_errors_are_shown_beside_the_fields(page: Page, screenshot):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Password", exact=True).fill("tangerine-orbit-42")
    page.get_by_label("Password again").fill("something-else-42")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("The two passwords are different.")).to_be_visible()
    expect(page.get_by_label("Password again")).to_have_attribute("aria-invalid", "true")
    assert not User.objects.exists()
    screenshot(page, "signup-errors")


def test_log_in_with_a_wrong_then_the_right_password(page: Page, user, screenshot):
    page.goto("/accounts/login/")
    screenshot(page, "login")

    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That email and password don't match an account.")).to_be_visible()
    screenshot(page, "login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto("/accounts/settings/")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()


def test_set_passphrase_through_the_settings_page(page: Page, login, user, screenshot):
    user.clear_passphrase()
    user.save()
    login(page, user)
    page.goto("/accounts/settings/")
    card = page.locator("#passphrase-card")
    expect(card.get_by_text("Not set")).to_be_visible()
    screenshot(page, "settings")

    card.get_by_label("Your login password").fill(PASSWORD)
    card.get_by_label("New passphrase", exact=True).fill("blue pelican")
    card.get_by_label("New passphrase again").fill("blue pelican")
    card.get_by_role("button", name="Set passphrase").click()

    expect(page.get_by_text("Your passphrase is saved.")).to_be_visible()
    expect(page.locator("#passphrase-card").get_by_text("Set", exact=True)).to_be_visible()
    user.refresh_from_db()
    assert user.check_passphrase("blue pelican")
    screenshot(page, "settings-saved")


def test_passphrase_with_the_wrong_login_password_shows_the_error_in_place(page: Page, login, user):
    login(page, user)
    page.goto("/accounts/settings/")
    card = page.locator("#passphrase-card")

    card.get_by_label("Your login password").fill("wrong")
    card.get_by_label("New passphrase", exact=True).fill("blue pelican")
    card.get_by_label("New passphrase again").fill("blue pelican")
    card.get_by_role("button", name="Change passphrase").click()

    expect(card.get_by_text("That is not your login password.")).to_be_visible()
    user.refresh_from_db()
    assert user.check_passphrase("open sesame")


def test_log_out_from_the_top_bar(page: Page, login, user):
    login(page, user)
    page.goto("/accounts/settings/")

    page.get_by_role("button", name="Log out").click()

    page.wait_for_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto("/accounts/settings/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))


def test_pages_fit_a_phone_screen(new_context, login, user, screenshot):
    phone = new_context(viewport=PHONE).new_page()
    phone.goto("/accounts/login/")
    screenshot(phone, "login-phone")
    login(phone, user)
    phone.goto("/accounts/settings/")
    screenshot(phone, "settings-phone")

    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"]
    expect(phone.get_by_role("link", name="Directory")).to_be_visible()
