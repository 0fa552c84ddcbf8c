"""Under the strict Content-Security-Policy, real Chromium reports no violation on the pages with
scripts or charts, and the API docs page (Swagger UI, served by Samaki) still renders."""

import pytest
from playwright.sync_api import expect

from samaki.conftest import PASSWORD

PAGES = [
    "/",
    "/people/",
    "/people/new/",
    "/groups/new/",
    "/activities/new/",
    "/reports/dashboard/",
    "/feedback/",
    "/learning/",
]


@pytest.fixture
def watched(new_context):
    """A page and the CSP violations Chromium reports on it."""
    page = new_context().new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:80]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page, violations


def test_the_pages_with_scripts_break_no_rule(watched, live_server, personas):
    page, violations = watched
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("header")).to_be_visible()
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_api_docs_render_under_the_policy(watched, live_server, db):
    page, violations = watched
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Samaki API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []
