"""Registering and correcting people in the admin goes through the services."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.audit.services import event_unsealed
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.outcomes.models import OutcomeKind
from samaki.people.models import Consent, Person

ADD = reverse("admin:people_person_add")


def form_data(**changes) -> dict[str, str]:
    data = {
        "name_km": "សុខ ដារា",
        "name_latin": "Sok  Dara",
        "sex": "female",
        "birth_date": "1990-05-02",
        "birth_year": "",
        "village": str(Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM).pk),
        "phone": "012 345 678",
        "id_poor": "poor_1",
        "external_id": "",
        "registered_on": "2024-03-08",
        "wg_seeing": "1",
        "wg_hearing": "1",
        "wg_walking": "3",
        "wg_cognition": "",
        "wg_selfcare": "",
        "wg_communication": "",
    }
    data.update(changes)
    return data


def written() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Consent.objects.count(),
        AuditEvent.objects.count(),
        LogEntry.objects.count(),
    )


def test_the_home_admin_registers_a_person_with_her_consent_and_an_audit_row(client, personas):
    client.force_login(personas.admin)

    response = client.post(ADD, form_data())

    person = Person.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("admin:people_person_changelist"),
    )
    assert (person.organisation, person.name_latin, person.birth_year, person.village.code) == (
        personas.home,
        "Sok Dara",  # the service tidied the spaces
        1990,
        VILLAGE_IN_ANGKOR_THUM,
    )
    assert person.registered_on == datetime.date(2024, 3, 8)
    assert person.disability == "yes"
    assert person.consents.get().purpose == "registration"
    event = AuditEvent.objects.get(action="person.register")
    assert (event.actor, event.organisation, event.object_id) == (
        personas.admin,
        personas.home,
        str(person.pk),
    )
    assert LogEntry.objects.get().object_id == str(person.pk)


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date", "The date of birth is in the future."),
        (
            {"birth_year": "1850", "birth_date": ""},
            "birth_year",
            "The year of birth must be between 1900 and this year.",
        ),
        (
            {"name_km": "", "name_latin": " "},
            "name_latin",
            "Give her name in Khmer script, in Latin script, or both.",
        ),
        (
            {"phone": "call me"},
            "phone",
            "A phone number has 8 to 20 digits, spaces or dashes, maybe a leading +.",
        ),
        (
            {"wg_seeing": "5"},
            "wg_seeing",
            "Select a valid choice. 5 is not one of the available choices.",
        ),
    ],
)
def test_bad_input_shows_the_services_message_on_its_field_and_writes_nothing(
    client, personas, bad, field, message
):
    client.force_login(personas.admin)
    before = written()

    response = client.post(ADD, form_data(**bad))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {field: [message]}
    assert message in response.content.decode()
    assert written() == before


def test_a_district_is_refused_where_a_village_is_asked_for(client, personas):
    client.force_login(personas.admin)
    district = Area.objects.get(code="1702")
    before = written()

    response = client.post(ADD, form_data(village=str(district.pk)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "village": ["Area “1702” is a district, not a village."]
    }
    assert written() == before


def test_a_correction_goes_through_person_update_with_before_and_after(client, personas):
    person = personas.person(name="Sokcha")
    client.force_login(personas.me_officer)

    response = client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        form_data(name_latin="Sokchea", name_km="", birth_date="", wg_walking=""),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name_latin, person.birth_date, person.registered_on) == (
        "Sokchea",
        None,
        person.registered_on,
    )
    event = AuditEvent.objects.get(action="person.update")
    before, after = event_unsealed(event)  # her personal values are sealed under her key
    assert (event.actor, before["name_latin"], after["name_latin"]) == (
        personas.me_officer,
        "Sokcha",
        "Sokchea",
    )


def test_the_village_picker_offers_villages_only(client, personas):
    client.force_login(personas.admin)

    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "people", "model_name": "person", "field_name": "village", "term": "1702"},
    ).json()

    codes = [Area.objects.get(pk=result["id"]).code for result in found["results"]]
    assert codes and all(len(code) == 8 and code.startswith("1702") for code in codes)


def test_the_outsider_cannot_pick_homes_people(client, personas):
    person = personas.person()
    client.force_login(personas.outsider)

    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "outcomes", "model_name": "outcome", "field_name": "person", "term": "Sok"},
    ).json()
    response = client.post(
        reverse("admin:outcomes_outcome_add"),
        {
            "person": str(person.pk),
            "kind": str(OutcomeKind.objects.get(code="job", organisation=None).pk),
            "date": "2024-03-08",
            "detail": "",
            "project": "",
            "external_id": "",
        },
    )

    assert found["results"] == []
    assert response.context["adminform"].form.errors["person"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not person.outcomes.exists()


@pytest.fixture
def khmer(settings):
    """The compiled Khmer catalogue, read afresh (`make messages` builds it from the .po)."""
    po = settings.LOCALE_PATHS[0] / "km" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists(), "the Khmer catalogue is not compiled: run `make messages`"
    assert mo.stat().st_mtime >= po.stat().st_mtime, (
        "the .mo is older than the .po: `make messages`"
    )
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # drops cached catalogues


def test_the_people_pages_speak_khmer_when_the_browser_asks(client, personas, khmer):
    person = personas.person()
    client.force_login(personas.admin)

    listed = client.get(reverse("admin:people_person_changelist"), HTTP_ACCEPT_LANGUAGE="km")
    changing = client.get(
        reverse("admin:people_person_change", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="km"
    )

    assert (listed.status_code, changing.status_code) == (200, 200)
    page = listed.content.decode()
    assert '<html lang="km"' in page
    assert "<title>ជ្រើសរើស បុគ្គល ដើម្បីកែប្រែ | សាមគ្គី</title>" in page
    assert ">មនុស្ស<" in page  # "people"
    assert "ពិការភាព" in page  # the disability column
    form = changing.content.decode()
    assert "<title>Sok Dara | កែប្រែ បុគ្គល | សាមគ្គី</title>" in form
    assert "សំណុំសំណួរខ្លីរបស់ក្រុមវ៉ាស៊ីនតោន" in form  # the WG-SS fieldset
    assert "តើអ្នកមានការលំបាកក្នុងការមើលឃើញ ទោះបីជាពាក់វ៉ែនតាក៏ដោយ ឬទេ?" in form
    assert '<input type="submit" value="រក្សាទុក" class="default" name="_save">' in form
    assert "Change person" not in form


def test_the_session_language_switches_the_admin_to_khmer(client, personas, khmer):
    client.force_login(personas.admin)

    client.post(reverse("set_language"), {"language": "km", "next": "/admin/"})
    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "ការគ្រប់គ្រងប្រព័ន្ធ | សាមគ្គី" in index.content.decode()


def test_a_refusal_reads_in_khmer(client, personas, khmer):
    client.force_login(personas.admin)

    response = client.post(ADD, form_data(birth_date="2999-01-01"), HTTP_ACCEPT_LANGUAGE="km")

    assert response.context["adminform"].form.errors == {"birth_date": ["ថ្ងៃខែឆ្នាំកំណើតនៅថ្ងៃអនាគត។"]}
    assert not Person.objects.exists()


def test_the_list_costs_the_same_queries_for_one_person_or_many(client, personas):
    client.force_login(personas.admin)
    page = reverse("admin:people_person_changelist")
    personas.person(name="First")
    client.get(page)  # the session and the site's caches are warm from here on

    with CaptureQueriesContext(connection) as one:
        client.get(page)
    for number in range(5):
        personas.person(name=f"Person {number}")
    with CaptureQueriesContext(connection) as six:
        listed = client.get(page)

    assert len(listed.context["cl"].result_list) == 6
    assert len(six) == len(one)


def test_the_admins_date_picker_speaks_khmer(client, personas, khmer):
    client.force_login(personas.admin)

    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="km")

    assert catalogue.status_code == 200
    assert f'"Choose a Date": {json.dumps("ជ្រើសរើសកាលបរិច្ឆេទ")}' in catalogue.content.decode()
