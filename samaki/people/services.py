"""Registering and changing people: one path for forms, API, imports, OpenRosa and the demo."""

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
    if person.erased_at is not None:
        raise ValidationError(_("This record is erased: it can no longer be changed."))
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


# --- merging two records of one woman (docs/web.md, "Merging two records") ---------------------


@dataclasses.dataclass(frozen=True, kw_only=True)
class MergeResult:
    kept: Person
    merged: Person  # now a tombstone: `merged_into` is `kept`
    preview: Any  # the `people.queries.MergePreview` that was carried out


def _merge_refusals(kept: Person, merged: Person) -> None:
    if kept.organisation_id != merged.organisation_id:
        raise ValidationError(_("The two records are of different organisations: not merged."))
    if kept.pk == merged.pk:
        raise ValidationError(_("Choose two different records to merge."))
    for person in (kept, merged):
        if person.merged_into_id is not None:
            raise ValidationError(
                _("%(number)s is already merged into %(into)s: merge with that record instead.")
                % {"number": person.samaki_number, "into": f"P{person.merged_into_id:06d}"}
            )


def _merge_require_periods_open(plan: Any) -> None:
    """A merge changes whom the records it moves or removes count: refused while any of them is
    dated in a submitted period (samaki.periods.rules), like any other change to them."""
    from samaki.activities.models import Attendance
    from samaki.groups.models import Membership
    from samaki.outcomes.models import Outcome
    from samaki.periods.rules import require_periods_open, require_span_open

    dated: list[tuple[int | None, datetime.date | None]] = list(
        Attendance.objects.filter(
            pk__in=plan.attendances_moved + plan.attendances_removed
        ).values_list("activity__project_id", "activity__date")
    )
    memberships = Membership.objects.filter(
        pk__in=plan.memberships_moved
        + plan.memberships_removed
        + tuple(join.kept_id for join in plan.memberships_joined)
    ).values_list("group__project_id", "joined_on", "left_on")
    for project_id, joined_on, left_on in memberships:
        require_span_open(project_id=project_id, start=joined_on, end=left_on, field="other")
    dated += Outcome.objects.filter(pk__in=plan.outcomes_moved).values_list("project_id", "date")
    require_periods_open(dated=dated, field="other")


@transaction.atomic
def person_merge(*, by: Any, kept: Person, merged: Person, reason: str = "") -> MergeResult:
    """Merge `merged` into `kept`, by the rules `people.queries.merge_preview` decides (the same
    the confirmation page showed). `merged` stays as a tombstone leading to `kept`, her
    identifying fields blanked; one audit row, ids and field names only."""
    # Other apps' models and the preview imported here: this block is merge's own (the rest of
    # the module is shared with other work on people).
    from samaki.accounts.access import require_people_merger
    from samaki.activities.models import Attendance
    from samaki.cases.models import Case
    from samaki.feedback.models import Feedback
    from samaki.groups.models import Membership
    from samaki.outcomes.models import Outcome
    from samaki.people.queries import merge_preview

    require_people_merger(by=by, organisation_id=kept.organisation_id)
    _merge_refusals(kept, merged)  # the same organisation first: hers, as checked
    reason = strip_invisible(reason).strip()
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    # Both rows locked, in one order, and read again: a second merge of either waits, then
    # finds her merged already.
    locked = Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk]).order_by("pk")
    rows = {person.pk: person for person in locked}
    kept, merged = rows[kept.pk], rows[merged.pk]
    _merge_refusals(kept, merged)
    plan = merge_preview(kept, merged)
    _merge_require_periods_open(plan)
    now = timezone.now()

    Attendance.objects.filter(pk__in=plan.attendances_removed).delete()
    Attendance.objects.filter(pk__in=plan.attendances_moved).update(person=kept)
    Membership.objects.filter(pk__in=plan.memberships_removed).delete()
    for join in plan.memberships_joined:
        Membership.objects.filter(pk=join.kept_id).update(
            joined_on=join.joined_on, left_on=join.left_on
        )
    Membership.objects.filter(pk__in=plan.memberships_moved).update(person=kept)
    Outcome.objects.filter(pk__in=plan.outcomes_moved).update(person=kept)
    Consent.objects.filter(pk__in=plan.consents_removed).delete()
    Consent.objects.filter(pk__in=plan.consents_moved).update(person=kept)
    if plan.self_identification_removed:
        SelfIdentification.objects.filter(person=merged).delete()
    elif plan.self_identification_moved:
        SelfIdentification.objects.filter(person=merged).update(person=kept)
    for value in PersonAttributeValue.objects.filter(
        person=merged, value=True, attribute__code__in=plan.attributes_added
    ):
        if not PersonAttributeValue.objects.filter(
            person=kept, attribute_id=value.attribute_id
        ).update(value=True):
            value.person = kept
            value.save(update_fields=["person", "updated_at"])
    PersonAttributeValue.objects.filter(person=merged).delete()
    DuplicateReview.objects.filter(pk__in=plan.reviews_resolved).update(
        resolved_at=now, resolved_by=acting_user(by), resolution=DuplicateResolution.SAME
    )
    DuplicateReview.objects.filter(pk__in=plan.reviews_closed).update(
        resolved_at=now, resolved_by=acting_user(by)
    )
    DuplicateReview.objects.filter(pk__in=plan.reviews_moved, person=merged).update(person=kept)
    DuplicateReview.objects.filter(pk__in=plan.reviews_moved, candidate=merged).update(
        candidate=kept
    )
    # Links nobody on the programme side may learn of move silently (docs/cases.md), and so do
    # the records merged into her before: every tombstone leads to a current record in one step.
    Case.objects.filter(participant=merged).update(participant=kept)
    Feedback.objects.filter(person=merged).update(person=kept)
    Person.objects.filter(merged_into=merged).update(merged_into=kept)

    external_id = merged.external_id if plan.external_id_taken else ""
    merged.merged_into, merged.merged_at = kept, now
    merged.name_km, merged.name_latin = "", merged.samaki_number  # a name is required
    merged.phone, merged.birth_date = "", None
    merged.latin_key = merged.khmer_key = ""
    if external_id:
        merged.external_id = ""
    merged.save()
    for field, value in plan.fields_filled.items():
        setattr(kept, field, value)
    if external_id:
        kept.external_id = external_id
    kept.latin_key = fold_latin(kept.name_latin)
    kept.khmer_key = normalise_khmer(kept.name_km)
    kept.save()
    self_identification = ""
    if plan.self_identification_removed:
        self_identification = "kept"  # both had one: the kept record's wins
    elif plan.self_identification_moved:
        self_identification = "moved"
    audit_record(
        by=by,
        action="person.merge",
        obj=kept,
        organisation_id=kept.organisation_id,
        before={"merged": merged.pk},
        after={
            "merged": merged.pk,
            "attendances_moved": list(plan.attendances_moved),
            "attendances_removed": list(plan.attendances_removed),
            "memberships_moved": list(plan.memberships_moved),
            "memberships_joined": [join.kept_id for join in plan.memberships_joined],
            "memberships_removed": list(plan.memberships_removed),
            "outcomes_moved": list(plan.outcomes_moved),
            "consents_moved": list(plan.consents_moved),
            "consents_removed": list(plan.consents_removed),
            "fields_filled": sorted(plan.fields_filled),
            "self_identification": self_identification,
            "attributes_added": list(plan.attributes_added),
            "external_id_taken": plan.external_id_taken,
            "reviews_resolved": list(plan.reviews_resolved),
            "reviews_moved": list(plan.reviews_moved),
            "reviews_closed": list(plan.reviews_closed),
        },
        reason=reason,
    )
    return MergeResult(kept=kept, merged=merged, preview=plan)


# --- erasure (docs/security.md, "Erasure") -------------------------------------------------------

# What the refusal says to programme staff when a case holds her: it must not reveal the case.
ERASE_KEPT_FOR_NOW = _lazy(
    "This record must be kept for now; your organisation's safeguarding lead can tell you why."
)
ERASED_TEXT = "[erased]"  # what replaces her name, phone or birth date in kept free text


@dataclasses.dataclass(frozen=True, kw_only=True)
class ErasureResult:
    person: Person
    records: list[int]  # her record and the tombstones merged into it
    submissions: int  # phone submissions emptied of her
    imports: int  # uploaded files dropped because they held her


def person_erase_refusal(person: Person) -> str:
    """Why she cannot be erased now, or "" when she can (the page shows it before asking)."""
    from samaki.cases.models import Case, CaseStatus

    if person.erased_at is not None:
        return str(_("This record is erased already."))
    if person.merged_into_id is not None:
        return str(
            _("This record is merged into %(into)s: erase that record instead.")
            % {"into": f"P{person.merged_into_id:06d}"}
        )
    records = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
    if Case.objects.filter(participant__in=records, status=CaseStatus.OPEN).exists():
        return str(ERASE_KEPT_FOR_NOW)
    return ""


def _erasure_needles(people: Iterable[Person]) -> list[str]:
    """What identifies her in free text and raw payloads: names, phone, birth date, IDs."""
    needles: set[str] = set()
    for person in people:
        needles.update(
            value
            for value in (
                person.name_latin,
                person.name_km,
                person.phone,
                person.external_id,
                person.latin_key,
                person.khmer_key,
            )
            if len(value) >= 3
        )
        if person.birth_date:
            needles.add(person.birth_date.isoformat())
            needles.add(person.birth_date.strftime("%d/%m/%Y"))
    return sorted(needles, key=len, reverse=True)


def _needle_pattern(needle: str) -> re.Pattern[str]:
    """A needle as found in free text: a phone number however its digits are spaced."""
    digits = re.sub(r"[\s.+-]", "", needle)
    if digits.isdigit() and len(digits) >= 6:
        return re.compile(r"[\s.-]*".join(digits))
    return re.compile(re.escape(needle), flags=re.IGNORECASE)


def _mentions(text: str, needles: list[str]) -> bool:
    return any(_needle_pattern(needle).search(text) for needle in needles)


def _scrub_reasons(ids: list[int], needles: list[str], *, organisation_id: int) -> None:
    """Staff's own words may name her: the reasons given for voiding her records, and the
    reasons on audit rows (a correction, a merge). Her identifiers are cut out of them; the
    rest of each reason stays, for the record of why."""
    from samaki.activities.models import Attendance
    from samaki.audit.models import AuditEvent
    from samaki.groups.models import Membership
    from samaki.outcomes.models import Outcome

    for model in (Attendance, Membership, Outcome):
        voided = model._base_manager.filter(person__in=ids).exclude(void_reason="")
        for pk, said in voided.values_list("pk", "void_reason"):
            if _mentions(said, needles):
                model._base_manager.filter(pk=pk).update(void_reason=_scrub(said, needles))
    naming = models.Q(pk__in=[])
    for needle in needles:
        naming |= models.Q(reason__icontains=needle)
    events = AuditEvent.objects.filter(naming, organisation_id=organisation_id)
    for pk, said in events.values_list("pk", "reason"):
        AuditEvent.objects.filter(pk=pk).update(reason=_scrub(said, needles))


def _scrub(value: Any, needles: list[str]) -> Any:
    """`value` (text, or JSON of lists and dicts) with every needle replaced by ERASED_TEXT."""
    if isinstance(value, str):
        for needle in needles:
            value = _needle_pattern(needle).sub(ERASED_TEXT, value)
        return value
    if isinstance(value, list):
        return [_scrub(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, needles) for key, item in value.items()}
    return value


def _file_text(content: bytes) -> str:
    """An uploaded file's text: CSV as it is, an XLSX's sheets and shared strings unzipped."""
    import io
    import zipfile

    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "\n".join(
                    archive.read(name).decode("utf-8", errors="ignore")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                )
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", errors="ignore")


@transaction.atomic(durable=True)
def person_erase(*, by: Any, person: Person, reason: str) -> ErasureResult:
    """Erase her personal data everywhere; keep what anonymous counts need.

    Kept: sex, birth year, commune (her village becomes its commune), Washington Group answers
    (the disability split), ID Poor status, registration date, her attendances, memberships and
    outcomes, her consents' purposes and dates. Removed: names, search keys, phone, exact birth
    date, village, external ID, outcome details, self-identification, custom attribute values,
    duplicate reviews, phone submissions and uploaded import files that held her, her key (every
    audit snapshot of her becomes unreadable). Tombstones merged into her are erased with her.
    One `person.erase` audit row, with the reason and counts only.
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from samaki.accounts.access import require_people_eraser
    from samaki.feedback.models import Feedback
    from samaki.imports.models import ImportJob, JobStatus
    from samaki.openrosa.models import Attachment, Submission
    from samaki.outcomes.models import Outcome
    from samaki.people.models import PersonKey
    from samaki.records import clean_reason

    require_people_eraser(by=by, organisation_id=person.organisation_id)
    reason = clean_reason(strip_invisible(reason))
    # Locked and read again: a second erasure (or a merge) waits, then finds her erased.
    person = Person.objects.select_for_update().select_related("village").get(pk=person.pk)
    refusal = person_erase_refusal(person)
    if refusal:
        raise ValidationError(refusal)
    people = [
        person,
        *Person.objects.select_for_update().filter(merged_into=person).order_by("pk"),
    ]
    ids = [record.pk for record in people]
    needles = _erasure_needles(people)
    organisation_id = person.organisation_id

    jobs = [
        job
        for job in ImportJob.objects.filter(organisation_id=organisation_id).exclude(content=b"")
        if _mentions(_file_text(bytes(job.content)), needles) or _mentions(str(job.result), needles)
    ]
    if any(job.status not in {JobStatus.DONE, JobStatus.FAILED} for job in jobs):
        raise ValidationError(
            _("An import holding her record is still running: erase her when it has finished.")
        )
    for job in jobs:
        job.content = b""
        job.result = _scrub(job.result, needles)
        job.save(update_fields=["content", "result"])

    mentioned = models.Q(record_type=Person._meta.label_lower, record_id__in=[str(i) for i in ids])
    for needle in needles:
        mentioned |= models.Q(xml__icontains=needle) | models.Q(reason__icontains=needle)
    submissions = list(Submission.objects.filter(mentioned, organisation_id=organisation_id))
    for attachment in Attachment.objects.filter(submission__in=submissions):
        attachment.file.delete(save=False)
        attachment.delete()
    for submission in submissions:
        submission.xml = ""
        submission.reason = _scrub(submission.reason, needles)
        submission.save(update_fields=["xml", "reason"])

    for feedback in Feedback.objects.filter(person__in=ids):
        feedback.person = None
        feedback.reporter_name = feedback.reporter_contact = ""
        feedback.message = _scrub(feedback.message, needles)
        feedback.response = _scrub(feedback.response, needles)
        feedback.save(
            update_fields=["person", "reporter_name", "reporter_contact", "message", "response"]
        )
    Outcome._base_manager.filter(person__in=ids).update(detail="")  # voided ones too
    _scrub_reasons(ids, needles, organisation_id=organisation_id)
    SelfIdentification.objects.filter(person__in=ids).delete()
    PersonAttributeValue.objects.filter(person__in=ids).delete()
    DuplicateReview.objects.filter(models.Q(person__in=ids) | models.Q(candidate__in=ids)).delete()
    Consent.objects.filter(person__in=ids).update(given_by=ConsentGiver.SELF, recorded_by=None)

    now = timezone.now()
    for record in people:
        record.name_km = record.name_latin = record.phone = record.external_id = ""
        record.latin_key = record.khmer_key = ""
        record.birth_date = None  # the year stays
        # The commune keeps every split by commune, district and province (an area is its own
        # ancestor at its level); the village is gone.
        record.village_id = record.village.commune_id or record.village_id
        record.erased_at, record.erased_by = now, acting_user(by)
        record.save()
    PersonKey.objects.filter(person__in=ids).delete()
    # The admin's own history names the row as `str(person)` did then.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id__in=[str(i) for i in ids]
    ).update(object_repr=person.samaki_number)
    audit_record(
        by=by,
        action="person.erase",
        obj=person,
        organisation_id=organisation_id,
        after={
            "erased": ids,
            "submissions": len(submissions),
            "imports": len(jobs),
        },
        reason=reason,
    )
    return ErasureResult(
        person=person, records=ids, submissions=len(submissions), imports=len(jobs)
    )


# --- retention (docs/security.md, "Retention") ---------------------------------------------------


@dataclasses.dataclass(kw_only=True)
class RetentionCount:
    organisation: str  # its slug
    due: int = 0  # past the retention period: anonymised (or, in a dry run, to be)
    kept: int = 0  # past it, but to be kept for now (what holds them is not said here)


def retention_run(
    *, years: int, apply: bool, today: datetime.date | None = None
) -> list[RetentionCount]:
    """People with no activity for `years` years, by organisation; with `apply`, each erased
    (`person_erase`, the system acting, reason "retention"), one transaction each."""
    from samaki.accounts.access import SYSTEM
    from samaki.people.queries import people_inactive_since, retention_cutoff

    cutoff = retention_cutoff(today=today or local_today(), years=years)
    counts: dict[int, RetentionCount] = {}
    # Read first, erased one by one after: each erasure is its own transaction.
    people = list(
        people_inactive_since(cutoff)
        .select_related("organisation")
        .order_by("organisation__slug", "pk")
    )
    for person in people:
        count = counts.setdefault(
            person.organisation_id, RetentionCount(organisation=person.organisation.slug)
        )
        if person_erase_refusal(person):
            count.kept += 1
            continue
        count.due += 1
        if apply:
            person_erase(by=SYSTEM, person=person, reason="retention")
    return list(counts.values())
