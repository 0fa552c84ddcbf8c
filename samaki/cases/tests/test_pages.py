"""The case worker's pages: intake, services, shelter, follow-ups, closure; bad input saves nothing."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.cases.models import Case, CaseAudit, Service, ShelterStay
from samaki.cases.services import referral_make, service_record, stay_admit, stay_discharge
from samaki.cases.tests.conftest import verified_login
from samaki.people.models import Person

INTAKE = {
    "name_km": "ស្រី ពៅ",
    "name_latin": "Srey Pov",
    "sex": "female",
    "birth_year": "1998",
    "village_code": "17100102",
    "intake_date": "2024-06-03",
    "incident_date": "2024-06-01",
    "referred_by": "police",
    "sexual_contact": "on",
    "physical_assault": "on",
    "psychological": "on",
    "contexts": ["intimate_partner"],
    "incident_description": "Synthetic: threatened with a knife",
    "risk_level": "high",
    "safety_plan": "Synthetic plan",
    "consent_services": "on",
    "consent_reporting": "on",
}


def test_the_intake_opens_a_case_classified_by_the_first_yes(client, safe_house):
    verified_login(client, safe_house.worker)
    data = {
        **INTAKE,
        "case_worker": safe_house.worker.pk,
        "consent_share_with": [safe_house.hospital.pk],
    }
    response = client.post(reverse("cases:intake"), data, REMOTE_ADDR="10.0.0.5")
    case = Case.objects.exclude(pk=safe_house.case.pk).get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert case.incident_type == "sexual_assault"  # question 2 before 3 and 6
    assert case.context_intimate_partner and not case.context_early_marriage
    assert case.code == "HOME-2024-0002" and case.case_worker == safe_house.worker
    assert (case.survivor.name_km, case.survivor.birth_year) == ("ស្រី ពៅ", 1998)
    assert case.participant is None
    assert list(case.consent_share_with.all()) == [safe_house.hospital]
    audit = CaseAudit.objects.get(case=case)
    assert (audit.action, audit.actor, audit.ip) == ("create", safe_house.worker, "10.0.0.5")


def test_a_bad_intake_says_why_and_saves_nothing(client, safe_house):
    verified_login(client, safe_house.worker)
    people, cases = Person.objects.count(), Case.objects.count()
    data = {
        **INTAKE,
        "case_worker": safe_house.worker.pk,
        "village_code": "99999999",
        "intake_date": "2099-01-01",
    }
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This date is in the future." in body
    assert (Person.objects.count(), Case.objects.count()) == (people, cases)


def test_a_case_worker_cannot_open_a_case_for_a_colleague(client, safe_house):
    verified_login(client, safe_house.worker)
    data = {**INTAKE, "case_worker": safe_house.other_worker.pk}
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 200 and Case.objects.count() == 1


def test_services_and_shelter_are_recorded_with_who_and_when(client, safe_house):
    verified_login(client, safe_house.worker)
    case = safe_house.case
    url = reverse("cases:service_add", args=[case.pk])
    response = client.post(url, {"kind": "counselling", "date": "2024-03-05", "quantity": "1"})
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.kind, service.by, service.date) == (
        "counselling",
        safe_house.worker,
        datetime.date(2024, 3, 5),
    )
    too_early = client.post(url, {"kind": "meals", "date": "2024-01-01", "quantity": "3"})
    assert (
        "This is before her intake." in too_early.content.decode() and Service.objects.count() == 1
    )
    client.post(
        reverse("cases:stay_admit", args=[case.pk]), {"admitted_on": "2024-03-04", "bed": "3"}
    )
    stay = ShelterStay.objects.get()
    client.post(
        reverse("cases:stay_discharge", args=[case.pk, stay.pk]), {"discharged_on": "2024-03-18"}
    )
    stay.refresh_from_db()
    assert stay.nights == 14


def test_closing_a_case(client, safe_house):
    verified_login(client, safe_house.supervisor)
    url = reverse("cases:close", args=[safe_house.case.pk])
    client.post(url, {"closed_on": "2024-05-01", "reason": "reintegrated"})
    safe_house.case.refresh_from_db()
    assert (safe_house.case.status, safe_house.case.closure_reason) == ("closed", "reintegrated")


def test_the_case_page_makes_the_same_number_of_queries_for_more_records(client, safe_house):
    case = safe_house.case
    verified_login(client, safe_house.worker)
    url = reverse("cases:detail", args=[case.pk])
    day = datetime.date(2024, 3, 5)
    service_record(case=case, by=safe_house.worker, kind="meals", date=day)
    referral_make(case=case, by=safe_house.worker, provider=safe_house.hospital, made_on=day)
    stay_discharge(
        stay=stay_admit(case=case, by=SYSTEM, admitted_on=day), by=SYSTEM, discharged_on=day
    )
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(5):
        service_record(case=case, by=safe_house.supervisor, kind="transport", date=day)
        referral_make(case=case, by=safe_house.worker, provider=safe_house.hospital, made_on=day)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
