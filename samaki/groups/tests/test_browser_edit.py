"""Editing a group and a session on a phone, in Khmer, in real Chromium; and changing her
password. Screenshots: var/screenshots/test_edits_on_a_phone_in_khmer-chromium/."""

import datetime

from django.utils import translation
from playwright.sync_api import expect

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Activity
from samaki.activities.services import ActivityFields, activity_create
from samaki.audit.models import AuditEvent
from samaki.conftest import PASSWORD, PHONE, VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import Group
from samaki.groups.services import group_create

NEW_PASSWORD = "mango season in Kampot 42"  # a test password


def km(text: str) -> str:
    with translation.override("km"):
        return translation.gettext(text)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_edits_on_a_phone_in_khmer(phone, live_server, personas, screenshot):
    group = group_create(
        organisation=personas.home, by=SYSTEM, name_en="Smart Women", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip
    activity = activity_create(
        organisation=personas.home, by=SYSTEM,
        fields=ActivityFields(kind_code="training", date=datetime.date(2024, 8, 1),
                              area_code=VILLAGE_IN_ANGKOR_THUM, group=group),
    )  # fmt: skip
    phone.goto("/accounts/login/")
    phone.locator("#id_username").fill("facilitator")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.locator("header form.lang button").click()
    expect(phone.locator("html")).to_have_attribute("lang", "km")

    phone.goto(f"/groups/{group.pk}/")
    phone.get_by_role("link", name=km("Edit"), exact=True).click()
    expect(phone.locator("#id_kind_code option:checked")).to_have_text("ស្ត្រីឆ្លាតវៃ")
    phone.locator("#id_name_km").fill("ស្ត្រីឆ្លាតវៃ ត្រពាំងទូក")
    phone.locator("#id_founded_on").fill("2999-01-01")
    phone.locator("main button.primary").click()
    expect(phone.locator("main .errorlist")).to_have_count(1)
    fits(phone)
    screenshot(phone, "group edit refused")
    phone.locator("#id_founded_on").fill("2021-03-08")
    phone.locator("main button.primary").click()
    expect(phone.locator("h1")).to_have_text("ស្ត្រីឆ្លាតវៃ ត្រពាំងទូក")
    fits(phone)
    screenshot(phone, "group saved")

    phone.goto(f"/activities/{activity.pk}/")
    phone.get_by_role("link", name=km("Edit"), exact=True).click()
    expect(phone.locator("#id_kind_code option:checked")).to_have_text("វគ្គបណ្តុះបណ្តាល")
    phone.locator("#id_title").fill("ជំនាញអាជីវកម្ម")
    phone.locator("#id_reason").fill("ចំណងជើងខុស")  # a correction says why
    fits(phone)
    screenshot(phone, "session edit")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(f"{live_server.url}/activities/{activity.pk}/")
    expect(phone.locator("h1")).to_have_text("ជំនាញអាជីវកម្ម")
    screenshot(phone, "session saved")
    assert Group.objects.get().founded_on == datetime.date(2021, 3, 8)
    assert Activity.objects.get().title == "ជំនាញអាជីវកម្ម"

    phone.goto("/accounts/password/")
    phone.locator("#id_old_password").fill(PASSWORD)
    phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    fits(phone)
    screenshot(phone, "password")
    phone.locator("main button.primary").click()
    expect(phone).to_have_url(f"{live_server.url}/accounts/password/done/")
    screenshot(phone, "password changed")
    assert sorted(AuditEvent.objects.filter(actor=personas.facilitator).values_list("action", flat=True)) == [
        "activity.update", "group.update", "user.password_change",
    ]  # fmt: skip
