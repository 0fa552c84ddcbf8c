"""Staff-conduct complaints and whistle-blower reports reach the focal points, and nobody else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import PUBLIC
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_BANTEAY_SREI
from samaki.feedback.models import Feedback, Status
from samaki.feedback.queries import feedback_counts, feedback_list
from samaki.feedback.services import (
    FeedbackFields,
    feedback_file,
    feedback_respond,
    focal_point_designate,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 8, 1)


@pytest.fixture
def reports(personas):
    # The viewer is home's focal point: rank does not decide, designation does.
    focal_point_designate(organisation=personas.home, by=personas.admin, user=personas.viewer)

    def file(kind, **extra):
        fields = FeedbackFields(kind=kind, message=f"A {kind} message", received_on=DAY, **extra)
        return feedback_file(organisation=personas.home, by=PUBLIC, fields=fields).feedback

    return {
        "whistleblower": file("whistleblower"),
        "staff_conduct": file("staff_conduct"),
        "service": file("service", area_code=VILLAGE_IN_BANTEAY_SREI),
    }


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("kind", ["whistleblower", "staff_conduct"])
def test_only_the_focal_point_opens_a_restricted_report(client, personas, reports, kind):
    url = reverse("feedback:detail", args=[reports[kind].pk])
    assert status(client, personas.viewer, url) == 200
    for someone in [
        personas.admin,
        personas.me_officer,
        personas.facilitator,
        personas.donor_viewer,
        personas.outsider,
        personas.superuser,
    ]:
        assert status(client, someone, url) == 404, someone


def test_every_opening_of_a_restricted_report_is_audited(client, personas, reports):
    url = reverse("feedback:detail", args=[reports["whistleblower"].pk])
    client.force_login(personas.viewer)
    client.get(url)
    client.get(url)
    views = AuditEvent.objects.filter(action="feedback.view")
    assert views.count() == 2
    assert {(event.actor_id, event.object_id) for event in views} == {
        (personas.viewer.pk, str(reports["whistleblower"].pk))
    }
    # The audit trail keeps no words of the report.
    filed = AuditEvent.objects.get(
        action="feedback.file", object_id=str(reports["whistleblower"].pk)
    )
    assert "message" not in str(filed.after)


def test_lists_and_counts_leave_restricted_reports_out(personas, reports):
    assert set(feedback_list(user=personas.admin)) == {reports["service"]}
    assert set(feedback_list(user=personas.viewer)) == set(reports.values())
    assert feedback_list(user=personas.outsider).count() == 0
    assert feedback_list(user=personas.facilitator).count() == 0  # Banteay Srei is not hers
    assert feedback_counts(user=personas.admin, today=DAY)["total"] == 1
    assert feedback_counts(user=personas.viewer, today=DAY)["total"] == 3


def test_a_colleague_cannot_answer_a_restricted_report(personas, reports):
    with pytest.raises(PermissionDenied):
        feedback_respond(
            feedback=reports["whistleblower"], by=personas.admin, status="answered", response="x"
        )


def test_the_focal_point_answers_and_the_loop_closes(client, personas, reports):
    report = reports["staff_conduct"]
    client.force_login(personas.viewer)
    url = reverse("feedback:detail", args=[report.pk])
    response = client.post(url, {"status": "closed", "response": "We looked into it."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.response == "We looked into it."
    assert report.answered_by == personas.viewer
    assert AuditEvent.objects.filter(action="feedback.respond").count() == 1


def test_an_answer_is_required_to_close(personas, reports):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        feedback_respond(
            feedback=reports["service"], by=personas.admin, status="closed", response=""
        )
    assert Feedback.objects.get(pk=reports["service"].pk).status == Status.RECEIVED


def test_overdue_is_flagged_from_the_deadline(personas, reports):
    after_a_week = DAY + datetime.timedelta(days=8)
    counts = feedback_counts(user=personas.viewer, today=after_a_week)
    assert counts["overdue"] == 2  # the restricted ones: 7 days; the service feedback has 30
    overdue = feedback_list(user=personas.viewer, today=after_a_week).filter(overdue=True)
    assert set(overdue) == {reports["whistleblower"], reports["staff_conduct"]}


def test_only_an_administrator_designates_focal_points(personas):
    with pytest.raises(PermissionDenied):
        focal_point_designate(
            organisation=personas.home, by=personas.me_officer, user=personas.me_officer
        )
    with pytest.raises(PermissionDenied):
        focal_point_designate(organisation=personas.home, by=personas.outsider, user=personas.admin)


def test_the_list_page_costs_the_same_queries_for_3_or_30_rows(client, personas, reports):
    client.force_login(personas.viewer)
    url = reverse("feedback:list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(27):
        feedback_file(
            organisation=personas.home,
            by=PUBLIC,
            fields=FeedbackFields(
                kind="complaint", message=f"n{n}", area_code=VILLAGE_IN_BANTEAY_SREI
            ),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.context["counts"]["total"] == 30
    assert len(many) == len(few)


def test_a_staff_member_who_enters_a_whistleblower_report_cannot_open_it(client, personas, reports):
    client.force_login(personas.me_officer)
    response = client.post(
        reverse("feedback:new"),
        {
            "kind": "whistleblower",
            "channel": "phone",
            "received_on": "2024-08-02",
            "message": "Money for the training went missing",
            "anonymous": "on",
            "village_code": "",
            "service_name": "",
            "reporter_name": "",
            "reporter_contact": "",
        },
    )
    assert response.status_code == 200
    assert "routed to the organisation's focal points" in response.content.decode()
    report = Feedback.objects.get(message="Money for the training went missing")
    assert report.restricted and report.created_by == personas.me_officer
    assert client.get(reverse("feedback:detail", args=[report.pk])).status_code == 404
    client.force_login(personas.viewer)  # the focal point
    assert client.get(reverse("feedback:detail", args=[report.pk])).status_code == 200


def test_a_named_reporter_keeps_her_name_and_phone(personas):
    filed = feedback_file(
        organisation=personas.home,
        by=PUBLIC,
        fields=FeedbackFields(
            kind="complaint",
            message="The training started two hours late",
            anonymous=False,
            reporter_name="Srey Mom",
            reporter_contact="012 345 678",
        ),
    )
    assert (filed.feedback.reporter_name, filed.feedback.reporter_contact) == (
        "Srey Mom",
        "012 345 678",
    )
