"""A submission of Samaki's own forms becomes records through the services, or waits for review."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samaki.activities.models import Activity
from samaki.api.services import token_issue
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.openrosa.models import Submission, SubmissionStatus
from samaki.openrosa.services import shipped_form_publish, submission_retry
from samaki.people.models import Disability, Person

HEADERS = {"HTTP_X_OPENROSA_VERSION": "1.0"}


def registration(
    instance: str,
    *,
    village=VILLAGE_IN_ANGKOR_THUM,
    name="Srey Leak",
    deprecated="",
    consent="yes",
    wg_walking="3",
):
    meta = f"<instanceID>{instance}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{deprecated}</deprecatedID>"
    return (
        '<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
        'xmlns:orx="http://openrosa.org/xforms" id="samaki_person_registration" version="2026112101">'
        "<start>2024-08-01T09:00:00.000+07:00</start><end>2024-08-01T09:05:00.000+07:00</end>"
        f"<consent>{consent}</consent><name_km>ស្រីលក្ខណ៍</name_km><name_latin>{name}</name_latin><sex>female</sex>"
        f"<birth_date/><birth_year>១៩៩០</birth_year><village_code>{village}</village_code>"
        "<phone>០១២ ៣៤៥ ៦៧៨</phone><id_poor>poor_1</id_poor>"
        f"<wg><wg_seeing>1</wg_seeing><wg_hearing>1</wg_hearing><wg_walking>{wg_walking}</wg_walking>"
        "<wg_cognition>1</wg_cognition><wg_selfcare>1</wg_selfcare><wg_communication>1</wg_communication></wg>"
        f"<meta>{meta}</meta></data>"
    ).encode()


@pytest.fixture
def phone(client, personas):
    for form_id in (
        "samaki_person_registration",
        "samaki_session_attendance",
        "samaki_community_feedback",
    ):
        shipped_form_publish(organisation=personas.home, by=personas.admin, form_id=form_id)
    _token, secret = token_issue(
        kind="phone",
        organisation=personas.home,
        by=personas.admin,
        user=personas.facilitator,
        name="Sokha",
    )
    auth = "Basic " + base64.b64encode(f"Sokha:{secret}".encode()).decode()
    client.defaults.update(HEADERS, HTTP_AUTHORIZATION=auth)
    return client


def send(client, xml: bytes):
    upload = SimpleUploadedFile("instance.xml", xml, content_type="text/xml")
    return client.post("/openrosa/submission", {"xml_submission_file": upload}, secure=True)


def test_registration_becomes_a_person_through_person_register(phone, personas):
    assert send(phone, registration("uuid:a1")).status_code == 201
    person = Person.objects.get()
    assert (person.name_latin, person.name_km, person.birth_year) == ("Srey Leak", "ស្រីលក្ខណ៍", 1990)
    assert person.phone == "012 345 678"
    assert person.disability == Disability.YES
    assert person.external_id == "odk:uuid:a1"
    assert person.consents.get().purpose == "registration"
    assert (
        AuditEvent.objects.filter(action="person.register", actor=personas.facilitator).count() == 1
    )
    submission = Submission.objects.get()
    assert (submission.status, submission.record_id) == (SubmissionStatus.RECORDED, str(person.pk))
    assert send(phone, registration("uuid:a1")).status_code == 202
    assert Person.objects.count() == 1


def test_an_edit_updates_the_same_person(phone):
    send(phone, registration("uuid:a1"))
    response = send(
        phone, registration("uuid:a2", deprecated="uuid:a1", name="Srey Leak Chan", wg_walking="1")
    )
    assert response.status_code == 201
    person = Person.objects.get()
    assert person.name_latin == "Srey Leak Chan"
    assert person.disability == Disability.NO
    assert Submission.objects.get(instance_id="uuid:a1").status == SubmissionStatus.SUPERSEDED


def test_outside_her_areas_waits_for_review_with_the_reason(phone, personas):
    assert send(phone, registration("uuid:b1", village=VILLAGE_IN_BANTEAY_SREI)).status_code == 201
    assert Person.objects.count() == 0
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.REVIEW
    assert submission.reason == "This is outside your working areas."
    # An administrator records it once she has checked it.
    submission_retry(submission=submission, by=personas.admin)
    assert Person.objects.get().village.code == VILLAGE_IN_BANTEAY_SREI


def test_unknown_village_and_no_consent_record_nothing(phone):
    send(phone, registration("uuid:c1", village="99999999"))
    send(phone, registration("uuid:c2", consent="no"))
    reasons = dict(Submission.objects.values_list("instance_id", "reason"))
    assert reasons["uuid:c1"] == "village_code: Unknown area code “99999999”."
    assert reasons["uuid:c2"] == "She did not agree that her record is kept: nothing was recorded."
    assert Person.objects.count() == 0


def test_attendance_creates_the_activity_and_its_attendance(phone, personas):
    dara = personas.person(name="Sok Dara")
    mony = personas.person(name="Chan Mony")
    xml = (
        '<data id="samaki_session_attendance" version="2026112101"><kind_code>training</kind_code>'
        f"<date>2024-08-01</date><area_code>{VILLAGE_IN_ANGKOR_THUM}</area_code><title>Savings</title>"
        f"<attendees>{dara.pk} {mony.pk}</attendees><meta><instanceID>uuid:s1</instanceID></meta></data>"
    ).encode()
    assert send(phone, xml).status_code == 201
    activity = Activity.objects.get()
    assert activity.date == datetime.date(2024, 8, 1)
    assert sorted(activity.attendances.values_list("person_id", flat=True)) == sorted(
        [dara.pk, mony.pk]
    )
    bad = xml.replace(b"uuid:s1", b"uuid:s2").replace(f" {mony.pk}<".encode(), b" 999999<")
    send(phone, bad)
    assert Submission.objects.get(instance_id="uuid:s2").reason == (
        "attendees: No person of yours has the number(s) 999999."
    )
    assert Activity.objects.count() == 1


def test_review_page_lists_only_her_organisations_waiting_submissions(phone, client, personas):
    send(phone, registration("uuid:b1", village=VILLAGE_IN_BANTEAY_SREI))
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(personas.admin)
    assert "outside your working areas" in client.get("/openrosa/review/").content.decode()
    client.force_login(personas.outsider)
    assert "outside your working areas" not in client.get("/openrosa/review/").content.decode()


def attendance(instance: str, attendees: str) -> bytes:
    return (
        '<data id="samaki_session_attendance" version="2026112101"><kind_code>training</kind_code>'
        f"<date>2024-08-01</date><area_code>{VILLAGE_IN_ANGKOR_THUM}</area_code><title>Savings</title>"
        f"<attendees>{attendees}</attendees><meta><instanceID>{instance}</instanceID></meta></data>"
    ).encode()


def test_a_person_outside_her_areas_is_not_found_like_a_number_that_does_not_exist(phone, personas):
    dara = personas.person(name="Sok Dara")
    elsewhere = personas.person(name="Chan Mony", village=VILLAGE_IN_BANTEAY_SREI)
    missing = elsewhere.pk + 1000
    send(phone, attendance("uuid:o1", f"{dara.pk} {elsewhere.pk}"))
    send(phone, attendance("uuid:o2", f"{dara.pk} {missing}"))
    reasons = dict(Submission.objects.values_list("instance_id", "reason"))
    assert reasons["uuid:o1"] == f"attendees: No person of yours has the number(s) {elsewhere.pk}."
    assert reasons["uuid:o2"] == f"attendees: No person of yours has the number(s) {missing}."
    assert Activity.objects.count() == 0
    assert not elsewhere.attendances.exists()


def test_every_received_submission_has_its_audit_row_with_what_became_of_it(phone, personas):
    send(phone, registration("uuid:r1"))
    send(phone, registration("uuid:r2", village=VILLAGE_IN_BANTEAY_SREI))
    rows = AuditEvent.objects.filter(action="submission.receive").order_by("id")
    assert [(row.actor, row.after["instance_id"], row.after["status"]) for row in rows] == [
        (personas.facilitator, "uuid:r1", "recorded"),
        (personas.facilitator, "uuid:r2", "review"),
    ]


def test_recording_again_is_audited_with_the_reviewer(phone, personas):
    send(phone, registration("uuid:b1", village=VILLAGE_IN_BANTEAY_SREI))
    submission = Submission.objects.get()
    submission_retry(submission=submission, by=personas.admin)
    row = AuditEvent.objects.get(action="submission.record")
    assert (row.actor, row.object_id, row.after["status"]) == (
        personas.admin,
        str(submission.pk),
        "recorded",
    )


def test_serving_a_form_again_replaces_it_and_is_audited(personas):
    shipped_form_publish(
        organisation=personas.home, by=personas.admin, form_id="samaki_session_attendance"
    )
    shipped_form_publish(
        organisation=personas.home, by=personas.admin, form_id="samaki_session_attendance"
    )
    actions = list(
        AuditEvent.objects.filter(object_type="openrosa.xform")
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [("xform.publish", personas.admin.pk), ("xform.replace", personas.admin.pk)]
