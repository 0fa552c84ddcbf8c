import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samaki.audit.models import AuditEvent
from samaki.audit.services import event_unsealed
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.people.models import Disability, Person
from samaki.people.queries import get_person_for_user, person_list
from samaki.people.services import PersonFields, person_register, person_update


def fields(**extra) -> PersonFields:
    values = {"name_latin": "Sok Dara", "sex": "female", "village_code": VILLAGE_IN_ANGKOR_THUM}
    values.update(extra)
    return PersonFields(**values)


def test_registration_writes_the_person_her_consent_and_one_audit_row(personas):
    person = person_register(
        organisation=personas.home,
        by=personas.admin,
        fields=fields(name_km="សុខ ដារា", birth_date=datetime.date(1990, 5, 2)),
    )
    assert person.birth_year == 1990
    assert person.consents.get().purpose == "registration"
    event = AuditEvent.objects.get(object_type="people.person", object_id=str(person.pk))
    assert (event.action, event.actor, event_unsealed(event)[1]["name_km"]) == (
        "person.register",
        personas.admin,
        "សុខ ដារា",
    )


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"village_code": "99999999"}, "village_code"),
        ({"village_code": "1702"}, "village_code"),  # a district, not a village
        ({"birth_date": datetime.date(2999, 1, 1)}, "birth_date"),
        ({"birth_year": 1850}, "birth_year"),
        ({"wg_seeing": 5}, "wg_seeing"),
        ({"wg_walking": 0}, "wg_walking"),
        ({"sex": "unknown"}, "sex"),
        ({"name_latin": "  ", "name_km": ""}, "name_latin"),
        ({"phone": "call me"}, "phone"),
        ({"birth_date": datetime.date(1990, 1, 1), "birth_year": 1991}, "birth_year"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_the_field_and_writes_nothing(personas, bad, field):
    people_before, events_before = Person.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        person_register(organisation=personas.home, by=personas.admin, fields=fields(**bad))
    assert field in refused.value.message_dict
    assert refused.value.message_dict[field][0]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (people_before, events_before)


def test_unknown_village_message_names_the_code(personas):
    with pytest.raises(ValidationError) as refused:
        person_register(
            organisation=personas.home, by=personas.admin, fields=fields(village_code="17999999")
        )
    assert "17999999" in refused.value.message_dict["village_code"][0]


def test_khmer_digits_in_a_phone_number_are_read(personas):
    person = person_register(
        organisation=personas.home, by=personas.admin, fields=fields(phone="០១២ ៣៤៥ ៦៧៨")
    )
    assert person.phone == "012 345 678"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, Disability.UNDETERMINED),
        ({"wg_seeing": 1, "wg_hearing": 1, "wg_walking": 2}, Disability.UNDETERMINED),
        ({"wg_walking": 3}, Disability.YES),
        ({"wg_cognition": 4}, Disability.YES),
        (
            dict.fromkeys(
                [
                    "wg_seeing",
                    "wg_hearing",
                    "wg_walking",
                    "wg_cognition",
                    "wg_selfcare",
                    "wg_communication",
                ],
                2,
            ),
            Disability.NO,
        ),
    ],
)
def test_disability_is_derived_by_the_wg_cutoff_in_python_and_in_sql(personas, answers, expected):
    person = person_register(
        organisation=personas.home, by=personas.admin, fields=fields(**answers)
    )
    assert person.disability == expected
    in_sql = Person.objects.annotate(d=Person.disability_expression()).get(pk=person.pk).d
    assert in_sql == expected


def test_age_is_computed_at_the_event_date(personas):
    exact = person_register(
        organisation=personas.home,
        by=personas.admin,
        fields=fields(birth_date=datetime.date(2000, 6, 15)),
    )
    year_only = person_register(
        organisation=personas.home, by=personas.admin, fields=fields(birth_year=2000)
    )
    assert exact.age_on(datetime.date(2024, 6, 14)) == 23
    assert exact.age_on(datetime.date(2024, 6, 15)) == 24
    assert year_only.age_on(datetime.date(2024, 1, 1)) == 24
    assert (
        person_register(organisation=personas.home, by=personas.admin, fields=fields()).age_on(
            datetime.date(2024, 1, 1)
        )
        is None
    )


def test_facilitator_registers_only_inside_her_areas(personas):
    person_register(organisation=personas.home, by=personas.facilitator, fields=fields())
    with pytest.raises(PermissionDenied):
        person_register(
            organisation=personas.home,
            by=personas.facilitator,
            fields=fields(village_code=VILLAGE_IN_BANTEAY_SREI),
        )


@pytest.mark.parametrize("who", ["viewer", "donor_viewer", "outsider"])
def test_readers_and_outsiders_cannot_register(personas, who):
    with pytest.raises(PermissionDenied):
        person_register(organisation=personas.home, by=getattr(personas, who), fields=fields())
    assert not Person.objects.exists()


def test_each_persona_sees_exactly_the_people_she_may(personas):
    inside = personas.person(village=VILLAGE_IN_ANGKOR_THUM, name="Inside")
    outside = personas.person(village=VILLAGE_IN_BANTEAY_SREI, name="Outside")
    everyone = {inside.pk, outside.pk}
    seen = {
        who: set(person_list(user=getattr(personas, who)).values_list("pk", flat=True))
        for who in ["admin", "me_officer", "viewer", "facilitator", "donor_viewer", "outsider"]
    }
    assert seen == {
        "admin": everyone,
        "me_officer": everyone,
        "viewer": everyone,
        "facilitator": {inside.pk},
        "donor_viewer": set(),
        "outsider": set(),
    }


def test_update_is_audited_with_before_and_after(personas):
    person = personas.person(name="Sokcha")
    person_update(person=person, by=personas.me_officer, fields=fields(name_latin="Sokchea"))
    event = AuditEvent.objects.get(action="person.update")
    before, after = event_unsealed(event)  # her personal values are sealed under her key
    assert (before["name_latin"], after["name_latin"]) == ("Sokcha", "Sokchea")


def test_outsider_gets_404(personas):
    from django.http import Http404

    person = personas.person()
    with pytest.raises(Http404):
        get_person_for_user(user=personas.outsider, pk=person.pk)


def test_a_village_code_of_another_level_is_refused_in_the_pages_language(personas):
    from django.utils import translation

    with translation.override("km"), pytest.raises(ValidationError) as refused:
        person_register(
            organisation=personas.home, by=personas.admin, fields=fields(village_code="1702")
        )
    message = refused.value.message_dict["village_code"][0]
    assert "ភូមិ" in message and "village" not in message
