"""Registering and changing people: one path for forms, API, imports, OpenRosa and the demo."""

import dataclasses
import datetime
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.access import acting_user
from samaki.areas.models import AreaLevel
from samaki.audit.services import audit_record, snapshot
from samaki.organisations.models import Organisation
from samaki.organisations.services import area_get, require_writer
from samaki.people.models import (
    WG_FIELDS,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    IdPoor,
    Person,
    SelfIdentification,
    Sex,
    WgAnswer,
)
from samaki.people.names import fold_latin, normalise_khmer
from samaki.text import strip_invisible

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PersonFields:
    """What a registration form, an import row or an ODK submission says about a person."""

    sex: str
    village_code: str
    name_km: str = ""
    name_latin: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    phone: str = ""
    wg_seeing: int | None = None
    wg_hearing: int | None = None
    wg_walking: int | None = None
    wg_cognition: int | None = None
    wg_selfcare: int | None = None
    wg_communication: int | None = None
    id_poor: str = IdPoor.UNKNOWN
    external_id: str = ""


def local_today() -> datetime.date:
    return timezone.localdate()


def identity_clean(fields: Any, fail: Callable[[str, str], None]) -> dict[str, Any]:
    """Her names, sex, birth, phone and village checked and normalised: the one rule for a person
    and for a survivor on the case side. `fields` has those attributes; errors go to `fail`."""
    today = local_today()
    values: dict[str, Any] = {
        "name_km": strip_invisible(fields.name_km).strip(),
        "name_latin": " ".join(strip_invisible(fields.name_latin).split()),
        "sex": fields.sex,
        "birth_date": fields.birth_date,
        "birth_year": fields.birth_year,
        "phone": fields.phone.translate(KHMER_DIGITS).strip(),
    }
    if not values["name_km"] and not values["name_latin"]:
        fail("name_latin", _("Give her name in Khmer script, in Latin script, or both."))
    if fields.sex not in Sex.values:
        fail("sex", _("Choose female, male or other."))
    if fields.birth_date is not None:
        if fields.birth_date > today:
            fail("birth_date", _("The date of birth is in the future."))
        elif fields.birth_date.year < 1900:
            fail("birth_date", _("The date of birth is before 1900."))
        elif fields.birth_year is not None and fields.birth_year != fields.birth_date.year:
            fail("birth_year", _("The year of birth does not match the date of birth."))
        values["birth_year"] = fields.birth_date.year
    elif fields.birth_year is not None and not 1900 <= fields.birth_year <= today.year:
        fail("birth_year", _("The year of birth must be between 1900 and this year."))
    if values["phone"] and not PHONE_RE.match(values["phone"]):
        fail("phone", _("A phone number has 8 to 20 digits, spaces or dashes, maybe a leading +."))
    try:
        values["village"] = area_get(code=fields.village_code, level=AreaLevel.VILLAGE)
    except ValidationError as error:
        fail("village_code", error.messages[0])
    return values


def _clean(fields: PersonFields, *, registered_on: datetime.date | None = None) -> dict[str, Any]:
    """Check every field, collecting all errors; return the model values."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    values = identity_clean(fields, fail)
    values["id_poor"] = fields.id_poor or IdPoor.UNKNOWN
    values["external_id"] = strip_invisible(fields.external_id).strip()
    for name in WG_FIELDS:
        answer = getattr(fields, name)
        if answer is not None and answer not in WgAnswer.values:
            fail(name, _("The answer must be 1, 2, 3 or 4 (no difficulty … cannot do at all)."))
        values[name] = answer
    if values["id_poor"] not in IdPoor.values:
        fail("id_poor", _("Unknown ID Poor status."))
    if registered_on is not None and registered_on > local_today():
        fail("registered_on", _("The registration date is in the future."))
    if errors:
        raise ValidationError(errors)
    values["latin_key"] = fold_latin(values["name_latin"])
    values["khmer_key"] = normalise_khmer(values["name_km"])
    return values


@transaction.atomic
def person_register(
    *,
    organisation: Organisation,
    by: Any,
    fields: PersonFields,
    registered_on: datetime.date | None = None,
    consent_given_by: str = ConsentGiver.SELF,
) -> Person:
    """Register a person who has agreed to have her record kept (the registration consent)."""
    registered_on = registered_on or local_today()
    values = _clean(fields, registered_on=registered_on)
    if consent_given_by not in ConsentGiver.values:
        raise ValidationError({"consent_given_by": _("Unknown consent giver.")})
    require_writer(by=by, organisation=organisation, area=values["village"])
    if (
        values["external_id"]
        and Person.objects.filter(
            organisation=organisation, external_id=values["external_id"]
        ).exists()
    ):
        raise ValidationError(
            {
                "external_id": _("Another person already has the external ID “%(id)s”.")
                % {"id": values["external_id"]}
            }
        )
    person = Person(organisation=organisation, registered_on=registered_on, **values)
    # `_clean` checked what the constraints guard; the database still enforces them.
    person.full_clean(validate_unique=False, validate_constraints=False)
    person.save()
    Consent.objects.create(
        organisation=organisation,
        person=person,
        purpose=ConsentPurpose.REGISTRATION,
        given_on=registered_on,
        given_by=consent_given_by,
        recorded_by=acting_user(by),
    )
    audit_record(
        by=by,
        action="person.register",
        obj=person,
        organisation_id=organisation.pk,
        after=snapshot(person),
    )
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any, fields: PersonFields) -> Person:
    values = _clean(fields)
    require_writer(by=by, organisation=person.organisation, area=person.village)
    require_writer(by=by, organisation=person.organisation, area=values["village"])
    if (
        values["external_id"]
        and Person.objects.filter(
            organisation_id=person.organisation_id, external_id=values["external_id"]
        )
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "external_id": _("Another person already has the external ID “%(id)s”.")
                % {"id": values["external_id"]}
            }
        )
    before = snapshot(person)
    for key, value in values.items():
        setattr(person, key, value)
    # `_clean` checked what the constraints guard; the database still enforces them.
    person.full_clean(validate_unique=False, validate_constraints=False)
    person.save()
    audit_record(
        by=by,
        action="person.update",
        obj=person,
        organisation_id=person.organisation_id,
        before=before,
        after=snapshot(person),
    )
    return person


@transaction.atomic
def self_identification_record(
    *,
    person: Person,
    by: Any,
    consented_on: datetime.date,
    indigenous_group: str = "",
    lgbtqi: bool | None = None,
    living_with_hiv: bool | None = None,
) -> SelfIdentification:
    """Record sensitive self-identifications, with the consent that allows it."""
    require_writer(by=by, organisation=person.organisation, area=person.village)
    if consented_on > local_today():
        raise ValidationError({"consented_on": _("The consent date is in the future.")})
    record, _created = SelfIdentification.objects.update_or_create(
        person=person,
        defaults={
            "organisation_id": person.organisation_id,
            "indigenous_group": indigenous_group.strip(),
            "lgbtqi": lgbtqi,
            "living_with_hiv": living_with_hiv,
            "consented_on": consented_on,
        },
    )
    Consent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        purpose=ConsentPurpose.SENSITIVE,
        given_on=consented_on,
        recorded_by=acting_user(by),
    )
    # The values themselves stay out of the audit trail: it is read more widely than they may be.
    audit_record(
        by=by,
        action="person.self_identification",
        obj=person,
        organisation_id=person.organisation_id,
        after={"consented_on": str(consented_on)},
    )
    return record
