"""Survivors apart (issue 10): a survivor's identity belongs to the case side.

An intake, through the service or through the page, writes nothing on the programme side (no
Person, no programme audit row), so the organisation's admin, M&E officer, viewer and the
facilitator of her village find her nowhere: people list and search, export, API, admin and its
autocomplete, the programme audit trail. Each programme page is read before and after the intake
and must be the same, and a programme woman of the same village and family name, registered the
ordinary way, shows each page would list the survivor if she were there.
"""

import datetime
import json
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from samaki.accounts.access import SYSTEM
from samaki.api.services import token_issue
from samaki.audit.models import AuditEvent
from samaki.cases.models import Case, CaseAudit, Survivor
from samaki.cases.services import (
    CaseFields,
    Consent,
    SurvivorFields,
    case_link_participant,
    case_open,
)
from samaki.cases.tests.conftest import verified_login
from samaki.conftest import VILLAGE_IN_ANGKOR_THUM
from samaki.people.models import Consent as PersonConsent
from samaki.people.models import Person
from samaki.people.services import PersonFields, person_register

NAME = "Chorn Sreyleak"
NAME_KM = "ចន ស្រីលក្ខ"
NEIGHBOUR = "Chorn Sophea"  # a programme woman of her village: proves each page lists names
SEARCH = "Chorn"
# Her village is inside the facilitator's district (Angkor Thum), so she would be in his scope.
PROGRAMME_PERSONAS = ["admin", "me_officer", "viewer", "facilitator"]


def _normalised(body: bytes) -> str:
    """A page without what changes on every request (CSRF tokens, CSP nonces)."""
    text = body.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]*', r"\1", text)


def _bearer(user) -> dict[str, str]:
    _token, secret = token_issue(
        kind="api", organisation=user.organisation, by=user, user=user, name="check"
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _programme_pages(client, user, bearer) -> dict[str, tuple[int, str]]:
    """Every programme page that lists people, as `user` sees it: {name: (status, body)}."""
    client.force_login(user)
    autocomplete = reverse("admin:autocomplete")
    requests = {
        "people list": (reverse("people:list"), {}, {}),
        "people search": (reverse("people:list"), {"q": SEARCH}, {}),
        "people export": (reverse("imports:export", args=["people", "csv"]), {}, {}),
        "api people": ("/api/v1/people", {}, bearer),
        "admin people": (reverse("admin:people_person_changelist"), {"q": SEARCH}, {}),
        "admin autocomplete, outcome": (
            autocomplete,
            {"app_label": "outcomes", "model_name": "outcome", "field_name": "person"},
            {},
        ),
        "admin autocomplete, membership": (
            autocomplete,
            {"app_label": "groups", "model_name": "membership", "field_name": "person"},
            {},
        ),
        "programme audit": (reverse("admin:audit_auditevent_changelist"), {}, {}),
    }
    pages = {}
    for name, (url, params, headers) in requests.items():
        if "autocomplete" in name:
            params = {**params, "term": SEARCH}
        response = client.get(url, params, **headers)
        pages[name] = (response.status_code, _normalised(response.content))
    client.logout()
    return pages


def _programme_rows() -> tuple[int, int, int]:
    return Person.objects.count(), PersonConsent.objects.count(), AuditEvent.objects.count()


def _names_in_audit() -> list[int]:
    return [
        event.pk
        for event in AuditEvent.objects.all()
        if NAME in json.dumps([event.before, event.after], ensure_ascii=False)
        or NAME_KM in json.dumps([event.before, event.after], ensure_ascii=False)
    ]


def _case_fields(safe_house) -> CaseFields:
    return CaseFields(
        intake_date=datetime.date(2024, 6, 3),
        referred_by="police",
        incident_type="physical_assault",
        risk_level="high",
        case_worker=safe_house.worker,
        consent=Consent(services=True, reporting=True),
    )


def _intake_by_service(client, safe_house) -> Case:
    return case_open(
        organisation=safe_house.personas.home,
        by=safe_house.worker,
        survivor=SurvivorFields(
            name_km=NAME_KM,
            name_latin=NAME,
            sex="female",
            birth_year=1996,
            village_code=VILLAGE_IN_ANGKOR_THUM,
            phone="012 345 678",
        ),
        fields=_case_fields(safe_house),
    )


def _intake_by_page(client, safe_house) -> Case:
    verified_login(client, safe_house.worker)
    data = {
        "name_km": NAME_KM,
        "name_latin": NAME,
        "sex": "female",
        "birth_year": "1996",
        "village_code": VILLAGE_IN_ANGKOR_THUM,
        "intake_date": "2024-06-03",
        "referred_by": "police",
        "physical_assault": "on",
        "risk_level": "high",
        "case_worker": safe_house.worker.pk,
        "consent_services": "on",
    }
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return Case.objects.get(survivor__in=Survivor.objects.exclude(cases=safe_house.case))


@pytest.mark.parametrize("intake", [_intake_by_service, _intake_by_page], ids=["service", "page"])
def test_no_programme_colleague_finds_her_anywhere_after_an_intake(client, safe_house, intake):
    personas = safe_house.personas
    personas.person(name=NEIGHBOUR, village=VILLAGE_IN_ANGKOR_THUM)
    users = {name: getattr(personas, name) for name in PROGRAMME_PERSONAS}
    bearers = {name: _bearer(user) for name, user in users.items()}
    before_pages = {
        name: _programme_pages(client, user, bearers[name]) for name, user in users.items()
    }
    before_rows = _programme_rows()

    case = intake(client, safe_house)

    assert case.survivor.display_name == f"{NAME_KM} ({NAME})"
    assert case.survivor.village.code == VILLAGE_IN_ANGKOR_THUM and case.participant is None
    # Nothing at all on the programme side: no Person, no registration consent, no audit row.
    assert _programme_rows() == before_rows
    assert _names_in_audit() == []
    for persona, user in users.items():
        after_pages = _programme_pages(client, user, bearers[persona])
        for page, (status, body) in after_pages.items():
            assert NAME not in body and NAME_KM not in body, (persona, page)
            assert (status, body) == before_pages[persona][page], (persona, page)
        # The pages a programme role reads do list a woman of her village and name.
        for page in ["people list", "people search", "api people"]:
            assert after_pages[page][0] == 200 and NEIGHBOUR in after_pages[page][1], page
    for persona in ["admin", "me_officer"]:  # the admin is theirs
        for page in ["admin people", "admin autocomplete, outcome"]:
            status, body = before_pages[persona][page]
            assert status == 200 and NEIGHBOUR in body, (persona, page)


def test_the_safe_house_fixture_survivor_is_not_a_person(safe_house):
    assert not Person.objects.filter(name_latin="Srey Neang Phalla").exists()
    assert Survivor.objects.get(cases=safe_house.case).name_latin == "Srey Neang Phalla"


def test_her_names_and_phone_are_encrypted_at_rest(safe_house):
    case = _intake_by_service(None, safe_house)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_km, name_latin, phone FROM cases_survivor WHERE id = %s",
            [case.survivor_id],
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in stored)
    assert NAME not in "".join(stored) and "345" not in "".join(stored)


def _profile(client, user, person) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(reverse("people:detail", args=[person.pk]))
    client.logout()
    return response.status_code, _normalised(response.content)


def test_a_linked_participant_s_programme_record_shows_nothing_of_the_case(client, safe_house):
    personas = safe_house.personas
    woman = personas.person(name=NEIGHBOUR, village=VILLAGE_IN_ANGKOR_THUM)
    updated_at = Person.objects.get(pk=woman.pk).updated_at
    profiles = {
        name: _profile(client, getattr(personas, name), woman) for name in PROGRAMME_PERSONAS
    }
    before_rows = _programme_rows()

    linked = case_open(
        organisation=personas.home,
        by=safe_house.worker,
        survivor=woman,
        fields=_case_fields(safe_house),
    )
    changed = case_link_participant(case=safe_house.case, by=safe_house.worker, person=woman)

    assert changed and linked.participant == woman and safe_house.case.participant == woman
    assert linked.survivor.name_latin == NEIGHBOUR  # the case side keeps its own copy
    assert _programme_rows() == before_rows
    assert Person.objects.get(pk=woman.pk).updated_at == updated_at
    for name in PROGRAMME_PERSONAS:
        status, body = _profile(client, getattr(personas, name), woman)
        assert status == 200 and (status, body) == profiles[name], name
        assert linked.code not in body and safe_house.case.code not in body
    # The link is a case-side fact: in the case's own audit only.
    assert (
        CaseAudit.objects.filter(case=safe_house.case, what__startswith="participant").count() == 1
    )
    assert not case_link_participant(case=safe_house.case, by=safe_house.worker, person=woman)


def test_the_link_shows_on_the_revealed_case_page_only(client, safe_house):
    woman = safe_house.personas.person(name=NEIGHBOUR, village=VILLAGE_IN_ANGKOR_THUM)
    case_link_participant(case=safe_house.case, by=safe_house.worker, person=woman)
    verified_login(client, safe_house.worker)
    hidden = client.get(reverse("cases:detail", args=[safe_house.case.pk])).content.decode()
    revealed = client.post(reverse("cases:reveal", args=[safe_house.case.pk])).content.decode()
    assert "Srey Neang Phalla" not in hidden and f"record no. {woman.pk}" not in hidden
    assert "Srey Neang Phalla" in revealed and f"record no. {woman.pk}" in revealed


def test_a_colleague_without_the_case_cannot_link_it(safe_house):
    from django.core.exceptions import PermissionDenied

    woman = safe_house.personas.person(name=NEIGHBOUR, village=VILLAGE_IN_ANGKOR_THUM)
    with pytest.raises(PermissionDenied):
        case_link_participant(case=safe_house.case, by=safe_house.other_worker, person=woman)
    with pytest.raises(PermissionDenied):
        case_link_participant(case=safe_house.case, by=safe_house.personas.admin, person=woman)
    assert Case.objects.get(pk=safe_house.case.pk).participant_id is None


# --- The migration --------------------------------------------------------------------------

BEFORE = ("cases", "0002_survivor_and_participant")
AFTER = ("cases", "0004_case_survivor_is_a_survivor")


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_survivors_and_deletes_the_case_only_people(client, personas):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_case = executor.loader.project_state(BEFORE).apps.get_model("cases", "Case")
    intake = datetime.date(2024, 6, 3)
    # What the old intake wrote: a Person registered by the system on the intake day.
    case_only = person_register(
        organisation=personas.home,
        by=SYSTEM,
        fields=PersonFields(
            name_latin=NAME, sex="female", village_code=VILLAGE_IN_ANGKOR_THUM, phone="012345678"
        ),
        registered_on=intake,
    )
    # A woman of the programme, registered by the admin, whose case opened later.
    participant = personas.person(name=NEIGHBOUR)
    common = {
        "organisation_id": personas.home.pk,
        "intake_date": intake,
        "referred_by": "police",
        "incident_type": "rape",
        "risk_level": "high",
        "case_worker_id": personas.admin.pk,
    }
    old_case.objects.create(code="HOME-2024-0001", survivor_id=case_only.pk, **common)
    old_case.objects.create(code="HOME-2024-0002", survivor_id=participant.pk, **common)
    old_id = case_only.pk

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])

    first, second = Case.objects.get(code="HOME-2024-0001"), Case.objects.get(code="HOME-2024-0002")
    assert (first.survivor.name_latin, first.survivor.phone) == (NAME, "012345678")
    assert first.survivor.village.code == VILLAGE_IN_ANGKOR_THUM and first.participant is None
    assert second.survivor.name_latin == NEIGHBOUR and second.participant_id == participant.pk
    assert not Person.objects.filter(pk=old_id).exists()
    assert not PersonConsent.objects.filter(person_id=old_id).exists()
    assert not AuditEvent.objects.filter(object_type="people.person", object_id=str(old_id))
    assert Person.objects.filter(pk=participant.pk).exists()
    _token, secret = token_issue(
        kind="api", organisation=personas.home, by=personas.admin, user=personas.admin, name="x"
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/people/{old_id}", **bearer).status_code == 404
    assert client.get(f"/api/v1/people/{participant.pk}", **bearer).status_code == 200
