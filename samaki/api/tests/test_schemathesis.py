"""Schemathesis generates requests from the OpenAPI schema and runs them in-process (WSGI).

No answer may be a 5xx, and every answer must match the schema (status code, content type,
body). An M&E officer's token is used, with a person, a group and an activity in place so that
the generated ids sometimes hit real rows.
"""

import datetime

import pytest
import schemathesis
from django.core import signals as signal
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create
from samaki.api.services import token_issue
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.services import group_create
from samaki.wsgi import application

# What the acceptance asks: no 5xx, and answers that keep to the schema. (Schemathesis's
# positive_data_acceptance would also demand that any schema-valid body is accepted; Samaki's
# services refuse, with a 422 and a reason, bodies the schema cannot rule out: an unknown village.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.ignored_auth,
]


@pytest.fixture
def keep_connection():
    """Like Django's test client: the raw WSGI app must not close the test's connection
    (it would, on PostgreSQL, at the end of each request)."""
    signal.request_started.disconnect(close_old_connections)
    signal.request_finished.disconnect(close_old_connections)
    yield
    signal.request_started.connect(close_old_connections)
    signal.request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas):
    person = personas.person(name="Sok Dara")
    group_create(
        organisation=personas.home,
        by=SYSTEM,
        name_en="G",
        kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )
    activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(
            kind_code="training", date=datetime.date(2024, 8, 1), area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    assert person.pk
    _token, secret = token_issue(
        kind="api",
        organisation=personas.home,
        by=personas.me_officer,
        user=personas.me_officer,
        name="fuzz",
    )
    return secret


def test_api_answers_no_5xx_and_matches_its_schema(token, keep_connection):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def exercise(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        exercise()
