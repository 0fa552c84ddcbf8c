"""Registering and changing people: one path for forms, API, imports, OpenRosa and the demo."""

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samaki.accounts.access import acting_user, require_manager
from samaki.areas.models import AreaLevel
from samaki.audit.services import audit_record, snapshot
from samaki.numbers import LATIN_DIGITS
from samaki.organisations.models import Organisation
from samaki.organisations.services import area_get, require_writer
from samaki.people.models import (
    ATTRIBUTE_CODE_RE,
    WG_FIELDS,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    DuplicateResolution,
    DuplicateReview,
    IdPoor,
    Person,
    PersonAttribute,
    PersonAttributeValue,
    RegistrationChannel,
    SelfIdentification,
    Sex,
    WgAnswer,
)
from samaki.people.names import fold_latin, normalise_khmer
from samaki.people.queries import attributes_offered, registration_duplicates
from samaki.projects.models import Project
from samaki.text import strip_invisible

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
KHMER_DIGITS = LATIN_DIGITS  # Khmer digits read as digits (samaki.numbers)


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
    attributes: Iterable[str] = (),
) -> Person:
    """Register a person who has agreed to have her record kept (the registration consent),
    with the codes of the custom attributes (`PersonAttribute`) that are true of her."""
    registered_on = registered_on or local_today()
    values = _clean(fields, registered_on=registered_on)
    attributes = list(attributes)
    if attributes:
        _attributes_check(organisation.pk, attributes)
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
    after = snapshot(person)
    if attributes and _attributes_apply(person, attributes) is not None:
        after["attributes"] = sorted(attributes)
    audit_record(
        by=by,
        action="person.register",
        obj=person,
        organisation_id=organisation.pk,
        after=after,
    )
    return person


@transaction.atomic
def person_register_reviewed(
    *,
    organisation: Organisation,
    by: Any,
    channel: str,
    fields: PersonFields,
    registered_on: datetime.date | None = None,
    consent_given_by: str = ConsentGiver.SELF,
    attributes: Iterable[str] = (),
) -> tuple[Person, list[DuplicateReview]]:
    """Register her as `person_register` does, from `channel`; when she is likely someone
    already registered (`registration_duplicates`), she is registered all the same and each
    likely pair is put on the review list, in the same transaction, one audit row each."""
    if channel not in RegistrationChannel.values:
        raise ValueError(f"{channel!r} is not a registration channel")
    person = person_register(
        organisation=organisation,
        by=by,
        fields=fields,
        registered_on=registered_on,
        consent_given_by=consent_given_by,
        attributes=attributes,
    )
    reviews = []
    for candidate in registration_duplicates(person=person):
        review = DuplicateReview.objects.create(
            organisation=organisation, person=person, candidate=candidate, channel=channel
        )
        audit_record(
            by=by,
            action="duplicate_review.open",
            obj=review,
            organisation_id=organisation.pk,
            after={"person": person.pk, "candidate": candidate.pk, "channel": channel},
        )
        reviews.append(review)
    return person, reviews


@transaction.atomic
def duplicate_review_resolve(*, by: Any, review: DuplicateReview, resolution: str) -> bool:
    """Say whether the two records are one woman ("same": marked for a merge, nothing merged)
    or two. Whether it was still open (a second answer changes nothing)."""
    require_manager(by=by, organisation_id=review.organisation_id)
    if resolution not in DuplicateResolution.values:
        raise ValidationError({"resolution": _("Choose “not the same person” or “same person”.")})
    now = timezone.now()
    # Conditional: two answers at once leave one resolution, and one audit row.
    if not DuplicateReview.objects.filter(pk=review.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=acting_user(by), resolution=resolution
    ):
        return False
    review.resolved_at, review.resolved_by, review.resolution = now, acting_user(by), resolution
    audit_record(
        by=by,
        action="duplicate_review.resolve",
        obj=review,
        organisation_id=review.organisation_id,
        before={"resolution": ""},
        after={"resolution": resolution},
    )
    return True


@transaction.atomic
def person_update(
    *, person: Person, by: Any, fields: PersonFields, attributes: Iterable[str] | None = None
) -> Person:
    """Correct her record; `attributes` (codes), when given, are her answers to the offered
    custom attributes (as `person_attributes_set`), said in the same audit row."""
    values = _clean(fields)
    if attributes is not None:
        attributes = list(attributes)
        _attributes_check(person.organisation_id, attributes)
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
    after = snapshot(person)
    change = _attributes_apply(person, attributes) if attributes is not None else None
    if change is not None:
        before["attributes"], after["attributes"] = change
    audit_record(
        by=by,
        action="person.update",
        obj=person,
        organisation_id=person.organisation_id,
        before=before,
        after=after,
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


# --- consent ------------------------------------------------------------------------------------


def _consent_snapshot(consent: Consent) -> dict[str, Any]:
    return {
        "purpose": consent.purpose,
        "given_on": str(consent.given_on),
        "given_by": consent.given_by,
        "withdrawn_on": str(consent.withdrawn_on) if consent.withdrawn_on else None,
    }


@transaction.atomic
def consent_record(
    *,
    by: Any,
    person: Person,
    purpose: str,
    given_on: datetime.date,
    given_by: str = ConsentGiver.SELF,
) -> Consent:
    """Record a consent she gives (again, after a withdrawal, or for a new purpose)."""
    errors: dict[str, list[str]] = {}
    if purpose not in ConsentPurpose.values:
        errors.setdefault("purpose", []).append(_("Unknown purpose."))
    elif Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True).exists():
        errors.setdefault("purpose", []).append(_("She has already given this consent."))
    if given_by not in ConsentGiver.values:
        errors.setdefault("given_by", []).append(_("Unknown consent giver."))
    if given_on > local_today():
        errors.setdefault("given_on", []).append(_("The consent date is in the future."))
    if errors:
        raise ValidationError(errors)
    require_writer(by=by, organisation=person.organisation, area=person.village)
    consent = Consent.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        purpose=purpose,
        given_on=given_on,
        given_by=given_by,
        recorded_by=acting_user(by),
    )
    audit_record(
        by=by,
        action="consent.record",
        obj=consent,
        organisation_id=person.organisation_id,
        after=_consent_snapshot(consent),
    )
    return consent


@transaction.atomic
def consent_withdraw(*, by: Any, consent: Consent, on: datetime.date, reason: str = "") -> Consent:
    """She withdraws a consent, from `on`. The consent row is kept, dated.

    What it changes (docs/domain.md): withdrawing the sensitive consent erases her
    self-identification answers (unless another sensitive consent of hers is still in force) and
    takes her out of every self-identification split, for every period, from now on; her
    attendances, memberships and outcomes still count as anonymous reach. Withdrawing the
    consortium consent will keep her out of cross-partner linkage.
    """
    person = consent.person
    require_writer(by=by, organisation=person.organisation, area=person.village)
    reason = strip_invisible(reason).strip()
    errors: dict[str, list[str]] = {}
    if consent.withdrawn_on is not None:
        errors.setdefault("on", []).append(_("This consent is withdrawn already."))
    elif on > local_today():
        errors.setdefault("on", []).append(_("The withdrawal date is in the future."))
    elif on < consent.given_on:
        errors.setdefault("on", []).append(
            _("The withdrawal date is before the consent was given.")
        )
    if len(reason) > 300:
        errors.setdefault("reason", []).append(_("Keep the reason under 300 characters."))
    if errors:
        raise ValidationError(errors)
    before = _consent_snapshot(consent)
    # Conditional: two withdrawals at once leave one date, and one audit row.
    if not Consent.objects.filter(pk=consent.pk, withdrawn_on__isnull=True).update(withdrawn_on=on):
        raise ValidationError({"on": _("This consent is withdrawn already.")})
    consent.withdrawn_on = on
    erased = False
    if (
        consent.purpose == ConsentPurpose.SENSITIVE
        and not Consent.objects.filter(
            person=person, purpose=ConsentPurpose.SENSITIVE, withdrawn_on__isnull=True
        ).exists()
    ):
        erased = SelfIdentification.objects.filter(person=person).delete()[0] > 0
    audit_record(
        by=by,
        action="consent.withdraw",
        obj=consent,
        organisation_id=person.organisation_id,
        before=before,
        # The reason may name why; the erased answers themselves never enter the audit trail.
        after=_consent_snapshot(consent) | {"reason": reason, "self_identification_erased": erased},
    )
    return consent


# --- custom attributes --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class AttributeNames:
    name_en: str
    name_km: str = ""


def _attribute_names_clean(names: AttributeNames, errors: dict[str, list[str]]) -> dict[str, str]:
    values = {
        "name_en": " ".join(strip_invisible(names.name_en).split()),
        "name_km": strip_invisible(names.name_km).strip(),
    }
    if not values["name_en"]:
        errors.setdefault("name_en", []).append(_("Give the attribute's name in English."))
    for field, value in values.items():
        if len(value) > 120:
            errors.setdefault(field, []).append(_("Keep the name under 120 characters."))
    return values


@transaction.atomic
def person_attribute_declare(
    *,
    by: Any,
    organisation: Organisation,
    code: str,
    names: AttributeNames,
    project: Project | None = None,
) -> PersonAttribute:
    """Declare a yes/no attribute of people (for the organisation, or one of its projects)."""
    require_manager(by=by, organisation_id=organisation.pk)
    errors: dict[str, list[str]] = {}
    code = code.strip().lower()
    if not ATTRIBUTE_CODE_RE.match(code) or len(code) > 40:
        errors.setdefault("code", []).append(
            _("A code is up to 40 small Latin letters, digits and single underscores, "
              "starting with a letter (e.g. single_mother).")
        )  # fmt: skip
    elif PersonAttribute.objects.filter(organisation=organisation, code=code).exists():
        errors.setdefault("code", []).append(_("Another attribute has this code."))
    if project is not None and project.organisation_id != organisation.pk:
        errors.setdefault("project", []).append(_("The project is another organisation's."))
    values = _attribute_names_clean(names, errors)
    if errors:
        raise ValidationError(errors)
    attribute = PersonAttribute.objects.create(
        organisation=organisation, project=project, code=code, **values
    )
    audit_record(
        by=by,
        action="person_attribute.declare",
        obj=attribute,
        organisation_id=organisation.pk,
        after=snapshot(attribute),
    )
    return attribute


@transaction.atomic
def person_attribute_update(
    *, by: Any, attribute: PersonAttribute, names: AttributeNames, retired: bool
) -> bool:
    """Rename or retire (or bring back) an attribute; its code never changes. Whether anything
    changed. A retired attribute leaves the forms; the values recorded still count."""
    require_manager(by=by, organisation_id=attribute.organisation_id)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = _attribute_names_clean(names, errors) | {"retired": retired}
    if errors:
        raise ValidationError(errors)
    changed = [field for field, value in values.items() if getattr(attribute, field) != value]
    if not changed:
        return False
    before = snapshot(attribute)
    for field in changed:
        setattr(attribute, field, values[field])
    attribute.save(update_fields=changed)
    audit_record(
        by=by,
        action="person_attribute.update",
        obj=attribute,
        organisation_id=attribute.organisation_id,
        before=before,
        after=snapshot(attribute),
    )
    return True


@transaction.atomic
def person_attributes_set(*, by: Any, person: Person, codes: Iterable[str]) -> bool:
    """Her answers to the offered attributes: those in `codes` yes, the others no. A retired
    attribute keeps what was recorded. Whether anything changed."""
    require_writer(by=by, organisation=person.organisation, area=person.village)
    codes = list(codes)
    _attributes_check(person.organisation_id, codes)
    change = _attributes_apply(person, codes)
    if change is None:
        return False
    before, after = change
    audit_record(
        by=by,
        action="person.attributes_set",
        obj=person,
        organisation_id=person.organisation_id,
        before={"attributes": before},
        after={"attributes": after},
    )
    return True


def _attributes_check(organisation_id: int, codes: Iterable[str]) -> None:
    offered = {a.code for a in attributes_offered(organisation_id=organisation_id)}
    unknown = set(codes) - offered
    if unknown:
        raise ValidationError(
            {
                "attributes": _("Unknown attribute: %(codes)s.")
                % {"codes": ", ".join(sorted(unknown))}
            }
        )


def _attributes_apply(person: Person, codes: Iterable[str]) -> tuple[list[str], list[str]] | None:
    """Set her answers, checked by `_attributes_check` (un-audited: the caller's audit row says
    it). The codes set before and after, or None when nothing changed."""
    wanted = set(codes)
    offered = {a.code: a for a in attributes_offered(organisation_id=person.organisation_id)}
    rows = {
        row.attribute_id: row
        for row in PersonAttributeValue.objects.filter(
            person=person, attribute__in=list(offered.values())
        )
    }
    before = sorted(code for code, a in offered.items() if a.pk in rows and rows[a.pk].value)
    after = sorted(wanted)
    if before == after:
        return None
    for code, attribute in offered.items():
        value = code in wanted
        row = rows.get(attribute.pk)
        if row is None and value:
            PersonAttributeValue.objects.create(
                organisation_id=person.organisation_id,
                person=person,
                attribute=attribute,
                value=True,
            )
        elif row is not None and row.value != value:
            row.value = value
            row.save(update_fields=["value", "updated_at"])
    return before, after
