"""People pages: register with the area picker, duplicates, search, scope and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.audit.models import AuditEvent
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM, VILLAGE_IN_BANTEAY_SREI
from samaki.people.models import Person
from samaki.people.queries import person_search


def registration(**overrides):
    data = {
        "name_km": "",
        "name_latin": "Sok Sokchea",
        "sex": "female",
        "birth_year": "1990",
        "area_province": "17",
        "area_district": "1702",
        "area_commune": "170201",
        "village_code": VILLAGE_IN_ANGKOR_THUM,
        "phone": "012 345 678",
        "id_poor": "poor_1",
        "wg_seeing": "3",
        "consent": "on",
        "consent_given_by": "self",
    }
    data.update(overrides)
    return data


def test_facilitator_registers_a_person_in_her_area(client, personas):
    client.force_login(personas.facilitator)
    response = client.post(reverse("people:create"), registration())
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.latin_key, person.village.code, person.wg_seeing) == (
        "sok soca",
        VILLAGE_IN_ANGKOR_THUM,
        3,
    )
    assert person.disability == "yes"


def test_the_picker_lists_the_chosen_communes_villages_only(client, personas):
    client.force_login(personas.admin)
    page = client.get(reverse("people:edit", args=[personas.person().pk])).content.decode()
    assert f'value="{VILLAGE_IN_ANGKOR_THUM}" selected' in page
    assert f'value="{VILLAGE_IN_BANTEAY_SREI}"' not in page
    assert page.count("<option") < 200


def test_area_children_answer_json(client, personas):
    client.force_login(personas.facilitator)
    areas = client.get(reverse("people:area_children"), {"parent": "170201"}).json()["areas"]
    assert VILLAGE_IN_ANGKOR_THUM in [a["code"] for a in areas]
    assert all(a["code"].startswith("170201") for a in areas)


def test_bad_input_shows_next_to_the_field_and_saves_nothing(client, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("people:create"),
        registration(birth_year="2999", village_code="", phone="12"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"village_code"}  # the form's own check comes first
    response = client.post(reverse("people:create"), registration(birth_year="2999", phone="12"))
    form = response.context["form"]
    assert set(form.errors) == {"birth_year", "phone"}
    assert Person.objects.count() == 0
    assert AuditEvent.objects.filter(action="person.register").count() == 0


def test_facilitator_outside_her_area_gets_a_message_and_nothing_is_saved(client, personas):
    client.force_login(personas.facilitator)
    response = client.post(
        reverse("people:create"),
        registration(
            area_district="1703", area_commune="170301", village_code=VILLAGE_IN_BANTEAY_SREI
        ),
    )
    assert response.status_code == 200
    assert "outside your working areas" in str(response.context["form"].errors["village_code"])
    assert Person.objects.count() == 0


def test_a_likely_duplicate_is_shown_and_saved_only_once_confirmed(client, personas):
    existing = personas.person(name="Sok Sokcha", birth_year=1990)
    client.force_login(personas.admin)
    response = client.post(reverse("people:create"), registration(name_latin="Sok Sokchea"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["duplicates"]] == [existing.pk]
    assert Person.objects.count() == 1
    response = client.post(
        reverse("people:create"), registration(name_latin="Sok Sokchea", confirm_duplicate="on")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_search_finds_latin_variants_khmer_script_phone_and_village(personas):
    sokcha = personas.person(name="Sokcha Chan", name_km="សុខជា ចាន់", phone="012 345 678")
    phearong = personas.person(name="Phearong Keo", village=VILLAGE_IN_BANTEAY_SREI)
    personas.person(name="Dara Mao")
    admin = personas.admin
    assert person_search(user=admin, query="sokchea") == [sokcha.pk]
    assert person_search(user=admin, query="Pheakrong") == [phearong.pk]
    assert person_search(user=admin, query="សុខជា") == [sokcha.pk]
    assert person_search(user=admin, query="ចាន់សុខជា") == []  # order matters in Khmer
    assert person_search(user=admin, query="+855 12 345") == [sokcha.pk]
    assert person_search(user=admin, query="Sokhcea") == [sokcha.pk]  # a typo, ranked by rapidfuzz
    from samaki.areas.models import Area

    area = Area.objects.get(code="1703")
    assert person_search(user=admin, query="", area=area) == [phearong.pk]
    assert person_search(user=personas.facilitator, query="phearong") == []  # outside her district


def test_viewer_sees_no_edit_button_and_cannot_post(client, personas):
    person = personas.person()
    client.force_login(personas.viewer)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:edit", args=[person.pk]) not in page
    assert client.get(reverse("people:create")).status_code == 403
    assert client.post(reverse("people:create"), registration()).status_code == 403
    assert client.post(reverse("people:edit", args=[person.pk]), registration()).status_code == 403
    assert Person.objects.count() == 1


def test_outsider_gets_404_on_edit_and_profile(client, personas):
    person = personas.person()
    client.force_login(personas.outsider)
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert client.post(reverse("people:edit", args=[person.pk]), registration()).status_code == 404


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/people/", "/people/?q=sok", "/people/?q=&in_province=17"])
def test_list_queries_do_not_grow_with_rows(client, personas, url):
    client.force_login(personas.admin)
    personas.person(name="Sok One")
    one = queries(client, url)
    for n in range(19):
        personas.person(name=f"Sok Other {n}")
    assert queries(client, url) == one


def test_profile_queries_do_not_grow_with_her_timeline(client, personas):
    import datetime

    from samaki.activities.services import ActivityFields, activity_create, attendance_set
    from samaki.outcomes.services import outcome_record

    person = personas.person()
    client.force_login(personas.admin)
    url = reverse("people:detail", args=[person.pk])

    def session(day):
        activity = activity_create(
            organisation=personas.home,
            by=SYSTEM,
            fields=ActivityFields(
                kind_code="training",
                date=datetime.date(2024, 1, day),
                area_code=VILLAGE_IN_ANGKOR_THUM,
            ),
        )
        attendance_set(activity=activity, by=SYSTEM, people=[person])
        outcome_record(
            person=person, by=SYSTEM, kind_code="business_started", date=datetime.date(2024, 2, day)
        )

    session(1)
    one = queries(client, url)
    for day in range(2, 21):
        session(day)
    assert queries(client, url) == one


PAGE_WEIGHT_LIMIT = 150 * 1024  # HTML + CSS + JS, before fonts


@pytest.mark.parametrize("url", ["/people/", "/people/new/", "/activities/new/", "/"])
def test_page_weight_stays_under_150_kb(client, personas, url):
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    for n in range(50):
        personas.person(name=f"Sok Person {n}")
    client.force_login(personas.admin)
    html = client.get(url).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    weight = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert b"base.css" in b" ".join(assets)
    assert weight < PAGE_WEIGHT_LIMIT, (url, weight)
