"""Only the assigned case worker and the organisation's supervisors open a case; everyone else
gets 404 on every case URL; every allowed look leaves an audit row with who, what and from where."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.cases.models import CaseAudit, Referral
from samaki.cases.services import (
    access_grant,
    follow_up_plan,
    referral_make,
    stay_admit,
)
from samaki.cases.tests.conftest import SURVIVOR, verified_login

# (url name, needs the referral / stay / follow-up id, method)
CASE_URLS = [
    ("cases:detail", None, "get"),
    ("cases:reveal", None, "post"),
    ("cases:edit", None, "get"),
    ("cases:service_add", None, "get"),
    ("cases:stay_admit", None, "get"),
    ("cases:stay_discharge", "stay", "get"),
    ("cases:referral_add", None, "get"),
    ("cases:referral", "referral", "get"),
    ("cases:slip", "referral", "get"),
    ("cases:follow_up_add", None, "get"),
    ("cases:follow_up_done", "follow_up", "get"),
    ("cases:close", None, "get"),
    ("cases:export", None, "get"),
]
SUPERVISOR_URLS = [("cases:access_log", None, "get"), ("cases:grant_add", None, "get")]
EVERYONE_ELSE = ["admin", "me_officer", "facilitator", "viewer", "donor_viewer", "superuser"]
CASE_ROLES_ELSEWHERE = ["other_worker", "outsider_worker"]


@pytest.fixture
def urls(safe_house):
    case = safe_house.case
    extra = {
        "referral": referral_make(
            case=case, by=SYSTEM, provider=safe_house.hospital, made_on=datetime.date(2024, 3, 5)
        ).pk,
        "stay": stay_admit(case=case, by=SYSTEM, admitted_on=datetime.date(2024, 3, 4)).pk,
        "follow_up": follow_up_plan(case=case, by=SYSTEM, due_on=datetime.date(2024, 4, 1)).pk,
    }

    def build(entries):
        result = []
        for name, needs, method in entries:
            args = [case.pk] + ([extra[needs]] if needs else [])
            result.append((name, reverse(name, args=args), method))
        return result

    return {"case": build(CASE_URLS), "supervisor": build(SUPERVISOR_URLS)}


def call(client, url, method):
    return getattr(client, method)(url, REMOTE_ADDR="10.1.2.3")


def persona(safe_house, name):
    return getattr(safe_house, name, None) or getattr(safe_house.personas, name)


@pytest.mark.parametrize("who", EVERYONE_ELSE + CASE_ROLES_ELSEWHERE)
def test_everyone_but_her_worker_and_supervisors_gets_404_on_every_case_url(
    client, safe_house, urls, who
):
    user = persona(safe_house, who)
    verified_login(client, user)
    before = CaseAudit.objects.count()
    for name, url, method in urls["case"] + urls["supervisor"]:
        response = call(client, url, method)
        assert response.status_code == 404, (who, name)
        assert SURVIVOR.encode() not in response.content
    for name in ["cases:list", "cases:intake", "cases:providers", "cases:report"]:
        response = client.get(reverse(name))
        if who in CASE_ROLES_ELSEWHERE and name != "cases:report":
            assert response.status_code == 200
            detail = reverse("cases:detail", args=[safe_house.case.pk])
            assert detail.encode() not in response.content
        else:
            assert response.status_code == 404, (who, name)
    assert CaseAudit.objects.count() == before  # nothing was seen, nothing to audit


def test_outsiders_search_finds_nothing(client, safe_house):
    verified_login(client, safe_house.outsider_worker)
    response = client.get(reverse("cases:list"), {"q": safe_house.case.code})
    body = response.content.decode()
    assert reverse("cases:detail", args=[safe_house.case.pk]) not in body and "No case." in body
    assert not CaseAudit.objects.filter(action="search_hit").exists()


@pytest.mark.parametrize("who", ["worker", "supervisor"])
def test_her_worker_and_supervisor_open_every_case_url_and_each_look_is_audited(
    client, safe_house, urls, who
):
    user = persona(safe_house, who)
    verified_login(client, user)
    entries = urls["case"] + (urls["supervisor"] if who == "supervisor" else [])
    for name, url, method in entries:
        last = CaseAudit.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = call(client, url, method)
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        rows = list(CaseAudit.objects.filter(id__gt=last))
        assert len(rows) == 1, name
        row = rows[0]
        assert (row.actor, row.case, row.ip) == (user, safe_house.case, "10.1.2.3")
    if who == "worker":
        for name, url, method in urls["supervisor"]:
            assert call(client, url, method).status_code == 404, name


def test_actions_are_audited_as_what_they_are(client, safe_house, urls):
    verified_login(client, safe_house.worker)
    targets = {name: (url, method) for name, url, method in urls["case"]}
    expected = {
        "cases:detail": "view",
        "cases:reveal": "reveal_name",
        "cases:slip": "print",
        "cases:export": "export",
    }
    for name, action in expected.items():
        call(client, *targets[name])
        assert CaseAudit.objects.latest("id").action == action


def test_the_name_is_hidden_until_revealed_and_the_slip_never_names_her(client, safe_house, urls):
    verified_login(client, safe_house.worker)
    targets = {name: url for name, url, _method in urls["case"]}
    page = client.get(targets["cases:detail"]).content.decode()
    assert safe_house.case.code in page and SURVIVOR not in page
    assert SURVIVOR not in client.get(reverse("cases:list")).content.decode()
    assert SURVIVOR in client.post(targets["cases:reveal"]).content.decode()
    slip = client.get(targets["cases:slip"]).content.decode()
    assert safe_house.case.code in slip and SURVIVOR not in slip
    assert "Siem Reap Provincial Hospital" in slip
    export = client.get(targets["cases:export"]).json()
    assert export["code"] == safe_house.case.code and SURVIVOR not in str(export)


def test_a_search_hit_is_audited_for_each_case_it_shows(client, safe_house):
    second = safe_house.open_case()
    verified_login(client, safe_house.supervisor)
    response = client.get(reverse("cases:list"), {"q": "HOME-2024"})
    assert safe_house.case.code in response.content.decode()
    hits = CaseAudit.objects.filter(action="search_hit")
    assert sorted(hits.values_list("case_id", flat=True)) == sorted([safe_house.case.pk, second.pk])


def test_the_list_shows_her_own_cases_only(client, safe_house):
    colleague_case = safe_house.open_case(worker=safe_house.other_worker)
    verified_login(client, safe_house.worker)
    body = client.get(reverse("cases:list")).content.decode()
    assert safe_house.case.code in body and colleague_case.code not in body
    verified_login(client, safe_house.supervisor)
    body = client.get(reverse("cases:list")).content.decode()
    assert safe_house.case.code in body and colleague_case.code in body


def test_the_list_makes_the_same_number_of_queries_for_more_cases(client, safe_house):
    verified_login(client, safe_house.supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:list"))
    for _n in range(5):
        safe_house.open_case()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:list"))
    assert len(many) == len(few)


def test_case_roles_must_pass_the_second_step_first(client, safe_house):
    client.force_login(safe_house.worker)  # password only
    url = reverse("cases:detail", args=[safe_house.case.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("cases:verify"))
    assert not CaseAudit.objects.filter(action="view").exists()


def test_the_verify_step_accepts_the_current_code_and_refuses_a_wrong_one(client, safe_house):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samaki.cases.staff import enrolment_start

    device = enrolment_start(user=safe_house.worker, by=safe_house.supervisor)
    client.force_login(safe_house.worker)
    url = reverse("cases:detail", args=[safe_house.case.pk])
    page = client.get(reverse("cases:verify"), {"next": url})
    assert page.status_code == 200
    assert device.config_url.encode() not in page.content  # the key is never shown here
    wrong = client.post(reverse("cases:verify"), {"token": "000000", "next": url})
    assert wrong.status_code == 200 and b"not right" in wrong.content
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("cases:verify"), {"token": code, "next": url})
    assert response.status_code == 302 and response.url == url
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_programme_roles_have_no_verify_step_either(client, safe_house):
    client.force_login(safe_house.personas.admin)
    assert client.get(reverse("cases:verify")).status_code == 404


def test_a_case_session_ends_after_15_idle_minutes(client, safe_house):
    url = reverse("cases:detail", args=[safe_house.case.pk])
    with time_machine.travel(datetime.datetime(2024, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        verified_login(client, safe_house.worker)
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime.datetime(2024, 5, 1, 9, 14, tzinfo=datetime.UTC), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.UTC), tick=False):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert client.get(url).status_code == 302  # signed out, not only turned away once


def test_an_emergency_grant_opens_the_case_until_it_expires(client, safe_house):
    url = reverse("cases:detail", args=[safe_house.case.pk])
    verified_login(client, safe_house.other_worker)
    assert client.get(url).status_code == 404
    grant = access_grant(
        case=safe_house.case,
        by=safe_house.supervisor,
        grantee=safe_house.other_worker,
        reason="Her worker is ill; the survivor is at the hospital tonight",
        hours=8,
    )
    assert client.get(url).status_code == 200
    logged = CaseAudit.objects.get(action="grant")
    assert logged.actor == safe_house.supervisor and "ill" in logged.detail
    grant.expires_at = grant.granted_at  # as if eight hours had passed
    grant.save()
    assert client.get(url).status_code == 404


def test_only_a_supervisor_grants_and_only_with_a_reason(safe_house):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        access_grant(
            case=safe_house.case,
            by=safe_house.worker,
            grantee=safe_house.other_worker,
            reason="x",
            hours=1,
        )
    with pytest.raises(ValidationError) as error:
        access_grant(
            case=safe_house.case,
            by=safe_house.supervisor,
            grantee=safe_house.personas.admin,
            reason=" ",
            hours=500,
        )
    assert set(error.value.message_dict) == {"grantee", "reason", "hours"}


def test_supervisors_read_the_access_log_in_the_app(client, safe_house):
    verified_login(client, safe_house.worker)
    client.get(reverse("cases:detail", args=[safe_house.case.pk]), REMOTE_ADDR="10.9.8.7")
    verified_login(client, safe_house.supervisor)
    page = client.get(reverse("cases:access_log", args=[safe_house.case.pk])).content.decode()
    assert "worker" in page and "10.9.8.7" in page and "case page" in page


def test_case_roles_see_no_programme_people(client, safe_house):
    from samaki.people.queries import person_list

    assert person_list(user=safe_house.worker).count() == 0
    assert person_list(user=safe_house.supervisor).count() == 0
    verified_login(client, safe_house.worker)
    assert client.get(reverse("people:list")).content.decode().count(SURVIVOR) == 0


def test_no_referral_is_left_behind_by_a_404(client, safe_house, urls):
    verified_login(client, safe_house.other_worker)
    count = Referral.objects.count()
    client.post(reverse("cases:referral_add", args=[safe_house.case.pk]), {})
    assert Referral.objects.count() == count


def test_an_organisations_administrator_cannot_read_case_workers_totp_keys(client, safe_house):
    verified_login(client, safe_house.worker)
    client.force_login(safe_house.personas.admin)
    response = client.get("/admin/otp_totp/totpdevice/")
    assert response.status_code in {302, 403}
    assert b"phone" not in response.content
