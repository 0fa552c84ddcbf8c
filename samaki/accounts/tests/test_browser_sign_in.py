"""A field facilitator signs in on her phone and reads Samaki in Khmer, in real Chromium."""

import re

from django.utils import translation
from playwright.sync_api import expect

from samaki.areas.models import Area
from samaki.conftest import PASSWORD, PHONE, VILLAGE_IN_ANGKOR_THUM

KHMER_SCRIPT = re.compile("[\u1780-\u17ff]")

FONT_STATUS = """async (family) => {
  await document.fonts.ready;
  return {
    check: document.fonts.check('16px "' + family + '"', 'ក'),
    statuses: [...document.fonts].filter((f) => f.family.replaceAll('"', '') === family).map((f) => f.status),
  };
}"""


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_facilitator_signs_in_on_a_phone_and_switches_to_khmer(
    phone, live_server, personas, screenshot, offsite_requests
):
    personas.person(village=VILLAGE_IN_ANGKOR_THUM, name="Sok Dara")
    village = Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM)
    font_responses = []
    phone.on(
        "response",
        lambda response: "/fonts/" in response.url and font_responses.append(response),
    )

    phone.goto("/")
    expect(phone).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert page_width(phone) <= PHONE["width"]
    screenshot(phone, "login")

    phone.get_by_label("Username").fill("facilitator")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator(".who")).to_contain_text("facilitator")
    screenshot(phone, "signed in")

    phone.locator("header form.lang button").click()  # it reads ខ្មែរ
    expect(phone.locator("html")).to_have_attribute("lang", "km")
    expect(phone.locator("header form.lang button")).to_have_text("English")
    phone.wait_for_load_state()  # the stylesheet and its fonts, not only the HTML
    font = phone.evaluate(FONT_STATUS, "Noto Sans Khmer")
    assert font == {"check": True, "statuses": ["loaded"]}
    screenshot(phone, "khmer")

    with translation.override("km"):
        people = translation.gettext("People")
    phone.locator("header nav").get_by_role("link", name=people).click()
    expect(phone).to_have_url(f"{live_server.url}/people/")
    expect(phone.locator("html")).to_have_attribute("lang", "km")  # the choice persists
    expect(phone.locator("main")).to_contain_text("Sok Dara")
    expect(phone.locator("main")).to_contain_text(village.name_km)
    assert KHMER_SCRIPT.search(phone.locator("main").inner_text())
    assert page_width(phone) <= PHONE["width"]  # nothing sticks out sideways
    screenshot(phone, "people")

    assert offsite_requests == []
    served = {response.url.rsplit("/", 1)[1]: response.status for response in font_responses}
    assert served == {"noto-sans-khmer.woff2": 200, "noto-sans-latin.woff2": 200}
