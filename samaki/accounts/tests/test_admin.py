"""An organisation's administrator adds her colleagues in the admin, through user_create."""

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from samaki.accounts.models import User
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.conftest import ANGKOR_THUM, PASSWORD

ADD = reverse("admin:accounts_user_add")


def form_data(**changes) -> dict[str, str]:
    data = {
        "username": "sophea",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Sophea",
        "last_name": "Chan",
        "email": "",
        "role": "facilitator",
        "areas": [str(Area.objects.get(code=ANGKOR_THUM).pk)],
        "donor": "",
    }
    data.update(changes)
    return data


def test_the_home_admin_adds_a_facilitator_to_her_own_organisation(client, personas):
    client.force_login(personas.admin)

    response = client.post(ADD, form_data())

    assert response.status_code == 302
    user = User.objects.get(username="sophea")
    assert (user.organisation, user.role, user.is_staff, user.is_superuser) == (
        personas.home,
        "facilitator",
        False,
        False,
    )
    assert [area.code for area in user.areas.all()] == [ANGKOR_THUM]
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert (event.actor, event.organisation, "password" in event.after) == (
        personas.admin,
        personas.home,
        False,
    )


def test_the_organisation_is_not_hers_to_choose(client, personas):
    client.force_login(personas.admin)

    client.post(ADD, form_data(organisation=str(personas.other.pk)))

    assert User.objects.get(username="sophea").organisation == personas.home


def test_a_superuser_chooses_the_organisation(client, personas):
    client.force_login(personas.superuser)

    client.post(ADD, form_data(organisation=str(personas.other.pk), role="me_officer", areas=[]))

    user = User.objects.get(username="sophea")
    assert (user.organisation, user.is_staff) == (personas.other, True)


def test_refusals_show_on_the_form_and_add_nobody(client, personas):
    client.force_login(personas.admin)
    before = (User.objects.count(), AuditEvent.objects.count(), LogEntry.objects.count())

    weak = client.post(ADD, form_data(password1="12345678", password2="12345678"))
    no_area = client.post(ADD, form_data(areas=[]))
    taken = client.post(ADD, form_data(username="viewer"))

    assert weak.context["adminform"].form.errors == {
        "password1": ["This password is too common.", "This password is entirely numeric."]
    }
    assert no_area.context["adminform"].form.errors == {
        "areas": ["A facilitator needs at least one working area."]
    }
    assert taken.context["adminform"].form.errors == {
        "username": ["A user with that username already exists."]
    }
    assert (User.objects.count(), AuditEvent.objects.count(), LogEntry.objects.count()) == before


def test_only_the_administrator_manages_users(client, personas):
    client.force_login(personas.me_officer)

    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert not User.objects.filter(username="sophea").exists()


def test_the_outsider_lists_only_her_own_colleagues(client, personas):
    client.force_login(personas.outsider)

    listed = client.get(reverse("admin:accounts_user_changelist"))

    assert [user.username for user in listed.context["cl"].result_list] == ["outsider"]


def test_a_user_is_shown_not_changed_until_a_service_changes_users(client, personas):
    client.force_login(personas.admin)
    page = reverse("admin:accounts_user_change", args=[personas.viewer.pk])

    shown = client.get(page)

    assert (shown.status_code, shown.context["title"]) == (200, "View user")
    assert client.post(page, {"username": "renamed"}).status_code == 403
