import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.http import Http404
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz

from samaki.accounts import access
from samaki.accounts.models import Role
from samaki.areas.models import Area
from samaki.organisations.queries import scope_to_user
from samaki.people.models import (
    WG_FIELDS,
    Consent,
    DuplicateReview,
    IdPoor,
    Person,
    PersonAttribute,
    PersonAttributeValue,
    SelfIdentification,
)
from samaki.people.names import fold_latin, has_khmer, normalise_khmer, phone_digits


def current_people(people: models.QuerySet[Person]) -> models.QuerySet[Person]:
    """The one rule that keeps merged-away records (tombstones) out of every list, search,
    picker, duplicate check, export and API list: they only lead to the record they were merged
    into (`person_successor_for_user`, `people_by_external_id`)."""
    return people.filter(merged_into__isnull=True)


def person_list(*, user: Any) -> models.QuerySet[Person]:
    return scope_to_user(
        current_people(Person.objects.select_related("village")), user=user, area_path="village"
    )


def get_person_for_user(*, user: Any, pk: int) -> Person:
    """The person, or 404 whether she does not exist or `user` may not see her."""
    return get_object_or_404(person_list(user=user), pk=pk)


def person_successor_for_user(*, user: Any, pk: int) -> Person:
    """The record `pk` now is: herself, or the record she was merged into (an old link, an API
    id); 404 when neither exists or `user` may not see the kept record. Two queries at most."""
    person = person_list(user=user).filter(pk=pk).first()
    if person is not None:
        return person
    merged_into_id = (
        scope_to_user(
            Person.objects.filter(pk=pk, merged_into__isnull=False),
            user=user,
            area_path="village",
        )
        .values_list("merged_into_id", flat=True)
        .first()
    )
    if merged_into_id is None:
        raise Http404
    return get_person_for_user(user=user, pk=merged_into_id)


def people_by_external_id(
    *, user: Any, organisation_id: int, external_ids: Iterable[str]
) -> dict[str, Person]:
    """The people `user` may see whom `external_ids` name, by the ID asked for: a merged-away
    record's ID leads to the record she was merged into. What imports, OpenRosa and the API
    look external IDs up with. One query per 5,000 IDs, plus one for merged-away ones."""
    found: dict[str, Person] = {}
    successors: dict[str, int] = {}
    ordered = sorted(set(external_ids) - {""})
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        rows = scope_to_user(
            Person.objects.select_related("village"), user=user, area_path="village"
        ).filter(organisation_id=organisation_id, external_id__in=chunk)
        for person in rows:
            if person.merged_into_id is None:
                found[person.external_id] = person
            else:
                successors[person.external_id] = person.merged_into_id
    if successors:
        kept = person_list(user=user).in_bulk(list(successors.values()))
        for external_id, pk in successors.items():
            if pk in kept:
                found[external_id] = kept[pk]
    return found


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
        current_people(Person.objects.filter(organisation_id=person.organisation_id)),
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


# --- Merging two records of one woman (docs/web.md, "Merging two records") ---------------------

# Her fields the merged-away record fills when the kept record has them empty, with what
# "empty" is for each. The kept record's non-empty values always win.
MERGE_FILLED_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name_km", ""),
    ("name_latin", ""),
    ("birth_date", None),
    ("birth_year", None),
    ("phone", ""),
    ("id_poor", IdPoor.UNKNOWN),
    *((name, None) for name in WG_FIELDS),
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class MembershipJoin:
    """Overlapping memberships of one group, become one: `kept_id` from `joined_on` to
    `left_on` (None: still a member); `removed_ids` go."""

    group_id: int
    kept_id: int
    removed_ids: tuple[int, ...]
    joined_on: datetime.date
    left_on: datetime.date | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class MergePreview:
    """What merging `merged` into `kept` will do, decided once (`merge_preview`): the
    confirmation page shows it and `person_merge` carries it out. Ids only."""

    kept: Person
    merged: Person
    attendances_moved: tuple[int, ...]
    attendances_removed: tuple[int, ...]  # the same activity attended by both: the kept's stays
    memberships_moved: tuple[int, ...]
    memberships_joined: tuple[MembershipJoin, ...]
    outcomes_moved: tuple[int, ...]
    consents_moved: tuple[int, ...]
    consents_removed: tuple[int, ...]  # a later still-valid consent of a purpose both gave
    fields_filled: dict[str, Any]  # field name → the merged record's value
    self_identification_moved: bool
    self_identification_removed: bool  # both had one: the kept's wins
    attributes_added: tuple[str, ...]  # codes true of the merged record only
    external_id_taken: bool  # the kept record had none and takes the merged one's
    reviews_resolved: tuple[int, ...]  # reviews of this pair: answered "same"
    reviews_moved: tuple[int, ...]  # open reviews of the merged record with someone else
    reviews_closed: tuple[int, ...]  # … that the kept record already has with that someone

    @property
    def memberships_removed(self) -> tuple[int, ...]:
        return tuple(pk for join in self.memberships_joined for pk in join.removed_ids)


def _membership_clusters(rows: list[Any]) -> list[list[Any]]:
    """Memberships of one group in runs that overlap (a membership ends the day before its
    `left_on`: one that ends when the next starts does not overlap it)."""
    clusters: list[list[Any]] = []
    end: datetime.date | None = None
    for row in sorted(rows, key=lambda row: (row.joined_on, row.pk)):
        if clusters and (end is None or row.joined_on < end):
            clusters[-1].append(row)
            end = None if end is None or row.left_on is None else max(end, row.left_on)
        else:
            clusters.append([row])
            end = row.left_on
    return clusters


def _memberships_plan(kept: Person, merged: Person) -> tuple[list[int], list[MembershipJoin]]:
    from samaki.groups.models import Membership

    by_group: dict[int, list[Membership]] = {}
    for row in Membership.objects.filter(person__in=[kept, merged]).order_by("pk"):
        by_group.setdefault(row.group_id, []).append(row)
    moved: list[int] = []
    joins: list[MembershipJoin] = []
    for group_id, rows in sorted(by_group.items()):
        for cluster in _membership_clusters(rows):
            owners = {row.person_id for row in cluster}
            if owners == {kept.pk}:
                continue
            if owners == {merged.pk}:
                moved += [row.pk for row in cluster]
                continue
            # Both had her in the group at once: one membership, the kept record's first one.
            keeper = next(row for row in cluster if row.person_id == kept.pk)
            left = [row.left_on for row in cluster]
            joins.append(
                MembershipJoin(
                    group_id=group_id,
                    kept_id=keeper.pk,
                    removed_ids=tuple(row.pk for row in cluster if row is not keeper),
                    joined_on=min(row.joined_on for row in cluster),
                    left_on=None if None in left else max(d for d in left if d is not None),
                )
            )
    return moved, joins


def _consents_plan(kept: Person, merged: Person) -> tuple[list[int], list[int]]:
    """(moved, removed): per purpose the earliest consent still in force stays (moved when it is
    the merged record's), later ones in force go; withdrawn ones move as history."""
    moved: list[int] = []
    removed: list[int] = []
    rows = list(Consent.objects.filter(person__in=[kept, merged]).order_by("given_on", "pk"))
    valid_by_purpose: dict[str, list[Consent]] = {}
    for consent in rows:
        if consent.withdrawn_on is None:
            valid_by_purpose.setdefault(consent.purpose, []).append(consent)
        elif consent.person_id == merged.pk:
            moved.append(consent.pk)
    for valid in valid_by_purpose.values():
        first, *later = valid
        if first.person_id == merged.pk:
            moved.append(first.pk)
        removed += [consent.pk for consent in later]
    return sorted(moved), sorted(removed)


def _fields_filled(kept: Person, merged: Person) -> dict[str, Any]:
    filled: dict[str, Any] = {}
    for name, empty in MERGE_FILLED_FIELDS:
        if getattr(kept, name) == empty and getattr(merged, name) != empty:
            filled[name] = getattr(merged, name)
    # A date of birth comes with its year: never one that contradicts the kept record's year.
    if "birth_date" in filled:
        year = filled["birth_date"].year
        if kept.birth_year not in (None, year):
            del filled["birth_date"]
        elif kept.birth_year is None:
            filled["birth_year"] = year
    if "birth_year" in filled and "birth_date" not in filled and kept.birth_date is not None:
        del filled["birth_year"]
    return filled


def merge_preview(kept: Person, merged: Person) -> MergePreview:
    """What merging `merged` into `kept` will move, which clashes it meets and how each is
    resolved (docs/web.md, "Merging two records"). Reads only; the refusals are the service's.
    A case link is not part of it: programme staff never learn that she has a case."""
    from samaki.activities.models import Attendance
    from samaki.outcomes.models import Outcome

    kept_activities = set(
        Attendance.objects.filter(person=kept).values_list("activity_id", flat=True)
    )
    attendances = list(
        Attendance.objects.filter(person=merged).order_by("pk").values_list("pk", "activity_id")
    )
    memberships_moved, memberships_joined = _memberships_plan(kept, merged)
    consents_moved, consents_removed = _consents_plan(kept, merged)
    identified = set(
        SelfIdentification.objects.filter(person__in=[kept, merged]).values_list(
            "person_id", flat=True
        )
    )
    values = PersonAttributeValue.objects.filter(person__in=[kept, merged], value=True)
    codes: dict[int, set[str]] = {kept.pk: set(), merged.pk: set()}
    for person_id, code in values.values_list("person_id", "attribute__code"):
        codes[person_id].add(code)
    pair = Q(person=kept, candidate=merged) | Q(person=merged, candidate=kept)
    reviews = list(
        DuplicateReview.objects.filter(Q(person=merged) | Q(candidate=merged) | pair).values_list(
            "pk", "person_id", "candidate_id", "resolved_at"
        )
    )
    kept_partners = {
        other
        for person_id, candidate_id in DuplicateReview.objects.filter(
            Q(person=kept) | Q(candidate=kept)
        ).values_list("person_id", "candidate_id")
        for other in (person_id, candidate_id)
        if other != kept.pk
    }
    resolved: list[int] = []
    moved: list[int] = []
    closed: list[int] = []
    for pk, person_id, candidate_id, resolved_at in reviews:
        if {person_id, candidate_id} == {kept.pk, merged.pk}:
            if resolved_at is None:
                resolved.append(pk)
        elif resolved_at is None:
            partner = candidate_id if person_id == merged.pk else person_id
            (closed if partner in kept_partners else moved).append(pk)
    return MergePreview(
        kept=kept,
        merged=merged,
        attendances_moved=tuple(pk for pk, a in attendances if a not in kept_activities),
        attendances_removed=tuple(pk for pk, a in attendances if a in kept_activities),
        memberships_moved=tuple(memberships_moved),
        memberships_joined=tuple(memberships_joined),
        outcomes_moved=tuple(
            Outcome.objects.filter(person=merged).order_by("pk").values_list("pk", flat=True)
        ),
        consents_moved=tuple(consents_moved),
        consents_removed=tuple(consents_removed),
        fields_filled=_fields_filled(kept, merged),
        self_identification_moved=identified == {merged.pk},
        self_identification_removed=identified == {kept.pk, merged.pk},
        attributes_added=tuple(sorted(codes[merged.pk] - codes[kept.pk])),
        external_id_taken=not kept.external_id and bool(merged.external_id),
        reviews_resolved=tuple(sorted(resolved)),
        reviews_moved=tuple(sorted(moved)),
        reviews_closed=tuple(sorted(closed)),
    )


# --- retention (docs/security.md, "Retention") ---------------------------------------------------


def retention_cutoff(*, today: datetime.date, years: int) -> datetime.date:
    """The day `years` years before `today` (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def people_inactive_since(cutoff: datetime.date) -> models.QuerySet[Person]:
    """Current, not erased people with no activity on or after `cutoff`: no attendance,
    membership (an open one is activity today), outcome, registration or change of her record.
    Voided records still count as activity: someone worked with her then."""
    from django.utils import timezone

    from samaki.activities.models import Attendance
    from samaki.groups.models import Membership
    from samaki.outcomes.models import Outcome

    since = datetime.datetime.combine(
        cutoff, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    attended = Attendance._base_manager.filter(activity__date__gte=cutoff)
    member = Membership._base_manager.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=cutoff) | Q(joined_on__gte=cutoff)
    )
    outcome = Outcome._base_manager.filter(date__gte=cutoff)
    return (
        current_people(Person.objects.filter(erased_at__isnull=True))
        .filter(registered_on__lt=cutoff, updated_at__lt=since)
        .exclude(pk__in=attended.values("person_id"))
        .exclude(pk__in=member.values("person_id"))
        .exclude(pk__in=outcome.values("person_id"))
    )
