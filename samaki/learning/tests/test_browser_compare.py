"""The lead opens Learning from the menu and compares the partners, in real Chromium."""

from playwright.sync_api import expect

from samaki.conftest import PASSWORD


def test_the_lead_finds_the_comparison_from_the_menu(
    new_context, live_server, personas, consortium, screenshot
):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("outsider")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.locator("nav.main-nav a[href='/learning/']").click()
    page.locator(f"a[href='/learning/consortia/{consortium['consortium'].pk}/']").click()
    rows = page.locator("table.compare tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.filter(has_text="Home Organisation")).to_contain_text("87.5%")
    expect(rows.filter(has_text="Partner 3")).to_contain_text("p3 answer 1")
    screenshot(page, "compare")
