"""A consortium lead opens the dashboard on her phone, in Khmer, in real Chromium."""

import datetime

from django.utils import translation
from playwright.sync_api import expect

from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.areas.models import Area
from samaki.conftest import PASSWORD, PHONE, VILLAGE_IN_ANGKOR_THUM
from samaki.organisations.services import consortium_create


def test_a_consortium_lead_reads_the_dashboard_on_a_phone_in_khmer(
    phone, live_server, personas, screenshot, offsite_requests
):
    activity = Activity.objects.create(
        organisation=personas.home, date=datetime.date(2024, 8, 1),
        kind=ActivityKind.objects.get(code="training", organisation=None),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )  # fmt: skip
    for i in range(6):  # 5 or more: shown to the lead (below 5, "<5": test_suppression)
        person = personas.person(name=f"Chanthy Woman{i}", phone="012345678")
        Attendance.objects.create(organisation=personas.home, activity=activity, person=person)
    consortium = consortium_create(
        by=personas.superuser, slug="c", name_en="Consortium", name_km="សម្ព័ន្ធ",
        lead=personas.other, members=[personas.home],
    )  # fmt: skip

    phone.goto("/accounts/login/")
    phone.get_by_label("Username").fill("outsider")  # the lead's administrator
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.locator("header form.lang button").click()
    expect(phone.locator("html")).to_have_attribute("lang", "km")
    with translation.override("km"):
        dashboard = translation.gettext("Dashboard")
    phone.locator("header nav").get_by_role("link", name=dashboard).click()
    phone.locator(f"a[href='/reports/dashboard/consortia/{consortium.pk}/']").click()
    phone.goto(f"/reports/dashboard/consortia/{consortium.pk}/?period=2024")
    phone.wait_for_load_state()
    expect(phone.locator("h1")).to_contain_text("សម្ព័ន្ធ")
    expect(phone.locator("svg.map path[data-code='17'] title")).to_have_text("សៀមរាប: 6")
    assert phone.locator(".charts svg").count() == 3
    box = phone.locator("svg.map").bounding_box()
    assert box is not None and 0 < box["width"] <= PHONE["width"]
    html = phone.content()
    assert "Chanthy" not in html and "012345678" not in html
    screenshot(phone, "consortium dashboard")
