"""The REST API: token auth, organisation scope, the services' rules, and an offline schema."""

import datetime

import pytest

from samaki.accounts.access import SYSTEM
from samaki.activities.services import ActivityFields, activity_create
from samaki.api.services import token_issue, token_revoke
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.people.models import Person


@pytest.fixture
def bearer(personas):
    def make(user):
        organisation = user.organisation
        _token, secret = token_issue(
            kind="api", organisation=organisation, by=user, user=user, name="script"
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


def test_no_token_is_401(client, personas):
    assert client.get("/api/v1/people").status_code == 401


def test_revoked_token_is_401(client, personas):
    token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="x"
    )
    token_revoke(token=token, by=personas.admin)
    assert client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_people_are_scoped_like_the_pages(client, personas, bearer):
    inside = personas.person(name="Sok Dara")
    outside = personas.person(name="Chan Mony", village=VILLAGE_IN_BANTEAY_SREI)

    def names(user):
        return [p["name_latin"] for p in client.get("/api/v1/people", **bearer(user)).json()]

    assert sorted(names(personas.admin)) == ["Chan Mony", "Sok Dara"]
    assert names(personas.facilitator) == ["Sok Dara"]
    assert names(personas.outsider) == []
    assert client.get(f"/api/v1/people/{inside.pk}", **bearer(personas.outsider)).status_code == 404
    assert (
        client.get(f"/api/v1/people/{outside.pk}", **bearer(personas.facilitator)).status_code
        == 404
    )


def test_register_a_person_through_the_service(client, personas, bearer):
    body = {
        "sex": "female",
        "village_code": VILLAGE_IN_ANGKOR_THUM,
        "name_latin": "Sok Dara",
        "wg_walking": 4,
        "external_id": "X-1",
    }
    response = client.post(
        "/api/v1/people", body, content_type="application/json", **bearer(personas.me_officer)
    )
    assert response.status_code == 201
    assert response.json()["disability"] == "yes"
    assert response.json()["village_code"] == VILLAGE_IN_ANGKOR_THUM
    again = client.post(
        "/api/v1/people", body, content_type="application/json", **bearer(personas.me_officer)
    )
    assert again.status_code == 422
    assert again.json() == {
        "detail": {"external_id": ["Another person already has the external ID “X-1”."]}
    }
    assert Person.objects.count() == 1


def test_writes_obey_roles_and_areas(client, personas, bearer):
    body = {"sex": "female", "village_code": VILLAGE_IN_BANTEAY_SREI, "name_latin": "A"}
    outside = client.post(
        "/api/v1/people", body, content_type="application/json", **bearer(personas.facilitator)
    )
    assert outside.status_code == 403
    assert outside.json() == {"detail": "This is outside your working areas."}
    viewer = client.post(
        "/api/v1/people", body, content_type="application/json", **bearer(personas.viewer)
    )
    assert viewer.status_code == 403
    assert Person.objects.count() == 0


def test_attendance_is_set_and_idempotent(client, personas, bearer):
    dara = personas.person(name="Sok Dara")
    mony = personas.person(name="Chan Mony")
    activity = activity_create(
        organisation=personas.home,
        by=SYSTEM,
        fields=ActivityFields(
            kind_code="training", date=datetime.date(2024, 8, 1), area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    url = f"/api/v1/activities/{activity.pk}/attendance"
    body = {"person_ids": [dara.pk, mony.pk]}
    for _ in range(2):
        response = client.put(url, body, content_type="application/json", **bearer(personas.admin))
        assert response.json() == {
            "activity_id": activity.pk,
            "person_ids": sorted([dara.pk, mony.pk]),
        }
    other = client.put(url, body, content_type="application/json", **bearer(personas.outsider))
    assert other.status_code == 404


def test_openapi_31_schema_and_docs_are_served_offline(client, personas):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/people" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
