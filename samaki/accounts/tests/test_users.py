"""The organisation's users, managed by its administrator in the app."""

import pytest
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role, SignInLink, User
from samaki.accounts.services import user_deactivate, user_invite, user_reactivate, user_update
from samaki.audit.models import AuditEvent
from samaki.conftest import ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI

BANTEAY_SREI = "1703"


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.admin)
    return client


@pytest.fixture
def case_worker(personas):
    from samaki.cases.staff import case_staff_create

    return case_staff_create(
        by=SYSTEM,
        organisation=personas.home,
        username="worker",
        password="a case worker password 9",
        role=Role.CASE_WORKER,
    )


def _invite(**fields):
    return {
        "username": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "",
        "area_province": "",
        "area_district": "",
        "area_commune": "",
        "area_code": "",
        "donor": "",
        **fields,
    }


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_her_organisations_users_only(admin_client, personas):
    response = admin_client.get(reverse("user_list"))
    assert response.status_code == 200
    usernames = [member.username for member in response.context["page"]]
    assert usernames == ["admin", "donor", "facilitator", "me", "viewer"]
    assert b"outsider" not in response.content
    assert b"Angkor Thum" in response.content  # the facilitator's area


def test_the_list_query_count_does_not_grow_with_rows(
    admin_client, personas, django_assert_num_queries
):
    url = reverse("user_list")
    # session, her user, her organisation (the page's header), the count, the page, its areas
    with django_assert_num_queries(6):
        assert admin_client.get(url).status_code == 200
    for number in range(12):
        user_invite(
            by=personas.admin,
            organisation=personas.home,
            username=f"facilitator{number}",
            role=Role.FACILITATOR,
            area_codes=[ANGKOR_THUM, BANTEAY_SREI],
        )
    with django_assert_num_queries(6):
        response = admin_client.get(url)
    assert len(response.context["page"]) == 17


def test_the_list_is_paginated(admin_client, personas):
    for number in range(50):
        user_invite(
            by=personas.admin, organisation=personas.home, username=f"v{number:02}", role="viewer"
        )
    first = admin_client.get(reverse("user_list"))
    assert len(first.context["page"]) == 50
    second = admin_client.get(reverse("user_list") + "?page=2")
    # 55 accounts by username: admin, donor, facilitator, me, v00 … v49, viewer
    assert [member.username for member in second.context["page"]] == [
        "v46",
        "v47",
        "v48",
        "v49",
        "viewer",
    ]


@pytest.mark.parametrize("persona", ["me_officer", "viewer", "facilitator", "superuser"])
def test_only_an_administrator_opens_the_users_pages(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("user_list")).status_code == 404
    assert client.get(reverse("user_invite")).status_code == 404
    assert client.get(reverse("user_detail", args=[personas.viewer.pk])).status_code == 404


def test_another_organisations_user_is_404(admin_client, personas):
    outsider = personas.outsider
    assert admin_client.get(reverse("user_detail", args=[outsider.pk])).status_code == 404
    for name in ["user_deactivate", "user_reactivate", "user_reset"]:
        assert admin_client.post(reverse(name, args=[outsider.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active
    assert (
        not AuditEvent.objects.filter(object_id=str(outsider.pk))
        .exclude(action="user.create")
        .exists()
    )


def test_the_detail_page_query_count_is_pinned(admin_client, personas, django_assert_num_queries):
    facilitator = personas.facilitator
    url = reverse("user_detail", args=[facilitator.pk])
    # session, her user, the member (and her donor), her areas (prefetch), the form's areas,
    # the picker's provinces, the header's organisation, the donor field's donors
    with django_assert_num_queries(8):
        assert admin_client.get(url).status_code == 200
    user_update(
        by=personas.admin,
        user=facilitator,
        role="facilitator",
        first_name="",
        last_name="",
        email="",
        area_codes=[ANGKOR_THUM, BANTEAY_SREI, VILLAGE_IN_BANTEAY_SREI],
    )
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    assert len(response.context["form"].current_areas) == 3


# --- invite ----------------------------------------------------------------------------------


def test_the_administrator_invites_a_facilitator_limited_to_one_district(admin_client, personas):
    response = admin_client.post(
        reverse("user_invite"),
        _invite(
            username="sreymom",
            first_name="Sreymom",
            last_name="Chan",
            role="facilitator",
            area_province="17",
            area_district=ANGKOR_THUM,
        ),
    )
    assert response.status_code == 200
    user = User.objects.get(username="sreymom")
    assert (user.organisation, user.role, user.is_staff) == (personas.home, "facilitator", False)
    assert list(user.areas.values_list("code", flat=True)) == [ANGKOR_THUM]
    assert not user.has_usable_password()
    issued = response.context["issued"]
    assert issued.url.encode() in response.content
    assert SignInLink.objects.get(user=user).purpose == "invite"
    event = AuditEvent.objects.get(action="user.invite")
    assert (event.actor, event.organisation_id, event.after["areas"]) == (
        personas.admin,
        personas.home.pk,
        [ANGKOR_THUM],
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"username": "", "role": "viewer"}, {"username"}),
        ({"username": "bad name!", "role": "viewer"}, {"username"}),
        ({"username": "viewer", "role": "viewer"}, {"username"}),  # taken
        ({"username": "sam", "role": ""}, {"role"}),
        ({"username": "sam", "role": "case_worker"}, {"role"}),  # not offered: a case role
        ({"username": "sam", "role": "facilitator"}, {"area_code"}),
        ({"username": "sam", "role": "donor_viewer"}, {"donor"}),
        ({"username": "sam", "role": "viewer", "email": "not-an-email"}, {"email"}),
    ],
)
def test_a_bad_invitation_shows_field_errors_and_saves_nothing(admin_client, fields, errors):
    users, events = User.objects.count(), AuditEvent.objects.count()
    response = admin_client.post(reverse("user_invite"), _invite(**fields))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, events)
    assert not SignInLink.objects.exists()


def test_an_administrator_never_grants_a_case_role_through_the_service(personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_invite(
            by=personas.admin, organisation=personas.home, username="w", role=Role.CASE_WORKER
        )
    assert not User.objects.filter(username="w").exists()


# --- change role and areas -------------------------------------------------------------------


def _edit(member, **fields):
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role,
        "area_province": "",
        "area_district": "",
        "area_commune": "",
        "area_code": "",
        "donor": "",
        "keep_areas": list(member.areas.values_list("code", flat=True)),
    }
    data.update(fields)
    return data


def test_the_administrator_adds_an_area_and_changes_names(admin_client, personas):
    facilitator = personas.facilitator
    url = reverse("user_detail", args=[facilitator.pk])
    response = admin_client.post(
        url,
        _edit(facilitator, first_name="Dara", area_province="17", area_district=BANTEAY_SREI),
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.first_name == "Dara"
    assert sorted(facilitator.areas.values_list("code", flat=True)) == [ANGKOR_THUM, BANTEAY_SREI]
    event = AuditEvent.objects.get(action="user.update")
    assert event.before["areas"] == [ANGKOR_THUM]
    assert event.after["areas"] == [ANGKOR_THUM, BANTEAY_SREI]


def test_the_administrator_makes_a_viewer_an_me_officer(admin_client, personas):
    viewer = personas.viewer
    response = admin_client.post(
        reverse("user_detail", args=[viewer.pk]), _edit(viewer, role="me_officer")
    )
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert (viewer.role, viewer.is_staff) == ("me_officer", True)


def test_saving_without_a_change_writes_no_audit_row(personas):
    viewer = personas.viewer
    changed = user_update(
        by=personas.admin, user=viewer, role="viewer", first_name="", last_name="", email=""
    )
    assert changed is False
    assert not AuditEvent.objects.filter(action="user.update").exists()


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"keep_areas": []}, {"area_code"}),  # a facilitator keeps at least one area
        ({"role": "case_supervisor"}, {"role"}),
        ({"role": "donor_viewer"}, {"donor"}),
        ({"email": "nope"}, {"email"}),
        ({"area_province": "17", "area_district": "9999"}, {"area_district"}),
    ],
)
def test_a_bad_change_shows_field_errors_and_saves_nothing(admin_client, personas, fields, errors):
    facilitator = personas.facilitator
    events = AuditEvent.objects.count()
    response = admin_client.post(
        reverse("user_detail", args=[facilitator.pk]), _edit(facilitator, **fields)
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    facilitator.refresh_from_db()
    assert facilitator.role == "facilitator"
    assert list(facilitator.areas.values_list("code", flat=True)) == [ANGKOR_THUM]
    assert AuditEvent.objects.count() == events


def test_nobody_changes_her_own_role(admin_client, personas):
    admin = personas.admin
    response = admin_client.post(
        reverse("user_detail", args=[admin.pk]), _edit(admin, role="viewer")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role"}
    admin.refresh_from_db()
    assert admin.role == "admin"
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_a_case_role_account_is_read_only_here(admin_client, personas, case_worker):
    url = reverse("user_detail", args=[case_worker.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert b"only a case supervisor changes it" in page.content
    events = AuditEvent.objects.count()
    assert admin_client.post(url, _edit(case_worker, role="viewer")).status_code == 403
    for name in ["user_deactivate", "user_reset"]:
        assert admin_client.post(reverse(name, args=[case_worker.pk])).status_code == 403
    case_worker.refresh_from_db()
    assert (case_worker.role, case_worker.is_active) == ("case_worker", True)
    assert AuditEvent.objects.count() == events
    assert not SignInLink.objects.exists()


# --- deactivate, reactivate, reset -----------------------------------------------------------


def test_deactivate_and_reactivate_through_the_pages(admin_client, personas):
    viewer = personas.viewer
    response = admin_client.post(reverse("user_deactivate", args=[viewer.pk]))
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    response = admin_client.post(reverse("user_reactivate", args=[viewer.pk]))
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active
    actions = list(
        AuditEvent.objects.filter(object_id=str(viewer.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["user.create", "user.deactivate", "user.reactivate"]


def test_a_get_changes_nothing(admin_client, personas):
    viewer = personas.viewer
    for name in ["user_deactivate", "user_reactivate", "user_reset"]:
        assert admin_client.get(reverse(name, args=[viewer.pk])).status_code == 405
    viewer.refresh_from_db()
    assert viewer.is_active
    assert not SignInLink.objects.exists()


def test_nobody_deactivates_herself(admin_client, personas):
    admin = personas.admin
    assert admin_client.post(reverse("user_deactivate", args=[admin.pk])).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_deactivating_twice_writes_one_audit_row(personas):
    assert user_deactivate(by=personas.admin, user=personas.viewer) is True
    assert user_deactivate(by=personas.admin, user=personas.viewer) is False
    assert user_reactivate(by=personas.admin, user=personas.me_officer) is False
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1
    assert not AuditEvent.objects.filter(action="user.reactivate").exists()


def test_a_reset_shows_a_new_link_on_the_page(admin_client, personas):
    viewer = personas.viewer
    response = admin_client.post(reverse("user_reset", args=[viewer.pk]))
    assert response.status_code == 200
    issued = response.context["issued"]
    assert issued.url.encode() in response.content
    assert issued.link.purpose == "reset"
    assert AuditEvent.objects.get(action="sign_in_link.issue").after == {
        "link": issued.link.pk,
        "purpose": "reset",
        "emailed": False,
    }


def test_a_deactivated_account_gets_no_new_link(admin_client, personas):
    viewer = personas.viewer
    user_deactivate(by=personas.admin, user=viewer)
    response = admin_client.post(reverse("user_reset", args=[viewer.pk]), follow=True)
    assert response.status_code == 200
    assert b"reactivate it first" in response.content
    assert not SignInLink.objects.exists()


def test_the_nav_shows_users_to_the_administrator_only(client, personas):
    client.force_login(personas.admin)
    assert reverse("user_list").encode() in client.get(reverse("password_change")).content
    client.force_login(personas.me_officer)
    assert reverse("user_list").encode() not in client.get(reverse("password_change")).content


def test_a_village_outside_the_gazetteer_is_refused(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        user_invite(
            by=personas.admin,
            organisation=personas.home,
            username="f",
            role=Role.FACILITATOR,
            area_codes=["99999999"],
        )
    assert set(error.value.message_dict) == {"areas"}
    assert VILLAGE_IN_BANTEAY_SREI  # the gazetteer is loaded
    assert not User.objects.filter(username="f").exists()


def test_the_pages_render_in_khmer(admin_client, personas):
    from django.utils.translation import override

    with override("km"):
        for url in [
            reverse("user_list"),
            reverse("user_invite"),
            reverse("user_detail", args=[personas.facilitator.pk]),
        ]:
            response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="km")
            assert response.status_code == 200, url
            assert b'lang="km"' in response.content
