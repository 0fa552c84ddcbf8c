"""No administrator, and no superuser, gives or takes away a case role (docs/cases.md).

Case staff are provisioned by the organisation's case supervisors (samaki.cases.staff): an
administrator who could make a case supervisor could sign in as her and read narratives.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, User
from samaki.accounts.services import user_create
from samaki.cases.staff import case_staff_create
from samaki.conftest import PASSWORD

NEW_PASSWORD = "a-long-pass-phrase-9"


def _add_form(personas, role: str, *, superuser: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "new_person",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": role,
    }
    if superuser:
        data["organisation"] = personas.home.pk
    return data


@pytest.mark.parametrize("role", [Role.CASE_SUPERVISOR, Role.CASE_WORKER])
@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_the_admin_site_refuses_to_add_a_case_role(client, personas, who, role):
    client.force_login(getattr(personas, who))
    add = reverse("admin:accounts_user_add")
    page = client.get(add)
    assert page.status_code == 200
    assert f'value="{role}"'.encode() not in page.content  # not even offered
    response = client.post(add, _add_form(personas, role, superuser=who == "superuser"))
    assert response.status_code == 200  # the form again, with its error
    assert b"errorlist" in response.content
    assert not User.objects.filter(username="new_person").exists()


def test_the_admin_site_still_adds_a_viewer(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:accounts_user_add"), _add_form(personas, Role.VIEWER, superuser=False)
    )
    assert response.status_code == 302
    assert User.objects.get(username="new_person").role == Role.VIEWER


@pytest.mark.parametrize("role", [Role.CASE_SUPERVISOR, Role.CASE_WORKER])
@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_user_create_refuses_a_case_role(personas, who, role):
    with pytest.raises(PermissionDenied):
        user_create(
            by=getattr(personas, who),
            organisation=personas.home,
            username="new_person",
            password=PASSWORD,
            role=role,
        )
    assert not User.objects.filter(username="new_person").exists()


def test_user_create_refuses_a_case_role_to_the_platform_too(personas):
    """One path only: even a command goes through samaki.cases.staff."""
    with pytest.raises(PermissionDenied):
        user_create(
            by=SYSTEM,
            organisation=personas.home,
            username="new_person",
            password=PASSWORD,
            role=Role.CASE_SUPERVISOR,
        )


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_the_admin_cannot_change_a_viewer_into_a_case_worker(client, personas, who):
    client.force_login(getattr(personas, who))
    viewer = personas.viewer
    response = client.post(
        reverse("admin:accounts_user_change", args=[viewer.pk]),
        {"username": viewer.username, "is_active": "on", "role": Role.CASE_WORKER},
    )
    assert response.status_code == 403
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_a_case_worker_s_account_is_read_only_in_the_admin(client, personas, who):
    supervisor = case_staff_create(
        organisation=personas.home,
        by=SYSTEM,
        username="supervisor",
        role=Role.CASE_SUPERVISOR,
        password=PASSWORD,
    )
    client.force_login(getattr(personas, who))
    url = reverse("admin:accounts_user_change", args=[supervisor.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="role"' not in page.content  # shown, not editable
    response = client.post(url, {"username": "supervisor", "role": Role.VIEWER})
    assert response.status_code == 403
    supervisor.refresh_from_db()
    assert supervisor.role == Role.CASE_SUPERVISOR
