"""A referral needs her consent to the provider by name, or a supervisor's audited override."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.cases.models import CaseAudit, Referral, ReferralStatus
from samaki.cases.services import referral_make, referral_update
from samaki.cases.tests.conftest import verified_login

DAY = datetime.date(2024, 3, 6)


def test_a_referral_her_consent_does_not_cover_is_refused_and_nothing_is_saved(safe_house):
    # She agreed to share with the hospital, not with the lawyers.
    audits = CaseAudit.objects.count()
    with pytest.raises(ValidationError) as error:
        referral_make(
            case=safe_house.case, by=safe_house.worker, provider=safe_house.lawyers, made_on=DAY
        )
    assert "consent does not cover" in error.value.message_dict["provider"][0]
    assert Referral.objects.count() == 0
    assert CaseAudit.objects.count() == audits


def test_the_form_says_why_and_saves_nothing(client, safe_house):
    verified_login(client, safe_house.worker)
    url = reverse("cases:referral_add", args=[safe_house.case.pk])
    response = client.post(url, {"provider": safe_house.lawyers.pk, "made_on": "2024-03-06"})
    assert response.status_code == 200
    assert (
        "Her consent does not cover a referral to Legal Aid of Cambodia"
        in response.content.decode()
    )
    assert Referral.objects.count() == 0


def test_a_case_worker_cannot_override_her_consent(safe_house):
    with pytest.raises(PermissionDenied):
        referral_make(
            case=safe_house.case,
            by=safe_house.worker,
            provider=safe_house.lawyers,
            made_on=DAY,
            override_reason="I think she needs it",
        )
    assert Referral.objects.count() == 0


def test_a_supervisor_overrides_with_a_reason_that_is_audited(client, safe_house):
    verified_login(client, safe_house.supervisor)
    url = reverse("cases:referral_add", args=[safe_house.case.pk])
    reason = "Court hearing tomorrow; she cannot be reached and her life is at risk"
    response = client.post(
        url,
        {"provider": safe_house.lawyers.pk, "made_on": "2024-03-06", "override_reason": reason},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_override and referral.override_reason == reason
    audit = CaseAudit.objects.get(action="override")
    assert (audit.actor, audit.detail, audit.ip) == (safe_house.supervisor, reason, "10.0.0.9")


def test_with_consent_the_referral_goes_through_its_lifecycle(safe_house):
    referral = referral_make(
        case=safe_house.case, by=safe_house.worker, provider=safe_house.hospital, made_on=DAY
    )
    assert referral.status == ReferralStatus.MADE and not referral.consent_override
    with pytest.raises(ValidationError):  # made → completed skips acceptance
        referral_update(referral=referral, by=safe_house.worker, status="completed", on=DAY)
    referral_update(referral=referral, by=safe_house.worker, status="accepted", on=DAY)
    referral_update(
        referral=referral,
        by=safe_house.worker,
        status="completed",
        on=DAY + datetime.timedelta(days=2),
        outcome="Examined and treated",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.accepted_on, referral.closed_on) == (
        "completed",
        DAY,
        datetime.date(2024, 3, 8),
    )
    assert referral.outcome == "Examined and treated"


def test_consent_to_services_is_needed_too(safe_house):
    case = safe_house.open_case(
        consent=__import__("samaki.cases.services", fromlist=["Consent"]).Consent(
            services=False, reporting=True, share_with=(safe_house.hospital,)
        )
    )
    with pytest.raises(ValidationError):
        referral_make(case=case, by=safe_house.worker, provider=safe_house.hospital, made_on=DAY)
