"""An administrator adds, renames and retires an activity kind on a phone, in Khmer, in real
Chromium. Screenshots: var/screenshots/test_an_admin_adds_and_retires_a_kind_in_khmer-chromium/."""

from playwright.sync_api import expect

from samaki.activities.models import ActivityKind
from samaki.conftest import PASSWORD, PHONE


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_admin_adds_and_retires_a_kind_in_khmer(phone, live_server, personas, screenshot):
    phone.goto("/accounts/login/")
    phone.locator("#id_username").fill("admin")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.locator("header form.lang button").click()
    expect(phone.locator("html")).to_have_attribute("lang", "km")

    phone.locator("nav.main-nav a[href='/settings/vocabularies/']").click()
    expect(phone.locator("section#activity-kinds")).to_be_visible()
    fits(phone)
    screenshot(phone, "vocabularies")
    phone.locator("a[href='/settings/vocabularies/activity-kinds/new/']").click()
    phone.locator("#id_name_en").fill("Savings meeting")
    phone.locator("main button.primary").click()  # no Khmer name: refused
    expect(phone.locator("main .errorlist")).to_have_count(1)
    assert not ActivityKind.objects.filter(organisation=personas.home).exists()
    fits(phone)
    screenshot(phone, "add refused")
    phone.locator("#id_name_km").fill("កិច្ចប្រជុំសន្សំ")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(f"{live_server.url}/settings/vocabularies/")
    term = ActivityKind.objects.get(organisation=personas.home)
    assert term.code == "savings_meeting"

    phone.goto("/activities/new/")
    expect(phone.locator("#id_kind_code option[value='savings_meeting']")).to_have_text("កិច្ចប្រជុំសន្សំ")
    phone.goto(f"/settings/vocabularies/activity-kinds/{term.pk}/")
    phone.locator("#id_name_km").fill("ថ្ងៃសន្សំប្រាក់")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(f"{live_server.url}/settings/vocabularies/")
    phone.locator(
        f"form[action='/settings/vocabularies/activity-kinds/{term.pk}/retire/'] button"
    ).click()
    expect(
        phone.locator(f"form[action='/settings/vocabularies/activity-kinds/{term.pk}/restore/']")
    ).to_be_visible()
    fits(phone)
    screenshot(phone, "retired")
    phone.goto("/activities/new/")
    expect(phone.locator("#id_kind_code option[value='savings_meeting']")).to_have_count(0)
    term.refresh_from_db()
    assert (term.name_km, term.retired_on is not None) == ("ថ្ងៃសន្សំប្រាក់", True)
