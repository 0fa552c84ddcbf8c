"""Banteay Srei's Safe House in the demo: cases, services, referrals, providers and two logins."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samaki.accounts.models import User
from samaki.cases.models import Case, CaseAudit, Referral, Service, ServiceProvider, ShelterStay
from samaki.cases.queries import case_list
from samaki.cases.reporting import TOTAL, incidents_by_type_and_year
from samaki.demo.safe_house import CASES, DEMO_TOTP_KEYS, totp_secret

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_safe_house_has_its_cases_providers_and_services():
    cases = Case.objects.filter(organisation__slug="banteay-srei")
    assert cases.count() == CASES == 30
    assert ServiceProvider.objects.filter(organisation__slug="banteay-srei").count() == 10
    assert cases.filter(status="closed").count() + cases.filter(status="open").count() == 30
    assert Service.objects.filter(kind="meals").count() == 30
    assert ShelterStay.objects.count() == 30
    nights = ShelterStay.objects.filter(discharged_on__isnull=False).aggregate(n=Sum("nights"))
    assert nights["n"] > 0
    assert Referral.objects.filter(consent_override=False).count() == Referral.objects.count()
    by_type = dict(cases.values_list("incident_type").annotate(n=Count("id")))
    assert len(by_type) >= 4  # the six types are drawn, physical assault the most often
    assert max(by_type, key=by_type.get) == "physical_assault"


def test_the_case_worker_and_supervisor_sign_in_with_the_printed_totp_secrets():
    for username, key in DEMO_TOTP_KEYS.items():
        device = TOTPDevice.objects.get(user__username=username, name="demo")
        assert device.key == key and device.confirmed
        assert totp(device.bin_key) == totp(bytes.fromhex(key))
    worker = User.objects.get(username="bs.caseworker")
    assert case_list(user=worker).count() == 30
    assert case_list(user=User.objects.get(username="bs.admin")).count() == 0
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert totp_secret("bs.caseworker") in out.getvalue()
    assert "bs.supervisor" in out.getvalue()


def test_every_case_write_of_the_demo_is_in_the_case_audit():
    assert CaseAudit.objects.filter(action="create").count() == 30


def test_the_demo_figures_are_suppressed_and_add_up():
    organisation = Case.objects.values_list("organisation_id", flat=True).first()
    table = incidents_by_type_and_year(organisation_id=organisation)
    reportable = Case.objects.filter(consent_reporting=True, reported_elsewhere=False).count()
    assert table.cell(TOTAL, TOTAL) == str(reportable)
    assert any(value == "<5" for value in table.cells.values())
