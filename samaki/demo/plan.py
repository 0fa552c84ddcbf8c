"""What the demo holds, as plain data: people, groups, memberships, activities and outcomes.

A plan is computed from a seeded random generator and the gazetteer alone, never from what the
database already holds, so every run computes the same plan and the writer (builder.py) can find
each object again by its external ID.
"""

import dataclasses
import datetime
import math
import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

from samaki.activities.services import HeadcountCell
from samaki.demo.names import full_name
from samaki.groups.models import MemberRole
from samaki.people.models import ConsentGiver, IdPoor

T = TypeVar("T")

SEED = 2024


class Gazetteer(Protocol):
    """The read-only reference data a plan is made from."""

    def villages(self, code: str) -> list[str]:
        """The codes of the villages inside the area `code`, in code order."""
        ...

    def names(self, code: str) -> tuple[str, str]:
        """The area's name in Latin and in Khmer script."""
        ...


def section_random(section: str) -> random.Random:
    """One generator per section, so that changing one section leaves the others as they were."""
    return random.Random(f"{SEED}:{section}")


@dataclasses.dataclass(kw_only=True)
class PersonSpec:
    external_id: str
    sex: str
    name_km: str
    name_latin: str
    village_code: str
    birth_date: datetime.date | None
    birth_year: int | None
    phone: str
    wg: tuple[int | None, ...]
    id_poor: str
    registered_on: datetime.date | None = None
    consent_given_by: str = ConsentGiver.SELF


@dataclasses.dataclass(frozen=True, kw_only=True)
class GroupSpec:
    external_id: str
    name_en: str
    name_km: str
    kind_code: str
    area_code: str
    founded_on: datetime.date | None
    parent: str | None = None  # the parent network's external ID
    project: str | None = None  # a project code


@dataclasses.dataclass(frozen=True, kw_only=True)
class MembershipSpec:
    group: str
    person: str
    joined_on: datetime.date
    role: str = MemberRole.MEMBER
    left_on: datetime.date | None = None


@dataclasses.dataclass(kw_only=True)
class ActivitySpec:
    external_id: str
    kind_code: str
    date: datetime.date
    area_code: str
    title: str
    topic_codes: tuple[str, ...] = ()
    project: str | None = None
    group: str | None = None
    facilitators: tuple[str, ...] = ()  # usernames
    attendees: list[str] = dataclasses.field(default_factory=list)  # person external IDs
    headcount: list[HeadcountCell] | None = None
    notes: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class OutcomeSpec:
    external_id: str
    person: str
    kind_code: str
    date: datetime.date
    detail: str = ""
    project: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SiteSpec:
    name_en: str
    name_km: str
    kind: str
    area_code: str
    established_on: datetime.date | None


@dataclasses.dataclass(kw_only=True)
class Plan:
    """Everything one organisation records in the demo."""

    organisation: str  # slug
    sites: list[SiteSpec] = dataclasses.field(default_factory=list)
    people: list[PersonSpec] = dataclasses.field(default_factory=list)
    groups: list[GroupSpec] = dataclasses.field(default_factory=list)
    memberships: list[MembershipSpec] = dataclasses.field(default_factory=list)
    activities: list[ActivitySpec] = dataclasses.field(default_factory=list)
    outcomes: list[OutcomeSpec] = dataclasses.field(default_factory=list)

    def set_registration_dates(
        self, rng: random.Random, *, earliest: datetime.date, max_days_before: int = 14
    ) -> None:
        """Register each person shortly before the first thing the plan records about her.

        Consent for a child is given by a parent.
        """
        first: dict[str, datetime.date] = {}

        def seen(person: str, day: datetime.date) -> None:
            if person not in first or day < first[person]:
                first[person] = day

        for membership in self.memberships:
            seen(membership.person, membership.joined_on)
        for activity in self.activities:
            for person in activity.attendees:
                seen(person, activity.date)
        for outcome in self.outcomes:
            seen(outcome.person, outcome.date)
        for spec in self.people:
            day = first[spec.external_id] - datetime.timedelta(days=rng.randint(0, max_days_before))
            spec.registered_on = max(day, earliest)
            if age_on(spec, spec.registered_on) < 18:
                spec.consent_given_by = ConsentGiver.PARENT


def age_on(spec: PersonSpec, day: datetime.date) -> int:
    if spec.birth_date is not None:
        before_birthday = (day.month, day.day) < (spec.birth_date.month, spec.birth_date.day)
        return day.year - spec.birth_date.year - int(before_birthday)
    if spec.birth_year is None:
        raise ValueError(f"{spec.external_id} has no date or year of birth.")
    return day.year - spec.birth_year


# --- People -----------------------------------------------------------------------------------

MOBILE_PREFIXES = ["010", "011", "012", "015", "016", "017", "069", "070", "077", "078", "081"]
MOBILE_PREFIXES_10_DIGITS = ["088", "096", "097", "031", "071"]


def phone_number(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.choice(MOBILE_PREFIXES)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    return (
        f"{rng.choice(MOBILE_PREFIXES_10_DIGITS)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    )


def wg_answers(rng: random.Random) -> tuple[int | None, ...]:
    """Washington Group answers: ~10% not asked, ~5% with a lot of difficulty somewhere."""
    draw = rng.random()
    if draw < 0.10:
        return (None,) * 6
    answers = [1 if rng.random() < 0.85 else 2 for _domain in range(6)]
    if draw < 0.15:
        answers[rng.randrange(6)] = rng.choice([3, 3, 3, 4])
    return tuple(answers)


def id_poor_status(rng: random.Random) -> str:
    return rng.choices(
        [IdPoor.LEVEL_1, IdPoor.LEVEL_2, IdPoor.NOT_POOR, IdPoor.UNKNOWN], weights=[15, 17, 48, 20]
    )[0]


# Age ranges (inclusive) of the people programmes count separately.
GIRLS = (12, 17)
YOUNG_WOMEN = (18, 24)
WOMEN = (25, 70)


def make_person(
    rng: random.Random,
    *,
    external_id: str,
    sex: str,
    ages: tuple[int, int],
    on: datetime.date,
    village_code: str,
) -> PersonSpec:
    """A person aged within `ages` on the date `on`; ~40% know only their year of birth."""
    name_km, name_latin = full_name(rng, sex)
    age = rng.randint(*ages)
    # A birthday between the day after `on`, `age + 1` years back, and `on`, `age` years back.
    latest = on.replace(year=on.year - age, day=min(on.day, 28) if on.month == 2 else on.day)
    birth_date = latest - datetime.timedelta(days=rng.randint(0, 364))
    year_only = rng.random() < 0.4
    child = age < 18
    return PersonSpec(
        external_id=external_id,
        sex=sex,
        name_km=name_km,
        name_latin=name_latin,
        village_code=village_code,
        birth_date=None if year_only else birth_date,
        birth_year=birth_date.year,
        phone=phone_number(rng) if rng.random() < (0.15 if child else 0.55) else "",
        wg=wg_answers(rng),
        id_poor=id_poor_status(rng),
    )


def pick_age_range(rng: random.Random, weights: Sequence[float]) -> tuple[int, int]:
    """Girls, young women or women, in the given proportions."""
    return rng.choices([GIRLS, YOUNG_WOMEN, WOMEN], weights=weights)[0]


# --- Arithmetic of exact figures --------------------------------------------------------------


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights`; the parts add up to `total` exactly."""
    scale = total / sum(weights)
    exact = [weight * scale for weight in weights]
    parts = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def sessions_covering(
    rng: random.Random,
    people: Sequence[str],
    sessions: int,
    repeats: int = 0,
    repeat_from: Sequence[str] | None = None,
) -> list[list[str]]:
    """Attendance lists for `sessions` sessions that reach exactly `people`.

    Each person attends one session; then `repeats` more attendances go to people drawn from
    `repeat_from` (by default `people` themselves), never twice to the same session: so there are
    len(people) + repeats attendances, by the people of `people` and `repeat_from` only.
    """
    if sessions > len(people):
        raise ValueError("More sessions than people to attend them.")
    pool = list(people if repeat_from is None else repeat_from)
    order = list(people)
    rng.shuffle(order)
    lists = [order[i::sessions] for i in range(sessions)]
    for n in range(repeats):
        attendees = lists[n % sessions]
        if len(set(attendees) | set(pool)) == len(attendees):
            raise ValueError("Everyone attends this session already.")
        while True:
            person = rng.choice(pool)
            if person not in attendees:
                attendees.append(person)
                break
    return lists


def weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = (end - start).days + 1
    every_day = (start + datetime.timedelta(days=n) for n in range(days))
    return [day for day in every_day if day.weekday() < 6]  # Monday to Saturday


def spread_dates(
    rng: random.Random, n: int, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """`n` working days between `start` and `end`, sorted, spread over the whole period."""
    days = weekdays(start, end)
    return sorted(rng.choice(days) for _n in range(n))


def take(rng: random.Random, population: Sequence[T], k: int) -> list[T]:
    """`k` distinct items of `population` in a random order (a clear error if there are too few)."""
    if k > len(population):
        raise ValueError(f"Cannot take {k} of {len(population)}.")
    return rng.sample(list(population), k)


def village_weights(villages: Sequence[str], main: str, main_weight: float = 3.0) -> list[float]:
    return [main_weight if code == main else 1.0 for code in villages]
