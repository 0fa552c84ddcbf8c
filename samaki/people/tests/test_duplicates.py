"""Likely duplicates from every channel: registered all the same, and put on the review list."""

import pytest
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.imports.tests.test_imports import PEOPLE_HEADER, run
from samaki.openrosa.tests.test_submission_records import (
    phone,  # noqa: F401 - the fixture
    registration,
    send,
)
from samaki.people.models import DuplicateReview, Person
from samaki.people.services import PersonFields, person_register_reviewed
from samaki.people.tests.test_pages import registration as web_registration

LIST = reverse("people:duplicates")


def resolve_url(review: DuplicateReview) -> str:
    return reverse("people:duplicate_resolve", args=[review.pk])


def test_a_duplicate_sent_by_odk_lands_in_the_review_list(phone, client, personas):  # noqa: F811
    existing = personas.person(name="Srey Leak", birth_year=1990)
    assert send(phone, registration("uuid:d1")).status_code == 201
    new = Person.objects.exclude(pk=existing.pk).get()
    review = DuplicateReview.objects.get()
    assert (review.person, review.candidate, review.channel) == (new, existing, "openrosa")
    assert (review.organisation, review.resolved_at, review.resolution) == (personas.home, None, "")
    event = AuditEvent.objects.get(action="duplicate_review.open")
    assert (event.actor, event.object_id) == (personas.facilitator, str(review.pk))
    assert event.after == {"person": new.pk, "candidate": existing.pk, "channel": "openrosa"}
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(personas.me_officer)
    page = client.get(LIST).content.decode()
    assert new.samaki_number in page
    assert existing.samaki_number in page
    assert "Phone (ODK)" in page


def test_a_duplicate_sent_by_import_lands_in_the_review_list_and_is_reported_by_row(
    client, personas
):
    existing = personas.person(name="Sok Chanthy", birth_date=None, birth_year=1995)
    content = (
        PEOPLE_HEADER
        + f"X1,,Mao Sreymom,female,1988-03-01,{VILLAGE_IN_ANGKOR_THUM},,1\n"
        + f"X2,,Sok  Chanthy,female,1995-06-01,{VILLAGE_IN_BANTEAY_SREI},,1\n"
    ).encode()
    job = run(personas, "people", content)
    assert job.status == "done"
    twin = Person.objects.get(external_id="X2")
    assert job.result == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "duplicates": [{"row": 3, "candidate": existing.samaki_number}],
    }
    review = DuplicateReview.objects.get()
    assert (review.person, review.candidate, review.channel) == (twin, existing, "import")
    assert AuditEvent.objects.filter(action="duplicate_review.open").count() == 1
    client.force_login(personas.admin)
    detail = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert f"Row 3: likely the same as {existing.samaki_number}" in detail
    assert twin.samaki_number in client.get(LIST).content.decode()


def test_a_duplicate_sent_by_the_api_lands_in_the_review_list(client, personas):
    from samaki.api.services import token_issue

    existing = personas.person(name="Sok Dara", name_km="សុខ ដារា")
    _token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="s"
    )
    body = {"sex": "female", "village_code": VILLAGE_IN_ANGKOR_THUM, "name_km": "សុខ  ដារា"}
    response = client.post(
        "/api/v1/people",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201
    review = DuplicateReview.objects.get()
    assert (review.person_id, review.candidate, review.channel) == (
        response.json()["id"],
        existing,
        "api",
    )


def test_confirming_the_web_warning_registers_her_and_opens_a_review(client, personas):
    existing = personas.person(name="Sok Sokcha", birth_year=1990)
    client.force_login(personas.admin)
    client.post(reverse("people:create"), web_registration(name_latin="Sok Sokchea"))
    assert DuplicateReview.objects.count() == 0  # warned, nothing saved yet
    response = client.post(
        reverse("people:create"), web_registration(name_latin="Sok Sokchea", confirm_duplicate="on")
    )
    new = Person.objects.exclude(pk=existing.pk).get()
    assert response["Location"] == reverse("people:detail", args=[new.pk])
    review = DuplicateReview.objects.get()
    assert (review.person, review.candidate, review.channel) == (new, existing, "web")


def test_someone_new_opens_no_review(personas):
    personas.person(name="Sok Dara", birth_year=1990)
    # Same name elsewhere and born another year; another name in the same village.
    for name, village, year in [
        ("Sok Dara", VILLAGE_IN_BANTEAY_SREI, 1991),
        ("Chan Mony", VILLAGE_IN_ANGKOR_THUM, 1990),
    ]:
        _person, reviews = person_register_reviewed(
            organisation=personas.home,
            by=personas.admin,
            channel="api",
            fields=PersonFields(
                name_latin=name, sex="female", village_code=village, birth_year=year
            ),
        )
        assert reviews == []
    assert DuplicateReview.objects.count() == 0
    assert AuditEvent.objects.filter(action="duplicate_review.open").count() == 0


def _review(personas, name: str = "Sok Dara") -> DuplicateReview:
    personas.person(name=name)
    _person, (review,) = person_register_reviewed(
        organisation=personas.home,
        by=personas.admin,
        channel="import",
        fields=PersonFields(name_latin=name, sex="female", village_code=VILLAGE_IN_ANGKOR_THUM),
    )
    return review


@pytest.mark.parametrize(
    ("answer", "label"), [("distinct", "Not the same person"), ("same", "Same person (to merge)")]
)
def test_the_officer_answers_once_and_it_is_audited(client, personas, answer, label):
    review = _review(personas)
    client.force_login(personas.me_officer)
    response = client.post(resolve_url(review), {"resolution": answer}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert label in response.content.decode()
    review.refresh_from_db()
    assert (review.resolution, review.resolved_by) == (answer, personas.me_officer)
    assert review.resolved_at is not None
    event = AuditEvent.objects.get(action="duplicate_review.resolve")
    assert (event.actor, event.before, event.after) == (
        personas.me_officer,
        {"resolution": ""},
        {"resolution": answer},
    )
    assert Person.objects.count() == 2  # "same" marks for a merge; nothing is merged
    assert review.person.samaki_number not in client.get(LIST).content.decode()
    # A second answer changes nothing.
    client.post(resolve_url(review), {"resolution": "distinct" if answer == "same" else "same"})
    review.refresh_from_db()
    assert review.resolution == answer
    assert AuditEvent.objects.filter(action="duplicate_review.resolve").count() == 1


def test_an_unknown_answer_changes_nothing(client, personas):
    review = _review(personas)
    client.force_login(personas.admin)
    response = client.post(resolve_url(review), {"resolution": "maybe"}, follow=True)
    assert "Choose “not the same person” or “same person”." in response.content.decode()
    review.refresh_from_db()
    assert (review.resolution, review.resolved_at) == ("", None)
    assert AuditEvent.objects.filter(action="duplicate_review.resolve").count() == 0


def test_who_may_review(client, personas):
    review = _review(personas)
    for user, listed, resolved in [
        (personas.viewer, 403, 403),  # reads people, decides nothing
        (personas.facilitator, 403, 403),  # registers, does not review
        (personas.outsider, 200, 404),  # another organisation's: her own (empty) list
        (personas.superuser, 404, 404),  # acts for no organisation
    ]:
        client.force_login(user)
        response = client.get(LIST)
        assert response.status_code == listed, user
        if listed == 200:
            assert review.person.samaki_number not in response.content.decode()
        assert client.post(resolve_url(review), {"resolution": "same"}).status_code == resolved
    review.refresh_from_db()
    assert review.resolved_at is None
    assert AuditEvent.objects.filter(action="duplicate_review.resolve").count() == 0


def test_the_people_list_links_the_reviews_for_managers_only(client, personas):
    client.force_login(personas.me_officer)
    assert LIST in client.get(reverse("people:list")).content.decode()
    client.force_login(personas.facilitator)
    assert LIST not in client.get(reverse("people:list")).content.decode()


@pytest.mark.parametrize("pairs", [1, 3])
def test_the_review_list_takes_the_same_queries_for_one_pair_or_three(
    client, personas, django_assert_num_queries, pairs
):
    for name in ["Sok Dara", "Chan Mony", "Keo Sreyneang"][:pairs]:
        _review(personas, name=name)
    client.force_login(personas.me_officer)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == pairs


def test_a_newcomer_registered_at_a_session_who_is_likely_someone_opens_a_review(client, personas):
    import datetime

    from samaki.activities.services import ActivityFields, activity_create

    existing = personas.person(name="Srey Neang")
    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(
            kind_code="training", date=datetime.date(2024, 8, 1), area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("activities:attendance", args=[activity.pk]),
        {
            "action": "newcomer",
            "new-name_latin": "Srey Neang",
            "new-sex": "female",
            "new-consent": "on",
            "new-village": VILLAGE_IN_ANGKOR_THUM,
        },
    )
    assert response.status_code == 200
    new = Person.objects.exclude(pk=existing.pk).get()
    review = DuplicateReview.objects.get()
    assert (review.person, review.candidate, review.channel) == (new, existing, "web")
