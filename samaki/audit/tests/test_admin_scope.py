"""The admin: each organisation's staff see their own rows only; nobody else gets in.

One row of every model is written for the home organisation, through the services where one
exists; then each persona opens the admin with the test client.
"""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import models
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import ActivityKind, Topic
from samaki.activities.services import (
    ActivityFields,
    HeadcountCell,
    activity_create,
    attendance_set,
    headcount_set,
)
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.models import GroupKind
from samaki.groups.services import group_create, membership_add
from samaki.organisations.services import consortium_create, site_create
from samaki.outcomes.models import OutcomeKind
from samaki.outcomes.services import outcome_record
from samaki.people.services import self_identification_record
from samaki.projects.services import project_create

DAY = datetime.date(2024, 3, 8)

# Every model the admin shows that holds an organisation's rows (shared reference data, the
# gazetteer and the donors, is read by everyone and tested apart).
TENANT_MODELS = [
    "accounts.user",
    "audit.auditevent",
    "organisations.organisation",
    "organisations.consortium",
    "organisations.site",
    "projects.project",
    "people.person",
    "people.selfidentification",
    "people.consent",
    "groups.groupkind",
    "groups.group",
    "groups.membership",
    "activities.activitykind",
    "activities.topic",
    "activities.activity",
    "activities.attendance",
    "activities.headcount",
    "outcomes.outcomekind",
    "outcomes.outcome",
]
VOCABULARIES = {
    "groups.groupkind",
    "activities.activitykind",
    "activities.topic",
    "outcomes.outcomekind",
}


def own_term(model: type[models.Model], personas, code: str):
    # The organisation's own term is made directly (the vocabulary services are tested apart).
    return model._default_manager.create(
        organisation=personas.home, code=code, name_en=f"Home {code}", name_km="ផ្ទាល់ខ្លួន"
    )


@pytest.fixture
def home_rows(personas) -> dict[str, models.Model]:
    """One row of each tenant model, all of them the home organisation's."""
    admin = personas.admin
    person = personas.person()
    project = project_create(
        organisation=personas.home,
        by=admin,
        code="home-project",
        name_en="Home project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    group_kind = own_term(GroupKind, personas, "home-groups")
    group = group_create(
        organisation=personas.home,
        by=admin,
        name_en="Home group",
        kind_code=group_kind.code,
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )
    activity_kind = own_term(ActivityKind, personas, "home-activities")
    topic = own_term(Topic, personas, "home-topic")
    activity = activity_create(
        organisation=personas.home,
        by=admin,
        fields=ActivityFields(
            kind_code=activity_kind.code,
            date=DAY,
            area_code=VILLAGE_IN_ANGKOR_THUM,
            topic_codes=(topic.code,),
            project=project,
            group=group,
        ),
    )
    outcome_kind = own_term(OutcomeKind, personas, "home-outcomes")
    rows = {
        "accounts.user": personas.me_officer,
        "organisations.organisation": personas.home,
        "organisations.consortium": consortium_create(
            by=SYSTEM,
            slug="home-consortium",
            name_en="Home consortium",
            lead=personas.home,
            members=[personas.home],
        ),
        "organisations.site": site_create(
            organisation=personas.home,
            by=admin,
            name_en="Home office",
            kind="office",
            area_code=VILLAGE_IN_ANGKOR_THUM,
        ),
        "projects.project": project,
        "people.person": person,
        "people.selfidentification": self_identification_record(
            person=person, by=admin, consented_on=DAY, indigenous_group="Kuy"
        ),
        "people.consent": person.consents.get(purpose="registration"),
        "groups.groupkind": group_kind,
        "groups.group": group,
        "groups.membership": membership_add(group=group, person=person, by=admin, joined_on=DAY),
        "activities.activitykind": activity_kind,
        "activities.topic": topic,
        "activities.activity": activity,
        "activities.attendance": attendance_set(activity=activity, by=admin, people=[person])[0],
        "activities.headcount": headcount_set(
            activity=activity, by=admin, cells=[HeadcountCell(sex="female", count=12)]
        )[0],
        "outcomes.outcomekind": outcome_kind,
        "outcomes.outcome": outcome_record(
            person=person, by=admin, kind_code=outcome_kind.code, date=DAY
        ),
    }
    rows["audit.auditevent"] = AuditEvent.objects.filter(organisation=personas.home).first()
    assert sorted(rows) == sorted(TENANT_MODELS)
    return rows


def url(label: str, view: str, *args) -> str:
    return reverse(f"admin:{label.replace('.', '_')}_{view}", args=args)


@pytest.mark.parametrize("label", TENANT_MODELS)
def test_outsider_lists_none_of_homes_rows_and_gets_404_on_them(client, personas, home_rows, label):
    row = home_rows[label]
    client.force_login(personas.outsider)

    listed = client.get(url(label, "changelist"))

    assert listed.status_code == 200
    assert row.pk not in {shown.pk for shown in listed.context["cl"].result_list}
    assert url(label, "change", row.pk) not in listed.content.decode()
    for view in ["change", "delete", "history"]:
        assert client.get(url(label, view, row.pk)).status_code == 404
    assert client.post(url(label, "change", row.pk), {}).status_code == 404
    assert client.post(url(label, "delete", row.pk), {"post": "yes"}).status_code == 404
    assert type(row)._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize("label", TENANT_MODELS)
@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_home_admin_and_superuser_open_every_home_row(client, personas, home_rows, label, who):
    row = home_rows[label]
    client.force_login(getattr(personas, who))

    listed = client.get(url(label, "changelist"))

    assert listed.status_code == 200
    assert row.pk in {shown.pk for shown in listed.context["cl"].result_list}
    assert client.get(url(label, "change", row.pk)).status_code == 200
    assert client.get(url(label, "history", row.pk)).status_code == 200
    # Nothing is deleted in the admin yet: no service deletes.
    assert client.get(url(label, "delete", row.pk)).status_code == 403


def test_lists_hold_only_the_users_organisation_and_shared_terms(client, personas, home_rows):
    client.force_login(personas.outsider)
    for label in TENANT_MODELS:
        shown = client.get(url(label, "changelist")).context["cl"].result_list
        owners = {getattr(row, "organisation_id", row.pk) for row in shown}
        shared = {None} if label in VOCABULARIES else set()
        assert owners <= {personas.other.pk, *shared}, label


@pytest.mark.parametrize("who", ["viewer", "facilitator", "donor_viewer"])
def test_staff_without_an_admin_role_are_sent_to_the_admin_login(client, personas, home_rows, who):
    client.force_login(getattr(personas, who))
    person_url = url("people.person", "change", home_rows["people.person"].pk)

    for page in [reverse("admin:index"), person_url]:
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (
            302,
            f"{reverse('admin:login')}?next={page}",
        )


def test_the_me_officer_works_on_programme_data_but_not_on_users(client, personas, home_rows):
    client.force_login(personas.me_officer)

    index = client.get(reverse("admin:index"))
    shown = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}

    assert "Person" in shown
    assert "User" not in shown
    assert client.get(url("accounts.user", "changelist")).status_code == 403
    assert client.get(url("people.person", "add")).status_code == 200


def test_shared_reference_data_is_read_only_for_organisations(client, personas, home_rows):
    client.force_login(personas.admin)
    shared_kind = ActivityKind.objects.get(code="training", organisation=None)

    page = client.get(url("activities.activitykind", "change", shared_kind.pk))

    assert page.status_code == 200
    assert page.context["title"] == "View activity kind"
    assert (
        client.post(url("activities.activitykind", "change", shared_kind.pk), {}).status_code == 403
    )
    assert client.get(url("areas.area", "add")).status_code == 403
    assert client.get(url("organisations.donor", "add")).status_code == 403
    assert client.get(url("organisations.organisation", "add")).status_code == 403


def test_the_audit_trail_is_read_only_even_for_superusers(client, personas, home_rows):
    client.force_login(personas.superuser)
    event = home_rows["audit.auditevent"]

    assert client.get(url("audit.auditevent", "add")).status_code == 403
    page = client.get(url("audit.auditevent", "change", event.pk))
    assert (page.status_code, page.context["title"]) == (200, "View audit event")
    assert client.post(url("audit.auditevent", "change", event.pk), {}).status_code == 403
    assert LogEntry.objects.count() == 0


def test_djangos_auth_groups_are_not_in_the_admin(client, personas):
    client.force_login(personas.superuser)

    index = client.get(reverse("admin:index"))

    assert "auth" not in {app["app_label"] for app in index.context["app_list"]}
