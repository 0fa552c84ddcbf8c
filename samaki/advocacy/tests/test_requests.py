"""Requests to authorities: recorded once, followed up, counted by status in one query."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.advocacy.models import RequestStatus
from samaki.advocacy.queries import request_counts_by_status, request_list
from samaki.advocacy.services import RequestFields, request_follow_up, request_record
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 10, 28)


def record(personas, topic="id_poor_card", village=VILLAGE_IN_ANGKOR_THUM, **extra):
    fields = RequestFields(
        topic_code=topic,
        summary="Provide ID Poor cards to the families who still lack them",
        raised_on=DAY,
        level=extra.pop("level", "commune"),
        area_code=village,
        **extra,
    )
    return request_record(organisation=personas.home, by=personas.admin, fields=fields)


def test_counts_by_status_include_zeros_and_take_one_query(personas):
    jobs = record(personas, topic="decent_jobs", level="national")
    record(personas, topic="scholarship", level="province")
    record(personas, topic="disability_card", village=VILLAGE_IN_BANTEAY_SREI)
    request_follow_up(
        request=jobs,
        by=personas.admin,
        date=DAY + datetime.timedelta(days=30),
        note="Letter to the provincial department of labour",
        status=RequestStatus.SUBMITTED,
    )
    with CaptureQueriesContext(connection) as queries:
        counts = request_counts_by_status(request_list(user=personas.admin))
    assert len(queries) == 1
    assert counts == {
        "raised": 2,
        "submitted": 1,
        "acknowledged": 0,
        "granted": 0,
        "partly_granted": 0,
        "refused": 0,
        "no_response": 0,
    }
    # The facilitator counts only what lies in her district.
    assert sum(request_counts_by_status(request_list(user=personas.facilitator)).values()) == 2
    assert sum(request_counts_by_status(request_list(user=personas.outsider)).values()) == 0


def test_a_granted_request_needs_the_authoritys_response(personas):
    request = record(personas)
    with pytest.raises(ValidationError):
        request_follow_up(
            request=request, by=personas.admin, date=DAY, note="Meeting", status="granted"
        )
    request_follow_up(
        request=request,
        by=personas.admin,
        date=DAY + datetime.timedelta(days=60),
        note="Commune chief's answer",
        status="partly_granted",
        response="12 of 20 families registered in the next ID Poor round",
    )
    request.refresh_from_db()
    assert request.status == "partly_granted"
    assert request.responded_on == DAY + datetime.timedelta(days=60)


def test_an_unknown_level_or_topic_is_refused(personas):
    with pytest.raises(ValidationError):
        record(personas, level="galaxy")
    with pytest.raises(ValidationError):
        record(personas, topic="nothing")


def test_a_viewer_cannot_record_and_an_outsider_gets_404(client, personas):
    with pytest.raises(PermissionDenied):
        request_record(
            organisation=personas.home,
            by=personas.viewer,
            fields=RequestFields(
                topic_code="scholarship", summary="x", raised_on=DAY, level="national"
            ),
        )
    request = record(personas)
    client.force_login(personas.outsider)
    assert client.get(reverse("advocacy:detail", args=[request.pk])).status_code == 404
    client.force_login(personas.viewer)
    assert client.get(reverse("advocacy:detail", args=[request.pk])).status_code == 200
    assert client.get(reverse("advocacy:list")).status_code == 200


def test_a_request_is_recorded_through_the_page(client, personas):
    client.force_login(personas.me_officer)
    response = client.post(
        reverse("advocacy:new"),
        {
            "topic_code": "decent_jobs",
            "summary": "Announce job openings in rural areas too",
            "raised_on": "2023-10-28",
            "level": "province",
            "authority": "",
            "area_code": "",
            "people_asking": "14",
        },
    )
    assert response.status_code == 302
    assert request_list(user=personas.me_officer).get().people_asking == 14
