"""The quick exit in real Chromium: the case leaves the screen, the session ends, and Back does
not bring the case back."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from samaki.cases.models import CaseAudit
from samaki.conftest import PASSWORD

KEY = "3132333435363738393031323334353637383930"  # the RFC 6238 test key


def sign_in_to_the_case(page, live_server, safe_house, screenshot):
    TOTPDevice.objects.create(user=safe_house.worker, name="phone", key=KEY, confirmed=True)
    page.goto("/cases/")
    page.get_by_label("Username").fill("worker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/cases/verify/"))
    page.get_by_label("Code from your authenticator app").fill(f"{totp(bytes.fromhex(KEY)):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/cases/")
    page.get_by_role("link", name=safe_house.case.code).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{safe_house.case.pk}/")
    expect(page.locator("h1")).to_have_text(safe_house.case.code)
    screenshot(page, "case page")


def assert_the_case_is_gone(page, live_server, safe_house, screenshot):
    expect(page).to_have_url(f"{live_server.url}/static/samaki/kitchen.html")
    expect(page.locator("h1")).to_contain_text("Samlor korko")
    screenshot(page, "neutral page")
    views = CaseAudit.objects.filter(action="view").count()
    page.go_back()
    page.wait_for_load_state()
    # Back asks the server again (no-store), which has signed her out: the sign-in page.
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert safe_house.case.code not in page.content()
    assert CaseAudit.objects.filter(action="view").count() == views
    screenshot(page, "after back")


@pytest.mark.django_db(transaction=True)
def test_quick_exit_leaves_nothing_of_the_case_behind_back(
    new_context, live_server, safe_house, screenshot
):
    page = new_context().new_page()
    sign_in_to_the_case(page, live_server, safe_house, screenshot)
    page.get_by_role("link", name="Quick exit").click()
    assert_the_case_is_gone(page, live_server, safe_house, screenshot)


@pytest.mark.django_db(transaction=True)
def test_escape_three_times_is_a_quick_exit(phone, live_server, safe_house, screenshot):
    sign_in_to_the_case(phone, live_server, safe_house, screenshot)
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    expect(phone).to_have_url(f"{live_server.url}/cases/{safe_house.case.pk}/")  # two is not three
    phone.keyboard.press("Escape")
    assert_the_case_is_gone(phone, live_server, safe_house, screenshot)
