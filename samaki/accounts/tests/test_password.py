"""Changing a password: through the audited service, on the app's page and from the admin."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.accounts.models import User
from samaki.accounts.services import password_change
from samaki.audit.models import AuditEvent
from samaki.conftest import PASSWORD

NEW = "mango season in Kampot 42"  # a test password
PAGE = reverse("password_change")


def audit_rows() -> str:
    return json.dumps(list(AuditEvent.objects.values("before", "after")), ensure_ascii=False)


def test_she_changes_her_password_and_the_audit_says_so_without_it(client, personas):
    client.force_login(personas.facilitator)

    response = client.post(
        PAGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert response["Location"] == reverse("password_change_done")
    user = User.objects.get(pk=personas.facilitator.pk)
    assert user.check_password(NEW)
    assert client.get(reverse("people:list")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(action="user.password_change")
    assert (event.actor, event.object_id, event.organisation) == (
        personas.facilitator,
        str(user.pk),
        personas.home,
    )
    assert (event.before, event.after) == (None, {"password_changed": True})
    rows = audit_rows()
    assert NEW not in rows
    assert user.password not in rows
    assert user.password.split("$")[-1] not in rows


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
            {"old_password": ["Your old password was entered incorrectly. Please enter it again."]},
        ),
        (
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "!"},
            {"new_password2": ["The two password fields didn’t match."]},
        ),
        (
            {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
            {
                "new_password2": [
                    "This password is too common.",
                    "This password is entirely numeric.",
                ]
            },
        ),
    ],
)
def test_a_refused_change_is_told_next_to_its_field_and_changes_nothing(
    client, personas, data, errors
):
    client.force_login(personas.viewer)

    response = client.post(PAGE, data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert User.objects.get(pk=personas.viewer.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_change").exists()


def test_only_she_or_a_platform_administrator_changes_her_password(personas):
    for stranger in [personas.admin, personas.outsider]:
        with pytest.raises(PermissionDenied):
            password_change(user=personas.facilitator, by=stranger, new_password=NEW)
    assert User.objects.get(pk=personas.facilitator.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_change").exists()
    password_change(user=personas.facilitator, by=personas.superuser, new_password=NEW)
    assert User.objects.get(pk=personas.facilitator.pk).check_password(NEW)
    assert AuditEvent.objects.get(action="user.password_change").actor == personas.superuser


def test_the_service_applies_the_password_rules(personas):
    with pytest.raises(ValidationError) as refused:
        password_change(user=personas.facilitator, by=personas.facilitator, new_password="abc")
    assert list(refused.value.message_dict) == ["new_password"]
    assert User.objects.get(pk=personas.facilitator.pk).check_password(PASSWORD)


def test_the_admins_password_page_is_the_apps_audited_one(client, personas):
    client.force_login(personas.admin)
    admin_page = reverse("admin:password_change")

    shown = client.get(admin_page)
    posted = client.post(
        admin_page, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )

    assert (shown.status_code, shown["Location"]) == (302, PAGE)
    assert (posted.status_code, posted["Location"]) == (302, PAGE)
    assert User.objects.get(pk=personas.admin.pk).check_password(PASSWORD)  # nothing saved there
    assert client.get(reverse("admin:index")).content.decode().count(admin_page) == 1


def test_the_admin_sets_no_other_users_password(client, personas):
    client.force_login(personas.admin)
    url = f"/admin/accounts/user/{personas.facilitator.pk}/password/"

    response = client.post(url, {"password1": NEW, "password2": NEW}, follow=True)

    # Django's ModelAdmin sends "<id>/password/" to the change page of a user "<id>/password".
    assert response.status_code == 404
    assert User.objects.get(pk=personas.facilitator.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_change").exists()
