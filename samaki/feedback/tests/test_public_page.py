"""The public page: anyone files feedback without signing in, and it resists abuse.

Abuse is refused cleanly (a clear page, a 4xx status) and leaves nothing behind.
"""

import pytest
from django.test import Client
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.feedback import limits
from samaki.feedback.models import Feedback, FeedbackKind, Status
from samaki.feedback.services import CODE_ALPHABET, follow_up_code_hash

pytestmark = pytest.mark.django_db


def form(**extra):
    data = {
        "kind": "service",
        "category": "",
        "service_name": "Health centre",
        "area": "",
        "village_code": "17020101",
        "rating": "2",
        "message": "ពេលរង់ចាំយូរពេក។ The wait is too long.",
        "anonymous": "on",
        "reporter_name": "",
        "reporter_contact": "",
        "website": "",
    }
    data.update(extra)
    return data


def url(personas):
    return reverse("feedback:public_file", args=[personas.home.slug])


def test_the_public_page_opens_in_khmer_without_signing_in(personas):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en").get(url(personas))
    assert response.status_code == 200
    assert b'<html lang="km">' in response.content
    assert b'name="website"' in response.content  # the honeypot is there, hidden by CSS


def test_an_anonymous_person_files_feedback_and_gets_a_code(client, personas):
    response = client.post(url(personas), form(reporter_name="Should vanish"))
    assert response.status_code == 200
    code = response.context["code"].replace("-", "")
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    feedback = Feedback.objects.get()
    assert feedback.organisation == personas.home
    assert feedback.kind == FeedbackKind.SERVICE
    assert feedback.area.code == "17020101"
    assert feedback.rating == 2
    assert feedback.anonymous and feedback.reporter_name == ""
    assert feedback.status == Status.RECEIVED
    assert (feedback.respond_by - feedback.received_on).days == 30
    # Only the hash of the code is stored, never the code.
    assert feedback.code_hash == follow_up_code_hash(code)
    assert code not in str(Feedback.objects.values().get())
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_code_reads_the_answer_and_a_wrong_code_reads_nothing(client, personas):
    response = client.post(url(personas), form(kind="complaint"))
    code = response.context["code"]
    feedback = Feedback.objects.get()
    feedback.status, feedback.response = Status.ANSWERED, "We spoke to the health centre."
    feedback.save()
    follow_up = reverse("feedback:public_follow_up")
    answer = client.post(follow_up, {"code": code.lower().replace("-", " ")})
    assert answer.status_code == 200
    assert "We spoke to the health centre." in answer.content.decode()
    wrong = client.post(follow_up, {"code": "AAAAA-AAAAA"})
    assert "We spoke" not in wrong.content.decode()
    assert "No message has this code" in wrong.content.decode()


def test_markup_is_stored_as_plain_text_and_shown_escaped(client, personas):
    message = '<script>alert("x")</script><b>Bold</b> 1 < 2 & 3 > 2'
    client.post(
        url(personas), form(message=message, service_name="<img src=x onerror=alert(1)>Clinic")
    )
    feedback = Feedback.objects.get()
    assert feedback.message == 'alert("x")Bold 1 < 2 & 3 > 2'
    assert feedback.service_name == "Clinic"
    client.force_login(personas.admin)
    page = client.get(reverse("feedback:detail", args=[feedback.pk])).content.decode()
    assert "<script>" not in page and "<b>Bold" not in page
    assert "1 &lt; 2 &amp; 3 &gt; 2" in page


def test_a_message_over_2000_characters_is_refused_and_nothing_is_stored(client, personas):
    response = client.post(url(personas), form(message="ក" * 2001))
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_an_oversized_body_is_refused_with_413(client, personas):
    response = client.post(url(personas), form(message="x" * (limits.MAX_BODY_BYTES + 1)))
    assert response.status_code == 413
    assert "Nothing was saved." in response.content.decode()
    assert Feedback.objects.count() == 0


def test_an_empty_message_is_refused(client, personas):
    response = client.post(url(personas), form(message="<p>  </p>"))
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_the_honeypot_refuses_bots(client, personas):
    response = client.post(url(personas), form(website="http://spam.example"))
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_an_unknown_village_code_is_a_clear_error(client, personas):
    response = client.post(url(personas), form(village_code="99999999"))
    assert response.status_code == 400
    assert "Unknown area code" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_flood_from_one_address_is_refused_after_five(client, personas):
    statuses = [client.post(url(personas), form()).status_code for _ in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    assert Feedback.objects.count() == 5
    assert AuditEvent.objects.filter(action="feedback.file").count() == 5
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.cookies = client.cookies
    assert other.post(url(personas), form()).status_code == 200


def test_guessing_codes_is_limited(client, personas):
    follow_up = reverse("feedback:public_follow_up")
    statuses = [
        client.post(follow_up, {"code": f"AAAAA{n:05d}"}).status_code
        for n in range(limits.LOOKUPS_PER_HOUR + 2)
    ]
    assert statuses == [200] * limits.LOOKUPS_PER_HOUR + [429] * 2


def test_posting_without_the_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(personas), form())
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_an_unknown_organisation_has_no_page(client, db):
    assert client.get(reverse("feedback:public_file", args=["nobody"])).status_code == 404
