from typing import Any

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz

from samaki.accounts import access
from samaki.accounts.models import Role
from samaki.areas.models import Area
from samaki.organisations.queries import scope_to_user
from samaki.people.models import (
    Consent,
    DuplicateReview,
    Person,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.people.names import fold_latin, has_khmer, normalise_khmer, phone_digits


def person_list(*, user: Any) -> models.QuerySet[Person]:
    return scope_to_user(Person.objects.select_related("village"), user=user, area_path="village")


def get_person_for_user(*, user: Any, pk: int) -> Person:
    """The person, or 404 whether she does not exist or `user` may not see her."""
    return get_object_or_404(person_list(user=user), pk=pk)


def consent_list(*, user: Any) -> models.QuerySet[Consent]:
    return scope_to_user(Consent.objects.all(), user=user, area_path="person__village")


def get_consent_for_user(*, user: Any, person: Person, pk: int) -> Consent:
    """One of her consents, or 404."""
    return get_object_or_404(consent_list(user=user), person=person, pk=pk)


def person_attribute_list(*, user: Any) -> models.QuerySet[PersonAttribute]:
    """Her own organisation's declared attributes, for those who set up its programme (the
    platform operator, who has none, declares nothing here)."""
    if not access.can_manage(user, getattr(user, "organisation_id", None)) or not getattr(
        user, "organisation_id", None
    ):
        return PersonAttribute.objects.none()
    return PersonAttribute.objects.filter(organisation_id=user.organisation_id).select_related(
        "project"
    )


def get_person_attribute_for_user(*, user: Any, pk: int) -> PersonAttribute:
    return get_object_or_404(person_attribute_list(user=user), pk=pk)


def attributes_offered(*, organisation_id: int) -> list[PersonAttribute]:
    """The attributes a person form shows: the organisation's own and its projects', not
    retired, organisation-wide first. One query."""
    return list(
        PersonAttribute.objects.filter(organisation_id=organisation_id, retired=False)
        .select_related("project")
        .order_by(models.F("project").asc(nulls_first=True), "name_en", "id")
    )


def person_attribute_codes(*, person: Person) -> list[str]:
    """The codes of the attributes set for her (retired ones included). One query."""
    return list(
        PersonAttributeValue.objects.filter(person=person, value=True)
        .order_by("attribute__code")
        .values_list("attribute__code", flat=True)
    )


def person_attribute_names(*, person: Person) -> list[str]:
    """The names of the attributes set for her, in the active language. One query."""
    values = PersonAttributeValue.objects.filter(person=person, value=True).select_related(
        "attribute"
    )
    return sorted(value.attribute.name for value in values)


def self_identification_list(*, user: Any) -> models.QuerySet[SelfIdentification]:
    """Only administrators and M&E officers read sensitive self-identifications."""
    if not user.is_superuser and user.role not in {Role.ADMIN, Role.ME_OFFICER}:
        return SelfIdentification.objects.none()
    return scope_to_user(SelfIdentification.objects.all(), user=user, area_path="person__village")


# --- Search and duplicates (docs/web.md) -------------------------------------------------------

SEARCH_CANDIDATES = 200  # the most rows the database hands to the fuzzy ranking
SEARCH_CUTOFF = 60  # rapidfuzz score (0–100) below which a fuzzy candidate is dropped


def _name_filter(query: str) -> tuple[Q, Q, str]:
    """(every word contained, any word's start contained, the folded query) for `query`."""
    if has_khmer(query):
        key = normalise_khmer(query)
        return Q(khmer_key__contains=key), Q(khmer_key__contains=key[:3]), key
    words = fold_latin(query).split()
    every, some = Q(), Q(pk__in=[])
    for word in words:
        every &= Q(latin_key__contains=word)
        some |= Q(latin_key__contains=word[:3])
    return every, some, " ".join(words)


def person_search(*, user: Any, query: str = "", area: Area | None = None) -> list[int]:
    """Ids of the people `user` may see matching `query` (name in either script, or phone) in
    `area`, best match first.

    The database narrows (folded keys, phone digits, area path) to at most SEARCH_CANDIDATES rows;
    rapidfuzz only ranks those. A name with no exact-key match falls back to people sharing the
    start of a word, ranked and cut at SEARCH_CUTOFF (a typo still finds her).
    """
    people = person_list(user=user)
    if area is not None:
        people = people.filter(village__path__startswith=area.path)
    query = query.strip()
    if not query:
        return list(
            people.order_by("name_latin", "id").values_list("pk", flat=True)[:SEARCH_CANDIDATES]
        )
    digits = phone_digits(query)
    if digits and len(digits) >= 3 and not has_khmer(query) and not fold_latin(query):
        tail = digits.lstrip("0")
        phone = Replace(
            Replace(Replace("phone", Value(" "), Value("")), Value("-"), Value("")),
            Value("+"),
            Value(""),
        )
        matches = people.annotate(phone_plain=phone).filter(phone_plain__contains=tail)
        return list(
            matches.order_by("name_latin", "id").values_list("pk", flat=True)[:SEARCH_CANDIDATES]
        )
    every, some, folded = _name_filter(query)
    if not folded:
        return []
    rows = list(
        people.filter(every).values_list("pk", "latin_key", "khmer_key")[:SEARCH_CANDIDATES]
    )
    cutoff = 0
    if not rows:
        rows = list(
            people.filter(some).values_list("pk", "latin_key", "khmer_key")[:SEARCH_CANDIDATES]
        )
        cutoff = SEARCH_CUTOFF
    key_index = 2 if has_khmer(query) else 1
    scored = [
        (fuzz.WRatio(folded, str(row[key_index])), int(row[0])) for row in rows if row[key_index]
    ]
    return [
        pk for score, pk in sorted(scored, key=lambda item: (-item[0], item[1])) if score >= cutoff
    ]


def _duplicate_match(
    people: models.QuerySet[Person],
    *,
    name_latin: str,
    name_km: str,
    village: Area | None,
    birth_year: int | None,
) -> models.QuerySet[Person]:
    """The one likely-duplicate rule: the same folded name (either script) and the same village
    or the same year of birth."""
    same_name = Q(pk__in=[])
    if latin_key := fold_latin(name_latin):
        same_name |= Q(latin_key=latin_key)
    if khmer_key := normalise_khmer(name_km):
        same_name |= Q(khmer_key=khmer_key)
    same_place_or_age = Q(pk__in=[])
    if village is not None:
        same_place_or_age |= Q(village=village)
    if birth_year is not None:
        same_place_or_age |= Q(birth_year=birth_year)
    return people.filter(same_name).filter(same_place_or_age)


def likely_duplicates(
    *,
    user: Any,
    name_latin: str,
    name_km: str,
    village: Area | None,
    birth_year: int | None,
    exclude_pk: int | None = None,
) -> models.QuerySet[Person]:
    """People `user` may see who are likely `name_latin`/`name_km` (`_duplicate_match`): what
    the web form warns about before a registration is saved."""
    found = _duplicate_match(
        person_list(user=user),
        name_latin=name_latin,
        name_km=name_km,
        village=village,
        birth_year=birth_year,
    )
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("name_latin", "id")[:10]


def registration_duplicates(*, person: Person) -> list[Person]:
    """Her organisation's people who are likely the newly registered `person`
    (`_duplicate_match`), for the review list. One query."""
    found = _duplicate_match(
        Person.objects.filter(organisation_id=person.organisation_id),
        name_latin=person.name_latin,
        name_km=person.name_km,
        village=person.village,
        birth_year=person.birth_year,
    )
    return list(found.exclude(pk=person.pk).order_by("id")[:10])


def duplicate_review_list(*, user: Any) -> models.QuerySet[DuplicateReview]:
    """The open and resolved reviews `user` may act on: her own organisation's, for its
    administrators and M&E officers; both records must be inside her scope."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id or not access.can_manage(user, organisation_id):
        return DuplicateReview.objects.none()
    if not access.can_read_people(user):
        return DuplicateReview.objects.none()
    visible = person_list(user=user).values("pk")
    return DuplicateReview.objects.filter(
        organisation_id=organisation_id, person__in=visible, candidate__in=visible
    ).select_related("person__village", "candidate__village", "resolved_by")


def open_duplicate_reviews(*, user: Any) -> models.QuerySet[DuplicateReview]:
    return duplicate_review_list(user=user).filter(resolved_at__isnull=True)


def get_duplicate_review_for_user(*, user: Any, pk: int) -> DuplicateReview:
    """The review, or 404 whether it does not exist or `user` may not act on it."""
    return get_object_or_404(duplicate_review_list(user=user), pk=pk)
