"""Content Security Policy: one strict policy, and no template that needs a hole in it."""

import datetime
import re
from pathlib import Path

from django.conf import settings

from samaki.projects.services import project_create

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "templates",
    *(path / "templates" for path in Path(settings.BASE_DIR).iterdir() if path.is_dir()),
]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
# The standalone report document carries its own <style>; its view allows exactly that.
OWN_STYLE_ELEMENT = {"reports/document.html"}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(None, 1) for part in header.split(";") if part.strip())


def templates() -> list[tuple[str, str]]:
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            found.append((path.relative_to(folder).as_posix(), path.read_text()))
    return found


def test_a_page_carries_the_strict_policy(client, personas):
    client.force_login(personas.admin)
    response = client.get("/people/")
    assert response.status_code == 200
    assert policy(response) == STRICT


def test_the_sign_in_page_carries_it_too(client, db):
    assert policy(client.get("/accounts/login/")) == STRICT


def test_only_the_report_document_may_use_inline_styles(client, personas):
    client.force_login(personas.admin)
    project = project_create(
        organisation=personas.home,
        by=personas.admin,
        code="P1",
        name_en="Project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    response = client.get(f"/reports/projects/{project.pk}/?period=2024")
    assert response.status_code == 200, response.content[:300]
    assert policy(response) == {**STRICT, "style-src": "'self' 'unsafe-inline'"}


def test_the_template_scan_sees_the_templates():
    names = {name for name, _text in templates()}
    assert {"base.html", "people/list.html", "reports/document.html"} <= names


def test_no_template_has_an_inline_script():
    inline = [
        name
        for name, text in templates()
        for attributes in SCRIPT_TAG.findall(text)
        if "src=" not in attributes and "application/json" not in attributes
    ]
    assert inline == []


def test_no_template_has_an_event_handler_attribute_or_a_javascript_url():
    found = [
        name
        for name, text in templates()
        if EVENT_HANDLER.search(text) or JAVASCRIPT_URL.search(text)
    ]
    assert found == []


def test_no_template_has_a_style_attribute_or_element_the_policy_would_block():
    found = [
        name
        for name, text in templates()
        if STYLE_ATTRIBUTE.search(text)
        or ("<style" in text.lower() and name not in OWN_STYLE_ELEMENT)
    ]
    assert found == []


def test_the_dashboards_inline_charts_carry_no_style_the_policy_would_block(client, personas):
    personas.person()
    client.force_login(personas.admin)
    page = client.get("/reports/dashboard/?period=2024").content.decode()
    assert page.count("<svg") >= 2  # the charts and the map, inline
    assert STYLE_ATTRIBUTE.search(page) is None
    assert "<style" not in page
