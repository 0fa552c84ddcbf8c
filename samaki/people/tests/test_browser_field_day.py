"""A facilitator's field day on a phone, in Khmer, in real Chromium: three women registered (one a
likely duplicate she is warned about), a session, attendance, a business started; an outsider
opens none of it."""

import re

from django.utils import translation
from playwright.sync_api import expect

from samaki.activities.models import Activity
from samaki.conftest import PASSWORD, PHONE, VILLAGE_IN_ANGKOR_THUM
from samaki.outcomes.models import Outcome
from samaki.people.models import Person


def km(text: str) -> str:
    with translation.override("km"):
        return translation.gettext(text)


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def pick_village(page) -> None:
    page.locator("#id_area_province").select_option("17")
    page.locator("#id_area_district").select_option("1702")
    page.locator("#id_area_commune").select_option("170201")
    page.locator("#id_village_code").select_option(VILLAGE_IN_ANGKOR_THUM)


def register(page, screenshot, *, latin: str, khmer: str, year: str, step: str) -> None:
    page.goto("/people/new/")
    page.locator("#id_name_km").fill(khmer)
    page.locator("#id_name_latin").fill(latin)
    page.locator("input[name=sex][value=female]").check()
    page.locator("#id_birth_year").fill(year)
    pick_village(page)
    page.locator("input[name=wg_seeing][value='1']").check()
    page.locator("#id_consent").check()
    fits(page)
    screenshot(page, step)
    page.locator("main button.primary").click()


def test_field_day_on_a_phone_in_khmer(phone, live_server, personas, screenshot, new_context):
    personas.person(name="Chan Sophea", village=VILLAGE_IN_ANGKOR_THUM, birth_year=1985)
    sign_in(phone, "facilitator")
    phone.locator("header form.lang button").click()
    expect(phone.locator("html")).to_have_attribute("lang", "km")
    fits(phone)
    screenshot(phone, "home in khmer")

    register(phone, screenshot, latin="Sok Sokcha", khmer="សុខ សុខជា", year="1990", step="register 1")
    expect(phone.locator("h1")).to_contain_text("Sok Sokcha")
    register(
        phone, screenshot, latin="Keo Phearong", khmer="កែវ ភារ៉ុង", year="1995", step="register 2"
    )
    expect(phone.locator("h1")).to_contain_text("Keo Phearong")
    register(phone, screenshot, latin="Sok Sokchea", khmer="", year="1990", step="register 3")
    warning = phone.locator("#duplicates")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Sok Sokcha")
    assert Person.objects.filter(latin_key="sok soca").count() == 1  # nothing saved yet
    screenshot(phone, "duplicate warning")
    # She checks the first record: the same woman. She does not register her twice; she goes
    # back and registers a third, different woman instead.
    register(
        phone,
        screenshot,
        latin="Mao Pheakrong",
        khmer="ម៉ៅ ភក្ត្រា",
        year="2001",
        step="register 3 again",
    )
    expect(phone.locator("h1")).to_contain_text("Mao Pheakrong")
    assert Person.objects.count() == 4

    phone.goto("/people/?q=Pheakrong")
    expect(phone.locator("main table")).to_contain_text("Keo Phearong")
    expect(phone.locator("main table")).to_contain_text("Mao Pheakrong")
    fits(phone)
    screenshot(phone, "search pheakrong")

    phone.goto("/activities/new/")
    phone.locator("#id_kind_code").select_option("training")
    phone.locator("#id_title").fill("Business skills")
    phone.locator("#id_date").fill("2024-08-01")
    phone.locator("#id_place_province").select_option("17")
    phone.locator("#id_place_district").select_option("1702")
    phone.locator("#id_place_commune").select_option("170201")
    phone.locator("#id_area_code").select_option(VILLAGE_IN_ANGKOR_THUM)
    fits(phone)
    screenshot(phone, "new session")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(re.compile(r"/activities/\d+/attendance/$"))

    phone.locator("#id_q").fill("sokchea")
    phone.locator("button[name=action][value=search]").click()
    phone.locator("li.found input[type=checkbox]").check()
    phone.locator("#id_q").fill("Phearong")
    phone.locator("button[name=action][value=search]").click()
    phone.locator("li.found input[type=checkbox]").first.check()
    fits(phone)
    screenshot(phone, "attendance")
    phone.locator("button[name=action][value=save]").click()
    activity = Activity.objects.get()
    expect(phone).to_have_url(f"{live_server.url}/activities/{activity.pk}/")
    assert sorted(activity.attendances.values_list("person__name_latin", flat=True)) == [
        "Keo Phearong",
        "Sok Sokcha",
    ]
    screenshot(phone, "session")

    phone.locator("ul.people li", has_text="Sok Sokcha").get_by_role(
        "link", name=km("Record an outcome")
    ).click()
    phone.locator("#id_kind_code").select_option("business_started")
    phone.locator("#id_date").fill("2024-09-15")
    phone.locator("#id_detail").fill("Tailoring")
    fits(phone)
    screenshot(phone, "outcome")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(f"{live_server.url}/activities/{activity.pk}/")
    sokcha = Person.objects.get(name_latin="Sok Sokcha")
    assert list(Outcome.objects.values_list("person_id", "kind__code", "detail")) == [
        (sokcha.pk, "business_started", "Tailoring")
    ]
    phone.goto(f"/people/{sokcha.pk}/")
    expect(phone.locator("ol.timeline")).to_contain_text("Tailoring")
    fits(phone)
    screenshot(phone, "profile")

    outsider = new_context(viewport=PHONE).new_page()
    sign_in(outsider, "outsider")
    for url in [f"/people/{sokcha.pk}/", f"/activities/{activity.pk}/", f"/people/{sokcha.pk}/edit/",
                f"/activities/{activity.pk}/attendance/", f"/outcomes/new/{sokcha.pk}/"]:  # fmt: skip
        response = outsider.goto(url)
        assert response is not None and response.status == 404, url
    outsider.goto("/people/?q=sokcha")
    expect(outsider.locator("main")).not_to_contain_text("Sokcha")
    screenshot(outsider, "outsider")
