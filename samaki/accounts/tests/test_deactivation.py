"""A deactivated user's open session, API token and phone token are refused at their next
request; reactivating her lets her sign in again, but brings back no old session or token."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from samaki.accounts.models import SignInLink
from samaki.accounts.services import sign_in_link_issue, user_deactivate, user_reactivate
from samaki.api.models import Token
from samaki.api.services import token_issue
from samaki.audit.models import AuditEvent
from samaki.conftest import PASSWORD

OPENROSA = {"HTTP_X_OPENROSA_VERSION": "1.0"}


def _signed_in(user) -> Client:
    """Signed in through the sign-in page, as she would be (the axes and model backends)."""
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302, "sign-in refused"
    return client


def _phone_auth(secret: str) -> dict:
    auth = "Basic " + base64.b64encode(f"phone:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": auth, **OPENROSA}


@pytest.fixture
def facilitator_channels(personas):
    facilitator = personas.facilitator
    session = _signed_in(facilitator)
    _api, api_secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=facilitator, name="script"
    )
    _phone, phone_secret = token_issue(
        kind="phone", organisation=personas.home, by=personas.admin, user=facilitator, name="phone"
    )
    return session, api_secret, phone_secret


def _answers(session: Client, api_secret: str, phone_secret: str) -> tuple[int, int, int]:
    anonymous = Client()
    page = session.get(reverse("people:list"), secure=True)
    api = anonymous.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {api_secret}", secure=True)
    phone = anonymous.get("/openrosa/formList", secure=True, **_phone_auth(phone_secret))
    return page.status_code, api.status_code, phone.status_code


def test_session_api_and_phone_work_before_deactivation(facilitator_channels):
    assert _answers(*facilitator_channels) == (200, 200, 200)


def test_deactivation_refuses_her_session_api_token_and_phone_at_the_next_request(
    personas, facilitator_channels
):
    session, api_secret, phone_secret = facilitator_channels
    other_session = _signed_in(personas.me_officer)
    assert user_deactivate(by=personas.admin, user=personas.facilitator)
    assert other_session.get(reverse("people:list"), secure=True).status_code == 200
    page, api, phone = _answers(session, api_secret, phone_secret)
    assert page == 302  # signed out: sent to the sign-in page
    assert session.get(reverse("people:list"), secure=True)["Location"].startswith(
        "/accounts/login/"
    )
    assert (api, phone) == (401, 401)
    # Her password no longer signs her in either.
    refused = Client().post(
        reverse("login"),
        {"username": personas.facilitator.username, "password": PASSWORD},
        secure=True,
    )
    assert refused.status_code == 200
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_deactivation_revokes_her_tokens_and_voids_her_links(personas, facilitator_channels):
    link = sign_in_link_issue(by=personas.admin, user=personas.facilitator).link
    user_deactivate(by=personas.admin, user=personas.facilitator)
    tokens = Token.objects.filter(user=personas.facilitator)
    assert tokens.count() == 2
    assert all(token.revoked_at is not None for token in tokens)
    link.refresh_from_db()
    assert link.voided_at is not None
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.after == {
        "is_active": False,
        "tokens_revoked": sorted(tokens.values_list("pk", flat=True)),
        "links_voided": 1,
        "sessions_ended": 1,
    }
    assert not AuditEvent.objects.filter(action="token.revoke").exists()  # one row, one action


def test_reactivation_lets_her_sign_in_again_but_revives_no_session_or_token(
    personas, facilitator_channels
):
    session, api_secret, phone_secret = facilitator_channels
    user_deactivate(by=personas.admin, user=personas.facilitator)
    user_reactivate(by=personas.admin, user=personas.facilitator)
    page, api, phone = _answers(session, api_secret, phone_secret)
    # Her old session was deleted and her tokens revoked: neither comes back.
    assert (page, api, phone) == (302, 401, 401)
    assert (
        _signed_in(personas.facilitator).get(reverse("people:list"), secure=True).status_code == 200
    )
    assert not SignInLink.objects.exists()


def test_the_backends_refuse_an_inactive_accounts_session_on_their_own(personas):
    """AUTHENTICATION_BACKENDS (axes, then ModelBackend): ModelBackend.get_user answers no user
    for an inactive account, so a session that outlived its deactivation still signs nobody in."""
    session = _signed_in(personas.viewer)
    type(personas.viewer).objects.filter(pk=personas.viewer.pk).update(is_active=False)
    response = session.get(reverse("people:list"), secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
