"""Erasure: her personal data gone from every column of every table, audit trail included, while
she still counts; the refusals; and retention (`samaki retention`)."""

import base64
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from samaki.accounts.access import SYSTEM
from samaki.accounts.models import Role
from samaki.activities.models import Activity, ActivityKind, Attendance
from samaki.activities.services import (
    ActivityFields,
    activity_create,
    attendance_set,
    attendance_void,
)
from samaki.api.services import token_issue
from samaki.areas.models import Area
from samaki.audit.models import AuditEvent
from samaki.audit.services import ERASED, event_unsealed
from samaki.cases.models import Case, CaseStatus
from samaki.cases.services import CaseFields, Consent, SurvivorFields, case_open
from samaki.cases.staff import case_staff_create
from samaki.conftest import PASSWORD, VILLAGE_IN_ANGKOR_THUM
from samaki.imports.models import ImportJob
from samaki.imports.services import import_job_create, import_run
from samaki.openrosa.models import Submission
from samaki.openrosa.services import shipped_form_publish
from samaki.outcomes.models import Outcome
from samaki.outcomes.services import outcome_record
from samaki.people.models import (
    DuplicateReview,
    Person,
    PersonAttributeValue,
    PersonKey,
    SelfIdentification,
)
from samaki.people.names import fold_latin, normalise_khmer
from samaki.people.services import (
    ERASE_KEPT_FOR_NOW,
    AttributeNames,
    consent_record,
    person_attribute_declare,
    person_attributes_set,
    person_erase,
    self_identification_record,
)
from samaki.results.engine import Dimension, IndicatorDefinition, Measure, Period, indicator_compute

pytestmark = pytest.mark.django_db

NAME_LATIN = "Chanthavy Sreypich"
NAME_KM = "ចាន់ថាវី ស្រីពេជ្រ"
PHONE = "097 531 8642"
BIRTH = datetime.date(1987, 3, 14)
EXTERNAL_ID = "KRX-ERASE-4471"
SESSION_DAY = datetime.date(2024, 8, 1)
Q3 = Period.parse("2024Q3")
COMMUNE = VILLAGE_IN_ANGKOR_THUM[:6]


def needles() -> list[str]:
    """What must be found nowhere: names, their parts, search keys, phone, birth date."""
    return [
        NAME_LATIN,
        "Chanthavy",
        "Sreypich",
        NAME_KM,
        "ចាន់ថាវី",
        fold_latin(NAME_LATIN),
        normalise_khmer(NAME_KM),
        PHONE,
        PHONE.replace(" ", ""),
        BIRTH.isoformat(),
        BIRTH.strftime("%d/%m/%Y"),
        EXTERNAL_ID,
    ]


def scan_database(words: list[str]) -> list[str]:
    """Every table.column (raw SQL, any database) holding one of `words`: text, varchar and
    JSON cast to text and searched with LIKE (JSON's \\u escapes too), binary columns fetched
    and searched as bytes."""
    forms = {word.lower() for word in words}
    forms |= {json.dumps(word)[1:-1].lower() for word in words}  # JSON stored ASCII-escaped
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                name = f"{quote(table)}.{quote(column.name)}"
                if kind == "BinaryField":
                    cursor.execute(f"SELECT {name} FROM {quote(table)}")  # noqa: S608
                    blobs = [bytes(row[0]).lower() for row in cursor.fetchall() if row[0]]
                    hits = [w for w in forms if any(w.encode() in blob for blob in blobs)]
                else:
                    hits = []
                    for word in forms:
                        cursor.execute(
                            f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608
                            f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                            [f"%{word}%"],
                        )
                        if cursor.fetchone()[0]:
                            hits.append(word)
                if hits:
                    found.append(f"{table}.{column.name}: {sorted(hits)}")
    return found


def registration_form(**overrides):
    data = {
        "name_km": NAME_KM,
        "name_latin": NAME_LATIN,
        "sex": "female",
        "birth_year": "",
        "area_province": "17",
        "area_district": "1702",
        "area_commune": COMMUNE,
        "village_code": VILLAGE_IN_ANGKOR_THUM,
        "phone": PHONE,
        "id_poor": "poor_1",
        "wg_seeing": "3",
        "consent": "on",
        "consent_given_by": "self",
        "confirm_duplicate": "on",
    }
    return data | overrides


def odk_registration(instance: str, *, deprecated: str = "", phone: str = PHONE) -> bytes:
    meta = f"<instanceID>{instance}</instanceID>"
    if deprecated:
        meta += f"<deprecatedID>{deprecated}</deprecatedID>"
    return (
        '<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
        'xmlns:orx="http://openrosa.org/xforms" id="samaki_person_registration" version="2026112101">'
        "<start>2024-08-01T09:00:00.000+07:00</start><end>2024-08-01T09:05:00.000+07:00</end>"
        f"<consent>yes</consent><name_km>{NAME_KM}</name_km><name_latin>{NAME_LATIN}</name_latin>"
        f"<sex>female</sex><birth_date>{BIRTH.isoformat()}</birth_date><birth_year/>"
        f"<village_code>{VILLAGE_IN_ANGKOR_THUM}</village_code><phone>{phone}</phone>"
        "<id_poor>poor_1</id_poor><wg><wg_seeing>1</wg_seeing><wg_hearing>1</wg_hearing>"
        "<wg_walking>3</wg_walking><wg_cognition>1</wg_cognition><wg_selfcare>1</wg_selfcare>"
        f"<wg_communication>1</wg_communication></wg><meta>{meta}</meta></data>"
    ).encode()


def send_from_phone(client, personas, xml: bytes) -> int:
    upload = SimpleUploadedFile("instance.xml", xml, content_type="text/xml")
    return client.post(
        "/openrosa/submission", {"xml_submission_file": upload}, secure=True
    ).status_code


def reach(personas, dimension) -> dict:
    definition = IndicatorDefinition(measure=Measure.DISTINCT_PEOPLE, dimensions=(dimension,))
    return indicator_compute(definition, organisations=[personas.home.pk], period=Q3).cells


@pytest.fixture
def her_records(client, personas):
    """The same woman through the web form (then edited), an import and a phone, with a session,
    an outcome, attributes, a self-identification and a consent: three records, all hers."""
    client.force_login(personas.admin)
    response = client.post(reverse("people:create"), registration_form())
    assert response.status_code == 302, response.context["form"].errors
    web = Person.objects.get(name_latin=NAME_LATIN)
    edit = registration_form(birth_date=BIRTH.isoformat())
    response = client.post(reverse("people:edit", args=[web.pk]), edit)
    assert response.status_code == 302, response.context["form"].errors

    csv = (
        "External ID,Name in Khmer script,Name in Latin script,Sex,Date of birth,Village code,"
        "Phone,WG walking (1-4)\n"
        f"{EXTERNAL_ID},{NAME_KM},{NAME_LATIN},female,{BIRTH:%d/%m/%Y},{VILLAGE_IN_ANGKOR_THUM},"
        f"{PHONE},1\n"
    ).encode()
    job = import_job_create(
        organisation=personas.home,
        by=personas.admin,
        kind="people",
        file_name="people.csv",
        content=csv,
    )
    assert import_run(job_id=job.pk).result.get("created") == 1
    imported = Person.objects.get(external_id=EXTERNAL_ID)

    for form_id in ("samaki_person_registration", "samaki_session_attendance"):
        shipped_form_publish(organisation=personas.home, by=personas.admin, form_id=form_id)
    _token, secret = token_issue(
        kind="phone", organisation=personas.home, by=personas.admin, user=personas.admin, name="Tab"
    )
    phone = client.__class__()
    phone.defaults.update(
        HTTP_X_OPENROSA_VERSION="1.0",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"Tab:{secret}".encode()).decode(),
    )
    assert send_from_phone(phone, personas, odk_registration("uuid:e1", phone="012 000 111")) == 201
    assert (
        send_from_phone(phone, personas, odk_registration("uuid:e2", deprecated="uuid:e1")) == 201
    )
    from_phone = Person.objects.exclude(pk__in=[web.pk, imported.pk]).get()

    activity = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(
            kind_code="training", date=SESSION_DAY, area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    attendance_set(activity=activity, by=personas.admin, people=[web, imported])
    mistaken = activity_create(
        organisation=personas.home,
        by=personas.admin,
        fields=ActivityFields(
            kind_code="training", date=SESSION_DAY, area_code=VILLAGE_IN_ANGKOR_THUM
        ),
    )
    attendance_set(activity=mistaken, by=personas.admin, people=[from_phone])
    attendance_void(  # staff's words name her: on the attendance and on its audit row
        by=personas.admin,
        attendance=mistaken.attendances.get(),
        reason=f"{NAME_LATIN} ({PHONE}) was ticked by mistake",
    )
    outcome_record(
        person=web,
        by=personas.admin,
        kind_code="business_started",
        date=SESSION_DAY,
        detail=f"{NAME_LATIN}'s tailoring stall",
    )
    person_attribute_declare(
        by=personas.admin,
        organisation=personas.home,
        code="migrant",
        names=AttributeNames(name_en="Migrant"),
    )
    person_attributes_set(by=personas.admin, person=web, codes=["migrant"])
    self_identification_record(
        person=web, by=personas.admin, consented_on=SESSION_DAY, indigenous_group="Bunong"
    )
    consent_record(by=personas.admin, person=web, purpose="photos", given_on=SESSION_DAY)
    return [web, imported, from_phone]


def test_after_erasure_nothing_of_her_is_in_any_column_of_any_table(her_records, personas):
    web = her_records[0]
    assert scan_database(needles()), "the scan must see her before erasure"
    by_sex, by_commune = reach(personas, Dimension.SEX), reach(personas, Dimension.COMMUNE)
    assert (by_sex, by_commune) == ({("female",): 2}, {(COMMUNE,): 2})
    event = AuditEvent.objects.filter(action="person.update", object_id=str(web.pk)).get()
    assert event_unsealed(event)[1]["birth_date"] == BIRTH.isoformat()  # readable while kept

    for person in her_records:
        person_erase(by=personas.admin, person=person, reason="She asked for it")

    assert scan_database(needles()) == []
    # She still counts, by sex and by commune, as before.
    assert (reach(personas, Dimension.SEX), reach(personas, Dimension.COMMUNE)) == (
        by_sex,
        by_commune,
    )
    web.refresh_from_db()
    assert (web.sex, web.birth_year, web.village.code, web.id_poor, web.wg_seeing) == (
        "female",
        1987,
        COMMUNE,
        "poor_1",
        3,
    )
    assert web.display_name == f"Erased record {web.samaki_number}"
    assert Attendance.objects.filter(person__in=her_records).count() == 2
    assert list(Outcome.objects.filter(person=web).values_list("kind__code", "detail")) == [
        ("business_started", "")
    ]
    assert sorted(web.consents.values_list("purpose", flat=True)) == [
        "photos",
        "registration",
        "sensitive",
    ]
    assert not SelfIdentification.objects.filter(person__in=her_records).exists()
    assert not PersonAttributeValue.objects.filter(person__in=her_records).exists()
    assert not DuplicateReview.objects.filter(person__in=her_records).exists()
    assert not PersonKey.objects.filter(person__in=her_records).exists()
    assert ImportJob.objects.get().content in (b"", memoryview(b""))
    assert not Submission.objects.exclude(xml="").filter(xform__form_id__contains="person")
    # Past snapshots: field names readable, values gone for good.
    assert event_unsealed(event)[1]["birth_date"] == ERASED
    assert event_unsealed(event)[1]["sex"] == "female"
    erase = AuditEvent.objects.get(action="person.erase", object_id=str(web.pk))
    assert (erase.actor, erase.reason, erase.after["erased"]) == (
        personas.admin,
        "She asked for it",
        [web.pk],
    )


def test_the_page_lists_what_goes_and_erases_with_a_reason(client, personas):
    person = personas.person(name=NAME_LATIN, phone=PHONE)
    client.force_login(personas.admin)
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:erase", args=[person.pk]) in detail
    page = client.get(reverse("people:erase", args=[person.pk])).content.decode()
    assert "Removed, everywhere, the audit trail included" in page

    response = client.post(reverse("people:erase", args=[person.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    person.refresh_from_db()
    assert (person.name_latin, person.erased_at) == (NAME_LATIN, None)

    response = client.post(reverse("people:erase", args=[person.pk]), {"reason": "She asked"})

    assert response["Location"] == reverse("people:detail", args=[person.pk])
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    listing = client.get(reverse("people:list")).content.decode()
    assert NAME_LATIN not in page + listing
    assert f"Erased record {person.samaki_number}" in listing
    assert reverse("people:erase", args=[person.pk]) not in page


@pytest.mark.parametrize("who", ["me_officer", "facilitator", "viewer"])
def test_only_the_administrator_sees_the_page_and_may_erase(client, personas, who):
    person = personas.person(name=NAME_LATIN)
    client.force_login(getattr(personas, who))
    assert client.get(reverse("people:erase", args=[person.pk])).status_code == 404
    assert (
        client.post(reverse("people:erase", args=[person.pk]), {"reason": "x"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        person_erase(by=getattr(personas, who), person=person, reason="x")
    person.refresh_from_db()
    assert person.erased_at is None


def test_another_organisations_person_answers_404(client, personas):
    person = personas.person(name=NAME_LATIN)
    client.force_login(personas.outsider)
    assert (
        client.post(reverse("people:erase", args=[person.pk]), {"reason": "x"}).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        person_erase(by=personas.outsider, person=person, reason="x")
    person.refresh_from_db()
    assert person.name_latin == NAME_LATIN


def linked_case(personas, person) -> Case:
    worker = case_staff_create(
        by=SYSTEM,
        organisation=personas.home,
        username="worker",
        password=PASSWORD,
        role=Role.CASE_WORKER,
    )
    case = case_open(
        organisation=personas.home,
        by=SYSTEM,
        survivor=SurvivorFields(name_latin="Srey Neang", sex="female", village_code="17100101"),
        fields=CaseFields(
            intake_date=datetime.date(2024, 3, 4),
            referred_by="police",
            incident_type="physical_assault",
            risk_level="high",
            case_worker=worker,
            supervisor=None,
            consent=Consent(services=True, reporting=True),
        ),
    )
    Case.objects.filter(pk=case.pk).update(participant=person)
    return case


def test_a_person_linked_to_an_open_case_is_refused_without_naming_the_case(client, personas):
    person = personas.person(name=NAME_LATIN, phone=PHONE)
    case = linked_case(personas, person)
    events = AuditEvent.objects.count()
    client.force_login(personas.admin)

    page = client.get(reverse("people:erase", args=[person.pk])).content.decode()
    response = client.post(reverse("people:erase", args=[person.pk]), {"reason": "She asked"})

    assert escape(str(ERASE_KEPT_FOR_NOW)) in page
    assert "case" not in str(ERASE_KEPT_FOR_NOW).lower()
    assert "Srey Neang" not in page
    assert response.status_code == 200
    with pytest.raises(ValidationError) as refused:
        person_erase(by=personas.admin, person=person, reason="She asked")
    assert refused.value.messages == [str(ERASE_KEPT_FOR_NOW)]
    person.refresh_from_db()
    assert (person.name_latin, person.phone, person.erased_at) == (NAME_LATIN, PHONE, None)
    assert PersonKey.objects.filter(person=person).exists()
    assert AuditEvent.objects.count() == events

    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=datetime.date(2024, 6, 1), closure_reason="needs_met"
    )
    person_erase(by=personas.admin, person=person, reason="She asked")
    person.refresh_from_db()
    assert person.erased_at is not None


def test_an_erased_record_is_refused_a_second_erasure_and_an_edit(client, personas):
    person = personas.person(name=NAME_LATIN)
    person_erase(by=personas.admin, person=person, reason="She asked")
    with pytest.raises(ValidationError) as refused:
        person_erase(by=personas.admin, person=person, reason="Again")
    assert refused.value.messages == ["This record is erased already."]
    assert AuditEvent.objects.filter(action="person.erase").count() == 1
    client.force_login(personas.admin)
    page = client.get(reverse("people:erase", args=[person.pk])).content.decode()
    assert "This record is erased already." in page


# --- retention ----------------------------------------------------------------------------------


def retention(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_and_active(personas):
    """Three people registered in 2015: one attended a session last month, one is linked to an
    open case, one did nothing since; and one registered this year."""
    long_ago = datetime.date(2015, 1, 5)
    people = {
        name: personas.person(name=name) for name in ("Active Dara", "Held Bopha", "Idle Srey")
    }
    Person.objects.filter(pk__in=[p.pk for p in people.values()]).update(
        registered_on=long_ago, updated_at=datetime.datetime(2015, 1, 5, tzinfo=datetime.UTC)
    )
    personas.person(name="New Kanha")
    kind = ActivityKind.objects.get(organisation=None, code="training")
    recent = Activity.objects.create(
        organisation=personas.home,
        kind=kind,
        date=timezone.localdate() - datetime.timedelta(days=30),
        area=Area.objects.get(code=VILLAGE_IN_ANGKOR_THUM),
    )
    Attendance.objects.create(
        organisation=personas.home, activity=recent, person=people["Active Dara"]
    )
    linked_case(personas, people["Held Bopha"])
    return people


def test_retention_dry_run_counts_by_organisation_and_changes_nothing(personas, old_and_active):
    output = retention()
    assert f"1 people in {personas.home.slug} would be anonymised" in output
    assert f"1 people in {personas.home.slug} must be kept for now" in output
    assert "case" not in output.lower()
    assert not Person.objects.filter(erased_at__isnull=False).exists()


def test_retention_apply_anonymises_only_the_inactive(personas, old_and_active):
    output = retention("--apply")
    assert f"1 people in {personas.home.slug} were anonymised" in output
    erased = Person.objects.filter(erased_at__isnull=False)
    assert list(erased.values_list("pk", flat=True)) == [old_and_active["Idle Srey"].pk]
    event = AuditEvent.objects.get(action="person.erase")
    assert (event.actor, event.system_actor, event.reason) == (None, SYSTEM.name, "retention")
    assert "Idle Srey" not in " ".join(scan_database(["Idle Srey"]))
    # Run again: nobody is left to anonymise.
    assert "0 people" in retention() or "Nobody." in retention()


def test_retention_follows_the_setting(personas, old_and_active, settings):
    settings.SAMAKI_RETENTION_INACTIVE_YEARS = 20
    assert "Nobody." in retention()
