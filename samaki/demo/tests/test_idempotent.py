"""Running the demo again finds everything it made and writes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from samaki.activities.models import Activity, Attendance, Headcount
from samaki.audit.models import AuditEvent
from samaki.demo.banteay_srei import banteay_srei_plan
from samaki.demo.builder import DEMO_PASSWORD, AreaGazetteer, demo_build
from samaki.demo.ccdo import ccdo_plan
from samaki.groups.models import Group, Membership
from samaki.organisations.models import Organisation
from samaki.outcomes.models import Outcome
from samaki.people.models import Person

pytestmark = [pytest.mark.django_db]


def fingerprint() -> dict:
    """Row counts of every model, and the natural keys and names of the demo's rows."""
    return {
        "counts": {
            model._meta.label: model._default_manager.count() for model in apps.get_models()
        },
        "organisations": sorted(Organisation.objects.values_list("slug", "name_en")),
        "people": sorted(
            Person.objects.values_list(
                "organisation__slug", "external_id", "name_latin", "name_km", "registered_on"
            )
        ),
        "groups": sorted(
            Group.objects.values_list("external_id", "name_en", "parent__external_id")
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "group__external_id", "person__external_id", "joined_on", "left_on", "role"
            ),
            key=str,
        ),
        "activities": sorted(Activity.objects.values_list("external_id", "date", "title")),
        "attendances": sorted(
            Attendance.objects.values_list("activity__external_id", "person__external_id")
        ),
        "headcounts": sorted(
            Headcount.objects.values_list("activity__external_id", "sex", "age_min", "count")
        ),
        "outcomes": sorted(Outcome.objects.values_list("external_id", "kind__code", "date")),
    }


def test_the_first_run_reports_what_it_created(demo):
    assert demo.created["people"] == Person.objects.count() == 4456
    assert demo.created["activities"] == Activity.objects.count()
    assert demo.created["attendances"] == Attendance.objects.count()
    assert sum(demo.found.values()) == 0


def test_a_second_run_creates_nothing_and_writes_no_audit_row(demo):
    before = fingerprint()
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    result = demo_build()
    assert sum(result.created.values()) == 0
    assert result.found["people"] == 4456
    assert fingerprint() == before
    assert AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() == last_event


def test_the_command_finds_the_demo_complete_and_lists_every_login(demo):
    out = io.StringIO()
    events = AuditEvent.objects.count()
    call_command("demo", stdout=out)
    output = out.getvalue()
    assert "nothing new" in output
    for login in demo.logins:
        assert login.username in output
    assert DEMO_PASSWORD in output
    assert AuditEvent.objects.count() == events


def test_plans_are_the_same_every_time(demo):
    assert ccdo_plan(AreaGazetteer()) == ccdo_plan(AreaGazetteer())
    assert banteay_srei_plan(AreaGazetteer()) == banteay_srei_plan(AreaGazetteer())
