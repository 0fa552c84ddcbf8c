"""Pages, exports and API answers that name people are never kept by a cache."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from samaki.api.services import token_issue
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.groups.services import group_create
from samaki.middleware import PrivateResponseMiddleware


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def signed_in(client, personas):
    client.force_login(personas.admin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/people/",
        "/people/?q=sok",
        "/people/{person}/",
        "/groups/{group}/",
        "/groups/{group}/members/add/?q=sok",
        "/imports/export/people.csv",
        "/feedback/",
        "/advocacy/",
    ],
)
def test_signed_in_pages_are_no_store(signed_in, personas, path):
    person = personas.person()
    group = group_create(
        organisation=personas.home, by=personas.admin, name_en="SW", kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )  # fmt: skip
    response = signed_in.get(path.format(person=person.pk, group=group.pk))
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def test_api_answers_are_no_store(client, personas):
    personas.person()
    _token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="s"
    )
    response = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert {"no-store", "private"} <= directives(response)


def through_middleware(user, path: str, cache_control: str | None = None):
    def view(request):
        response = HttpResponse("Sok Dara")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    request = RequestFactory().get(path)
    request.user = user
    return PrivateResponseMiddleware(view)(request)


def test_a_response_that_chose_its_own_caching_keeps_it(personas):
    response = through_middleware(personas.admin, "/people/", cache_control="max-age=60")
    assert directives(response) == {"max-age=60"}


def test_static_files_stay_cacheable(personas):
    response = through_middleware(personas.admin, settings.STATIC_URL + "samaki/base.css")
    assert directives(response) == set()


def test_an_anonymous_public_page_is_left_alone(db):
    assert directives(through_middleware(AnonymousUser(), "/feedback/home/")) == set()
