"""One-time sign-in links: issued once in clear, stored as a hash, used once, within 72 hours."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, SignInLink, User
from samaki.accounts.services import (
    password_set_from_link,
    sign_in_link_issue,
    user_deactivate,
    user_invite,
)
from samaki.audit.models import AuditEvent
from samaki.conftest import PASSWORD

NEW_PASSWORD = "a long new password 42"


@pytest.fixture
def invited(personas):
    user, issued = user_invite(
        by=personas.admin,
        organisation=personas.home,
        username="sokha",
        role=Role.ME_OFFICER,
        first_name="Sokha",
        email="sokha@example.org",
    )
    return user, issued


def test_the_token_is_stored_only_as_its_hash(invited):
    user, issued = invited
    link = SignInLink.objects.get(user=user)
    assert link.token_sha256 == hashlib.sha256(issued.token.encode()).hexdigest()
    assert issued.token not in link.token_sha256
    assert issued.url == f"http://127.0.0.1:8000/accounts/welcome/{issued.token}/"
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(hours=72), abs=datetime.timedelta(seconds=5)
    )
    assert not user.has_usable_password()
    assert link.created_by == invited[0].organisation.users.get(username="admin")


def test_the_site_url_setting_makes_the_address(personas, settings):
    settings.SITE_URL = "https://samaki.example.org/"
    issued = sign_in_link_issue(by=personas.admin, user=personas.viewer)
    assert issued.url == f"https://samaki.example.org/accounts/welcome/{issued.token}/"


def test_she_sets_her_password_and_is_signed_in(client, invited):
    user, issued = invited
    url = reverse("welcome", args=[issued.token])
    page = client.get(url)
    assert page.status_code == 200
    assert b"sokha" in page.content
    assert page["Cache-Control"].startswith("max-age=0")
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("password_change")).context["user"] == user
    link = SignInLink.objects.get(user=user)
    assert link.used_at is not None
    event = AuditEvent.objects.get(action="user.password_set")
    assert (event.actor, event.object_id, event.after) == (
        user,
        str(user.pk),
        {"link": link.pk, "purpose": "invite"},
    )


def test_a_used_link_works_no_more(client, invited):
    user, issued = invited
    url = reverse("welcome", args=[issued.token])
    client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    again = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert again.status_code == 404
    assert b"Ask your administrator for a new link" in again.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.password_set").count() == 1


@pytest.mark.parametrize("case", ["unknown", "expired", "voided", "deactivated"])
def test_a_dead_link_answers_the_friendly_404_and_changes_nothing(client, personas, invited, case):
    user, issued = invited
    token = issued.token
    if case == "unknown":
        token = "not-a-link"
    elif case == "expired":
        SignInLink.objects.filter(user=user).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif case == "voided":
        sign_in_link_issue(by=personas.admin, user=user)
    else:
        user_deactivate(by=personas.admin, user=user)
    events = AuditEvent.objects.count()
    url = reverse("welcome", args=[token])
    assert client.get(url).status_code == 404
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert b"This link does not work any more" in response.content
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert AuditEvent.objects.count() == events
    assert "_auth_user_id" not in client.session


def test_a_new_link_voids_her_older_unused_ones(personas, invited):
    user, first = invited
    second = sign_in_link_issue(by=personas.admin, user=user)
    links = {link.pk: link for link in SignInLink.objects.filter(user=user)}
    assert links[first.link.pk].voided_at is not None
    assert links[second.link.pk].voided_at is None
    with pytest.raises(PermissionDenied):
        password_set_from_link(token=first.token, new_password=NEW_PASSWORD)
    assert password_set_from_link(token=second.token, new_password=NEW_PASSWORD) == user


def test_a_weak_password_is_refused_in_her_language_and_the_link_stays_usable(client, invited):
    user, issued = invited
    url = reverse("welcome", args=[issued.token])
    events = AuditEvent.objects.count()
    with override("km"):
        response = client.post(
            url,
            {"new_password1": "12345678", "new_password2": "12345678"},
            HTTP_ACCEPT_LANGUAGE="km",
        )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert errors and all(error.isascii() is False for error in errors)  # Khmer messages
    mismatch = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": "other one 77"})
    assert list(mismatch.context["form"].errors) == ["new_password2"]
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert SignInLink.objects.get(user=user).used_at is None
    assert AuditEvent.objects.count() == events


def test_the_service_refuses_a_weak_password_on_its_field(invited):
    _user, issued = invited
    with pytest.raises(ValidationError) as error:
        password_set_from_link(token=issued.token, new_password="sokha")
    assert set(error.value.message_dict) == {"new_password"}


def test_the_invitation_is_emailed_when_email_is_configured(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _user, issued = user_invite(
            by=personas.admin,
            organisation=personas.home,
            username="dara",
            role=Role.VIEWER,
            email="dara@example.org",
        )
    assert issued.emailed
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dara@example.org"]
    assert message.subject == "Your Samaki account at HOME"
    assert issued.url in message.body
    assert "username: dara" in message.body


def test_a_reset_link_is_emailed_to_her_address(personas, django_capture_on_commit_callbacks):
    User.objects.filter(pk=personas.viewer.pk).update(email="viewer@example.org")
    personas.viewer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        issued = sign_in_link_issue(by=personas.admin, user=personas.viewer)
    assert [message.subject for message in mail.outbox] == ["Set a new Samaki password"]
    assert mail.outbox[0].to == ["viewer@example.org"]
    assert issued.url in mail.outbox[0].body


def test_nothing_is_emailed_without_an_email_backend(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _user, issued = user_invite(
            by=personas.admin,
            organisation=personas.home,
            username="dara",
            role=Role.VIEWER,
            email="dara@example.org",
        )
    assert not issued.emailed
    assert mail.outbox == []


def test_nothing_is_emailed_to_someone_without_an_address(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = sign_in_link_issue(by=personas.admin, user=personas.viewer)
    assert not issued.emailed
    assert mail.outbox == []


def test_only_her_organisations_administrator_issues_a_link(personas):
    for by in [personas.me_officer, personas.outsider, personas.viewer]:
        with pytest.raises(PermissionDenied):
            sign_in_link_issue(by=by, user=personas.viewer)
    assert not SignInLink.objects.exists()
    assert sign_in_link_issue(by=SYSTEM, user=personas.viewer).link.user == personas.viewer
