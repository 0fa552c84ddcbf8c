"""A woman files a complaint about a staff member on her phone, in Khmer, without signing in; the
focal point answers; she reads the answer with her code; a colleague of the focal point never
sees it. Real Chromium, on the live server."""

import re

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from samaki.conftest import PASSWORD, PHONE
from samaki.feedback.models import Feedback, FeedbackKind, Status
from samaki.feedback.services import focal_point_designate

KHMER_MESSAGE = "បុគ្គលិកម្នាក់បានស្នើសុំប្រាក់ពីខ្ញុំ ដើម្បីចុះឈ្មោះក្នុងវគ្គបណ្តុះបណ្តាល។"
ANSWER = "យើងបានពិនិត្យរឿងនេះ ហើយបានចាត់វិធានការ។ សូមអរគុណ។"


def test_an_anonymous_complaint_reaches_the_focal_point_and_the_answer_reaches_her(
    phone, live_server, personas, screenshot, offsite_requests, new_context
):
    focal_point_designate(organisation=personas.home, by=personas.admin, user=personas.me_officer)

    # She opens the page: Khmer first, though her phone asks for English.
    phone.goto(reverse("feedback:public_file", args=[personas.home.slug]))
    expect(phone.locator("html")).to_have_attribute("lang", "km")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.locator("input[name=website]")).not_to_be_in_viewport()  # the honeypot
    screenshot(phone, "public form")

    phone.locator(f"input[name=kind][value={FeedbackKind.STAFF_CONDUCT}]").check()
    phone.locator("textarea[name=message]").fill(KHMER_MESSAGE)
    expect(phone.locator("input[name=anonymous]")).to_be_checked()
    phone.locator("button.primary").click()

    code = phone.locator("#follow-up-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    screenshot(phone, "code")
    complaint = Feedback.objects.get()
    assert complaint.kind == FeedbackKind.STAFF_CONDUCT and complaint.restricted
    assert complaint.anonymous and complaint.message == KHMER_MESSAGE

    # The focal point signs in, finds it and answers, closing the loop.
    office = new_context(viewport={"width": 1280, "height": 900}).new_page()
    office.goto("/accounts/login/")
    office.locator("input[name=username]").fill("me")
    office.locator("input[name=password]").fill(PASSWORD)
    office.locator("form [type=submit]").last.click()
    office.goto(reverse("feedback:list"))
    office.locator(f"a[href='{reverse('feedback:detail', args=[complaint.pk])}']").click()
    expect(office.locator(".feedback-message")).to_have_text(KHMER_MESSAGE)
    office.locator("select[name=status]").select_option(Status.ANSWERED)
    office.locator("textarea[name=response]").fill(ANSWER)
    office.locator("main form [type=submit]").click()
    expect(office.locator("main")).to_contain_text(ANSWER)
    screenshot(office, "focal point answered")

    # She comes back with her code and reads the answer, still in Khmer.
    phone.goto(reverse("feedback:public_follow_up"))
    expect(phone.locator("html")).to_have_attribute("lang", "km")
    phone.locator("input[name=code]").fill(code.lower())
    phone.locator("button.primary").click()
    expect(phone.locator("#answer .response")).to_have_text(ANSWER)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "answer")

    # Her administrator, a colleague of the focal point, cannot see that it exists.
    admin = Client()
    admin.force_login(personas.admin)
    assert admin.get(reverse("feedback:detail", args=[complaint.pk])).status_code == 404
    listing = admin.get(reverse("feedback:list"))
    assert listing.context["counts"]["total"] == 0
    assert KHMER_MESSAGE not in listing.content.decode()
    assert offsite_requests == []
