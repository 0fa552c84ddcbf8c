"""Custom person attributes (declared by managers, set on the person form) and consent
(recorded, withdrawn with its date): pages, services, bad input, access and query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from samaki.audit.models import AuditEvent
from samaki.imports.exports import EXPORTS
from samaki.people.models import (
    Consent,
    ConsentPurpose,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.people.services import (
    AttributeNames,
    person_attribute_declare,
    self_identification_record,
)
from samaki.people.tests.test_pages import registration
from samaki.projects.models import Project

pytestmark = pytest.mark.django_db


def declare(personas, code="migrant", **kwargs):
    organisation = kwargs.get("organisation", personas.home)
    return person_attribute_declare(
        by=personas.admin if organisation == personas.home else personas.outsider,
        organisation=kwargs.pop("organisation", personas.home),
        code=code,
        names=AttributeNames(name_en=code.replace("_", " ").title()),
        **kwargs,
    )


def project(personas, code="p1"):
    return Project.objects.create(
        organisation=personas.home,
        code=code,
        name_en=f"Project {code}",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2026, 1, 1),
    )


def counts():
    return PersonAttribute.objects.count(), Consent.objects.count(), AuditEvent.objects.count()


# --- declaring attributes ---------------------------------------------------------------------


def test_an_me_officer_declares_an_attribute_for_a_project(client, personas):
    p1 = project(personas)
    client.force_login(personas.me_officer)
    response = client.post(
        reverse("people:attribute_create"),
        {
            "code": "single_mother",
            "name_en": "Single mother",
            "name_km": "ម្ដាយទោល",
            "project": p1.pk,
        },
    )
    assert response.status_code == 302
    attribute = PersonAttribute.objects.get()
    assert (attribute.code, attribute.project, attribute.name_km) == (
        "single_mother",
        p1,
        "ម្ដាយទោល",
    )
    event = AuditEvent.objects.get(action="person_attribute.declare")
    assert event.actor == personas.me_officer


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "Single Mother", "name_en": "Single mother"}, "code"),
        ({"code": "a__b", "name_en": "A"}, "code"),
        ({"code": "migrant", "name_en": "Again"}, "code"),  # taken
        ({"code": "fisher", "name_en": "   "}, "name_en"),
        ({"code": "fisher", "name_en": "Fisher", "project": "999999"}, "project"),
    ],
)
def test_a_bad_attribute_is_refused_with_field_errors(client, personas, data, field):
    declare(personas)
    before = counts()
    client.force_login(personas.admin)
    response = client.post(reverse("people:attribute_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert counts() == before


def test_another_organisations_project_is_refused(personas):
    theirs = Project.objects.create(
        organisation=personas.other,
        code="x",
        name_en="X",
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
    )
    with pytest.raises(Exception, match="another organisation"):
        declare(personas, project=theirs)


def test_an_attribute_is_renamed_and_retired_but_its_code_stays(client, personas):
    attribute = declare(personas)
    client.force_login(personas.me_officer)
    url = reverse("people:attribute_edit", args=[attribute.pk])
    response = client.post(
        url, {"name_en": "Migrant worker", "name_km": "", "retired": "on", "code": "x"}
    )
    assert response.status_code == 302
    attribute.refresh_from_db()
    assert (attribute.code, attribute.name_en, attribute.retired) == (
        "migrant",
        "Migrant worker",
        True,
    )
    assert AuditEvent.objects.filter(action="person_attribute.update").count() == 1
    # Saving the same again changes nothing and writes no row.
    client.post(url, {"name_en": "Migrant worker", "name_km": "", "retired": "on"})
    assert AuditEvent.objects.filter(action="person_attribute.update").count() == 1
    before = counts()
    response = client.post(url, {"name_en": "", "name_km": ""})
    assert "name_en" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("facilitator", 403), ("viewer", 403), ("donor_viewer", 404)],  # people's pages: no door
)
def test_who_does_not_manage_is_refused(client, personas, persona, status):
    attribute = declare(personas)
    client.force_login(getattr(personas, persona))
    for url in [
        reverse("people:attributes"),
        reverse("people:attribute_create"),
        reverse("people:attribute_edit", args=[attribute.pk]),
    ]:
        assert client.get(url).status_code == status
    create = client.post(reverse("people:attribute_create"), {"code": "x", "name_en": "X"})
    assert create.status_code == status
    assert PersonAttribute.objects.count() == 1


def test_another_organisations_attribute_answers_404(client, personas):
    theirs = declare(personas, organisation=personas.other, code="theirs")
    client.force_login(personas.admin)
    assert client.get(reverse("people:attribute_edit", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("people:attributes")).content.decode()
    assert "theirs" not in page
    client.force_login(personas.superuser)  # has no organisation to declare for
    assert client.get(reverse("people:attributes")).status_code == 404


def test_the_attribute_list_is_two_queries_whatever_its_length(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.admin)
    p1 = project(personas)
    declare(personas)
    for many in (False, True):
        if many:
            for i in range(5):
                declare(personas, code=f"extra_{i}", project=p1)
        # session, user, her organisation (the page's header), the attributes with their projects
        with django_assert_num_queries(4):
            response = client.get(reverse("people:attributes"))
        assert response.status_code == 200
    assert response.content.decode().count("attribute:extra_") == 5


# --- the person form --------------------------------------------------------------------------


def test_the_person_form_sets_her_attributes_in_one_audit_row(client, personas):
    migrant = declare(personas)
    declare(personas, code="single_mother", project=project(personas))
    retired = declare(personas, code="old")
    retired.retired = True
    retired.save()
    client.force_login(personas.facilitator)
    page = client.get(reverse("people:create")).content.decode()
    assert 'value="migrant"' in page and 'value="single_mother"' in page
    assert 'value="old"' not in page
    response = client.post(reverse("people:create"), registration(attributes=["migrant"]))
    assert response.status_code == 302
    person = PersonAttributeValue.objects.get().person
    assert PersonAttributeValue.objects.get().attribute == migrant
    event = AuditEvent.objects.get(action="person.register")
    assert event.after["attributes"] == ["migrant"]

    edit = reverse("people:edit", args=[person.pk])
    boxes = re.findall(
        r'<input type="checkbox" name="attributes" value="(\w+)"[^>]*>',
        client.get(edit).content.decode(),
    )
    checked = re.findall(
        r'<input type="checkbox" name="attributes" value="(\w+)"[^>]* checked>',
        client.get(edit).content.decode(),
    )
    assert (sorted(boxes), checked) == (["migrant", "single_mother"], ["migrant"])
    response = client.post(edit, registration(attributes=["single_mother"]) | {"consent": ""})
    assert response.status_code == 302
    assert sorted(
        PersonAttributeValue.objects.filter(person=person, value=True).values_list(
            "attribute__code", flat=True
        )
    ) == ["single_mother"]
    update = AuditEvent.objects.get(action="person.update")
    assert (update.before["attributes"], update.after["attributes"]) == (
        ["migrant"],
        ["single_mother"],
    )
    assert not AuditEvent.objects.filter(action="person.attributes_set").exists()
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Single Mother" in detail


def test_an_unknown_attribute_on_the_form_is_a_field_error(client, personas):
    declare(personas)
    before = (counts(), PersonAttributeValue.objects.count())
    client.force_login(personas.admin)
    response = client.post(reverse("people:create"), registration(attributes=["nope"]))
    assert response.status_code == 200
    assert "attributes" in response.context["form"].errors
    assert (counts(), PersonAttributeValue.objects.count()) == before


# --- consent ----------------------------------------------------------------------------------


@pytest.fixture
def sensitive(personas):
    person = personas.person()
    self_identification_record(
        person=person,
        by=personas.admin,
        consented_on=datetime.date(2024, 1, 5),
        lgbtqi=True,
        indigenous_group="Bunong",
    )
    return person, Consent.objects.get(person=person, purpose=ConsentPurpose.SENSITIVE)


def test_a_writer_withdraws_a_consent_with_its_date(client, personas, sensitive, today):
    person, consent = sensitive
    client.force_login(personas.facilitator)
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    url = reverse("people:consent_withdraw", args=[person.pk, consent.pk])
    assert url in detail
    response = client.post(url, {"on": today.isoformat(), "reason": "She asked"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == today
    event = AuditEvent.objects.get(action="consent.withdraw")
    assert event.after["reason"] == "She asked"
    assert event.after["self_identification_erased"] is True
    assert "Bunong" not in str(event.before) + str(event.after)
    assert not SelfIdentification.objects.filter(person=person).exists()
    # The registration consent stays; a withdrawn one shows its date and no button.
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert url not in detail
    assert "withdrawn" in detail


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (lambda today: today + datetime.timedelta(days=1), "future"),
        (lambda today: datetime.date(2024, 1, 4), "before the consent"),
        (lambda today: "not a date", "valid date"),
    ],
)
def test_a_bad_withdrawal_is_refused(client, personas, sensitive, today, on, message):
    person, consent = sensitive
    before = counts()
    client.force_login(personas.admin)
    response = client.post(
        reverse("people:consent_withdraw", args=[person.pk, consent.pk]), {"on": str(on(today))}
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["on"])
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert counts() == before
    assert SelfIdentification.objects.filter(person=person).exists()


def test_a_consent_is_withdrawn_once(client, personas, sensitive, today):
    person, consent = sensitive
    client.force_login(personas.admin)
    url = reverse("people:consent_withdraw", args=[person.pk, consent.pk])
    client.post(url, {"on": today.isoformat()})
    before = counts()
    response = client.post(url, {"on": today.isoformat()})
    assert "withdrawn already" in str(response.context["form"].errors["on"])
    assert counts() == before


def test_a_consent_is_recorded_again_and_a_double_is_refused(client, personas, sensitive, today):
    person, _consent = sensitive
    client.force_login(personas.admin)
    url = reverse("people:consent_create", args=[person.pk])
    before = counts()
    response = client.post(
        url, {"purpose": "sensitive", "given_on": today.isoformat(), "given_by": "self"}
    )
    assert "already given" in str(response.context["form"].errors["purpose"])
    assert counts() == before
    response = client.post(url, {"purpose": "photos", "given_on": "", "given_by": "self"})
    assert "given_on" in response.context["form"].errors
    assert counts() == before
    response = client.post(
        url, {"purpose": "photos", "given_on": today.isoformat(), "given_by": "parent"}
    )
    assert response.status_code == 302
    assert Consent.objects.filter(person=person, purpose="photos", given_by="parent").count() == 1
    assert AuditEvent.objects.filter(action="consent.record").count() == 1


def test_who_may_not_write_or_see_her_cannot_withdraw(client, personas, sensitive, today):
    person, consent = sensitive
    url = reverse("people:consent_withdraw", args=[person.pk, consent.pk])
    client.force_login(personas.viewer)
    assert client.post(url, {"on": today.isoformat()}).status_code == 403
    assert client.get(reverse("people:consent_create", args=[person.pk])).status_code == 403
    client.force_login(personas.outsider)
    assert client.post(url, {"on": today.isoformat()}).status_code == 404
    other_person = personas.person(name="Other")
    client.force_login(personas.admin)
    wrong = reverse("people:consent_withdraw", args=[other_person.pk, consent.pk])
    assert client.get(wrong).status_code == 404  # her consent, through another person's URL
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_detail_page_query_count_does_not_grow(client, personas, django_assert_num_queries):
    client.force_login(personas.admin)
    person = personas.person()
    url = reverse("people:detail", args=[person.pk])
    declare(personas)
    from samaki.people.services import person_attributes_set

    for many in (False, True):
        if many:
            for i in range(4):
                declare(personas, code=f"extra_{i}")
            person_attributes_set(
                by=personas.admin,
                person=person,
                codes=["migrant", *(f"extra_{i}" for i in range(4))],
            )
            for purpose in ("photos", "consortium"):
                Consent.objects.create(
                    organisation=personas.home,
                    person=person,
                    purpose=purpose,
                    given_on=person.registered_on,
                )
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200


def test_exports_carry_no_self_identification(personas, sensitive):
    rows = list(EXPORTS["people"].rows(personas.admin))
    assert rows and "Bunong" not in repr(rows)
    headers = " ".join(str(column.header) for column in EXPORTS["people"].columns).lower()
    assert "lgbt" not in headers and "hiv" not in headers and "indigenous" not in headers


def test_the_people_page_links_the_attributes_for_managers_only(client, personas):
    link = reverse("people:attributes")
    client.force_login(personas.me_officer)
    assert link in client.get(reverse("people:list")).content.decode()
    client.force_login(personas.facilitator)
    assert link not in client.get(reverse("people:list")).content.decode()
