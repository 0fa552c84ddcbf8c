"""Merging two records of one woman: what moves, how clashes are resolved, who may, and what
the figures say afterwards (docs/web.md, "Merging two records")."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.activities.models import Activity, Attendance
from samaki.activities.services import ActivityFields, activity_create
from samaki.audit.models import AuditEvent
from samaki.cases.models import Case
from samaki.cases.tests.conftest import safe_house  # noqa: F401 - the fixture
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.groups.models import Group, Membership
from samaki.groups.services import group_create
from samaki.imports.tests.test_imports import PEOPLE_HEADER, run
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record
from samaki.people.models import (
    Consent,
    DuplicateReview,
    Person,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.people.queries import (
    likely_duplicates,
    merge_preview,
    people_by_external_id,
    person_list,
    person_search,
    registration_duplicates,
)
from samaki.people.services import (
    AttributeNames,
    PersonFields,
    consent_record,
    consent_withdraw,
    person_attribute_declare,
    person_attributes_set,
    person_merge,
    person_register_reviewed,
    self_identification_record,
)
from samaki.results.engine import IndicatorDefinition, Measure, Period, indicator_compute

Q3 = Period.parse("2024Q3")
JULY = datetime.date(2024, 7, 10)


def merge_url(person: Person, other: Person | None = None) -> str:
    url = reverse("people:merge", args=[person.pk])
    return f"{url}?other={other.samaki_number}" if other is not None else url


def session(personas, day: datetime.date = JULY, title: str = "") -> Activity:
    return activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(
            kind_code="training", date=day, area_code=VILLAGE_IN_ANGKOR_THUM, title=title
        ),
    )


def attend(activity: Activity, *people: Person) -> None:
    for person in people:
        Attendance.objects.create(
            organisation_id=activity.organisation_id, activity=activity, person=person
        )


def group(personas, name: str = "Smart women") -> Group:
    return group_create(
        organisation=personas.home,
        by=personas.admin,
        name_en=name,
        kind_code="smart_women",
        area_code=VILLAGE_IN_ANGKOR_THUM,
    )


def member(
    of: Group, person: Person, joined: datetime.date, left: datetime.date | None = None
) -> Membership:
    return Membership.objects.create(
        organisation_id=of.organisation_id, group=of, person=person, joined_on=joined, left_on=left
    )


def pair(personas, **merged_fields) -> tuple[Person, Person]:
    """Two records of Sok Dara: the first registered (kept), and a second one."""
    kept = personas.person(name="Sok Dara", birth_year=1990)
    merged = personas.person(name="Sok Dara", **({"birth_year": 1990} | merged_fields))
    return kept, merged


def counts() -> dict[str, int]:
    return {
        "people": Person.objects.filter(merged_into__isnull=True).count(),
        "tombstones": Person.objects.filter(merged_into__isnull=False).count(),
        "attendances": Attendance.objects.count(),
        "memberships": Membership.objects.count(),
        "outcomes": Outcome.objects.count(),
        "consents": Consent.objects.count(),
        "merges": AuditEvent.objects.filter(action="person.merge").count(),
    }


# --- what moves, and the clash rules ----------------------------------------------------------


def test_attendances_move_and_the_same_session_twice_is_kept_once(personas):
    kept, merged = pair(personas)
    both, hers, theirs = session(personas), session(personas), session(personas)
    attend(both, kept, merged)
    attend(hers, merged)
    attend(theirs, kept)
    twice = Attendance.objects.get(activity=both, person=merged)
    moving = Attendance.objects.get(activity=hers)
    preview = merge_preview(kept, merged)
    assert preview.attendances_moved == (moving.pk,)
    assert preview.attendances_removed == (twice.pk,)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert Attendance.objects.filter(person=kept).count() == 3
    assert Attendance.objects.filter(person=merged).count() == 0
    assert not Attendance.objects.filter(pk=twice.pk).exists()
    assert Attendance.objects.filter(activity=both).count() == 1


def test_overlapping_memberships_become_one_from_the_earliest_to_the_latest(personas):
    kept, merged = pair(personas)
    women, savings, youth = group(personas), group(personas, "Savings"), group(personas, "Youth")
    # Women: 2024-01..06 (kept) overlaps 2024-03..09 (merged) → 2024-01-01..2024-09-01.
    kept_women = member(women, kept, datetime.date(2024, 1, 1), datetime.date(2024, 6, 1))
    merged_women = member(women, merged, datetime.date(2024, 3, 1), datetime.date(2024, 9, 1))
    # Savings: the merged record's is still open → one open membership.
    kept_savings = member(savings, kept, datetime.date(2024, 2, 1), datetime.date(2024, 4, 1))
    merged_savings = member(savings, merged, datetime.date(2024, 1, 15))
    # Youth: 2023 (merged) ends the day the kept one starts → no overlap, both stay.
    merged_youth = member(youth, merged, datetime.date(2023, 1, 1), datetime.date(2024, 1, 1))
    kept_youth = member(youth, kept, datetime.date(2024, 1, 1))
    preview = merge_preview(kept, merged)
    assert preview.memberships_moved == (merged_youth.pk,)
    assert [(j.kept_id, j.removed_ids) for j in preview.memberships_joined] == [
        (kept_women.pk, (merged_women.pk,)),
        (kept_savings.pk, (merged_savings.pk,)),
    ]
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    rows = {(m.group_id, m.joined_on, m.left_on) for m in Membership.objects.filter(person=kept)}
    assert rows == {
        (women.pk, datetime.date(2024, 1, 1), datetime.date(2024, 9, 1)),
        (savings.pk, datetime.date(2024, 1, 15), None),
        (youth.pk, datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)),
        (youth.pk, datetime.date(2024, 1, 1), None),
    }
    assert Membership.objects.count() == 4
    assert Membership.objects.get(pk=kept_youth.pk).person == kept


def test_outcomes_move(personas):
    kept, merged = pair(personas)
    outcome = outcome_record(
        person=merged, by=personas.admin, kind_code="business_started", date=JULY
    )
    outcome_record(person=kept, by=personas.admin, kind_code="business_started", date=JULY)
    assert merge_preview(kept, merged).outcomes_moved == (outcome.pk,)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert Outcome.objects.filter(person=kept).count() == 2
    assert Outcome.objects.get(pk=outcome.pk).person == kept


def test_consents_the_earliest_still_valid_stays_and_withdrawn_ones_move(personas):
    kept, merged = pair(personas)
    # Registration: both in force; the merged record's is the earlier one → it moves, the
    # kept record's goes.
    Consent.objects.filter(person=merged).update(given_on=datetime.date(2023, 1, 1))
    kept_registration = Consent.objects.get(person=kept)
    merged_registration = Consent.objects.get(person=merged)
    # Photos: the merged record withdrew hers (history, moves); the kept's stays.
    photos = consent_record(
        by=personas.admin, person=merged, purpose="photos", given_on=datetime.date(2024, 1, 1)
    )
    consent_withdraw(by=personas.admin, consent=photos, on=datetime.date(2024, 2, 1))
    kept_photos = consent_record(
        by=personas.admin, person=kept, purpose="photos", given_on=datetime.date(2024, 3, 1)
    )
    # Consortium: only the merged record gave it → it moves.
    consortium = consent_record(
        by=personas.admin, person=merged, purpose="consortium", given_on=datetime.date(2024, 1, 1)
    )
    preview = merge_preview(kept, merged)
    assert preview.consents_moved == tuple(
        sorted([merged_registration.pk, photos.pk, consortium.pk])
    )
    assert preview.consents_removed == (kept_registration.pk,)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert set(Consent.objects.filter(person=kept).values_list("pk", flat=True)) == {
        merged_registration.pk,
        photos.pk,
        kept_photos.pk,
        consortium.pk,
    }
    assert Consent.objects.filter(person=merged).count() == 0


def test_empty_fields_of_the_kept_record_are_filled_and_hers_win(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990, phone="012 345 678")
    merged = personas.person(
        name="Sok Dara",
        name_km="សុខ ដារា",
        birth_date=datetime.date(1990, 5, 4),
        phone="099 999 999",
        id_poor="poor_1",
        wg_walking=3,
    )
    preview = merge_preview(kept, merged)
    assert sorted(preview.fields_filled) == [
        "birth_date",
        "id_poor",
        "name_km",
        "wg_walking",
    ]
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    kept.refresh_from_db()
    assert (kept.name_km, kept.birth_date, kept.birth_year) == (
        "សុខ ដារា",
        datetime.date(1990, 5, 4),
        1990,
    )
    assert (kept.phone, kept.id_poor, kept.wg_walking) == ("012 345 678", "poor_1", 3)
    assert kept.khmer_key  # found by her Khmer name from now on
    assert person_search(user=personas.admin, query="សុខ ដារា") == [kept.pk]


def test_a_date_of_birth_against_the_kept_year_is_not_taken(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990)
    merged = personas.person(name="Sok Dara", birth_date=datetime.date(1991, 5, 4))
    assert merge_preview(kept, merged).fields_filled == {}


def test_self_identification_the_kept_one_wins_or_hers_moves(personas):
    kept, merged = pair(personas)
    self_identification_record(
        person=merged, by=personas.admin, consented_on=JULY, indigenous_group="Kuy"
    )
    assert merge_preview(kept, merged).self_identification_moved
    self_identification_record(
        person=kept, by=personas.admin, consented_on=JULY, indigenous_group="Phnong"
    )
    preview = merge_preview(kept, merged)
    assert (preview.self_identification_moved, preview.self_identification_removed) == (
        False,
        True,
    )
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert SelfIdentification.objects.get().person == kept
    assert SelfIdentification.objects.get().indigenous_group == "Phnong"


def test_custom_attributes_are_a_union_yes_wins(personas):
    kept, merged = pair(personas)
    for code in ["migrant", "single_mother", "farmer"]:
        person_attribute_declare(
            by=personas.admin,
            organisation=personas.home,
            code=code,
            names=AttributeNames(name_en=code),
        )
    person_attributes_set(by=personas.admin, person=kept, codes=["farmer"])
    person_attributes_set(by=personas.admin, person=kept, codes=[])  # a "no" row for farmer
    person_attributes_set(by=personas.admin, person=merged, codes=["migrant", "farmer"])
    person_attributes_set(by=personas.admin, person=kept, codes=["single_mother"])
    assert merge_preview(kept, merged).attributes_added == ("farmer", "migrant")
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    yes = PersonAttributeValue.objects.filter(person=kept, value=True)
    assert sorted(yes.values_list("attribute__code", flat=True)) == [
        "farmer",
        "migrant",
        "single_mother",
    ]
    assert PersonAttributeValue.objects.filter(person=merged).count() == 0


def test_external_id_the_kept_keeps_hers_or_takes_the_merged_one(personas):
    kept, merged = pair(personas, external_id="BS-0002")
    assert merge_preview(kept, merged).external_id_taken
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    kept.refresh_from_db()
    merged.refresh_from_db()
    assert (kept.external_id, merged.external_id) == ("BS-0002", "")

    first = personas.person(name="Chan Mony", external_id="BS-0010")
    second = personas.person(name="Chan Mony", external_id="BS-0011")
    assert not merge_preview(first, second).external_id_taken
    person_merge(by=personas.me_officer, kept=first, merged=second)
    second.refresh_from_db()
    assert second.external_id == "BS-0011"  # still findable, and leads to her
    found = people_by_external_id(
        user=personas.admin, organisation_id=personas.home.pk, external_ids=["BS-0011", "BS-0010"]
    )
    assert found == {"BS-0011": first, "BS-0010": first}


def test_duplicate_reviews_of_the_pair_are_answered_same_and_others_move_or_close(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990)
    third = personas.person(name="Sok Dara", village=VILLAGE_IN_BANTEAY_SREI, birth_year=1990)
    # The new record looks like both the kept one and the third: two reviews.
    merged, reviews = person_register_reviewed(
        organisation=personas.home,
        by=personas.admin,
        channel="import",
        fields=PersonFields(
            name_latin="Sok Dara", sex="female", village_code=VILLAGE_IN_ANGKOR_THUM,
            birth_year=1990,
        ),
    )  # fmt: skip
    of_pair = next(r for r in reviews if r.candidate == kept)
    with_third = next(r for r in reviews if r.candidate == third)
    preview = merge_preview(kept, merged)
    assert (preview.reviews_resolved, preview.reviews_moved, preview.reviews_closed) == (
        (of_pair.pk,),
        (with_third.pk,),
        (),
    )
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    of_pair.refresh_from_db()
    with_third.refresh_from_db()
    assert (of_pair.resolution, of_pair.resolved_by) == ("same", personas.me_officer)
    assert (with_third.person, with_third.candidate, with_third.resolved_at) == (kept, third, None)


def test_an_open_review_the_kept_record_already_has_closes(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990)
    third = personas.person(name="Sok Dara", birth_year=1990)
    merged = personas.person(name="Sok Dara", birth_year=1990)
    existing = DuplicateReview.objects.create(
        organisation=personas.home, person=third, candidate=kept, channel="api"
    )
    other = DuplicateReview.objects.create(
        organisation=personas.home, person=merged, candidate=third, channel="api"
    )
    assert merge_preview(kept, merged).reviews_closed == (other.pk,)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    other.refresh_from_db()
    existing.refresh_from_db()
    assert other.resolved_at is not None
    assert existing.resolved_at is None


def test_a_case_link_moves_silently(client, personas, safe_house):  # noqa: F811
    kept, merged = pair(personas)
    Case.objects.filter(pk=safe_house.case.pk).update(participant=merged)
    client.force_login(personas.me_officer)
    page = client.get(merge_url(kept, merged)).content.decode()
    assert "case" not in page.lower()
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert Case.objects.get(pk=safe_house.case.pk).participant == kept
    event = AuditEvent.objects.get(action="person.merge")
    assert "case" not in str(event.after).lower()


# --- the tombstone and the audit row -----------------------------------------------------------


def test_the_merged_record_becomes_a_tombstone_without_identifying_fields(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990)
    merged = personas.person(
        name="Sok Dara", name_km="សុខ ដារា", birth_date=datetime.date(1990, 5, 4),
        phone="012 345 678", village=VILLAGE_IN_BANTEAY_SREI,
    )  # fmt: skip
    result = person_merge(by=personas.me_officer, kept=kept, merged=merged, reason="Same phone")
    merged.refresh_from_db()
    assert (merged.merged_into, merged.merged_at is not None) == (kept, True)
    assert (merged.name_km, merged.name_latin, merged.phone, merged.birth_date) == (
        "",
        merged.samaki_number,
        "",
        None,
    )
    assert (merged.latin_key, merged.khmer_key) == ("", "")
    assert (merged.sex, merged.birth_year, merged.village.code) == (
        "female",
        1990,
        VILLAGE_IN_BANTEAY_SREI,
    )
    assert result.kept == kept
    event = AuditEvent.objects.get(action="person.merge")
    assert (event.actor, event.object_id, event.reason) == (
        personas.me_officer,
        str(kept.pk),
        "Same phone",
    )
    assert event.after["merged"] == merged.pk
    assert event.after["fields_filled"] == ["birth_date", "name_km", "phone"]
    text = str(event.before) + str(event.after)
    for secret in ["Sok Dara", "សុខ", "012 345 678", "1990-05-04", "345"]:
        assert secret not in text


def test_a_tombstone_leaves_every_list_search_and_duplicate_check(client, personas):
    kept, merged = pair(personas)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert list(person_list(user=personas.admin)) == [kept]
    assert person_search(user=personas.admin, query="Sok Dara") == [kept.pk]
    assert person_search(user=personas.admin, query=merged.samaki_number) == []
    assert list(
        likely_duplicates(
            user=personas.admin,
            name_latin=merged.samaki_number,
            name_km="",
            village=merged.village,
            birth_year=1990,
        )
    ) == []  # fmt: skip
    assert registration_duplicates(person=kept) == []
    client.force_login(personas.admin)
    page = client.get(reverse("people:list")).content.decode()
    assert kept.samaki_number in page or "Sok Dara" in page
    assert merged.samaki_number not in page


def test_the_old_link_of_a_tombstone_leads_to_the_kept_record(client, personas):
    kept, merged = pair(personas)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    client.force_login(personas.viewer)
    response = client.get(reverse("people:detail", args=[merged.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[kept.pk])
    client.force_login(personas.outsider)
    assert client.get(reverse("people:detail", args=[merged.pk])).status_code == 404


def test_the_api_lists_the_kept_record_only_and_answers_an_old_id_with_it(client, personas):
    from samaki.api.services import token_issue

    kept, merged = pair(personas)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    _token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="s"
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    listed = client.get("/api/v1/people", **auth).json()
    assert [row["id"] for row in listed] == [kept.pk]
    answer = client.get(f"/api/v1/people/{merged.pk}", **auth)
    assert (answer.status_code, answer.json()["id"]) == (200, kept.pk)


def test_an_import_row_naming_the_merged_external_id_lands_on_the_kept_record(personas):
    kept = personas.person(name="Sok Dara", birth_year=1990, external_id="X1")
    merged = personas.person(name="Sok Dara", birth_year=1990, external_id="X2")
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    content = PEOPLE_HEADER + f"X2,,Sok Dara,female,1990-02-03,{VILLAGE_IN_ANGKOR_THUM},,1\n"
    job = run(personas, "people", content.encode())
    assert job.status == "done", job.result
    assert (job.result["created"], job.result["updated"]) == (0, 1)
    kept.refresh_from_db()
    assert (kept.birth_date, kept.external_id) == (datetime.date(1990, 2, 3), "X1")
    assert Person.objects.count() == 2


# --- refusals ---------------------------------------------------------------------------------


def test_refusals_change_nothing(personas):
    kept, merged = pair(personas)
    attend(session(personas), merged)
    elsewhere = Person.objects.create(
        organisation=personas.other,
        name_latin="Sok Dara",
        sex="female",
        village=kept.village,
        registered_on=JULY,
    )
    before = counts()
    for by, first, second, error, message in [
        (personas.me_officer, kept, elsewhere, ValidationError, "different organisations"),
        (personas.outsider, elsewhere, kept, ValidationError, "different organisations"),
        (personas.outsider, kept, merged, PermissionDenied, "merge records"),
        (personas.me_officer, kept, kept, ValidationError, "two different records"),
        (personas.facilitator, kept, merged, PermissionDenied, "merge records"),
        (personas.viewer, kept, merged, PermissionDenied, "merge records"),
        (personas.superuser, kept, merged, PermissionDenied, "merge records"),
    ]:
        with pytest.raises(error) as refused:
            person_merge(by=by, kept=first, merged=second)
        assert message in str(refused.value), (by, message)
    assert counts() == before
    person_merge(by=SYSTEM, kept=kept, merged=merged)
    after = counts()
    with pytest.raises(ValidationError, match="already merged"):
        person_merge(by=personas.admin, kept=kept, merged=merged)
    with pytest.raises(ValidationError, match="already merged"):
        person_merge(by=personas.admin, kept=merged, merged=kept)
    assert counts() == after


# --- figures ----------------------------------------------------------------------------------


def figures(personas) -> tuple[int, int, int]:
    """(people reached, attendances, sessions) in Q3 2024, as the report counts them."""
    return tuple(  # type: ignore[return-value]
        indicator_compute(
            IndicatorDefinition(measure=measure), organisations=[personas.home.pk], period=Q3
        ).total
        for measure in (Measure.DISTINCT_PEOPLE, Measure.ATTENDANCES, Measure.SESSIONS)
    )


@pytest.fixture
def quarter(personas):
    """Q3 2024 in small: four women (two are one woman registered twice), three sessions, and a
    session in Q2 that is outside the period."""
    kept, merged = pair(personas)
    others = [personas.person(name=name) for name in ["Chan Mony", "Keo Sreyneang"]]
    first, second, third = (
        session(personas, JULY + datetime.timedelta(days=n)) for n in (0, 7, 14)
    )
    attend(first, kept, *others)
    attend(second, *others)
    attend(third, others[0])
    attend(session(personas, datetime.date(2024, 5, 1)), merged)
    return kept, merged, first, second, third


def test_merging_women_who_attended_different_sessions_counts_her_once(personas, quarter):
    kept, merged, _first, second, _third = quarter
    attend(second, merged)
    assert figures(personas) == (4, 7, 3)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert figures(personas) == (3, 7, 3)


def test_merging_women_who_attended_the_same_session_drops_one_attendance(personas, quarter):
    kept, merged, first, _second, _third = quarter
    attend(first, merged)
    assert figures(personas) == (4, 7, 3)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert figures(personas) == (3, 6, 3)


def test_merging_when_only_one_was_counted_in_the_period_changes_no_figure(personas, quarter):
    kept, merged, *_sessions = quarter  # the merged record attended in Q2 only
    assert figures(personas) == (3, 6, 3)
    person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert figures(personas) == (3, 6, 3)


# --- pages -----------------------------------------------------------------------------------


def test_the_officer_previews_then_confirms_the_merge(client, personas):
    kept = personas.person(name="Sok Dara", birth_year=1990)
    merged = personas.person(name="Sok Dara", birth_year=1990, phone="012 345 678")
    attend(session(personas), merged)
    client.force_login(personas.me_officer)
    assert (
        "Merge with another record"
        in client.get(reverse("people:detail", args=[kept.pk])).content.decode()
    )
    page = client.get(merge_url(kept)).content.decode()
    assert "Samaki number of the other record" in page
    page = client.get(merge_url(kept, merged)).content.decode()
    assert "1 session attended moves to the kept record." in page
    assert "Empty in the kept record, filled from the other: phone." in page
    assert AuditEvent.objects.filter(action="person.merge").count() == 0  # shown, not done
    response = client.post(
        merge_url(kept), {"other": merged.samaki_number, "reason": "Same phone"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("people:detail", args=[kept.pk])
    assert f"{merged.samaki_number} is merged into {kept.samaki_number}." in (
        response.content.decode()
    )
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert AuditEvent.objects.get(action="person.merge").reason == "Same phone"


def test_the_review_list_sends_the_same_person_to_the_merge_page(client, personas):
    kept = personas.person(name="Sok Dara")
    merged, (review,) = person_register_reviewed(
        organisation=personas.home,
        by=personas.admin,
        channel="import",
        fields=PersonFields(
            name_latin="Sok Dara", sex="female", village_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    client.force_login(personas.me_officer)
    page = client.get(reverse("people:duplicates")).content.decode()
    link = merge_url(kept, merged)
    assert link in page
    client.post(link, {"other": merged.samaki_number})
    review.refresh_from_db()
    assert review.resolution == "same"
    assert review.pk not in {r.pk for r in DuplicateReview.objects.filter(resolved_at__isnull=True)}


def test_who_may_merge_on_the_page(client, personas):
    kept, merged = pair(personas)
    elsewhere = Person.objects.create(
        organisation=personas.other,
        name_latin="Sok Dara",
        sex="female",
        village=kept.village,
        registered_on=JULY,
    )
    before = counts()
    for user, status in [
        (personas.facilitator, 403),
        (personas.viewer, 403),
        (personas.superuser, 404),
        (personas.outsider, 404),
    ]:
        client.force_login(user)
        assert client.get(merge_url(kept, merged)).status_code == status, user
        assert client.post(merge_url(kept), {"other": merged.samaki_number}).status_code == status
    client.force_login(personas.me_officer)
    # Another organisation's record is no record of hers.
    assert client.get(merge_url(kept, elsewhere)).status_code == 404
    assert client.post(merge_url(kept), {"other": elsewhere.samaki_number}).status_code == 404
    page = client.get(merge_url(kept, kept)).content.decode()
    assert "Choose two different records to merge." in page
    page = client.get(merge_url(kept) + "?other=nonsense").content.decode()
    assert "A Samaki number is a P and digits" in page
    assert counts() == before


@pytest.mark.parametrize("sessions", [1, 3])
def test_the_preview_page_takes_the_same_queries_for_one_session_or_three(
    client, personas, django_assert_num_queries, sessions
):
    kept, merged = pair(personas)
    for _n in range(sessions):
        attend(session(personas), merged)
    client.force_login(personas.me_officer)
    url = merge_url(kept, merged)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert len(response.context["preview"].attendances_moved) == sessions


def test_a_merge_moving_records_of_a_submitted_period_is_refused(personas):
    from django.utils import timezone

    from samaki.periods.models import ReportingPeriod
    from samaki.projects.services import project_create

    project = project_create(
        organisation=personas.home,
        by=personas.admin,
        code="p1",
        name_en="Project",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        donor=personas.donor,
    )
    kept, merged = pair(personas)
    activity = session(personas)
    Activity.objects.filter(pk=activity.pk).update(project=project)
    attend(activity, merged)
    ReportingPeriod.objects.create(
        organisation=personas.home,
        project=project,
        start=Q3.start,
        end=Q3.end,
        submitted_at=timezone.now(),
        submitted_by=personas.me_officer,
    )
    before = counts()
    with pytest.raises(ValidationError, match=r"2024Q3 .* is submitted"):
        person_merge(by=personas.me_officer, kept=kept, merged=merged)
    assert counts() == before
    merged.refresh_from_db()
    assert (merged.merged_into, merged.name_latin) == (None, "Sok Dara")
