"""Nobody appoints herself focal point; a report about a focal point goes to the others; the
organisation's audit trail does not betray restricted reports.

- viewer: focal point A (designated by the administrator)
- me_officer: focal point B
- admin: designates focal points, never herself; reads the audit trail, not restricted rows
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from samaki.accounts.access import PUBLIC
from samaki.audit.models import AuditEvent
from samaki.audit.queries import audit_event_list
from samaki.feedback.models import FocalPoint
from samaki.feedback.queries import feedback_list
from samaki.feedback.services import (
    FeedbackFields,
    feedback_file,
    feedback_respond,
    feedback_view_record,
    focal_point_designate,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 8, 1)


@pytest.fixture
def focal_points(personas):
    a = focal_point_designate(organisation=personas.home, by=personas.admin, user=personas.viewer)
    b = focal_point_designate(
        organisation=personas.home, by=personas.admin, user=personas.me_officer
    )
    return a, b


def _file(personas, kind="staff_conduct", **extra):
    fields = FeedbackFields(kind=kind, message="He shouts at the women", received_on=DAY)
    return feedback_file(organisation=personas.home, by=personas.admin, fields=fields, **extra)


def test_an_admin_cannot_designate_herself(personas):
    with pytest.raises(PermissionDenied):
        focal_point_designate(organisation=personas.home, by=personas.admin, user=personas.admin)
    assert not FocalPoint.objects.exists()


def test_the_focal_points_page_does_not_let_her_name_herself(client, personas):
    client.force_login(personas.admin)
    url = reverse("feedback:focal_points")
    page = client.get(url)
    assert f'value="{personas.admin.pk}"'.encode() not in page.content
    response = client.post(url, {"user": personas.admin.pk})
    assert response.status_code == 200  # the form again, refused
    assert not FocalPoint.objects.exists()


def test_only_an_admin_designates(personas):
    for who in (personas.me_officer, personas.viewer, personas.outsider):
        with pytest.raises(PermissionDenied):
            focal_point_designate(organisation=personas.home, by=who, user=personas.facilitator)
    assert not FocalPoint.objects.exists()


def test_a_complaint_about_focal_point_a_reaches_b_only(client, personas, focal_points):
    about_a = _file(personas, about_user=personas.viewer).feedback
    other = _file(personas).feedback
    assert set(feedback_list(user=personas.viewer)) == {other}
    assert set(feedback_list(user=personas.me_officer)) == {about_a, other}
    url = reverse("feedback:detail", args=[about_a.pk])
    client.force_login(personas.viewer)
    assert client.get(url).status_code == 404
    assert url.encode() not in client.get(reverse("feedback:list")).content
    with pytest.raises(PermissionDenied):
        feedback_respond(feedback=about_a, by=personas.viewer, status="in_progress", response="")
    client.force_login(personas.me_officer)
    assert client.get(url).status_code == 200


def test_the_staff_form_names_whom_a_complaint_is_about(client, personas, focal_points):
    client.force_login(personas.admin)
    response = client.post(
        reverse("feedback:new"),
        {
            "kind": "staff_conduct",
            "message": "He shouts at the women",
            "channel": "staff",
            "received_on": "2024-08-01",
            "about_user": personas.viewer.pk,
        },
    )
    assert response.status_code == 200
    filed = feedback_list(user=personas.me_officer).get()
    assert filed.about_user == personas.viewer
    assert not feedback_list(user=personas.viewer).exists()


def test_a_service_feedback_names_no_staff_member(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _file(personas, kind="complaint", about_user=personas.viewer)


@pytest.mark.parametrize("who", ["admin", "me_officer"])
def test_restricted_rows_are_absent_from_the_organisation_s_audit(client, personas, who):
    focal_point_designate(organisation=personas.home, by=personas.admin, user=personas.viewer)
    restricted = _file(personas, kind="whistleblower").feedback
    feedback_view_record(feedback=restricted, by=personas.viewer)
    feedback_respond(feedback=restricted, by=personas.viewer, status="in_progress", response="")
    ordinary = feedback_file(
        organisation=personas.home,
        by=PUBLIC,
        fields=FeedbackFields(kind="complaint", message="Late", received_on=DAY),
    ).feedback
    restricted_rows = AuditEvent.objects.filter(
        object_id=str(restricted.pk), object_type="feedback.feedback"
    )
    assert set(restricted_rows.values_list("action", flat=True)) == {
        "feedback.file",
        "feedback.view",
        "feedback.respond",
    }
    reader = getattr(personas, who)
    visible = audit_event_list(user=reader)
    assert not visible.filter(pk__in=restricted_rows).exists()
    assert visible.filter(object_type="feedback.feedback", object_id=str(ordinary.pk)).exists()
    client.force_login(reader)
    page = client.get(reverse("admin:audit_auditevent_changelist"))
    assert page.status_code == 200
    shown = AuditEvent.objects.get(action="feedback.file", object_id=str(ordinary.pk))
    assert reverse("admin:audit_auditevent_change", args=[shown.pk]).encode() in page.content
    for row in restricted_rows:
        assert reverse("admin:audit_auditevent_change", args=[row.pk]).encode() not in page.content
        change = reverse("admin:audit_auditevent_change", args=[row.pk])
        assert client.get(change).status_code == 404
    assert not audit_event_list(user=personas.superuser).filter(pk__in=restricted_rows).exists()
